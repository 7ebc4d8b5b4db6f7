#!/bin/bash
# FAT images made by the real mkfs.fat and mtools, for tests/unit/test_fat
# and tests/fuzz/fuzz_fat. Everything lands in OUTDIR/fat/:
#   tree/                             the files every image holds
#   fat12.img  fat16.img  fat32.img   mkfs.fat -C -F N, the tree copied with mcopy
#   fat16-4k.img                      FAT16 with 4096-byte sectors
#   fat32-mbr.img                     an MBR disk (sfdisk), the FAT32 in partition 1
#   IMG.ids                           blkid's UUID and LABEL, which the driver
#                                     must reproduce
#   fuzz-seeds/                       small images, trailing zeros cut (the
#                                     fuzzer reads zeros past its input)
# usage: fat.sh OUTDIR
set -e -o pipefail
[ -n "$1" ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
out=$1/fat
rm -rf "$out"
mkdir -p "$out"
# mtools turns the names into long-name entries through the locale's charset.
export LC_ALL=C.UTF-8
export MTOOLS_SKIP_CHECK=1

tree=$out/tree
mkdir -p "$tree"

# Deep paths, long and non-ASCII names, mixed case, empty files, a 1.5 MiB
# random file, and a directory of 600 entries.
mkdir -p "$tree/deep/a/b/c/d/e/f/g/h/i/j/k/l"
echo "the bottom of a deep tree" >"$tree/deep/a/b/c/d/e/f/g/h/i/j/k/l/deep.txt"
echo "hello, FAT" >"$tree/hello.txt"
: >"$tree/empty"
: >"$tree/deep/a/empty.bin"
head -c $((1536 * 1024 + 5)) /dev/urandom >"$tree/big.bin"
echo "upper" >"$tree/UPPER.TXT"
echo "lower" >"$tree/lower.txt"
echo "mixed" >"$tree/MixedCase.Txt"
echo "no extension" >"$tree/README"
echo "greek" >"$tree/Ωμέγα.txt"
echo "latin" >"$tree/naïve café.txt"
echo "japanese" >"$tree/日本語のファイル名.txt"
# (no characters outside the BMP: mtools 4.0.32 cuts them to 16 bits; the
# unit test covers surrogate pairs by patching a long-name entry)
long="A long file name that needs many VFAT entries"
long="$long, with spaces, commas and digits 0123456789"
long="$long - and it keeps going well past two hundred characters"
long="$long so that the long-name chain is as long as it gets.txt"
echo "long" >"$tree/$long"
mkdir -p "$tree/Dir With Spaces/Sub Dir"
echo "nested" >"$tree/Dir With Spaces/Sub Dir/nested file.TXT"
mkdir -p "$tree/many"
for i in $(seq -w 0 599); do
	if [ $((10#$i % 2)) -eq 0 ]; then
		echo "entry $i" >"$tree/many/entry number $i.txt"
	else
		echo "short $i" >"$tree/many/F$i.DAT"
	fi
done

# blkid's view of a filesystem at byte OFFSET of IMG, as the test expects it.
ids() { # IMG OFFSET
	{
		echo "UUID=$(blkid -p -O "$2" -o value -s UUID "$1")"
		echo "LABEL=$(blkid -p -O "$2" -o value -s LABEL "$1")"
	} >"$1.ids"
}

# Run a command, showing its output only when it fails.
quiet() {
	local msg
	msg=$("$@" 2>&1) || { echo "$msg" >&2; return 1; }
}

mkfat() { # NAME BITS KIB LABEL SERIAL [mkfs options...]
	local img=$out/$1
	rm -f "$img"
	quiet mkfs.fat -C -F "$2" -n "$4" -i "$5" "${@:6}" "$img" "$3"
	mcopy -s -i "$img" "$tree"/* ::/
	ids "$img" 0
}

mkfat fat12.img 12 8192 FAT12VOL 12ab34cd
mkfat fat16.img 16 32768 FAT16VOL 0000beef
mkfat fat16-4k.img 16 65536 SECTOR4K 4a4b4c4d -S 4096
mkfat fat32.img 32 65536 ESP 5eedf00d

# FAT32 inside partition 1 of an MBR disk: 1 MiB in, 64 MiB long.
img=$out/fat32-mbr.img
rm -f "$img"
truncate -s 80M "$img"
printf 'label: dos\nunit: sectors\nstart=2048, size=131072, type=c\n' |
	sfdisk -q --no-reread --no-tell-kernel "$img" >/dev/null
# (mkfs.fat warns that the file is larger than the filesystem: that is the point.)
quiet mkfs.fat -F 32 -n PARTED -i 0badcafe --offset 2048 "$img" 65536
mcopy -s -i "$img@@1M" "$tree"/* ::/
ids "$img" $((2048 * 512))

# Fuzz seeds: the three FAT types with long names, a subdirectory and a
# file of several clusters, in well under 1 MiB each.
seeds=$out/fuzz-seeds
st=$out/seed-tree
mkdir -p "$seeds" "$st/sub/deeper"
echo "hi" >"$st/hello.txt"
echo "x" >"$st/Long Name Ünïcode.txt"
head -c 3000 /dev/urandom >"$st/sub/data.bin"
echo "deep" >"$st/sub/deeper/file"
seed() { # NAME BITS KIB [mkfs options...]
	local f=$seeds/$1
	quiet mkfs.fat -C -F "$2" -n SEED "${@:4}" "$f" "$3"
	mcopy -s -i "$f" "$st"/* ::/
	# Cut the trailing zeros (not a byte of data is lost).
	python3 -c 'import sys; p = sys.argv[1]; d = open(p, "rb").read(); open(p, "wb").write(d.rstrip(b"\0"))' "$f"
}
seed fat12.img 12 128
seed fat16.img 16 2200 -s 1
seed fat32.img 32 33500 -f 1 -R 2
