#!/bin/bash
# btrfs images made by the real btrfs-progs and filled through loop mounts
# of the kernel's btrfs, for tests/unit/test_btrfs and tests/fuzz/fuzz_btrfs.
# Everything lands in OUTDIR/btrfs/:
#   tree/            the files every image holds; btrfs-only files (reflinks,
#                    clones, preallocations) are made on the first image and
#                    copied back out through the kernel
#   default.img      mkfs.btrfs defaults (DUP metadata, SINGLE data)
#   dup.img          -m dup -d dup: data in DUP chunks too (256 MiB: mkfs
#                    wants 229 MiB for that)
#   zstd.img  lzo.img  zlib.img   mounted with compress-force=ALGO
#   sha256.img       --csum sha256: tree blocks checksummed with SHA-256
#   subvol.img       subvolume @ (the default, set-default) holding the tree
#                    and a nested subvolume @/inner; /top.txt at the top
#                    level; /snaps/@-ro a read-only snapshot of @
#   IMG.ids          blkid's UUID and LABEL, which ids() must reproduce
#   fuzz-seeds/      16 MiB mixed-group images, as the sparse records
#                    tests/fuzz/fuzz_btrfs.c reads
# Images are sparse files of 128 MiB (mkfs.btrfs wants ~110 MiB at least).
# Needs root (loop devices, mount).
# usage: btrfs.sh OUTDIR
# (no pipefail: `yes | head` and `base64 /dev/urandom | head` end by SIGPIPE)
set -e
[ -n "$1" ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
export PATH=$PATH:/sbin:/usr/sbin
command -v mkfs.btrfs >/dev/null ||
	{ echo "btrfs.sh: mkfs.btrfs missing (apt-get install btrfs-progs)" >&2; exit 1; }
out=$(realpath -m "$1/btrfs")
rm -rf "$out"
mkdir -p "$out"
T=$out/tree
mnt=$(mktemp -d)
loop=
cleanup() {
	mountpoint -q "$mnt" && umount "$mnt"
	[ -n "$loop" ] && losetup -d "$loop"
	rmdir "$mnt"
}
trap cleanup EXIT

rand() { head -c "$2" /dev/urandom >"$1"; }

# --- the tree -----------------------------------------------------------
mkdir -p "$T"
printf 'hello, btrfs\n' >"$T/hello.txt"
: >"$T/empty"
# Compressible small files (compressed inline extents under compress-force)
# and sizes around the inline limit (2048) and the sector (4096).
yes 'tiny and compressible' | head -c 1500 >"$T/tiny-text"
mkdir "$T/sizes"
for n in 1 100 2047 2048 2049 4095 4096 4097 131071 131072 131073 300000; do
	rand "$T/sizes/$n" "$n"
done
# 40 MiB: 20 that every algorithm compresses (numbers; lzo, which has no
# entropy coder, gains nothing on base64), a random MiB, 19 of base64.
seq 1 10000000 | head -c $((20 << 20)) >"$T/big.bin"
head -c $((1 << 20)) /dev/urandom >>"$T/big.bin"
base64 -w 100 /dev/urandom | head -c $(((19 << 20) + 4321)) >>"$T/big.bin"
# Deep path.
d=$T/deep
for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16; do d=$d/level-$i; done
mkdir -p "$d"
printf 'at the bottom\n' >"$d/leaf.txt"
# Names: 255 bytes, UTF-8.
long=$(printf 'n%.0s' $(seq 1 251)).txt
printf 'long name\n' >"$T/$long"
mkdir "$T/names"
printf 'omega\n' >"$T/names/Ωμέγα.txt"
printf 'nihongo\n' >"$T/names/日本語のファイル"
printf 'rocket\n' >"$T/names/emoji-🚀.bin"
printf 'space\n' >"$T/names/with space"
# Sparse files (no_holes: no items for the holes).
mkdir "$T/sparse"
truncate -s 10M "$T/sparse/all-hole"
rand "$T/sparse/head" 5000
truncate -s 1M "$T/sparse/head"
dd if=/dev/urandom of="$T/sparse/middle" bs=1000 count=7 seek=3000 status=none
truncate -s 20M "$T/sparse/middle"
for i in $(seq 0 11); do
	dd if=/dev/urandom of="$T/sparse/islands" bs=4096 count=1 seek=$((i * 300)) conv=notrunc status=none
done
# A directory of 3000 entries: several leaves of DIR_INDEX and DIR_ITEM.
mkdir "$T/many"
for i in $(seq -w 0 2999); do printf '%s\n' "$i" >"$T/many/file-$i"; done
# Symlinks: relative, absolute, through "..", to a directory.
mkdir "$T/links"
ln -s ../hello.txt "$T/links/up"
ln -s /hello.txt "$T/links/absolute"
ln -s ../deep/level-01/level-02 "$T/links/dir"
ln -s "$(printf 'x%.0s' $(seq 1 300))" "$T/links/long-dangling"
# Hard links.
mkdir "$T/hard"
printf 'linked twice\n' >"$T/hard/one"
ln "$T/hard/one" "$T/hard/two"
ln "$T/hard/one" "$T/links/three"

# Run a command, showing its output only when it fails.
quiet() {
	local msg
	msg=$("$@" 2>&1) || { echo "$msg" >&2; return 1; }
}

ids() { # IMG
	{
		echo "UUID=$(blkid -p -o value -s UUID "$1")"
		echo "LABEL=$(blkid -p -o value -s LABEL "$1")"
	} >"$1.ids"
}

attach() { # IMG [mount options]
	loop=$(losetup -f --show "$1")
	mount -t btrfs ${2:+-o "$2"} "$loop" "$mnt"
}

detach() {
	umount "$mnt"
	losetup -d "$loop"
	loop=
}

mkimg() { # IMG SIZE LABEL [mkfs options...]
	rm -f "$1"
	truncate -s "$2" "$1"
	quiet mkfs.btrfs -f -L "$3" "${@:4}" "$1"
}

# Files only btrfs can make, in DIR of a mounted image: reflinked copies,
# a clone of a range into the middle of another file (extents with an
# offset into their data), preallocated ranges partly written.
extras() { # DIR
	mkdir "$1/reflink"
	cp --reflink=always "$1/big.bin" "$1/reflink/big-copy.bin"
	printf 'overwritten in the copy' |
		dd of="$1/reflink/big-copy.bin" bs=1 seek=5000000 conv=notrunc status=none
	head -c $((3 << 20)) /dev/zero | tr '\0' 'a' >"$1/reflink/cloned.bin"
	xfs_io -c "reflink $1/big.bin $((8 << 20)) $((1 << 20)) $((1 << 20))" \
		"$1/reflink/cloned.bin" >/dev/null
	fallocate -l $((2 << 20)) "$1/reflink/prealloc.bin"
	printf 'written into a preallocated range' |
		dd of="$1/reflink/prealloc.bin" bs=1 seek=100000 conv=notrunc status=none
	# Preallocated past i_size: never read.
	printf 'short\n' >"$1/reflink/prealloc-beyond"
	fallocate -n -o 4096 -l $((1 << 20)) "$1/reflink/prealloc-beyond"
}

fill() { # DIR
	cp -a "$T/." "$1/"
	extras "$1"
}

# --- the images -----------------------------------------------------------
first=1
image() { # NAME SIZE MOUNT_OPTIONS [mkfs options...]
	local img=$out/$1
	mkimg "$img" "$2" "btrfs-${1%.img}" "${@:4}"
	attach "$img" "$3"
	fill "$mnt"
	if [ $first = 1 ]; then
		# The tree the test compares with gets the kernel's view of them
		# (once every image is made: they are made the btrfs way in each).
		cp -a "$mnt/reflink" "$out/reflink.tmp"
		first=0
	fi
	detach
	ids "$img"
}

image default.img 128M ""
image dup.img 256M "" -m dup -d dup
image zstd.img 128M compress-force=zstd
image lzo.img 128M compress-force=lzo
image zlib.img 128M compress-force=zlib
image sha256.img 128M "" --csum sha256

# Subvolumes: @ is the default and holds the tree and a nested subvolume;
# the read-only snapshot of @ keeps only an empty directory for it.
img=$out/subvol.img
mkimg "$img" 128M subvols
attach "$img" compress=zstd
btrfs -q subvolume create "$mnt/@"
fill "$mnt/@"
btrfs -q subvolume create "$mnt/@/inner"
printf 'inside the nested subvolume\n' >"$mnt/@/inner/inner.txt"
printf 'at the top level\n' >"$mnt/top.txt"
mkdir "$mnt/snaps"
btrfs -q subvolume snapshot -r "$mnt/@" "$mnt/snaps/@-ro"
btrfs -q subvolume set-default "$mnt/@"
detach
ids "$img"
mv "$out/reflink.tmp" "$T/reflink"

# --- fuzz seeds -------------------------------------------------------------
# Mixed block groups keep everything in the first few MiB of a 16 MiB
# image; one seed per compression, with a subvolume and a snapshot.
seeds=$out/fuzz-seeds
st=$out/seed-tree
mkdir -p "$seeds" "$st/sub/deeper"
printf 'hi\n' >"$st/hello.txt"
yes 'compressible' | head -c 3000 >"$st/sub/text"
head -c 9000 /dev/urandom >"$st/sub/data.bin"
base64 /dev/urandom | head -c 300000 >"$st/sub/deeper/large.txt"
ln -s ../hello.txt "$st/sub/link"
for algo in zstd lzo zlib; do
	f=$seeds/$algo.img
	mkimg "$f" 16M seed -M
	attach "$f" compress-force=$algo
	cp -a "$st/." "$mnt/"
	btrfs -q subvolume create "$mnt/vol"
	printf 'in a subvolume\n' >"$mnt/vol/file"
	btrfs -q subvolume snapshot -r "$mnt/vol" "$mnt/snap"
	detach
	# The sparse form tests/fuzz/fuzz_btrfs.c reads: (u16 block, 4 KiB) for
	# every 4 KiB block that is not all zeros.
	python3 -c '
import struct, sys
p = sys.argv[1]
d = open(p, "rb").read()
out = b"".join(struct.pack("<H", i // 4096) + d[i:i + 4096]
              for i in range(0, len(d), 4096) if d[i:i + 4096].strip(b"\0"))
open(p, "wb").write(out)' "$f"
done
