#!/bin/bash
# xen_payload OUT KVER: the Xen benchmark's payload directory (sourced by
# tests/bench/xen.sh after tests/e2e/lib.sh, tests/bench/lib.sh, disk.sh and
# guest-initramfs.sh). dom0 mounts it at /payload and runs its run.sh.
#
#   bench.img        the benchmark disk of `make bench` (tests/bench/disk.sh):
#                    GPT, ext4 /boot with 4 KiB blocks, /boot/initrd.img of
#                    128 MiB random bytes, the Linux-protocol probe and the
#                    BLS entry "load" that boots it with that initrd
#   pvhboot.elf      the loader, booted by libxl as the domain's PVH kernel
#   pvgrub.elf       GRUB 2 for i386-xen_pvh with an embedded config
#   vmlinuz, domu.cpio   Debian's kernel and a busybox initramfs for dd
#   *.cfg            one xl config per contender, all with bench.img as xvda
#   bench.env        run counts for run.sh
#   run.sh           tests/bench/xen/in-dom0.sh
#
# All three contenders read the same file from the same disk image, through
# the same blkback and loop device in dom0, and get the same 512 MiB.

# The initrd's CRC and size go on the probe's command line in both
# loaders: the probe checks every byte each one handed over.
xen_probe_cmdline() {
	echo "initrd_crc32=$(crc32_of "$BENCH_INITRD") initrd_size=$BENCH_INITRD_BYTES"
}

# xen_pvgrub OUT: pvgrub2 whose embedded config loads the probe and the
# initrd and boots. The two echo lines bracket the initrd command, which
# reads the whole file into memory before it returns (GRUB's loader/i386/
# linux.c, grub_cmd_initrd); dom0 timestamps them as they reach the console.
# `time` adds GRUB's own reading of its clock as a cross-check.
xen_pvgrub() {
	local out=$1 cfg
	cfg=$(mktemp)
	cat >"$cfg" <<-GRUB
		search --no-floppy --set=root --file $BENCH_INITRD_PATH
		echo "BENCH grub-root (\$root)"
		linux /boot/vmlinuz-probe $(xen_probe_cmdline)
		echo "BENCH grub-initrd-begin"
		time initrd $BENCH_INITRD_PATH
		echo "BENCH grub-initrd-end"
		boot
	GRUB
	# No progress module: GRUB would draw a bar, pvhboot's is cheap but
	# GRUB's redraw cost would be charged to the read.
	grub-mkimage -O i386-xen_pvh -c "$cfg" -p /boot/grub -o "$out" \
		normal echo linux search search_fs_file ext2 part_gpt part_msdos time
	local rc=$?
	rm -f "$cfg"
	return $rc
}

# xen_domu_initramfs KVER OUT: static busybox, domu-init as /init, and
# xen-blkfront plus ext4 with every module they depend on, from the host's
# /lib/modules/KVER (the kernel dom0 and the domU run).
xen_domu_initramfs() {
	local kver=$1 out=$2 stage m
	stage=$(mktemp -d)
	mkdir -p "$stage/bin" "$stage/lib/modules" "$stage/proc" "$stage/sys" "$stage/dev" "$stage/mnt"
	: >"$stage/lib/modules/load-order"
	# ext4 needs the crc32c shash for metadata checksums; nothing names it
	# as a dependency (it is looked up by name), so it is listed here.
	for m in xen_blkfront crc32c_generic ext4; do
		add_module "/lib/modules/$kver" "$m" "$stage" || { rm -rf "$stage"; return 1; }
	done
	cp /bin/busybox "$stage/bin/busybox"
	ln -s busybox "$stage/bin/sh"
	install -m755 tests/bench/xen/domu-init "$stage/init"
	install -m755 tests/bench/xen/domu-measure "$stage/measure"
	(cd "$stage" && find . -mindepth 1 | sort | cpio --quiet -o -H newc) >"$out"
	note "domU initramfs: Linux $kver, modules: $(tr '\n' ' ' <"$stage/lib/modules/load-order")"
	rm -rf "$stage"
}

# xen_cfg OUT KERNEL [LINES...]: a PVH domain with the bench disk as xvda.
xen_cfg() {
	local out=$1 kernel=$2
	shift 2
	{
		echo 'type="pvh"'
		echo 'memory=512'
		echo 'vcpus=1'
		echo "kernel=\"$kernel\""
		[ $# -eq 0 ] || printf '%s\n' "$@"
		echo 'disk=["format=raw,vdev=xvda,access=ro,target=/payload/bench.img"]'
		echo 'on_poweroff="destroy"'
		echo 'on_reboot="destroy"'
		echo 'on_crash="destroy"'
	} >"$out"
}

xen_payload() {
	local out=$1 kver=$2 work
	work=$(mktemp -d)
	# bench_disk leaves the host copy of the initrd next to the disk: build
	# it outside the payload, which is copied whole into dom0's disk.
	bench_disk "$work/bench.img" || { rm -rf "$work"; return 1; }
	mv "$work/bench.img" "$out/bench.img"
	cp "$BUILD/pvhboot.elf" "$out/pvhboot.elf"
	xen_pvgrub "$out/pvgrub.elf" || { note "grub-mkimage failed"; rm -rf "$work"; return 1; }
	cp "/boot/vmlinuz-$kver" "$out/vmlinuz"
	xen_domu_initramfs "$kver" "$out/domu.cpio" || { rm -rf "$work"; return 1; }
	rm -rf "$work"

	xen_cfg "$out/pvhboot.cfg" /payload/pvhboot.elf 'extra="entry=load timeout=0"'
	xen_cfg "$out/grub.cfg" /payload/pvgrub.elf
	xen_cfg "$out/linux.cfg" /payload/vmlinuz 'ramdisk="/payload/domu.cpio"' \
		"cmdline=\"console=hvc0 quiet panic=-1 bench_file=$BENCH_INITRD_PATH bench_runs=$BENCH_XEN_DD_RUNS\""
	cat >"$out/bench.env" <<-ENV
		BENCH_PVHBOOT_RUNS=$BENCH_XEN_PVHBOOT_RUNS
		BENCH_GRUB_RUNS=$BENCH_XEN_GRUB_RUNS
	ENV
	install -m755 tests/bench/xen/in-dom0.sh "$out/run.sh"
}
