#!/bin/bash
# bench_disk OUT: the benchmark disk, sourced by tests/bench/run.sh.
#
# A GPT disk whose first partition (1 MiB in, 256 MiB) is ext4 with 4 KiB
# blocks, as a distribution's /boot is. mke2fs would pick 1 KiB blocks for a
# filesystem this small (mke2fs.conf "small"), which splits files into
# more, shorter extents than any real /boot has, so the block size is given.
# The tree:
#   /boot/vmlinuz-probe      the Linux-protocol probe (checks the initrd CRC)
#   /boot/initrd.img         128 MiB of random bytes: nothing compresses it
#   /boot/pvh-probe.elf      the PVH probe, for the boot latency case
#   /loader/entries/load.conf, pvh.conf   Boot Loader Specification entries
# Sets BENCH_INITRD (the initrd's host copy), BENCH_INITRD_PATH,
# BENCH_INITRD_BYTES, BENCH_PART_OFFSET, BENCH_LINUX_PATH and
# BENCH_LOAD_OPTIONS (the load entry's command line, which a peer loader
# passes too).

BENCH_LINUX_PATH=/boot/vmlinuz-probe
BENCH_INITRD_PATH=/boot/initrd.img
BENCH_INITRD_BYTES=$((128 << 20))
BENCH_PART_OFFSET=$((1 << 20))
BENCH_PART_MIB=256

bench_disk() {
	local out=$1 work tree crc
	work=$(mktemp -d "${out%/*}/disk.XXXXXX")
	tree=$work/tree
	mkdir -p "$tree/boot" "$tree/loader/entries"
	cp "$BUILD/kernels/linux64.bzImage" "$tree$BENCH_LINUX_PATH"
	cp "$BUILD/kernels/pvh-elf64-note8.elf" "$tree/boot/pvh-probe.elf"
	head -c "$BENCH_INITRD_BYTES" /dev/urandom >"$tree$BENCH_INITRD_PATH"
	crc=$(crc32_of "$tree$BENCH_INITRD_PATH")
	BENCH_LOAD_OPTIONS="console=ttyS0 initrd_crc32=$crc initrd_size=$BENCH_INITRD_BYTES"
	cat >"$tree/loader/entries/load.conf" <<-CONF
		title   Linux probe with a 128 MiB initrd
		linux   $BENCH_LINUX_PATH
		initrd  $BENCH_INITRD_PATH
		options $BENCH_LOAD_OPTIONS
	CONF
	cat >"$tree/loader/entries/pvh.conf" <<-CONF
		title   PVH probe
		linux   /boot/pvh-probe.elf
		options bench=latency
	CONF

	mke2fs -q -F -t ext4 -b 4096 -d "$tree" "$work/part.img" "${BENCH_PART_MIB}M" >/dev/null || return 1
	rm -f "$out"
	truncate -s $((BENCH_PART_MIB + 2))M "$out"
	printf 'label: gpt\nstart=%d, size=%d, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="boot"\n' \
		$((BENCH_PART_OFFSET / 512)) $((BENCH_PART_MIB << 11)) |
		sfdisk -q --no-reread --no-tell-kernel "$out" >/dev/null || return 1
	dd if="$work/part.img" of="$out" bs=1M seek=$((BENCH_PART_OFFSET >> 20)) conv=notrunc \
		status=none || return 1
	BENCH_INITRD=${out%/*}/initrd.img
	mv "$tree$BENCH_INITRD_PATH" "$BENCH_INITRD"
	rm -rf "$work"
}
