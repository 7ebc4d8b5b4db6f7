#!/bin/bash
# Filesystem images (no partition table) holding /boot/grub/grubenv, made
# by the real tools, for tests/unit/test_envwrite_faults. In OUTDIR/grubenv/:
#   ext4.img          ext4, 4 KiB blocks, the grubenv in one extent
#   ext4-inline.img   ext4 -O inline_data with 4 KiB inodes: the 1024-byte
#                     grubenv lives inside its inode (no block to rewrite)
#   fat.img           FAT16, the grubenv in one cluster (mcopy)
#   btrfs.img         btrfs --rootdir: copy-on-write, checksummed; no map
# usage: grubenv.sh OUTDIR
set -e
[ -n "$1" ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
out=$1/grubenv
export PATH=$PATH:/sbin:/usr/sbin
rm -rf "$out"
mkdir -p "$out/tree/boot/grub"
grub-editenv "$out/tree/boot/grub/grubenv" create
grub-editenv "$out/tree/boot/grub/grubenv" set saved_entry=alpha
printf 'not the grubenv\n' >"$out/tree/boot/other"

mke2fs -q -F -t ext4 -d "$out/tree" "$out/ext4.img" 8M >/dev/null 2>&1
mke2fs -q -F -t ext4 -b 4096 -O inline_data -I 4096 -N 64 -d "$out/tree" "$out/ext4-inline.img" 16M >/dev/null 2>&1
debugfs -R "stat /boot/grub/grubenv" "$out/ext4-inline.img" 2>/dev/null |
	grep -q "Size of inline data: 1024" || { echo "grubenv.sh: the grubenv is not inline" >&2; exit 1; }

mkfs.fat -C -F 16 -n GRUBENV "$out/fat.img" 16384 >/dev/null
mmd -i "$out/fat.img" ::/boot ::/boot/grub
mcopy -i "$out/fat.img" "$out/tree/boot/grub/grubenv" ::/boot/grub/grubenv
mcopy -i "$out/fat.img" "$out/tree/boot/other" ::/boot/other

if command -v mkfs.btrfs >/dev/null; then
	truncate -s 128M "$out/btrfs.img"
	mkfs.btrfs -q -f --rootdir "$out/tree" "$out/btrfs.img" >/dev/null
fi
