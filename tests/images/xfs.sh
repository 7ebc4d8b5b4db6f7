#!/bin/bash
# XFS images made by the real xfsprogs, for tests/unit/test_xfs. v5 images
# are populated through loop mounts (so needs root); v4 ones, which this
# kernel may no longer mount (CONFIG_XFS_SUPPORT_V4), through mkfs.xfs -p
# with a protofile. Everything lands in OUTDIR/xfs/:
#   tree*/         the source trees (the test compares every byte)
#   *.img          one sparse image (256 or 300 MiB) per variant
#   images.txt     "IMAGE TREE UUID LABEL" per line, the ids as blkid shows them
#   forms.txt      "IMAGE FORM PATH": directory forms and fork formats xfs_db saw
#   corrupt.txt    "IMAGE OP PATH ERRNO": damaged copies and the error each
#                  must give (OP: mount, lookup, read, list)
#   fuzz-seeds/    small images for fuzz_xfs
# usage: xfs.sh OUTDIR
set -e
out=$1/xfs
[ -n "$1" ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
export PATH=$PATH:/sbin:/usr/sbin
command -v mkfs.xfs >/dev/null || { echo "xfs.sh: mkfs.xfs missing (apt-get install xfsprogs)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "xfs.sh: needs root for loop mounts" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out/mnt"
M=$out/mnt
cleanup() { mountpoint -q "$M" && umount "$M"; true; }
trap cleanup EXIT

rand() { head -c "$2" /dev/urandom >"$1"; }
# mkfs.xfs refuses filesystems below 300 MiB unless run as by fstests;
# smaller images keep this script fast.
mkfs_xfs() { TEST_DIR=1 TEST_DEV=1 QA_CHECK_FS=1 mkfs.xfs "$@"; }

# --- the tree -------------------------------------------------------------
T=$out/tree
mkdir -p "$T/sizes" "$T/names" "$T/sparse" "$T/links" "$T/empty-dir" "$T/hard" "$T/reflink"
printf 'hello, xfs\n' >"$T/hello.txt"
: >"$T/empty"
for n in 1 100 511 512 513 1023 1024 1025 4095 4096 4097 65535 65536 65537 200000; do
	rand "$T/sizes/$n" "$n"
done
rand "$T/big-40m.bin" $((40 * 1024 * 1024 + 123))
d=$T/deep
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do d=$d/level-$i; done
mkdir -p "$d"
printf 'at the bottom\n' >"$d/leaf.txt"
deep_rel=deep/level-01/level-02/level-03/level-04/level-05/level-06/level-07/level-08/level-09/level-10/level-11/level-12/leaf.txt
long=$(printf 'n%.0s' $(seq 1 251)).txt
printf 'long name\n' >"$T/$long"
printf 'omega\n' >"$T/names/Ωμέγα.txt"
printf 'nihongo\n' >"$T/names/日本語のファイル"
printf 'rocket\n' >"$T/names/emoji-🚀.bin"
printf 'Case\n' >"$T/names/MixedCase.TXT"
truncate -s 10M "$T/sparse/all-hole"
rand "$T/sparse/head" 5000
truncate -s 1M "$T/sparse/head"
dd if=/dev/urandom of="$T/sparse/middle" bs=1000 count=7 seek=300 status=none
truncate -s 2M "$T/sparse/middle"
# 1500 islands of 1 KiB every 8 KiB: more extents than an inode holds, so a
# bmap btree (two levels with 1 KiB blocks).
python3 - "$T/sparse/many-extents" <<'EOF'
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
for i in range(1500):
    os.pwrite(fd, os.urandom(1024), i * 8192)
os.close(fd)
EOF
ln -s ../hello.txt "$T/links/rel"
ln -s /hello.txt "$T/links/abs"
ln -s "../$deep_rel" "$T/links/slow-rel"
ln -s "/$deep_rel" "$T/links/slow-abs"
ln -s ../deep/level-01 "$T/links/dir"
ln -s loop-b "$T/links/loop-a"
ln -s loop-a "$T/links/loop-b"
ln -s self "$T/links/self"
ln -s nowhere "$T/links/dangling"
# Remote symlinks: longer than any inode's fork; the second needs two
# blocks at 512 B and 1 KiB (v5 blocks lose 56 bytes to a header).
ln -s "$(printf './%.0s' $(seq 1 200))../hello.txt" "$T/links/remote"
ln -s "$(printf './%.0s' $(seq 1 494))../hello.txt" "$T/links/remote-1000"
rand "$T/hard/a" 7000
ln "$T/hard/a" "$T/hard/b"
ln "$T/hard/a" "$T/links/hard-c"
# Reflinked in the image (cp --reflink=always), plain copies here.
cp "$T/big-40m.bin" "$T/reflink/big-copy"
cp "$T/sizes/200000" "$T/reflink/small-copy"
# Directory forms: short form (names/), block (sizes/), leaf (leaf/),
# node and btree (many/: 3000 long names, written so its blocks fragment).
mkdir "$T/block" "$T/leaf" "$T/many"
for i in $(seq -w 0 39); do printf '%s\n' "$i" >"$T/block/entry-$i"; done
for i in $(seq -w 0 199); do printf '%s\n' "$i" >"$T/leaf/entry-with-a-longer-name-$i"; done
# Every tenth file holds a block: enough to split the directory's blocks.
for i in $(seq -w 0 2999); do
	f=$T/many/a-rather-long-file-name-to-fill-directory-blocks-$i
	if [ $((10#$i % 10)) -eq 0 ]; then printf 'file %s\n' "$i" >"$f"; else : >"$f"; fi
done

# populate MNT: copy the tree in; many/ one file at a time with its block
# allocated at once (fallocate), so directory blocks and file blocks
# alternate on disk and the directory needs a bmap btree; then reflinks.
populate() {
	local m=$1
	tar -C "$T" --exclude=./many --sparse -cf - . | tar -C "$m" -xf -
	mkdir "$m/many"
	python3 - "$T/many" "$m/many" <<'EOF'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(src)):
    data = open(os.path.join(src, name), 'rb').read()
    fd = os.open(os.path.join(dst, name), os.O_WRONLY | os.O_CREAT, 0o644)
    if data:
        os.posix_fallocate(fd, 0, len(data))
    os.pwrite(fd, data, 0)
    os.close(fd)
EOF
	if [ "$2" = reflink ]; then
		rm "$m/reflink/big-copy" "$m/reflink/small-copy"
		cp --reflink=always "$m/big-40m.bin" "$m/reflink/big-copy"
		cp --reflink=always "$m/sizes/200000" "$m/reflink/small-copy"
	fi
}

list=$out/images.txt
forms=$out/forms.txt
: >"$list"
: >"$forms"

# record NAME: the ids as blkid reads them.
record() {
	local img=$out/$1.img uuid label
	uuid=$(blkid -p -o value -s UUID "$img")
	label=$(blkid -p -o value -s LABEL "$img")
	echo "$1.img ${2:-tree} $uuid ${label:-none}" >>"$list"
	blkid -p -o export "$img" | grep -E '^(UUID|LABEL)=' >"$out/$1.img.ids"
}

# form NAME PATH: the fork format of PATH's inode and, for block-mapped
# directories, which form the directory's extents say it has.
form() {
	local img=$out/$1.img path=$2 fmt bs bmap
	fmt=$(xfs_db -r -c "path $path" -c "print core.format" "$img" | sed 's/.*(\(.*\))/\1/')
	if [ "$fmt" != local ] && [ -d "$T$path" ]; then
		bs=$(xfs_db -r -c "sb 0" -c "print blocksize" "$img" | awk '{print $3}')
		bmap=$(xfs_db -r -c "path $path" -c "bmap" "$img")
		local leaf=$((32 * 1024 * 1024 * 1024 / bs)) free=$((64 * 1024 * 1024 * 1024 / bs))
		local maxoff
		maxoff=$(echo "$bmap" | awk '{print $3}' | sort -n | tail -1)
		if [ "$maxoff" -ge "$free" ]; then echo "$1.img node-$fmt $path" >>"$forms"
		elif [ "$maxoff" -ge "$leaf" ]; then echo "$1.img leaf-$fmt $path" >>"$forms"
		else echo "$1.img block-$fmt $path" >>"$forms"; fi
	else
		echo "$1.img $fmt $path" >>"$forms"
	fi
}

# mkimg NAME LABEL [REFLINK] -- mkfs options: a v5 image through a loop mount.
mkimg() {
	local name=$1 label=$2 reflink=$3 img=$out/$1.img
	shift 3
	truncate -s 256M "$img"
	mkfs_xfs -q -f -L "$label" "$@" "$img"
	mount -o loop "$img" "$M"
	populate "$M" "$reflink"
	umount "$M"
	xfs_repair -n "$img" >/dev/null 2>&1 || { echo "xfs.sh: $name fails xfs_repair -n" >&2; exit 1; }
	record "$name"
	for p in /names /block /leaf /many /sparse/many-extents /big-40m.bin /links/rel /links/remote /links/remote-1000; do
		form "$name" "$p"
	done
}

mkimg xfs-default default reflink --
mkimg xfs-features features reflink -m bigtime=1,inobtcount=1,reflink=1 -i nrext64=1
mkimg xfs-1k-dir64k b1k-d64k reflink -b size=1024 -n size=65536
mkimg xfs-64k b64k-s4k reflink -b size=65536 -s size=4096

# v4 (RHEL 7 era): mkfs.xfs -p, whose protofile cannot hold names with
# spaces or hard links (each name becomes its own inode; the bytes match).
# protofile DIR: the protofile body for DIR's entries.
protofile() {
	python3 - "$1" <<'EOF'
import os, stat, sys
def walk(d):
    for name in sorted(os.listdir(d)):
        p = os.path.join(d, name)
        st = os.lstat(p)
        mode = '%o' % stat.S_IMODE(st.st_mode)
        if stat.S_ISLNK(st.st_mode):
            print(name, 'l--777 0 0', os.readlink(p))
        elif stat.S_ISDIR(st.st_mode):
            print(name, 'd--' + mode, '0 0')
            walk(p)
            print('$')
        else:
            print(name, '---' + mode, '0 0', p)
walk(sys.argv[1])
EOF
}
proto=$out/v4.proto
{ echo pvhboot; echo '0 0'; echo 'd--755 0 0'; protofile "$T"; echo '$'; } >"$proto"
mkv4() { # NAME LABEL mkfs-options (the tree in $proto_tree)
	local name=$1 label=$2 img=$out/$1.img
	shift 2
	# 300 MiB: below it (the fstests mode), mkfs.xfs 6.1 -p leaves a v4 log
	# that xfs_repair calls inconsistent.
	truncate -s 300M "$img"
	mkfs.xfs -q -f -L "$label" -m crc=0 "$@" -p "$proto" "$img" 2>/dev/null
	xfs_repair -n "$img" >/dev/null 2>&1 || { echo "xfs.sh: $name fails xfs_repair -n" >&2; exit 1; }
	record "$name" "$(basename "$proto_tree")"
	for p in /names /block /leaf /many /sparse/many-extents /links/rel /links/remote /links/remote-1000; do
		form "$name" "$p"
	done
}
proto_tree=$T
mkv4 xfs-v4 v4 -n ftype=1
# The other v4 variants without the big files (a protofile writes holes as
# data): the same structures, a quarter of the bytes.
T4=$out/tree-v4
cp -a "$T" "$T4"
rm -r "$T4/big-40m.bin" "$T4/reflink" "$T4/sparse/all-hole"
{ echo pvhboot; echo '0 0'; echo 'd--755 0 0'; protofile "$T4"; echo '$'; } >"$proto"
proto_tree=$T4
mkv4 xfs-v4-noftype v4-noftype -n ftype=0 -i sparse=0
mkv4 xfs-v4-512 v4-512 -b size=512


# A dirty log: shut down without flushing the log, then unmount.
dirty=$out/xfs-dirty.img
truncate -s 64M "$dirty"
mkfs_xfs -q -f -L dirty "$dirty"
mount -o loop "$dirty" "$M"
tar -C "$T" -cf - ./hello.txt ./sizes | tar -C "$M" -xf -
# Freezing writes every logged change back in place; the mkdir after it
# lives only in the log.
xfs_freeze -f "$M"
xfs_freeze -u "$M"
mkdir "$M/after-freeze"
xfs_io -x -c "shutdown" "$M"
umount "$M"
mkdir -p "$out/tree-dirty"
tar -C "$T" -cf - ./hello.txt ./sizes | tar -C "$out/tree-dirty" -xf -
record xfs-dirty tree-dirty

# --- damaged copies ---------------------------------------------------------
bad=$out/corrupt.txt
: >"$bad"
# A small v5 image holding a few files, for the damage cases.
S=$out/small-tree
mkdir -p "$S/d"
printf 'hi\n' >"$S/a"
rand "$S/d/b" 3000
for i in $(seq 0 40); do dd if=/dev/urandom of="$S/islands" bs=4096 count=1 seek=$((i * 2)) conv=notrunc status=none; done
for i in $(seq -w 0 99); do : >"$S/d/entry-$i"; done
truncate -s 64M "$out/small.img"
mkfs_xfs -q -f -L small "$out/small.img"
mount -o loop "$out/small.img" "$M"
cp -a "$S/." "$M/"
umount "$M"

# meta_uuid: xfs_admin -U gives a new UUID; metadata keeps the old one.
cp --sparse=always "$out/small.img" "$out/xfs-meta-uuid.img"
xfs_admin -U 5ca1ab1e-0000-4000-8000-00000000abcd "$out/xfs-meta-uuid.img" >/dev/null
record xfs-meta-uuid small-tree

copy() { img=$out/$2.img; cp --sparse=always "$out/$1.img" "$img"; }
expect() { echo "$1.img $2 $3 $4" >>"$bad"; }
# (xfs_db itself loops printing some of these blocks: never print, and time out.)
db() { timeout 20 xfs_db -x "$@" >/dev/null 2>&1; }
ino_of() { xfs_db -r -c "path $2" -c "print v3.inumber" "$1" 2>/dev/null | sed -n 's/.*= *//p'; }
# db_case NAME OP PATH ERRNO xfs_db-commands...: one field changed on a copy of small.
db_case() {
	local name=$1 op=$2 path=$3 err=$4
	shift 4
	copy small "$name"
	local args=()
	for c in "$@"; do args+=(-c "$c"); done
	db "${args[@]}" "$img"
	expect "$name" "$op" "$path" "$err"
}
db_case sb-bad-magic mount / ENODEV "sb 0" "write -d magicnum 0x58465343"
db_case sb-bad-crc mount / EUCLEAN "sb 0" "write -c fname \"other\""
db_case sb-zero-blocksize mount / EUCLEAN "sb 0" "write -d blocksize 0"
db_case sb-blocklog-absurd mount / EUCLEAN "sb 0" "write -d blocklog 30"
db_case sb-dblocks-past-end mount / EUCLEAN "sb 0" "write -d dblocks 0x7fffffffff"
db_case sb-agcount-zero mount / EUCLEAN "sb 0" "write -d agcount 0"
db_case sb-incompat-unknown mount / EOPNOTSUPP "sb 0" "write -d features_incompat 0x8000000b"
db_case sb-incompat-needsrepair mount / EOPNOTSUPP "sb 0" "write -d features_incompat 0x1b"
db_case sb-version-6 mount / EOPNOTSUPP "sb 0" "write -d versionnum 0xb4a6"
idir=$(ino_of "$out/small.img" /d)
db_case inode-bad-magic read /a EUCLEAN "path /a" "write -d core.magic 0x4e49"
db_case inode-bad-crc read /a EUCLEAN "path /a" "write -c core.size 4"
db_case inode-wrong-ino read /a EUCLEAN "path /a" "write -d v3.inumber $idir"
db_case inode-forkoff-past read /a EUCLEAN "path /a" "write -d core.forkoff 255"
db_case inode-extents-over read /d/b EUCLEAN "path /d/b" "write -d core.nextents 1000"
db_case extent-past-end read /d/b EUCLEAN "path /d/b" "write -d u3.bmx[0].startblock 0xfffffffff"
db_case extent-zero-length read /d/b EUCLEAN "path /d/b" "write -d u3.bmx[0].blockcount 0"
db_case bmbt-root-level read /islands EUCLEAN "path /islands" "write -d u3.bmbt.level 12"
db_case bmbt-child-past-end read /islands EUCLEAN "path /islands" "write -d u3.bmbt.ptrs[1] 0xffffffffff"
# A cycle: the root claims two levels, and its child (a leaf) becomes a
# level-1 node whose first pointer is itself.
child=$(xfs_db -r -c "path /islands" -c "print u3.bmbt.ptrs[1]" "$out/small.img" | sed -n 's/.*= *//p')
[ -n "$child" ] || { echo "xfs.sh: /islands has no bmap btree" >&2; exit 1; }
db_case bmbt-cycle read /islands EUCLEAN "path /islands" "write -d u3.bmbt.level 2" \
	"fsblock $child" "type bmapbtd" "write -d level 1" "fsblock $child" "type bmapbtd" \
	"write -d ptrs[1] $child"
db_case bmbt-bad-crc read /islands EUCLEAN "fsblock $child" "type bmapbtd" "write -c numrecs 1"
db_case dir-bad-crc lookup /d/entry-50 EUCLEAN "path /d" "dblock 0" "write -c bu[3].namelen 7"
db_case dir-bad-magic lookup /d/entry-50 EUCLEAN "path /d" "dblock 0" "write -d bhdr.hdr.magic 0x58444434"
# A record pointing at itself: a free region of length 0 (a naive scan
# never moves on; xfs_db 6.1 loops printing it), and an entry whose tag
# names another offset.
db_case dir-free-self lookup /d/entry-99 EUCLEAN "path /d" "dblock 0" "write -d -- bu[5].inumber -281474976710656"
db_case dir-tag-wrong lookup /d/entry-50 EUCLEAN "path /d" "dblock 0" "write -d bu[3].tag 8"
db_case dir-entry-ino-past lookup /d/entry-50 EUCLEAN "path /d" "dblock 0" "write -d bu[3].inumber 0xffffffffffff"
db_case dir-size-huge lookup /d/x EUCLEAN "path /d" "write -d core.size 0x7fffffffffff"
db_case sf-count-over lookup /x EUCLEAN "inode 128" "write -d u3.sfdir3.hdr.count 200"

# --- fuzz seeds: small v5 and v4 images, their first 256 KiB (fuzz_xfs
# reads zeros beyond its input) ----------------------------------------------
F=$out/fuzz-seeds
mkdir -p "$F" "$out/fuzz-tree/d/e"
printf 'hi\n' >"$out/fuzz-tree/a"
rand "$out/fuzz-tree/d/b" 3000
printf 'yo\n' >"$out/fuzz-tree/d/e/c"
for i in $(seq 0 30); do dd if=/dev/urandom of="$out/fuzz-tree/holes" bs=512 count=1 seek=$((i * 2)) conv=notrunc status=none; done
for i in $(seq 1 40); do : >"$out/fuzz-tree/d/entry-$i"; done
ln -s a "$out/fuzz-tree/l"
ln -s "d/e/../../$(printf 'x%.0s' $(seq 1 70))" "$out/fuzz-tree/slow"
seed() { # NAME mkfs-options
	local name=$1 img=$out/seed.img
	shift
	rm -f "$img" "$out/seed-log.img"
	truncate -s 16M "$img" "$out/seed-log.img"
	# One AG and an external log keep the whole tree in the first 128 KiB.
	mkfs_xfs -q -f -d agcount=1 -l logdev="$out/seed-log.img" \
		"$@" -p "$P" "$img" 2>/dev/null || { echo "xfs.sh: mkfs.xfs $* for seed $name failed" >&2; exit 1; }
	head -c 256K "$img" >"$F/$name.img"
}
P=$out/fuzz.proto
{ echo pvhboot; echo '0 0'; echo 'd--755 0 0'; protofile "$out/fuzz-tree"; echo '$'; } >"$P"
seed v5-1k -b size=1024
seed v5-4k
seed v4-512 -m crc=0 -b size=512
seed v4-noftype -m crc=0 -n ftype=0 -b size=1024
rm -f "$out/seed.img" "$out/seed-log.img"

echo "xfs.sh: $(wc -l <"$list") images, $(wc -l <"$bad") damaged copies, $(ls "$F" | wc -l) fuzz seeds in $out"
