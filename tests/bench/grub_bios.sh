#!/bin/bash
# Benchmark (a)'s peer, sourced by tests/bench/run.sh after load.sh: GRUB
# 2.06 for i386-pc, started by QEMU's default firmware (SeaBIOS), loading
# the same 128 MiB initrd from the same disk image on the same QEMU
# configuration (bench_qemu) as pvhboot. GRUB reads through the BIOS: int13
# extended reads that SeaBIOS's own virtio-blk driver serves.
#
# GRUB is not installed on the disk: the disk stays byte for byte the one
# pvhboot reads. Instead QEMU starts it with -kernel, which works because
# lnxboot.img, put in front of GRUB's core image, makes it look like a
# Linux kernel (GRUB's own way of being started by LILO and the like). Its
# embedded config loads the Linux-protocol probe with the load entry's
# command line, then the initrd under GRUB's `time`, between two marker
# lines, and boots. GRUB writes to the serial port; each line is stamped
# with the host's clock as it arrives, through a FIFO.
#
# Two figures per run, both around the whole `initrd` command (path lookup,
# memory allocation and the read; the lookup is a few ms of several s):
#   GRUB's own "Elapsed time" (ms resolution, its clock is the TSC at a
#   rate it calibrated itself) and the host's time between the two markers
#   (adds the output of one line). The probe then checks the initrd's CRC:
#   a run counts only with "CHECK initrd_crc ok" and the exact size. GRUB
#   fills the boot header its own way (type_of_loader, no RSDP), so the
#   probe's other checks may fail, as with pvgrub2 in tests/bench/xen.sh.
#
# Records:
#   grub-bios CONFIG RUN BYTES NS        GRUB's own clock
#   grub-bios-host CONFIG RUN BYTES NS   host stamps of the marker lines

GRUB_BIOS_DIR=${BENCH_GRUB_PC_DIR:-/usr/lib/grub/i386-pc}
# About 5 s on an idle 2-core host; int13 under TCG slows down with the
# host's load far more than virtio does, hence the margin.
GRUB_BIOS_TIMEOUT=${BENCH_GRUB_TIMEOUT:-120}
GRUB_BIOS_IMAGE=
# Set after a timeout: the next configurations are skipped rather than
# each waiting for its own timeout.
GRUB_BIOS_BROKEN=

# grub_bios_image OUT: build GRUB (lnxboot.img + core image with the
# embedded config) into OUT. The modules are only those the config needs;
# linux pulls in its own dependencies.
grub_bios_image() {
	local out=$1 cfg=$1.cfg
	if ! command -v grub-mkimage >/dev/null || [ ! -e "$GRUB_BIOS_DIR/lnxboot.img" ]; then
		note "GRUB for i386-pc is missing (apt-get install grub-common grub-pc-bin)"
		return 1
	fi
	# The disk is the only one attached: SeaBIOS makes it hd0. When `boot`
	# returns, the boot failed: writing to isa-debug-exit ends QEMU at once
	# (status 0x21) instead of leaving GRUB at a prompt until the timeout.
	cat >"$cfg" <<-CFG
		serial --unit=0 --speed=115200
		terminal_output serial
		set root=(hd0,gpt1)
		linux $BENCH_LINUX_PATH $BENCH_LOAD_OPTIONS
		echo BENCH grub-initrd-begin
		time initrd $BENCH_INITRD_PATH
		echo BENCH grub-initrd-end
		boot
		echo BENCH grub-boot-failed
		outb 0xf4 0x10
	CFG
	grub-mkimage -O i386-pc -d "$GRUB_BIOS_DIR" -p "(hd0,gpt1)/boot/grub" -c "$cfg" \
		-o "$out.core" biosdisk part_gpt ext2 linux boot echo time serial terminal iorw >&2 ||
		return 1
	cat "$GRUB_BIOS_DIR/lnxboot.img" "$out.core" >"$out"
}

# grub_stamp_lines: each input line prefixed with the host's clock in µs
# when it arrived, carriage returns dropped. EPOCHREALTIME is a builtin, so
# no fork delays a stamp; its separator follows the locale, hence the
# digits only.
grub_stamp_lines() {
	local line
	while IFS= read -r line; do
		printf '%s %s\n' "${EPOCHREALTIME//[!0-9]/}" "${line//$'\r'/}"
	done
}

# grub_stamp_of FILE TEXT: the stamp (µs) of the first line ending in TEXT
# (GRUB's first line also carries its screen-clearing escapes).
grub_stamp_of() {
	awk -v t="$2" 'substr($0, length($0) - length(t) + 1) == t { print $1; exit }' "$1"
}

