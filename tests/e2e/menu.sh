#!/bin/bash
# The menu, driven through the serial console by a script: choose the second
# entry, edit its command line, and the probe receives the edited line;
# timeout 0 boots the default; entry= on the loader's command line picks
# another; a missing kernel shows an error and the menu comes back; `quiet`
# leaves only errors and the menu.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

LOADER=$BUILD/pvhboot.elf
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
TREE=$WORK/tree
mkdir -p "$TREE/boot"
cp "$BUILD/kernels/linux64.bzImage" "$TREE/boot/vmlinuz"
mkdir -p "$TREE/loader/entries"
bls() { # ID SORTKEY TITLE KERNEL CMDLINE
	printf 'title %s\nsort-key %s\nlinux %s\noptions %s\n' "$3" "$2" "$4" "$5" \
		>"$TREE/loader/entries/$1.conf"
}
bls first 1 "First entry" /boot/vmlinuz "console=ttyS0 which=first"
bls second 2 "Second entry" /boot/vmlinuz "console=ttyS0 which=second"
bls broken 3 "Missing kernel" /boot/does-not-exist "console=ttyS0"
printf 'timeout 30\ndefault first\n' >"$TREE/loader/loader.conf"
mke2fs -q -F -t ext4 -d "$TREE" "$WORK/disk.img" 16M

run() { # NAME APPEND SCRIPT WANT...
	local name=$1 append=$2 script=$3 log=$WORK/$1.log
	shift 3
	timeout 150 python3 tests/e2e/serial_driver.py "$log.serial" "$script" -- \
		qemu-system-x86_64 -accel "$(qemu_accel)" -M pc -m 512 -nodefaults -nic none \
		-no-reboot -display none -debugcon "file:$log" \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$LOADER" -append "$append" \
		-drive "if=virtio,format=raw,file=$WORK/disk.img,readonly=on"
	expect_log "$name" "$log" $? 1 "$@"
}

run menu-edit-second "" \
	"expect:any key stops;send: ;expect:Missing kernel;send:{down};send:e;expect:cmdline> ;send:{end} edited=yes\\r" \
	"PROBE linux" "FIELD cmdline=console=ttyS0 which=second edited=yes" "RESULT PASS"
run menu-timeout-zero "timeout=0" "" \
	"PROBE linux" "FIELD cmdline=console=ttyS0 which=first" "RESULT PASS"
run menu-entry-option "entry=second timeout=30" "" \
	"PROBE linux" "FIELD cmdline=console=ttyS0 which=second" "RESULT PASS"
# quiet: the loader's own lines are gone, the kernel's are not, and an
# error still reaches the console (the missing kernel first, then entry 1).
run menu-quiet "entry=broken timeout=-1 quiet" \
	"expect:booting \"Missing kernel\" failed;send:1;send:\\r" \
	"PROBE linux" "FIELD cmdline=console=ttyS0 which=first" "RESULT PASS"
info='^(pvhboot [0-9]|clock:|memory:|vda|menu:|booting "[^"]*"$|handoff:)'
if grep -qE "$info" "$WORK/menu-quiet.log"; then
	echo "not ok menu-quiet-silent: info lines under quiet: $(grep -m2 -E "$info" "$WORK/menu-quiet.log" | tr '\n' '|')"
elif ! grep -q '^error: .*does-not-exist' "$WORK/menu-quiet.log"; then
	echo "not ok menu-quiet-silent: the missing kernel's error was not printed"
else
	echo "ok menu-quiet-silent (only the error, the menu and the kernel's lines)"
fi
run menu-missing-kernel "timeout=-1" \
	"expect:Missing kernel;send:3;send:\\r;expect:booting \"Missing kernel\" failed;send:1;send:\\r" \
	"PROBE linux" "FIELD cmdline=console=ttyS0 which=first" "RESULT PASS"
