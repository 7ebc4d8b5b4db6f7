#!/bin/bash
# The EFI benchmark's four readers, one boot each (sourced by
# tests/bench/efi.sh, after tests/e2e/lib.sh, tests/bench/lib.sh and
# tests/bench/efi/disk.sh). Each function boots the disk once with its own
# \EFI\BOOT\BOOTX64.EFI, checks that the bytes it timed were the initrd's,
# and records one line in $BENCH_RESULTS (BYTES NS last but for sd-*):
#   limit CHUNK RUN BYTES NS          Block I/O reader, fresh buffer
#   limit-warm CHUNK RUN BYTES NS     the same, into pages already touched
#   pvhboot RUN BYTES NS              the loader's load: line
#   grub RUN BYTES NS                 GRUB's `time`: 128 MiB minus 4 KiB
#   grub-host RUN BYTES NS            the same from host timestamps
#   sd-big RUN NS RAW_NS              systemd-boot Exec - Init, 128 MiB
#   sd-tiny RUN NS RAW_NS             the same with the 4 KiB initrd
# Clocks: the guests' TSC counts at the host's rate from 0 at VM start
# (QEMU TCG), so every figure computed from TSC ticks is rescaled to the
# host's measured rate ($HOST_TSC_KHZ) when it is known.

EFI_QEMU_TIMEOUT=${EFI_QEMU_TIMEOUT:-60}

# stamp_lines: each input line prefixed with the host's clock (seconds,
# microsecond resolution) when it arrived; carriage returns dropped.
stamp_lines() {
	local line
	while IFS= read -r line; do
		printf '%s %s\n' "$EPOCHREALTIME" "${line//$'\r'/}"
	done
}

# efi_boot NAME [stamped]: boot $EFI_DISK under OVMF; port 0xE9 goes to
# NAME.log, the serial port (firmware console, GRUB) to NAME.serial, each
# line stamped with the host's clock if asked. Only GRUB's boots are: the
# others need no host timestamps, and the stamping loop (a shell reading
# a byte at a time) is one more busy process on a host of 2 cores.
# Returns QEMU's status (1 = the guest's success exit, 124 = timeout).
#
# All readers run on one QEMU configuration: q35, TCG, the disk read-only
# on virtio-blk-pci, $EFI_MEM_MIB of RAM, and a CPU without CPUID's
# hypervisor bit: systemd-boot 252 stamps no times when it sees that bit.
efi_boot() {
	local name=$1 stamped=${2:-} mem=() start status
	[ "$EFI_RAM" = prealloc ] && mem=(-mem-prealloc)
	local qemu=(timeout "$EFI_QEMU_TIMEOUT" qemu-system-x86_64 -accel tcg -M q35
		-cpu qemu64,-hypervisor -m "$EFI_MEM_MIB" "${mem[@]}"
		-nodefaults -nic none -no-reboot -display none -bios "$OVMF"
		-drive "if=none,id=d0,format=raw,file=$EFI_DISK,readonly=on"
		-device virtio-blk-pci,drive=d0
		-debugcon "file:$WORK/$name.log" -device isa-debug-exit,iobase=0xf4,iosize=4)
	start=$(now_ns)
	if [ -n "$stamped" ]; then
		"${qemu[@]}" -serial stdio </dev/null 2>"$WORK/$name.qemu" |
			stamp_lines >"$WORK/$name.serial"
		status=${PIPESTATUS[0]}
	else
		"${qemu[@]}" -serial "file:$WORK/$name.serial" </dev/null >"$WORK/$name.qemu" 2>&1
		status=$?
	fi
	EFI_BOOT_NS=$(($(now_ns) - start))
	return "$status"
}

# host_ns NS KHZ: NS that a guest computed from TSC ticks at its own
# calibrated KHZ, at the host's measured TSC rate instead.
host_ns() {
	if [ -z "$HOST_TSC_KHZ" ] || [ -z "$2" ] || [ "$2" = 0 ]; then
		echo "$1"
	else
		awk -v ns="$1" -v a="$2" -v h="$HOST_TSC_KHZ" 'BEGIN { printf "%.0f\n", ns * a / h }'
	fi
}

# reader_failed NAME WHAT STATUS: note and record why a boot did not count.
reader_failed() {
	note "$2 failed (exit $3): $(grep -a -m3 -E 'BENCH error|error|FAIL' "$WORK/$1.log" | tr '\n' '|')$(tail -n 1 "$WORK/$1.qemu" 2>/dev/null)"
	record error "$2 (exit $3; log $1.log)"
}

