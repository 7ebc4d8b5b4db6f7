#!/bin/bash
# ext2/3/4 images made by the real e2fsprogs (mke2fs -d, debugfs, e2fsck),
# for tests/unit/test_ext4. Everything lands in OUTDIR/ext4/:
#   tree*/              the source trees (the test compares every byte)
#   *.img               one image per variant
#   images.txt          "IMAGE TREE PARTITION_OFFSET UUID LABEL" per line
#   corrupt.txt         "IMAGE OP PATH ERRNO": damaged copies and the error
#                       each must give (OP: mount, lookup, read, list)
#   bench.img           with --bench only: a 128 MiB file for the throughput case
# usage: ext4.sh OUTDIR [--bench]
set -e
out=$1/ext4
bench=$2
[ -n "$1" ] || { echo "usage: $0 OUTDIR [--bench]" >&2; exit 2; }
export PATH=$PATH:/sbin:/usr/sbin
command -v mke2fs >/dev/null || { echo "ext4.sh: mke2fs missing (apt-get install e2fsprogs)" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out"
T=$out/tree

# Random bytes, the last one never zero: mke2fs -d copies a file sparsely, and
# a final block whose only bytes happen to be zeros (1 in 256 for a 4097-byte
# file) became a hole that inline_data images then recorded with the wrong size.
rand() {
	if [ "$2" -gt 0 ]; then
		head -c $(($2 - 1)) /dev/urandom >"$1"
		printf 'x' >>"$1"
	else
		: >"$1"
	fi
}

# --- the tree -----------------------------------------------------------
mkdir -p "$T"
printf 'hello, ext4\n' >"$T/hello.txt"
: >"$T/empty"
mkdir "$T/sizes"
# Around the inline (60), 1 KiB, 4 KiB and 64 KiB boundaries.
for n in 1 59 60 61 100 1023 1024 1025 4095 4096 4097 65535 65536 65537 200000; do
	rand "$T/sizes/$n" "$n"
done
rand "$T/random-3m.bin" $((3 * 1024 * 1024 + 123))
# Deep path: 12 levels, long enough that a symlink to it is a slow one.
d=$T/deep
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do d=$d/level-$i; done
mkdir -p "$d"
printf 'at the bottom\n' >"$d/leaf.txt"
deep_rel=deep/level-01/level-02/level-03/level-04/level-05/level-06/level-07/level-08/level-09/level-10/level-11/level-12/leaf.txt
# Names: 255 bytes, UTF-8.
long=$(printf 'n%.0s' $(seq 1 251)).txt
printf 'long name\n' >"$T/$long"
mkdir "$T/names"
printf 'omega\n' >"$T/names/Ωμέγα.txt"
printf 'nihongo\n' >"$T/names/日本語のファイル"
printf 'rocket\n' >"$T/names/emoji-🚀.bin"
printf 'Case\n' >"$T/names/MixedCase.TXT"
printf 'space\n' >"$T/names/with space"
# Sparse files: holes read as zeros.
mkdir "$T/sparse"
truncate -s 10M "$T/sparse/all-hole"
rand "$T/sparse/head" 5000
truncate -s 1M "$T/sparse/head"
dd if=/dev/urandom of="$T/sparse/middle" bs=1000 count=7 seek=300 status=none
truncate -s 2M "$T/sparse/middle"
# Twelve data islands: more extents than the inode holds, so a depth-1 tree.
for i in $(seq 0 11); do
	dd if=/dev/urandom of="$T/sparse/islands" bs=4096 count=1 seek=$((i * 40)) conv=notrunc status=none
done
# 200 islands: at 1 KiB blocks, three leaves under an index root.
for i in $(seq 0 199); do
	dd if=/dev/urandom of="$T/sparse/many-islands" bs=4096 count=1 seek=$((i * 3)) conv=notrunc status=none
done
# Past 64 MiB + 268 KiB: triple indirect blocks with 1 KiB block maps.
dd if=/dev/urandom of="$T/sparse/far" bs=1024 count=3 seek=$((70 * 1024)) status=none
# A big directory: hashed (htree) once e2fsck -D has indexed it; the long
# names need enough 1 KiB blocks for interior index nodes.
mkdir "$T/many"
for i in $(seq -w 0 2999); do
	if [ $((10#$i % 100)) -eq 0 ]; then
		printf 'file %s\n' "$i" >"$T/many/a-rather-long-file-name-to-fill-directory-blocks-$i"
	else
		: >"$T/many/a-rather-long-file-name-to-fill-directory-blocks-$i"
	fi
done
# Symlinks: fast (< 60 bytes, in the inode) and slow (in a block).
mkdir "$T/links"
ln -s ../hello.txt "$T/links/rel"
ln -s /hello.txt "$T/links/abs"
ln -s "../$deep_rel" "$T/links/slow-rel"
ln -s "/$deep_rel" "$T/links/slow-abs"
ln -s ../deep/level-01 "$T/links/dir"
ln -s loop-b "$T/links/loop-a"
ln -s loop-a "$T/links/loop-b"
ln -s self "$T/links/self"
ln -s nowhere "$T/links/dangling"
mkdir "$T/empty-dir"

# The >4 GiB tree: data starting beyond 4 GiB in a sparse file.
TB=$out/tree-big
mkdir -p "$TB"
dd if=/dev/urandom of="$TB/beyond-4g" bs=4096 count=3 seek=$((5 * 1024 * 1024 / 4)) status=none
printf 'small\n' >"$TB/small.txt"

# --- the images ----------------------------------------------------------
list=$out/images.txt
: >"$list"
n=0

# mkimg NAME TREE SIZE LABEL [mke2fs options...]: one variant, indexed with
# e2fsck -D like a long-lived filesystem, then checked by e2fsck.
mkimg() {
	local name=$1 tree=$2 size=$3 label=$4
	shift 4
	n=$((n + 1))
	local uuid
	uuid=$(printf '5ca1ab1e-0000-4000-8000-%012d' "$n")
	rm -f "$out/$name.img"
	mke2fs -q -F -U "$uuid" -L "$label" -d "$tree" "$@" "$out/$name.img" "$size" >/dev/null 2>&1 ||
		{ echo "ext4.sh: mke2fs $* for $name failed" >&2; mke2fs -q -F -d "$tree" "$@" "$out/$name.img" "$size"; exit 1; }
	e2fsck -fyD "$out/$name.img" >/dev/null 2>&1 || [ $? -le 2 ]
	# A block holding one empty record: with 64 KiB blocks its rec_len of
	# 65536 is stored as 65535.
	[ -d "$tree/empty-dir" ] && debugfs -w -R "expand_dir /empty-dir" "$out/$name.img" >/dev/null 2>&1
	e2fsck -fn "$out/$name.img" >/dev/null 2>&1 || { echo "ext4.sh: $name fails e2fsck" >&2; exit 1; }
	echo "$name.img $(basename "$tree") 0 $uuid $label" >>"$list"
}

mkimg ext4-default "$T" 128M default -t ext4
mkimg ext4-1k "$T" 128M ext4-1k -t ext4 -b 1024
mkimg ext4-4k "$T" 128M ext4-4k -t ext4 -b 4096
mkimg ext4-64k "$T" 256M ext4-64k -t ext4 -b 65536 -N 4096 -O ^has_journal,^metadata_csum
mkimg ext2 "$T" 128M ext2 -t ext2
mkimg ext2-4k "$T" 128M ext2-4k -t ext2 -b 4096
mkimg ext3 "$T" 128M ext3 -t ext3
mkimg ext4-64bit "$T" 128M ext4-64bit -t ext4 -O 64bit -b 4096
mkimg ext4-no64bit "$T" 128M ext4-no64bit -t ext4 -O ^64bit
# mke2fs 1.47.0 -d with inline_data records a file ending in a hole with the
# size of its last data block (debugfs agrees: the image is wrong), so this
# variant's tree ends every sparse file with data.
TI=$out/tree-inline
cp -a "$T" "$TI"
printf 'end' >>"$TI/sparse/head"
printf 'end' >>"$TI/sparse/middle"
mkimg ext4-inline "$TI" 128M inline -t ext4 -O inline_data
mkimg ext4-csum-seed "$T" 128M csum-seed -t ext4 -O metadata_csum_seed,orphan_file
mkimg ext4-large-dir "$T" 128M large-dir -t ext4 -O large_dir
mkimg ext4-i128 "$T" 128M i128 -t ext4 -I 128
# 64 groups of 1 KiB blocks: descriptor blocks 1..3 live in groups 16, 32,
# 48 (meta_bg), and few inodes per group put files in those groups.
mkimg ext4-meta-bg "$T" 512M meta-bg -t ext4 -b 1024 -N 4096 -O meta_bg,^resize_inode
mkimg ext4-casefold "$T" 128M casefold -t ext4 -O casefold
mkimg ext4-utf8-label "$T" 128M "Ωμέγα" -t ext4
mkimg ext4-no-flex "$T" 128M no-flex -t ext4 -O ^flex_bg,^metadata_csum,uninit_bg
mkimg ext2-rev0 "$T" 128M rev0 -t ext2 -r 0
# Beyond 4 GiB, kept sparse: no journal, few inodes, lazy inode tables.
mkimg big-ext4 "$TB" 6G big-ext4 -t ext4 -N 64 -O ^has_journal -E lazy_itable_init=1
mkimg big-ext2 "$TB" 6G big-ext2 -t ext2 -b 4096 -N 64 -E lazy_itable_init=1

# A dirty journal: needs_recovery set and the state "not clean".
cp --sparse=always "$out/ext4-default.img" "$out/ext4-dirty.img"
debugfs -w -R 'feature needs_recovery' "$out/ext4-dirty.img" >/dev/null 2>&1
debugfs -w -R 'ssv state 0' "$out/ext4-dirty.img" >/dev/null 2>&1
dumpe2fs -h "$out/ext4-dirty.img" 2>/dev/null | grep -q needs_recovery ||
	{ echo "ext4.sh: could not set needs_recovery" >&2; exit 1; }
echo "ext4-dirty.img tree 0 5ca1ab1e-0000-4000-8000-000000000001 default" >>"$list"

# Unwritten (preallocated) extents read as zeros, whatever their blocks hold:
# debugfs fallocates the hole at the start of sparse/middle, then the
# blocks are filled with 0xff.
cp --sparse=always "$out/ext4-4k.img" "$out/ext4-unwritten.img"
debugfs -w -R "fallocate /sparse/middle 0 60" "$out/ext4-unwritten.img" >/dev/null 2>&1
range=$(debugfs -R "stat /sparse/middle" "$out/ext4-unwritten.img" 2>/dev/null |
	grep -o '\[u\]):[0-9]*-[0-9]*' | head -1 | tr -c '0-9\n' ' ')
[ -n "$range" ] || { echo "ext4.sh: fallocate made no unwritten extent" >&2; exit 1; }
set -- $range
tr '\0' '\377' </dev/zero | dd of="$out/ext4-unwritten.img" bs=4096 seek="$1" count=$(($2 - $1 + 1)) \
	conv=notrunc iflag=fullblock status=none
echo "ext4-unwritten.img tree 0 5ca1ab1e-0000-4000-8000-000000000003 ext4-4k" >>"$list"

# ext4 inside the second partition of a GPT disk (mke2fs -E offset=).
gpt=$out/gpt-ext4.img
truncate -s 200M "$gpt"
printf 'label: gpt\nunit: sectors\nstart=2048, size=8192, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\nstart=10240, size=262144, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="root"\n' |
	sfdisk -q --no-reread --no-tell-kernel "$gpt" >/dev/null
mke2fs -q -F -t ext4 -U 5ca1ab1e-0000-4000-8000-0000000000ff -L in-gpt -E offset=$((10240 * 512)) \
	-d "$T" "$gpt" 131072k >/dev/null 2>&1
echo "gpt-ext4.img tree $((10240 * 512)) 5ca1ab1e-0000-4000-8000-0000000000ff in-gpt" >>"$list"

# --- damaged copies -------------------------------------------------------
bad=$out/corrupt.txt
: >"$bad"

# poke IMG BYTE_OFFSET HEXBYTES: overwrite bytes in place.
poke() { printf '%b' "$(echo "$3" | sed 's/../\\x&/g')" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
le32() { printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
# Byte offset of NAME's record (its inode field) in directory block 0 of DIR.
dirent_off() {
	local img=$1 dir=$2 name=$3 bs blk off
	bs=$(dumpe2fs -h "$img" 2>/dev/null | awk '/^Block size:/ {print $3}')
	blk=$(debugfs -R "bmap $dir 0" "$img" 2>/dev/null)
	off=$(dd if="$img" bs="$bs" skip="$blk" count=1 status=none | grep -obUa -- "$name" | head -1 | cut -d: -f1)
	echo $((blk * bs + off - 8))
}
# copy BASE NAME: start a damaged copy of BASE.img; its path is in $img.
copy() { img=$out/$2.img; cp --sparse=always "$out/$1.img" "$img"; }
# expect NAME OP PATH ERRNO: what the test must get from it.
expect() { echo "$1.img $2 $3 $4" >>"$bad"; }
# debugfs_case BASE NAME OP PATH ERRNO REQUEST: damage with one debugfs -w request.
debugfs_case() {
	copy "$1" "$2"
	debugfs -w -R "$6" "$img" >/dev/null 2>&1
	expect "$2" "$3" "$4" "$5"
}

# A small ext4 holding the deep/ subtree, for the superblock cases.
mke2fs -q -F -t ext4 -b 4096 -d "$T/deep" "$out/small.img" 16M >/dev/null 2>&1
debugfs_case small sb-bpg-zero mount / EUCLEAN "ssv blocks_per_group 0"
debugfs_case small sb-ipg-zero mount / EUCLEAN "ssv inodes_per_group 0"
debugfs_case small sb-block-size mount / EUCLEAN "ssv log_block_size 20"
debugfs_case small sb-inode-size mount / EUCLEAN "ssv inode_size 100"
debugfs_case small sb-desc-size mount / EUCLEAN "ssv desc_size 7"
debugfs_case small sb-blocks-count mount / EUCLEAN "ssv blocks_count 0x7fffffff"
debugfs_case small sb-inodes-count mount / EUCLEAN "ssv inodes_count 0x7fffffff"
debugfs_case small sb-incompat-unknown mount / EOPNOTSUPP "ssv feature_incompat 0x802c2"
debugfs_case small sb-incompat-dirdata mount / EOPNOTSUPP "ssv feature_incompat 0x12c2"
debugfs_case small bg-inode-table lookup /level-01 EUCLEAN "set_bg 0 inode_table 0x7ffffff"

# Extent trees, on the 4 KiB image: sparse/islands has a depth-1 tree and
# random-3m.bin one extent in the inode (i_block[0..2] header, [3..5] extent).
debugfs_case ext4-4k ext-bad-magic read /sparse/islands EUCLEAN "sif /sparse/islands block[0] 0x0001f30b"
debugfs_case ext4-4k ext-huge-depth read /sparse/islands EUCLEAN "sif /sparse/islands block[1] 0x7fff0004"
debugfs_case ext4-4k ext-past-end read /random-3m.bin EUCLEAN "sif /random-3m.bin block[5] 0x7ffffff0"
debugfs_case ext4-4k ext-entries-over-max read /random-3m.bin EUCLEAN "sif /random-3m.bin block[0] 0x0009f30a"
# A cycle: the root claims depth 2, and its child (the leaf) is rewritten as
# an index node of depth 1 pointing at itself.
copy ext4-4k ext-cycle
leaf=$(debugfs -R "stat /sparse/islands" "$img" 2>/dev/null | sed -n 's/.*(ETB0):\([0-9]*\).*/\1/p')
[ -n "$leaf" ] || { echo "ext4.sh: islands has no extent tree block" >&2; exit 1; }
debugfs -w -R "sif /sparse/islands block[1] 0x00020004" "$img" >/dev/null 2>&1
poke "$img" $((leaf * 4096 + 6)) 0100
poke "$img" $((leaf * 4096 + 16)) "$(le32 "$leaf")0000"
expect ext-cycle read /sparse/islands EUCLEAN

# Directory records.
copy ext4-4k dir-rec-len-zero
poke "$img" $(($(debugfs -R "bmap /deep 0" "$img" 2>/dev/null) * 4096 + 4)) 0000
expect dir-rec-len-zero lookup /deep/level-01 EUCLEAN
copy ext4-4k dir-rec-len-past-block
poke "$img" $(($(debugfs -R "bmap /deep 0" "$img" 2>/dev/null) * 4096 + 4)) 0c20
expect dir-rec-len-past-block lookup /deep/level-01 EUCLEAN
copy ext4-4k dir-name-len-over
poke "$img" $(($(dirent_off "$img" / hello.txt) + 6)) ff
expect dir-name-len-over lookup /hello.txt EUCLEAN
# Inode 0 marks an unused record: the name is gone, not an error.
copy ext4-4k dir-inode-zero
poke "$img" "$(dirent_off "$img" / hello.txt)" 00000000
expect dir-inode-zero lookup /hello.txt ENOENT
copy ext4-4k dir-inode-past-count
poke "$img" "$(dirent_off "$img" / hello.txt)" ffffff7f
expect dir-inode-past-count lookup /hello.txt EUCLEAN
debugfs_case ext4-4k dir-huge-size lookup /deep/nothing EUCLEAN "sif /deep size 0xffffffffff"
# ext3 block map: the big directory's indirect block points at itself.
copy ext3 dir-indirect-cycle
ind=$(debugfs -R "stat /many" "$img" 2>/dev/null | sed -n 's/.*(IND):\([0-9]*\).*/\1/p')
[ -n "$ind" ] || { echo "ext4.sh: /many has no indirect block" >&2; exit 1; }
poke "$img" $((ind * 1024)) "$(le32 "$ind")"
expect dir-indirect-cycle lookup /many/nothing EUCLEAN
debugfs_case ext4-inline inline-dir-parent lookup /deep/level-01/x EUCLEAN "sif /deep/level-01 block[0] 0"
debugfs_case ext4-4k symlink-empty lookup /links/rel/x EUCLEAN "sif /links/rel size 0"

# --- fuzz seeds: whole filesystems in 64 KiB (fuzz_ext4 pads inputs to that) --
S=$out/fuzz-tree
mkdir -p "$S/d/e" "$out/fuzz-seeds"
printf 'hi\n' >"$S/a"
head -c 3000 /dev/urandom >"$S/d/b"
printf 'yo\n' >"$S/d/e/c"
ln -s a "$S/l"
ln -s "d/e/../../$(printf 'x%.0s' $(seq 1 70))" "$S/slow"
for i in 0 1 2 3 4 5 6; do dd if=/dev/urandom of="$S/holes" bs=1024 count=1 seek=$((i * 2)) conv=notrunc status=none; done
seed() { # NAME mke2fs-options...
	local f=$out/fuzz-seeds/$1.img
	shift
	truncate -s 64K "$f"
	mke2fs -q -F -b 1024 -N 32 -d "$S" "$@" "$f" >/dev/null 2>&1
}
seed ext4 -t ext4 -O ^has_journal,^resize_inode,^flex_bg
seed ext4-inline -t ext4 -O ^has_journal,^resize_inode,^flex_bg,inline_data
seed ext2 -t ext2 -O ^resize_inode
seed ext2-rev0 -t ext2 -r 0

# --- the throughput case ----------------------------------------------------
if [ "$bench" = --bench ]; then
	mkdir -p "$out/tree-bench"
	rand "$out/tree-bench/initrd.img" $((128 * 1024 * 1024))
	mke2fs -q -F -t ext4 -b 4096 -d "$out/tree-bench" "$out/bench.img" 200M >/dev/null 2>&1
fi
echo "ext4.sh: $(wc -l <"$list") images, $(wc -l <"$bad") damaged copies in $out"
