#!/bin/bash
# Benchmark (a), sourced by tests/bench/run.sh: how fast pvhboot.elf, booted
# by QEMU through its PVH note, reads a 128 MiB initrd from ext4 on a
# virtio-blk-pci disk, against a Linux guest reading the same file (and the
# raw partition) with dd on the same QEMU configuration.
#
# Both sides time themselves with their own monotonic clock, around the
# read only: pvhboot's "load:" line (fs/progress.c) covers the file read
# from its first to its last byte; the guest's init (guest-init) brackets
# each dd. VM start, kernel boot and the probe's CRC check are not counted.
# pvhboot's clock is the TSC at a rate it calibrated over 10 ms, which a
# busy host can skew (seen: +43 %); its figure is rescaled to the host's
# TSC rate (tsc_khz.c), which is what a QEMU guest's TSC runs at. Linux
# calibrates over far longer and cross-checks, so its clock is used as is.
#
# A configuration is MACHINE or MACHINE+prealloc. QEMU allocates guest RAM
# on first touch, so every byte pvhboot loads lands in a page the host must
# zero first, while dd's 1 MiB buffer and the guest's page cache, after
# the first run, are memory the host already backs. "+prealloc"
# (-mem-prealloc) backs all guest RAM before the guest starts, so both
# sides are timed on the I/O path alone.

# bench_qemu TIMEOUT LOG CONFIG DISK ARGS...: the one QEMU configuration
# both sides run on: the machine, 512 MiB, the bench disk read-only on
# virtio-blk-pci.
bench_qemu() {
	local timeout=$1 log=$2 config=$3 disk=$4 mem=() dev=virtio-blk-pci
	shift 4
	case $config in *+prealloc) mem=(-mem-prealloc) ;; esac
	# microvm has no PCI: its virtio devices sit on virtio-mmio.
	case $config in microvm*) dev=virtio-blk-device ;; esac
	qemu_run "$timeout" "$log" "${config%%+*}" "${mem[@]}" \
		-drive "if=none,id=d0,format=raw,file=$disk,readonly=on" \
		-device "$dev,drive=d0" "$@"
}

# true_ns NS KHZ: the loader computed NS from TSC ticks at its calibrated
# KHZ; the same ticks at the host's measured rate ($HOST_TSC_KHZ), when
# known. Records how far the loader's calibration was off.
true_ns() {
	if [ -z "$HOST_TSC_KHZ" ] || [ -z "$2" ]; then
		echo "$1"
		return
	fi
	record tsc-skew "$(awk -v a="$2" -v h="$HOST_TSC_KHZ" 'BEGIN { printf "%.1f", 100 * (a - h) / h }')"
	awk -v ns="$1" -v a="$2" -v h="$HOST_TSC_KHZ" 'BEGIN { printf "%.0f\n", ns * a / h }'
}

# pvhboot_load CONFIG DISK RUNS [KEY [FIRST]]: boot the "load" entry RUNS
# times, numbered from FIRST (1); records (KEY is pvhboot unless given)
#   KEY CONFIG RUN BYTES NS
pvhboot_load() {
	local config=$1 disk=$2 runs=$3 key=${4:-pvhboot} first=${5:-1} r log status line bytes ns khz
	for r in $(seq "$first" $((first + runs - 1))); do
		log=$WORK/$key-$config-$r.log
		bench_qemu 60 "$log" "$config" "$disk" -kernel "$BUILD/pvhboot.elf" \
			-append "entry=load timeout=0"
		status=$?
		line=$(tr '\r' '\n' <"$log" | grep -m1 "^load: $BENCH_INITRD_PATH ")
		if [ "$status" != 1 ] || ! grep -qx "RESULT PASS" "$log" || [ -z "$line" ]; then
			note "$key $config run $r failed (exit $status): $(tr '\r' '\n' <"$log" |
				grep -E 'error|FAIL|load:' | head -n 3 | tr '\n' '|')"
			record error "$key on $config: run $r failed (exit $status)"
			return 1
		fi
		# load: PATH BYTES bytes NS ns tsc KHZ kHz
		read -r _ _ bytes _ ns _ _ khz _ <<<"$line"
		if [ "$bytes" != "$BENCH_INITRD_BYTES" ]; then
			record error "$key on $config read $bytes bytes, not $BENCH_INITRD_BYTES"
			return 1
		fi
		ns=$(true_ns "$ns" "$khz")
		record "$key" "$config" "$r" "$bytes" "$ns"
		note "$key $config run $r: $(rate_mbs "$bytes" "$ns") MB/s (its TSC calibration: $khz kHz)"
	done
}

# guest_dd CONFIG DISK RUNS VMLINUZ INITRAMFS: one Linux boot that runs dd
# RUNS times each way; records
#   dd-buffered CONFIG RUN BYTES NS
#   dd-direct CONFIG RUN BYTES NS
guest_dd() {
	local config=$1 disk=$2 runs=$3 vmlinuz=$4 initramfs=$5
	local log=$WORK/linux-$config.log serial=$WORK/linux-$config.serial status
	bench_qemu 90 "$log" "$config" "$disk" -kernel "$vmlinuz" -initrd "$initramfs" \
		-serial "file:$serial" \
		-append "console=ttyS0 quiet panic=-1 bench_file=$BENCH_INITRD_PATH bench_runs=$runs"
	status=$?
	if ! tr -d '\r' <"$serial" | grep -qx "BENCH done"; then
		note "Linux guest on $config (exit $status): $(tr -d '\r' <"$serial" |
			grep -E 'BENCH error|Kernel panic' | head -n 2 | tr '\n' '|') last: $(tail -n 3 "$serial" | tr '\r\n' '||')"
		record error "Linux guest dd on $config failed (exit $status)"
		return 1
	fi
	tr -d '\r' <"$serial" | awk -v c="$config" '$1 == "BENCH" && ($2 == "buffered" || $2 == "direct") {
		print "dd-" $2, c, $3, $4, $5 }' >>"$BENCH_RESULTS"
	note "Linux guest on $config: $(tr -d '\r' <"$serial" | grep -c '^BENCH \(buffered\|direct\)') dd runs"
}