# grub_bios_once CONFIG DISK RUN: one boot; sets GRUB_OWN_NS, GRUB_HOST_NS.
grub_bios_once() {
	local config=$1 disk=$2 r=$3 log fifo serial reader status w t0 t1 own
	log=$WORK/grub-bios-$config-$r.log
	serial=$WORK/grub-bios-$config-$r.serial
	fifo=$WORK/grub-bios-$config-$r.pipe
	rm -f "$fifo.in" "$fifo.out"
	mkfifo "$fifo.in" "$fifo.out" || return 1
	# QEMU's pipe chardev opens FIFO.in and FIFO.out read-write, so its
	# open never waits for this reader; nothing is written to FIFO.in.
	grub_stamp_lines <"$fifo.out" >"$serial" &
	reader=$!
	bench_qemu "$GRUB_BIOS_TIMEOUT" "$log" "$config" "$disk" -kernel "$GRUB_BIOS_IMAGE" \
		-serial "pipe:$fifo"
	status=$?
	# The reader sees EOF once QEMU has gone. If QEMU never opened the FIFO,
	# the reader still waits in open(): opening and closing a writer here
	# lets it through to EOF either way.
	exec {w}<>"$fifo.out"
	exec {w}>&-
	wait "$reader"
	rm -f "$fifo.in" "$fifo.out"

	if [ "$status" = 124 ]; then
		GRUB_BIOS_BROKEN="timed out after $GRUB_BIOS_TIMEOUT s on $config"
	fi
	# 1 or 3: the probe reached its exit (PASS or FAIL; only the initrd's
	# checks are required of GRUB).
	if { [ "$status" != 1 ] && [ "$status" != 3 ]; } || ! grep -qx "PROBE linux" "$log" ||
		! grep -qx "CHECK initrd_crc ok" "$log" ||
		! grep -qx "FIELD initrd_size=$BENCH_INITRD_BYTES" "$log"; then
		note "GRUB $config run $r failed (exit $status): $(grep -E '^CHECK initrd|^RESULT' "$log" |
			tr '\n' '|') serial: $(cut -d' ' -f2- "$serial" | grep -v '^$' | tail -n 3 | tr '\n' '|')"
		record error "GRUB (BIOS) on $config: run $r failed (exit $status; log grub-bios-$config-$r.*)"
		return 1
	fi
	t0=$(grub_stamp_of "$serial" "BENCH grub-initrd-begin")
	t1=$(grub_stamp_of "$serial" "BENCH grub-initrd-end")
	# "Elapsed time: S.mmm seconds "
	own=$(sed -n 's/.*Elapsed time: \([0-9]*\)\.\([0-9]*\) seconds.*/\1\2/p' "$serial" | head -n 1)
	if [ -z "$t0" ] || [ -z "$t1" ] || [ -z "$own" ] || [ "$own" -eq 0 ]; then
		note "GRUB $config run $r: markers or elapsed time missing: $(cut -d' ' -f2- "$serial" | tr '\n' '|')"
		record error "GRUB (BIOS) on $config: run $r printed no timing"
		return 1
	fi
	GRUB_OWN_NS=$((10#$own * 1000000))
	GRUB_HOST_NS=$(((t1 - t0) * 1000))
	if [ "$r" = 1 ] && grep -q '^CHECK .* FAIL' "$log" && ! grep -q '^remark GRUB (BIOS) boots' "$BENCH_RESULTS"; then
		record remark "GRUB (BIOS) boots the probe with the initrd intact, but fails its check(s):" \
			"$(awk '$1 == "CHECK" && $3 == "FAIL" { printf "%s%s", sep, $2; sep = ", " }' "$log")" \
			"(only initrd_crc is required of a peer, as for pvgrub2)"
	fi
}

# grub_bios_load CONFIG DISK RUNS: GRUB loads the initrd RUNS times.
grub_bios_load() {
	local config=$1 disk=$2 runs=$3 r
	if [ -n "$GRUB_BIOS_BROKEN" ]; then
		record error "GRUB (BIOS) on $config: skipped, it $GRUB_BIOS_BROKEN"
		return 1
	fi
	if [ -z "$GRUB_BIOS_IMAGE" ]; then
		grub_bios_image "$WORK/grub-bios.bin" || {
			GRUB_BIOS_BROKEN="could not be built"
			record error "GRUB (BIOS): could not build the image (grub-mkimage, grub-pc-bin)"
			return 1
		}
		GRUB_BIOS_IMAGE=$WORK/grub-bios.bin
	fi
	for r in $(seq "$runs"); do
		grub_bios_once "$config" "$disk" "$r" || return 1
		record grub-bios "$config" "$r" "$BENCH_INITRD_BYTES" "$GRUB_OWN_NS"
		record grub-bios-host "$config" "$r" "$BENCH_INITRD_BYTES" "$GRUB_HOST_NS"
		note "GRUB $config run $r: $(rate_mbs "$BENCH_INITRD_BYTES" "$GRUB_OWN_NS") MB/s by its clock," \
			"$(rate_mbs "$BENCH_INITRD_BYTES" "$GRUB_HOST_NS") MB/s by the host's"
	done
}
