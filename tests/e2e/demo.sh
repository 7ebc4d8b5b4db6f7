#!/bin/bash
# `make run`: boot pvhboot.elf in QEMU (PVH entry, TCG) with a demo kernel and
# show what happens: the loader's messages, then the probe kernel's report of
# every boot field it received. Output is the debug port, shown on stdout.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
head -c 65536 /dev/urandom >"$WORK/initrd.img"
make_bundle "$WORK/demo.cpio" "$BUILD/kernels/pvh-elf64-note8.elf" \
	"console=hvc0 demo=1" "$WORK/initrd.img" "demo initrd"

echo "== pvhboot.elf on QEMU pc (TCG): booting a PVH probe kernel with one module"
timeout 60 qemu-system-x86_64 -accel "$(qemu_accel)" -M pc -m 512 -nodefaults -nic none \
	-no-reboot -display none -debugcon stdio -device isa-debug-exit,iobase=0xf4,iosize=4 \
	-kernel "$BUILD/pvhboot.elf" -initrd "$WORK/demo.cpio" </dev/null
status=$?
if [ $status = 1 ]; then
	echo "== the kernel checked every field it was given: PASS"
else
	echo "== demo failed (QEMU exit status $status)"
	exit 1
fi
