#!/bin/bash
# Benchmarks (d) and (e), sourced by tests/bench/run.sh after disk.sh: the
# 128 MiB initrd of (a) read from XFS and btrfs instead of ext4.
#
#   (d) pvhboot.elf under QEMU PVH loads it (load.sh's pvhboot_load, the
#       loader's own "load:" line) from each filesystem and from (a)'s ext4
#       disk, one run of each in turn, so a change in the host's load hits
#       every filesystem alike
#   (e) the host CLI: `pvhboot cat DISK:1 PATH` against the kernel's own
#       driver (`cat` of the file from a read-only loop mount), both with
#       the page cache dropped first (echo 3 > /proc/sys/vm/drop_caches), so
#       both read the image from the host's disk
#
# The disks are (a)'s GPT layout with the same tree (the Linux probe, which
# checks the initrd's CRC32, and the BLS entries), the partition made by
# mkfs and filled through a loop mount (root):
#   xfs         mkfs.xfs defaults (v5, 4 KiB blocks), 320 MiB (mkfs.xfs
#               wants 300 MiB at least)
#   btrfs       mkfs.btrfs defaults, no compression, 256 MiB
#   btrfs-zstd  mounted compress-force=zstd. Random bytes do not compress
#               (btrfs would store them plain), so this initrd is 128 MiB
#               of Debian's kernel modules as an uncompressed tar, as an
#               uncompressed initramfs holds them; the ratio btrfs got is
#               recorded
# Records:
#   pvhboot-FS CONFIG RUN BYTES NS   (d), through pvhboot_load (FS ext4 too)
#   host-pvhboot FS RUN BYTES NS     (e)
#   host-kernel FS RUN BYTES NS      (e)
#   fs-stored FS BYTES               btrfs-zstd: data bytes on disk

FS_KINDS="xfs btrfs btrfs-zstd"

# fs_tar_initrd OUT: 128 MiB of kernel modules (a tar, no compression).
fs_tar_initrd() {
	local modules
	modules=$(dirname "$VMLINUZ")/linux/lib/modules
	[ -d "$modules" ] || modules=/lib/modules
	tar -C "$modules" -cf - . 2>/dev/null | head -c "$BENCH_INITRD_BYTES" >"$1"
	[ "$(stat -c %s "$1")" = "$BENCH_INITRD_BYTES" ]
}

# fs_initrd KIND DISK: the host copy of the initrd on DISK.
fs_initrd() {
	case $1 in
	btrfs-zstd) echo "${2%.img}.initrd" ;;
	*) echo "$BENCH_INITRD" ;;
	esac
}

# fs_bench_disk KIND OUT: the bench disk with KIND in partition 1.
fs_bench_disk() {
	local kind=$1 out=$2 work part mib crc initrd opts=
	work=$(mktemp -d "${out%/*}/fsdisk.XXXXXX")
	part=$work/part.img
	BENCH_MNT=$work/mnt
	mkdir -p "$BENCH_MNT"
	initrd=$BENCH_INITRD
	case $kind in
	xfs)
		mib=320
		truncate -s "${mib}M" "$part"
		mkfs.xfs -q -f "$part" || return 1
		;;
	btrfs*)
		mib=$BENCH_PART_MIB
		truncate -s "${mib}M" "$part"
		mkfs.btrfs -q -f "$part" >/dev/null || return 1
		;;
	esac
	if [ "$kind" = btrfs-zstd ]; then
		opts=compress-force=zstd
		initrd=$(fs_initrd "$kind" "$out")
		fs_tar_initrd "$initrd" || return 1
	fi
	crc=$(crc32_of "$initrd")
	mount -o "loop${opts:+,$opts}" "$part" "$BENCH_MNT" || return 1
	mkdir -p "$BENCH_MNT/boot" "$BENCH_MNT/loader/entries"
	cp "$BUILD/kernels/linux64.bzImage" "$BENCH_MNT$BENCH_LINUX_PATH"
	cp "$initrd" "$BENCH_MNT$BENCH_INITRD_PATH"
	cat >"$BENCH_MNT/loader/entries/load.conf" <<-CONF
		title   Linux probe with a 128 MiB initrd
		linux   $BENCH_LINUX_PATH
		initrd  $BENCH_INITRD_PATH
		options console=ttyS0 initrd_crc32=$crc initrd_size=$BENCH_INITRD_BYTES
	CONF
	sync
	if [ "$kind" = btrfs-zstd ]; then
		record fs-stored "$kind" "$(btrfs filesystem df -b "$BENCH_MNT" |
			awk -F'used=' '/^Data/ { print $2 + 0 }')"
	fi
	umount "$BENCH_MNT" || return 1
	rm -f "$out"
	truncate -s $((mib + 2))M "$out"
	printf 'label: gpt\nstart=%d, size=%d, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="boot"\n' \
		$((BENCH_PART_OFFSET / 512)) $((mib << 11)) |
		sfdisk -q --no-reread --no-tell-kernel "$out" >/dev/null || return 1
	dd if="$part" of="$out" bs=1M seek=$((BENCH_PART_OFFSET >> 20)) conv=notrunc,sparse \
		status=none || return 1
	rm -rf "$work"
}

drop_caches() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
}

# fs_host_cat KIND DISK INITRD RUNS: (e) for one filesystem. ext4 is given
# as KIND ext4 with (a)'s disk.
fs_host_cat() {
	local kind=$1 disk=$2 initrd=$3 runs=$4 r t0 t1 mnt=$WORK/mnt-$1
	if [ ! -w /proc/sys/vm/drop_caches ]; then
		record error "(e) $kind: cannot drop the page cache (not root)"
		return 1
	fi
	if ! "$BUILD/pvhboot" cat "$disk:1" "$BENCH_INITRD_PATH" | cmp -s - "$initrd"; then
		record error "(e) pvhboot cat $kind does not give the initrd back"
		return 1
	fi
	for r in $(seq "$runs"); do
		drop_caches
		t0=$(now_ns)
		"$BUILD/pvhboot" cat "$disk:1" "$BENCH_INITRD_PATH" >/dev/null || {
			record error "(e) pvhboot cat $kind run $r failed"
			return 1
		}
		t1=$(now_ns)
		record host-pvhboot "$kind" "$r" "$BENCH_INITRD_BYTES" $((t1 - t0))
	done
	mkdir -p "$mnt"
	BENCH_MNT=$mnt
	mount -o ro,loop,offset="$BENCH_PART_OFFSET" "$disk" "$mnt" || {
		record error "(e) $kind: loop mount failed"
		return 1
	}
	if ! cmp -s "$mnt$BENCH_INITRD_PATH" "$initrd"; then
		umount "$mnt"
		record error "(e) $kind: the mounted initrd differs"
		return 1
	fi
	for r in $(seq "$runs"); do
		drop_caches
		t0=$(now_ns)
		cat "$mnt$BENCH_INITRD_PATH" >/dev/null
		t1=$(now_ns)
		record host-kernel "$kind" "$r" "$BENCH_INITRD_BYTES" $((t1 - t0))
	done
	umount "$mnt"
	note "(e) $kind: pvhboot cat and the kernel's read, $runs runs each"
}
