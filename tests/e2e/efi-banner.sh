#!/bin/bash
# efi-banner.sh BUILD_DIR: boot BUILD_DIR/pvhboot.efi under OVMF (q35, TCG)
# from a FAT32 ESP on a virtio disk, three ways:
#   opt     \EFI\BOOT\BOOTX64.EFI plus \EFI\BOOT\pvhboot.opt = "poweroff"
#           (OVMF passes no LoadOptions on the removable-media path): the
#           full report, then the machine powers off before the timeout;
#   shell   no BOOTX64.EFI, so OVMF falls through to its UEFI Shell, whose
#           startup.nsh starts the loader with "poweroff" as LoadOptions;
#   return  no options: the loader returns EFI_SUCCESS and the firmware
#           carries on to its boot manager menu (UiApp).
# Prints one line, "ok efi_banner" or "not ok efi_banner: why"; exit 0/1.
# Needs: ovmf mtools dosfstools qemu-system-x86 (no root).
NAME=efi_banner
BUILD=${1:-build}
OVMF=${OVMF:-/usr/share/ovmf/OVMF.fd}
VERSION=${PVHBOOT_VERSION:-0.1}
TIMEOUT=${EFI_BANNER_TIMEOUT:-120}

not_ok() {
	echo "not ok $NAME: $*"
	exit 1
}

efi=$BUILD/pvhboot.efi
[ -f "$efi" ] || not_ok "$efi not built"
[ -f "$OVMF" ] || not_ok "$OVMF missing (apt-get install ovmf)"
for tool in mkfs.fat mmd mcopy qemu-system-x86_64 timeout; do
	command -v "$tool" >/dev/null || not_ok "$tool missing"
done

work=$(mktemp -d) || not_ok "mktemp failed"
qemu_pid=
cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