# efi_limit RUN: the Block I/O reader; the chunk sizes in the order
# rotated by RUN, so that no size always comes first.
efi_limit() {
	local run=$1 name=limit-$1 chunks status bytes ns khz chunk
	read -ra chunks <<<"$EFI_CHUNKS"
	local n=${#chunks[@]} i order=()
	for ((i = 0; i < n; i++)); do order+=("${chunks[(i + run - 1) % n]}"); done
	printf 'offset=%s bytes=%s crc32=%s chunks=%s\n' "${EFI_INITRD_RANGE% *}" \
		"$EFI_INITRD_BYTES" "$EFI_INITRD_CRC" "$(
			IFS=,
			echo "${order[*]}"
		)" >"$WORK/blockio.opt"
	if ! efi_disk_put "$EFI_DISK" "$WORK/blockio.opt" /bench/blockio.opt ||
		! efi_disk_put "$EFI_DISK" "$BUILD/bench-efi/blockio_reader.efi" /EFI/BOOT/BOOTX64.EFI; then
		record error "limit run $run: could not update the ESP"
		return 1
	fi
	efi_boot "$name"
	status=$?
	if [ "$status" != 1 ] || ! grep -qx "BENCH done" "$WORK/$name.log"; then
		reader_failed "$name" "Block I/O limit run $run" "$status"
		return 1
	fi
	# BENCH blockio BYTES NS tsc KHZ kHz chunk CHUNK fresh crc X
	while read -r _ kind bytes ns _ khz _ _ chunk _; do
		[ "$bytes" = "$EFI_INITRD_BYTES" ] || continue
		case $kind in
		blockio) record limit "$chunk" "$run" "$bytes" "$(host_ns "$ns" "$khz")" ;;
		blockio-warm) record limit-warm "$chunk" "$run" "$bytes" "$(host_ns "$ns" "$khz")" ;;
		esac
	done < <(grep -a '^BENCH blockio' "$WORK/$name.log")
	note "Block I/O limit run $run: $(awk -v r="$run" '$1 == "limit" && $3 == r {
		printf "%s%d MiB %.1f MB/s", sep, $2 / 1048576, $4 * 1000 / $5; sep = ", " }' "$BENCH_RESULTS")"
}

# efi_pvhboot RUN: pvhboot boots the probe with the initrd; the probe's
# RESULT PASS includes the initrd's CRC-32.
efi_pvhboot() {
	local run=$1 name=pvhboot-$1 status line bytes ns khz
	efi_disk_put "$EFI_DISK" "$BUILD/pvhboot.efi" /EFI/BOOT/BOOTX64.EFI ||
		{ record error "pvhboot run $run: could not update the ESP"; return 1; }
	efi_boot "$name"
	status=$?
	line=$(tr '\r' '\n' <"$WORK/$name.log" | grep -a -m1 '^load: /initrd.img ')
	if [ "$status" != 1 ] || ! grep -aqx "RESULT PASS" "$WORK/$name.log" || [ -z "$line" ]; then
		reader_failed "$name" "pvhboot run $run" "$status"
		return 1
	fi
	# load: PATH BYTES bytes NS ns tsc KHZ kHz
	read -r _ _ bytes _ ns _ _ khz _ <<<"$line"
	if [ "$bytes" != "$EFI_INITRD_BYTES" ]; then
		record error "pvhboot run $run read $bytes bytes, not $EFI_INITRD_BYTES"
		return 1
	fi
	[ -n "$HOST_TSC_KHZ" ] && record tsc-skew pvhboot "$(awk -v a="$khz" -v h="$HOST_TSC_KHZ" \
		'BEGIN { printf "%.1f", 100 * (a - h) / h }')"
	ns=$(host_ns "$ns" "$khz")
	record pvhboot "$run" "$bytes" "$ns"
	note "pvhboot run $run: $(rate_mbs "$bytes" "$ns") MB/s (its TSC calibration: $khz kHz)"
}

# efi_grub_image OUT: GRUB as grub-mkstandalone builds it, with a grub.cfg
# in its memdisk that times the 4 KiB and then the 128 MiB `initrd` (the
# Linux loader's initrd command reads the whole file into memory at once)
# and boots the probe, which checks the CRC-32 of what GRUB read. GRUB
# prints on the serial port itself (terminal_output serial), so the host
# stamps each marker line as it comes.
efi_grub_image() {
	cat >"$WORK/grub.cfg" <<-CFG
		insmod part_gpt
		insmod fat
		insmod serial
		serial --unit=0 --speed=115200
		terminal_output serial
		search --no-floppy --set=root --file /initrd.img
		linux /probes/linux64.bzImage console=ttyS0 initrd_crc32=$EFI_INITRD_CRC initrd_size=$EFI_INITRD_BYTES
		echo BENCH-tiny-begin
		time initrd /tiny.img
		echo BENCH-tiny-end
		echo BENCH-big-begin
		time initrd /initrd.img
		echo BENCH-big-end
		boot
	CFG
	grub-mkstandalone -O x86_64-efi -o "$1" --locales= --fonts= --themes= \
		"boot/grub/grub.cfg=$WORK/grub.cfg" 2>"$WORK/grub-mkstandalone.err"
}

