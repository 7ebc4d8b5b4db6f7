#!/bin/bash
# efi-banner.sh BUILD_DIR: boot BUILD_DIR/pvhboot.efi under OVMF from an
# ESP's removable-media path (\EFI\BOOT\BOOTX64.EFI) and check its report:
# the banner, a non-empty memory map, the RSDP, "pvhboot: efi ready", and
# that the "poweroff" option - from \EFI\BOOT\pvhboot.opt, since OVMF passes
# no LoadOptions on that path - shuts the machine down (QEMU exits 0 before
# its timeout). Prints one line, "ok efi_banner" or "not ok efi_banner: why".
# Needs: ovmf mtools dosfstools qemu-system-x86 (no root).
NAME=efi_banner
BUILD=${1:-build}
OVMF=${OVMF:-/usr/share/ovmf/OVMF.fd}
VERSION=${PVHBOOT_VERSION:-0.1}

not_ok() {
	echo "not ok $NAME: $*"
	exit 1
}

efi=$BUILD/pvhboot.efi
[ -f "$efi" ] || not_ok "$efi not built"
[ -f "$OVMF" ] || not_ok "$OVMF missing (apt-get install ovmf)"
for tool in mkfs.fat mmd mcopy qemu-system-x86_64; do
	command -v "$tool" >/dev/null || not_ok "$tool missing"
done

work=$(mktemp -d) || not_ok "mktemp failed"
trap 'rm -rf "$work"' EXIT

# The ESP: FAT32, 64 MiB, built without root by mtools.
esp=$work/esp.img
mkfs.fat -C -F 32 "$esp" 65536 >/dev/null 2>&1 || not_ok "mkfs.fat failed"
printf 'poweroff\n' >"$work/pvhboot.opt"
mmd -i "$esp" ::/EFI ::/EFI/BOOT &&
	mcopy -i "$esp" "$efi" ::/EFI/BOOT/BOOTX64.EFI &&
	mcopy -i "$esp" "$work/pvhboot.opt" ::/EFI/BOOT/pvhboot.opt ||
	not_ok "mtools could not fill the ESP"

# TCG always: /dev/kvm on these machines is a broken software KVM.
# -bios (not pflash) gives volatile variables, so no stale boot entries.
log=$work/serial.log
timeout 120 qemu-system-x86_64 -accel tcg -M q35 -m 512 \
	-nodefaults -nic none -no-reboot -display none \
	-bios "$OVMF" -drive "if=virtio,format=raw,file=$esp" \
	-serial "file:$log" </dev/null >"$work/qemu.out" 2>&1
status=$?

# ConOut reaches the serial port through OVMF's terminal driver, which adds
# CRs and VT100 escape sequences: strip both before matching whole lines.
clean=$work/clean.log
sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\r//g' "$log" >"$clean" 2>/dev/null
last() { grep -v '^ *$' "$clean" | tail -n 3 | tr '\n' '|'; }

[ "$status" -ne 124 ] || not_ok "timed out after 120 s (poweroff not honoured?); last lines: $(last)"
[ "$status" -eq 0 ] || not_ok "qemu exit status $status: $(tr '\n' ' ' <"$work/qemu.out" | cut -c1-200)"

grep -qxF "pvhboot $VERSION (EFI x86_64)" "$clean" ||
	not_ok "no banner 'pvhboot $VERSION (EFI x86_64)'; last lines: $(last)"
descs=$(sed -n 's/^memmap: \([0-9][0-9]*\) descriptors, [0-9][0-9]* MiB conventional$/\1/p' "$clean" | head -n 1)
[ -n "$descs" ] || not_ok "no 'memmap: N descriptors, M MiB conventional' line"
[ "$descs" -gt 0 ] || not_ok "memory map has $descs descriptors"
# 512 MiB of guest RAM: most of it must be conventional memory.
mib=$(sed -n 's/^memmap: [0-9]* descriptors, \([0-9][0-9]*\) MiB conventional$/\1/p' "$clean" | head -n 1)
[ "$mib" -ge 256 ] && [ "$mib" -le 512 ] || not_ok "$mib MiB conventional of 512 MiB"
grep -qE '^rsdp: 0x[0-9a-f]+$' "$clean" || not_ok "no 'rsdp: 0x...' line; last lines: $(last)"
grep -qE '^disk [0-9]+: media [0-9]+, 512-byte blocks, last block 131071 \(64 MiB\), whole disk' "$clean" ||
	not_ok "the 64 MiB ESP disk is not listed"
grep -qxF 'options: "poweroff" (from \EFI\BOOT\pvhboot.opt)' "$clean" ||
	not_ok "options file not read"
errors=$(grep -E '^(error|warning|panic):' "$clean" | head -n 3 | tr '\n' '|')
[ -z "$errors" ] || not_ok "loader reported: $errors"
grep -qxF 'pvhboot: efi ready' "$clean" || not_ok "no 'pvhboot: efi ready'; last lines: $(last)"
echo "ok $NAME"
