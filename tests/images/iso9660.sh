#!/bin/bash
# ISO 9660 images made by the real xorriso, for tests/unit/test_iso9660 and
# tests/fuzz/fuzz_iso9660. Everything lands in OUTDIR/iso9660/: the source
# trees and the images made from them,
#   iso-tree/     -> rr.iso       -R -J (Rock Ridge wins), symlinks, modes, 250-byte names
#                 -> reloc.iso    -R with deep directories relocated (RRIP CL/PL/RE)
#   joliet-tree/  -> joliet.iso   -J only (UCS-2 names up to 103 characters)
#   plain-tree/   -> plain.iso    neither: ISO names, found lower case without ";1"
#   huge-tree/    -> huge.iso     -iso-level 3, one sparse file of 4 GiB + 6 KiB
#                                 stored as multi-extent (written sparse, about 4 s,
#                                 kept from earlier runs)
# IMG.ids next to each image (blkid's UUID and LABEL, which the driver must
# reproduce), and fuzz-seeds/: small images, trailing zeros cut.
# Set PVHBOOT_NO_HUGE_ISO=1 to skip huge.iso.
# usage: iso9660.sh OUTDIR
set -e -o pipefail
[ -n "$1" ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
out=$1/iso9660
mkdir -p "$out"
export LC_ALL=C.UTF-8

# The tree every image with long names holds: deep paths, long and
# non-ASCII names, mixed case, empty files, a 1.5 MiB random file and a
# directory of 600 entries.
base_tree() { # DIR
	local t=$1
	rm -rf "$t"
	mkdir -p "$t/deep/a/b/c/d/e/f/g/h/i/j/k/l"
	echo "the bottom of a deep tree" >"$t/deep/a/b/c/d/e/f/g/h/i/j/k/l/deep.txt"
	echo "hello, ISO" >"$t/hello.txt"
	: >"$t/empty"
	: >"$t/deep/a/empty.bin"
	head -c $((1536 * 1024 + 5)) /dev/urandom >"$t/big.bin"
	echo "upper" >"$t/UPPER.TXT"
	echo "lower" >"$t/lower.txt"
	echo "mixed" >"$t/MixedCase.Txt"
	echo "no extension" >"$t/README"
	echo "greek" >"$t/Ωμέγα.txt"
	echo "latin" >"$t/naïve café.txt"
	echo "japanese" >"$t/日本語のファイル名.txt"
	echo "long" >"$t/A long name of more than sixty-four characters, which Joliet allows.txt"
	mkdir -p "$t/Dir With Spaces/Sub Dir"
	echo "nested" >"$t/Dir With Spaces/Sub Dir/nested file.TXT"
	mkdir -p "$t/many"
	local i
	for i in $(seq -w 0 599); do
		echo "entry $i" >"$t/many/entry number $i.txt"
	done
}

# blkid's view of IMG, as the test expects it.
ids() { # IMG
	{
		echo "UUID=$(blkid -p -o value -s UUID "$1")"
		echo "LABEL=$(blkid -p -o value -s LABEL "$1")"
	} >"$1.ids"
}

mkiso() { # IMG TREE [xorriso -as mkisofs options...]
	local img=$out/$1 tree=$2
	shift 2
	rm -f "$img"
	xorriso -as mkisofs -quiet "$@" -o "$img" "$tree" 2>&1 |
		{ grep -v -e '^xorriso' -e '^$' >&2 || true; }
	ids "$img"
}

# Rock Ridge: symbolic links of every shape, permissions, a 250-byte name
# (split into several NM entries in a continuation area).
rr=$out/iso-tree
base_tree "$rr"
echo "astral" >"$rr/rocket 🚀 launch.txt"
mkdir -p "$rr/links"
ln -s ../big.bin "$rr/links/to-big"
ln -s /deep/a/b/c/d/e/f/g/h/i/j/k/l/deep.txt "$rr/links/absolute"
ln -s ../deep/a/b "$rr/links/dir"
ln -s chain2 "$rr/links/chain1"
ln -s ./../hello.txt "$rr/links/chain2"
ln -s nowhere "$rr/links/dangling"
longtarget=$(printf 'component-%03d/' $(seq 1 30))end
ln -s "$longtarget" "$rr/links/long-target"
# one component longer than an SL entry: split with the continue flag
printf -v longcomponent '%*s' 250 ''
ln -s "../${longcomponent// /c}" "$rr/links/long-component"
printf -v longname '%*s' 246 ''
longname=${longname// /n}.txt
echo "a 250-byte name" >"$rr/$longname"
chmod 0600 "$rr/hello.txt"
chmod 0751 "$rr/Dir With Spaces"
chmod 0755 "$rr/links"
mkiso rr.iso "$rr" -R -J -joliet-long -V "PVHBOOT_RR"
mkiso reloc.iso "$rr" -R -rr_reloc_dir rr_moved -V "RELOC"

# Joliet only: the same names, without links or names Joliet cannot hold.
jt=$out/joliet-tree
base_tree "$jt"
# (xorriso writes Rock Ridge unless told --norock)
mkiso joliet.iso "$jt" --norock -J -joliet-long -V "Joliet Label"

# Neither: names that ISO level 2 keeps, in lower case in the source tree.
pt=$out/plain-tree
rm -rf "$pt"
mkdir -p "$pt/boot/grub" "$pt/data"
echo "plain" >"$pt/readme.txt"
echo "kernel" >"$pt/boot/vmlinuz"
head -c $((300 * 1024 + 1)) /dev/urandom >"$pt/boot/initrd.img"
echo "set timeout=1" >"$pt/boot/grub/grub.cfg"
: >"$pt/data/empty.bin"
for i in $(seq -w 0 39); do
	echo "file $i" >"$pt/data/file_$i.dat"
done
mkiso plain.iso "$pt" --norock -iso-level 2 -V PLAIN

# A file of more than 4 GiB: ISO 9660 extents hold at most 4 GiB - 1, so
# xorriso writes it as several records with the multi-extent flag. The
# file is sparse with markers at both ends and around the first extent
# boundary; the image is written sparse through dd. Its bytes are the same
# on every run, so an image left by an earlier run is kept.
if [ -z "$PVHBOOT_NO_HUGE_ISO" ] && ! [ -s "$out/huge.iso.ids" -a -s "$out/huge.iso" ]; then
	ht=$out/huge-tree
	rm -rf "$ht" "$out/huge.iso"
	mkdir -p "$ht"
	huge=$ht/huge.bin
	truncate -s $((4 * 1024 * 1024 * 1024 + 6144)) "$huge"
	mark() { printf '%s' "$2" | dd of="$huge" bs=1 seek="$1" conv=notrunc status=none; }
	mark 0 "HEAD"
	mark $((0xfffff800 - 8)) "BEFORE-1"
	mark $((0xfffff800)) "AFTER-1"
	mark $((4 * 1024 * 1024 * 1024 + 6144 - 4)) "TAIL"
	echo "small" >"$ht/small.txt"
	xorriso -as mkisofs -quiet -iso-level 3 -R -V HUGE -o - "$ht" 2>/dev/null |
		dd of="$out/huge.iso" bs=1M iflag=fullblock conv=sparse status=none
	ids "$out/huge.iso"
fi

# Fuzz seeds: Rock Ridge with Joliet, Joliet alone, plain names.
seeds=$out/fuzz-seeds
st=$out/seed-tree
rm -rf "$seeds" "$st"
mkdir -p "$seeds" "$st/sub/deeper"
echo "hi" >"$st/hello.txt"
echo "x" >"$st/Long Name Ünïcode.txt"
head -c 3000 /dev/urandom >"$st/sub/data.bin"
echo "deep" >"$st/sub/deeper/file"
ln -s ../hello.txt "$st/sub/link"
seed() { # NAME [xorriso -as mkisofs options...]
	local f=$seeds/$1
	shift
	xorriso -as mkisofs -quiet "$@" -o "$f" "$st" 2>&1 | { grep -v -e '^xorriso' -e '^$' >&2 || true; }
	python3 -c 'import sys; p = sys.argv[1]; d = open(p, "rb").read(); open(p, "wb").write(d.rstrip(b"\0"))' "$f"
}
seed rr-joliet.iso -R -J
seed joliet.iso --norock -J
seed plain.iso --norock
