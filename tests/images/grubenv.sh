#!/bin/bash
# Filesystem images (no partition table) holding /boot/grub/grubenv, made
# by the real tools, for tests/unit/test_envwrite_faults. In OUTDIR/grubenv/:
#   ext4.img          ext4, 4 KiB blocks, the grubenv in one extent
#   ext4-inline.img   ext4 -O inline_data with 4 KiB inodes: the 1024-byte
#                     grubenv lives inside its inode (no block to rewrite)
#   fat.img           FAT16, the grubenv in one cluster (mcopy)
#   fat-xlink-dirent.img  fat.img with /boot/other's directory entry pointing
#                     at the grubenv's cluster (its own cluster freed): the
#                     two files share it (a cross-link, as fsck.vfat says)
#   fat-xlink-chain.img   fat.img with /boot/other's chain running on into
#                     the grubenv's cluster (its FAT entry links there, its
#                     size grown to match)
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
for how in dirent chain; do
	cp "$out/fat.img" "$out/fat-xlink-$how.img"
	python3 - "$out/fat-xlink-$how.img" "$how" <<'PY'
# Cross-link /boot/other with /boot/grub/grubenv by editing the FAT16 image.
import struct, sys
img, how = sys.argv[1], sys.argv[2]
d = bytearray(open(img, "rb").read())
bps, spc, rsvd, nfats, rootents = struct.unpack_from("<HBHBH", d, 11)
fatsz = struct.unpack_from("<H", d, 22)[0]
root = (rsvd + nfats * fatsz) * bps
cs = bps * spc
at = lambda c: root + rootents * 32 + (c - 2) * cs
def find(off, length, name):
    for i in range(off, off + length, 32):
        if d[i] == 0:
            break
        if d[i] != 0xE5 and d[i + 11] != 0x0F and d[i:i + 11] == name.ljust(11).encode():
            return i
    sys.exit("fat xlink: no " + name)
first = lambda e: struct.unpack_from("<H", d, e + 26)[0]
def set_fat(c, v):
    for k in range(nfats):
        struct.pack_into("<H", d, (rsvd + k * fatsz) * bps + 2 * c, v)
boot = first(find(root, rootents * 32, "BOOT"))
env = first(find(at(first(find(at(boot), cs, "GRUB"))), cs, "GRUBENV"))
other = find(at(boot), cs, "OTHER")
if how == "dirent":
    set_fat(first(other), 0)
    struct.pack_into("<H", d, other + 26, env)
else:
    set_fat(first(other), env)
    struct.pack_into("<I", d, other + 28, cs + 1024)
open(img, "wb").write(d)
PY
done

if command -v mkfs.btrfs >/dev/null; then
	truncate -s 128M "$out/btrfs.img"
	mkfs.btrfs -q -f --rootdir "$out/tree" "$out/btrfs.img" >/dev/null
fi