# efi_grub RUN
efi_grub() {
	local run=$1 name=grub-$1 status ser elapsed host
	efi_disk_put "$EFI_DISK" "$WORK/grubx64.efi" /EFI/BOOT/BOOTX64.EFI ||
		{ record error "GRUB run $run: could not update the ESP"; return 1; }
	efi_boot "$name" stamped
	status=$?
	ser=$WORK/$name.serial
	# The probe's own verdict fails on what GRUB sets differently from
	# pvhboot (type_of_loader, no RSDP); the initrd checks must pass.
	if ! grep -aqx "CHECK initrd_crc ok" "$WORK/$name.log" ||
		! grep -aqx "FIELD initrd_size=$EFI_INITRD_BYTES" "$WORK/$name.log"; then
		reader_failed "$name" "GRUB run $run (no verified initrd)" "$status"
		return 1
	fi
	# "Elapsed time: S.MMM seconds", the 4 KiB one first.
	mapfile -t elapsed < <(sed -n 's/.*Elapsed time: \([0-9]*\)\.\([0-9]*\) seconds.*/\1\2/p' "$ser")
	# Markers may follow the firmware's escape sequences on their line.
	host=$(awk 'match($0, /BENCH-(tiny|big)-(begin|end)$/) { t[substr($0, RSTART)] = $1 }
		END { if (length(t) == 4) printf "%.0f\n", (t["BENCH-big-end"] - t["BENCH-big-begin"] - t["BENCH-tiny-end"] + t["BENCH-tiny-begin"]) * 1e9 }' "$ser")
	if [ "${#elapsed[@]}" != 2 ] || [ -z "$host" ]; then
		record error "GRUB run $run: no Elapsed time / marker lines on the serial port"
		return 1
	fi
	local ns=$(((10#${elapsed[1]} - 10#${elapsed[0]}) * 1000000))
	local bytes=$((EFI_INITRD_BYTES - EFI_TINY_BYTES))
	record grub "$run" "$bytes" "$ns"
	record grub-host "$run" "$bytes" "$host"
	local off
	off=$(awk -v a="$ns" -v b="$host" 'BEGIN { d = 100 * (a - b) / b; if (d > 5 || d < -5) printf "%+.0f", d }')
	[ -n "$off" ] && record remark "GRUB run $run: its own clock and the host's stamps differ by $off %"
	note "GRUB run $run: $(rate_mbs "$bytes" "$ns") MB/s by its own clock, $(rate_mbs "$bytes" "$host") MB/s by the host's stamps"
}

# efi_sd RUN big|tiny: systemd-boot boots bli_probe.efi with the 128 MiB or
# the 4 KiB initrd. Exec - Init is in systemd-boot's microseconds, from the
# TSC at a rate it calibrated over one 1 ms Stall; the probe's first RDTSC,
# taken just after LoaderTimeExecUSec, gives that rate: TSC / EXEC_US.
# Records NS rescaled to the host's rate, and the raw NS.
efi_sd() {
	local run=$1 size=$2 name=sd-$2-$1 status want_bytes want_crc
	case $size in
	big) want_bytes=$EFI_INITRD_BYTES want_crc=$EFI_INITRD_CRC ;;
	*) want_bytes=$EFI_TINY_BYTES want_crc=$EFI_TINY_CRC ;;
	esac
	printf 'timeout 0\ndefault sd-%s.conf\n' "$size" >"$WORK/loader.conf"
	if ! efi_disk_put "$EFI_DISK" "$WORK/loader.conf" /loader/loader.conf ||
		! efi_disk_put "$EFI_DISK" "$SDBOOT" /EFI/BOOT/BOOTX64.EFI; then
		record error "systemd-boot run $run: could not update the ESP"
		return 1
	fi
	efi_boot "$name"
	status=$?
	if [ "$status" != 1 ] || ! grep -qx "BENCH done" "$WORK/$name.log" ||
		! grep -qx "BENCH initrd $want_bytes crc $want_crc" "$WORK/$name.log"; then
		reader_failed "$name" "systemd-boot $size run $run" "$status"
		return 1
	fi
	local init exec tsc raw ns
	read -r _ _ init exec _ tsc _ <<<"$(grep -m1 '^BENCH bli ' "$WORK/$name.log")"
	raw=$(((exec - init) * 1000))
	ns=$raw
	if [ -n "$HOST_TSC_KHZ" ]; then
		# The rate check only holds if the TSC started near VM start:
		# TSC / host rate must fit inside the boot's wall time.
		if awk -v t="$tsc" -v h="$HOST_TSC_KHZ" -v w="$EFI_BOOT_NS" 'BEGIN { exit !(t / h * 1e6 < w) }'; then
			ns=$(awk -v d="$((exec - init))" -v t="$tsc" -v e="$exec" -v h="$HOST_TSC_KHZ" \
				'BEGIN { printf "%.0f\n", d * t / e / h * 1e6 }')
			record tsc-skew systemd-boot "$(awk -v t="$tsc" -v e="$exec" -v h="$HOST_TSC_KHZ" \
				'BEGIN { printf "%.1f", 100 * (t / e * 1000 - h) / h }')"
		else
			record remark "systemd-boot $size run $run: the TSC did not start at VM start; its own clock used as is"
		fi
	fi
	record "sd-$size" "$run" "$ns" "$raw"
	note "systemd-boot $size run $run: Exec - Init $(ms "$ns") ms ($(ms "$raw") ms by its own clock)"
}