# make_esp IMG [MTOOLS_SRC ESP_PATH]...: a 64 MiB FAT32 ESP, no root needed.
make_esp() {
	local img=$1
	shift
	mkfs.fat -C -F 32 "$img" 65536 >/dev/null 2>&1 || return 1
	mmd -i "$img" ::/EFI ::/EFI/BOOT || return 1
	while [ $# -ge 2 ]; do
		mcopy -i "$img" "$1" "::$2" || return 1
		shift 2
	done
}

# run_qemu IMG LOG: replaces the calling (sub)shell with timeout+QEMU, so a
# background run's $! is timeout's pid, and killing it stops QEMU too.
# TCG always: /dev/kvm on these machines is a broken software KVM. -bios
# (not pflash) gives volatile variables, so no stale boot entries.
run_qemu() {
	exec timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg -M q35 -m 512 \
		-nodefaults -nic none -no-reboot -display none -bios "$OVMF" \
		-drive "if=virtio,format=raw,file=$1" -serial "file:$2" </dev/null >"$2.qemu" 2>&1
}

# ConOut reaches the serial port through OVMF's terminal driver, which adds
# CRs and VT100 escape sequences: strip both so whole lines can be matched.
clean_log() {
	sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\r//g' "$1" >"$1.clean" 2>/dev/null
}
last_lines() { grep -v '^ *$' "$1.clean" | tail -n 3 | tr -s ' \n' ' |' | tail -c 300; }

# boot_to_poweroff CASE IMG: boot; the loader must power the machine off.
boot_to_poweroff() {
	local case=$1 log=$work/$1.log status
	(run_qemu "$2" "$log")
	status=$?
	clean_log "$log"
	[ "$status" -ne 124 ] ||
		not_ok "$case: timed out after $TIMEOUT s (poweroff not honoured?); last lines: $(last_lines "$log")"
	[ "$status" -eq 0 ] || not_ok "$case: qemu exit status $status: $(head -c 200 "$log.qemu")"
}

# check_report CASE: the lines every successful start prints.
check_report() {
	local case=$1 clean=$work/$1.log.clean descs mib errors
	grep -qxF "pvhboot $VERSION (EFI x86_64)" "$clean" ||
		not_ok "$case: no banner 'pvhboot $VERSION (EFI x86_64)'; last lines: $(last_lines "$work/$case.log")"
	descs=$(sed -n 's/^memmap: \([0-9]*\) descriptors, [0-9]* MiB conventional$/\1/p' "$clean")
	[ -n "$descs" ] || not_ok "$case: no 'memmap: N descriptors, M MiB conventional' line"
	[ "$descs" -gt 0 ] || not_ok "$case: memory map has $descs descriptors"
	# 512 MiB of guest RAM: most of it is conventional memory at this point.
	mib=$(sed -n 's/^memmap: [0-9]* descriptors, \([0-9]*\) MiB conventional$/\1/p' "$clean")
	if [ "$mib" -lt 256 ] || [ "$mib" -gt 512 ]; then
		not_ok "$case: $mib MiB conventional of 512 MiB"
	fi
	grep -qE '^  e820 0x0{16}-0x[0-9a-f]{16} RAM$' "$clean" ||
		not_ok "$case: no E820 RAM range at address 0"
	grep -qE '^rsdp: 0x[0-9a-f]+$' "$clean" || not_ok "$case: no 'rsdp: 0x...' line"
	grep -qE '^disk [0-9]+: media [0-9]+, 512-byte blocks, last block 131071 \(64 MiB\), whole disk, fixed, read-write$' "$clean" ||
		not_ok "$case: the 64 MiB virtio disk is not listed"
	errors=$(grep -E '^(error|warning|panic):|X64 Exception' "$clean" | head -n 3 | tr '\n' '|')
	[ -z "$errors" ] || not_ok "$case: $errors"
	grep -qxF 'pvhboot: efi ready' "$clean" ||
		not_ok "$case: no 'pvhboot: efi ready'; last lines: $(last_lines "$work/$case.log")"
}

# --- opt: the removable-media path, options from \EFI\BOOT\pvhboot.opt ---
printf 'poweroff\n' >"$work/pvhboot.opt"
make_esp "$work/opt.img" "$efi" /EFI/BOOT/BOOTX64.EFI "$work/pvhboot.opt" /EFI/BOOT/pvhboot.opt ||
	not_ok "mtools could not build the ESP"
boot_to_poweroff opt "$work/opt.img"
check_report opt
grep -qxF 'options: "poweroff" (from \EFI\BOOT\pvhboot.opt)' "$work/opt.log.clean" ||
	not_ok "opt: options file not read"

# --- shell: LoadOptions from the UEFI Shell's command line ---
printf 'fs0:\\pvhboot.efi  poweroff\r\n' >"$work/startup.nsh"
make_esp "$work/shell.img" "$efi" /pvhboot.efi "$work/startup.nsh" /startup.nsh ||
	not_ok "mtools could not build the ESP"
boot_to_poweroff shell "$work/shell.img"
check_report shell
grep -qxF 'options: "fs0:\pvhboot.efi poweroff" (from LoadOptions)' "$work/shell.log.clean" ||
	not_ok "shell: LoadOptions not read; last lines: $(last_lines "$work/shell.log")"

# --- return: no options, back to the firmware, which starts its menu ---
make_esp "$work/return.img" "$efi" /EFI/BOOT/BOOTX64.EFI || not_ok "mtools could not build the ESP"
log=$work/return.log
run_qemu "$work/return.img" "$log" &
qemu_pid=$!
for _ in $(seq 600); do
	grep -q 'starting Boot[0-9A-F]* "UiApp"' "$log" 2>/dev/null && break
	kill -0 "$qemu_pid" 2>/dev/null || break
	sleep 0.2
done
kill "$qemu_pid" 2>/dev/null
wait "$qemu_pid" 2>/dev/null
qemu_pid=
clean_log "$log"
check_report return
grep -q 'pvhboot: powering off' "$log.clean" && not_ok "return: powered off without the option"
sed -n '/^pvhboot: efi ready$/,$p' "$log.clean" | grep -q 'starting Boot[0-9A-F]* "UiApp"' ||
	not_ok "return: the firmware did not carry on after the loader returned; last lines: $(last_lines "$log")"

echo "ok $NAME"
