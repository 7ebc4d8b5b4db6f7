#!/bin/bash
# Broken kernels are refused with a one-line message naming the file and the
# reason, the menu comes back, and the loader still boots a good kernel.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
WORK=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
T=$WORK/tree
mkdir -p "$T/boot"
python3 tests/e2e/make-bad-kernels.py "$BUILD/kernels" "$T/boot"
cp "$BUILD/kernels/pvh-elf64-note8.elf" "$T/boot/good.elf"
# Debian's iPXE as a Linux image: real-mode only (package ipxe).
cp /usr/lib/ipxe/ipxe.lkrn "$T/boot/ipxe.lkrn"
{
	echo "timeout -1"
	entry() { # ID KERNEL
		printf 'entry %s\n\tkernel /boot/%s\n\tcmdline probe=%s\n' "$1" "$2" "$1"
	}
	entry good good.elf
	entry truncated truncated.elf
	entry descsz absurd-descsz.elf
	entry mb1flag mb1-unknown-flag.elf
	entry proto205 protocol-205.bzImage
	entry lapic segment-lapic.elf
	entry ipxe ipxe.lkrn
	entry mb2tag mb2-unknown-tag.elf
	entry mb2bios mb2-bios-area.bin
	# A pin that does not match: refused with both hashes.
	entry pinned good.elf
	printf '\tsha256 /boot/good.elf %s\n' "$(printf '0%.0s' $(seq 64))"
} >"$T/boot/pvhboot.cfg"
mke2fs -q -F -t ext4 -d "$T" "$WORK/disk.img" 16M

# case NAME ENTRY MESSAGE: boot ENTRY, expect MESSAGE, then pick entry 1.
case_() {
	local name=$1 entry=$2 msg=$3 log=$WORK/$1.log
	timeout 150 python3 tests/e2e/serial_driver.py "$log.serial" \
		"expect:$msg;expect:pvhboot: choose a kernel;send:1;send:\\r" -- \
		qemu-system-x86_64 -accel "$(qemu_accel)" -M pc -m 512 -nodefaults -nic none \
		-no-reboot -display none -debugcon "file:$log" \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$BUILD/pvhboot.elf" \
		-append "entry=$entry" -drive "if=virtio,format=raw,file=$WORK/disk.img,readonly=on"
	local status=$?
	if [ $status = 125 ]; then
		echo "not ok $name: no message \"$msg\"; $(grep -m2 error "$log" | tr '\n' '|')"
		return
	fi
	expect_log "$name" "$log" $status 1 "PROBE pvh" "FIELD cmdline=probe=good" "RESULT PASS"
}

case_ neg-truncated-elf truncated "/boot/truncated.elf"
case_ neg-absurd-descsz descsz "/boot/absurd-descsz.elf"
case_ neg-mb1-unknown-flag mb1flag "multiboot flag 3"
case_ neg-bzimage-2.05 proto205 "protocol 2.05 is too old"
case_ neg-segment-lapic lapic "0xfee00000"
case_ neg-ipxe-lkrn ipxe "no 32-bit entry"
case_ neg-mb2-unknown-tag mb2tag "unsupported required header tag (11)"
case_ neg-mb2-bios-area mb2bios "image at 0xf0000-"
case_ neg-sha256-pin pinned "sha256 mismatch: expected 0000000000000000000000000000000000000000000000000000000000000000, got $(sha256sum "$T/boot/good.elf" | cut -c1-64)"
