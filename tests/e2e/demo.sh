#!/bin/bash
# `make run`: boot pvhboot.elf in QEMU (PVH entry, TCG) from a demo disk with
# a menu of several kernels. The menu is on this terminal (COM1): arrows or
# numbers choose, `e` edits the command line, Enter boots; after 10 s the
# default boots. The probe kernels then print every boot field they checked.
# DEMO_OPTIONS="entry=mb1 timeout=0" passes loader options (boot/options.h).
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
K=$BUILD/kernels
T=$WORK/tree
mkdir -p "$T/boot"
cp "$K/pvh-elf64-note8.elf" "$T/boot/pvh-probe.elf"
cp "$K/linux64.bzImage" "$T/boot/vmlinuz-probe"
gzip -c "$K/mb1-elf.elf" >"$T/boot/mb1-probe.gz"
head -c 4000000 /dev/urandom >"$T/boot/initrd.img"
head -c 100000 /dev/urandom >"$T/boot/module.bin"
crc() { crc32_of "$1"; }
cat >"$T/boot/pvhboot.cfg" <<CFG
# The demo menu (native format, docs/config.md).
timeout 10
default linux

entry linux "Linux-protocol probe with a 4 MB initrd (64-bit entry)"
	kernel /boot/vmlinuz-probe
	initrd /boot/initrd.img
	cmdline console=ttyS0 initrd_crc32=$(crc "$T/boot/initrd.img") initrd_size=4000000

entry pvh "PVH probe (hvm_start_info v1)"
	kernel /boot/pvh-probe.elf
	cmdline console=hvc0 demo=pvh

entry mb1 "multiboot1 probe, gzip'd, with a module"
	kernel /boot/mb1-probe.gz
	module /boot/module.bin crc32=$(crc "$T/boot/module.bin")
	cmdline demo=multiboot

entry broken "A missing kernel (shows an error, then the menu again)"
	kernel /boot/nothing-here
CFG
mke2fs -q -F -t ext4 -L demo -d "$T" "$WORK/part.img" 32M
truncate -s 40M "$WORK/disk.img"
printf 'label: gpt\nstart=2048, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="boot"\n' |
	sfdisk -q --no-reread --no-tell-kernel "$WORK/disk.img" >/dev/null
dd if="$WORK/part.img" of="$WORK/disk.img" bs=1M seek=1 conv=notrunc status=none

echo "== pvhboot.elf on QEMU q35 (TCG) with a GPT disk: ext4 /boot/pvhboot.cfg"
echo "== the menu comes up on this terminal; the probe's report follows"
timeout 300 qemu-system-x86_64 -accel "$(qemu_accel)" -M q35 -m 512 -nodefaults -nic none \
	-no-reboot -display none -serial stdio -debugcon "file:$WORK/e9.log" \
	-device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$BUILD/pvhboot.elf" -append "${DEMO_OPTIONS:-}" \
	-drive "if=virtio,format=raw,file=$WORK/disk.img,readonly=on"
status=$?
echo
echo "== what the kernel reported (debug port):"
grep -E "^(PROBE|FIELD (cmdline|entry|nr_modules|load|loader)|RESULT)" "$WORK/e9.log"
if [ $status = 1 ]; then
	echo "== the kernel checked every field it was given: PASS"
else
	echo "== demo ended with QEMU exit status $status"
	exit 1
fi
