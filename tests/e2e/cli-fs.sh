#!/bin/bash
# `pvhboot ls` and `pvhboot cat` on images made by the real tools: every
# file's bytes must equal the tree's, and the image must not change.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
CLI=$BUILD/pvhboot
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
T=$W/tree
mkdir -p "$T/boot/grub" "$T/a/b/c/d/e" "$T/empty-dir"
head -c 3000000 /dev/urandom >"$T/boot/initrd.img"
head -c 12345 /dev/urandom >"$T/a/b/c/d/e/deep.bin"
: >"$T/empty.txt"
printf 'hello\n' >"$T/boot/grub/grub.cfg"
printf 'x' >"$T/a/$(printf 'n%.0s' $(seq 1 120))"
printf 'Ωμέγα\n' >"$T/a/καλημέρα.txt"

mke2fs -q -F -t ext4 -d "$T" "$W/ext4.img" 32M
rm -f "$W/fat.img"
mkfs.fat -C -F 32 "$W/fat.img" 65536 >/dev/null
mcopy -s -i "$W/fat.img" "$T"/* ::/
xorriso -as mkisofs -quiet -R -J -o "$W/iso.img" "$T" 2>/dev/null
# XFS (v5, mkfs.xfs defaults) through a protofile, so no loop mount is needed;
# TEST_DIR lets mkfs.xfs make it smaller than 300 MiB, as for fstests.
proto() {
	local e
	for e in "$1"/*; do
		[ -e "$e" ] || continue
		if [ -d "$e" ]; then echo "${e##*/} d--755 0 0"; proto "$e"; echo '$'
		else echo "${e##*/} ---644 0 0 $e"; fi
	done
}
{ echo pvhboot; echo '0 0'; echo 'd--755 0 0'; proto "$T"; echo '$'; } >"$W/xfs.proto"
truncate -s 64M "$W/xfs.img"
TEST_DIR=1 TEST_DEV=1 QA_CHECK_FS=1 mkfs.xfs -q -f -p "$W/xfs.proto" "$W/xfs.img"
# btrfs from a directory (no mount needed); mkfs.btrfs wants ~110 MiB.
truncate -s 128M "$W/btrfs.img"
mkfs.btrfs -q -r "$T" "$W/btrfs.img" >/dev/null 2>&1
# The ext4 image again, inside partition 2 of an MBR disk.
truncate -s 40M "$W/disk.img"
printf 'label: dos\nstart=2048, size=2048, type=83\nstart=4096, type=83\n' |
	sfdisk -q --no-reread --no-tell-kernel "$W/disk.img" >/dev/null
dd if="$W/ext4.img" of="$W/disk.img" bs=512 seek=4096 conv=notrunc status=none

for img in ext4.img xfs.img fat.img iso.img btrfs.img disk.img:2; do
	file=${img%%:*}
	before=$(sha256sum "$W/$file" | cut -d' ' -f1)
	bad=""
	n=0
	while IFS= read -r -d '' f; do
		rel=${f#"$T"}
		n=$((n + 1))
		if ! "$CLI" cat "$W/$img" "$rel" 2>"$W/err" | cmp -s - "$f"; then
			bad="$rel ($(head -c 200 "$W/err"))"
			break
		fi
	done < <(find "$T" -type f -print0)
	listing=$("$CLI" ls "$W/$img" /boot 2>&1)
	after=$(sha256sum "$W/$file" | cut -d' ' -f1)
	if [ -n "$bad" ]; then
		echo "not ok cli-cat $img: $bad differs"
	elif ! printf '%s\n' "$listing" | grep -q "initrd.img"; then
		echo "not ok cli-ls $img: $listing"
	elif [ "$before" != "$after" ]; then
		echo "not ok cli $img: the image changed"
	else
		echo "ok cli-cat $img ($n files identical)"
	fi
done
