#!/bin/bash
# `make run`: boot pvhboot.elf in QEMU (PVH entry, TCG) from a demo disk with
# a menu of several kernels. The menu is on this terminal (COM1): arrows or
# numbers choose, `e` edits the command line, Enter boots; after 5 s the
# default boots.
#
# By default that is Debian's own kernel (linux-image-amd64, fetched into
# ~/.cache/pvhboot/debian by fetch-debian.sh) with a small busybox
# initramfs, ending in an interactive shell on this terminal: `poweroff -f`
# leaves, and so does Ctrl-A X (QEMU's escape). The probe kernels are the
# other entries; they print every boot field they checked.
#
#   DEMO=probes make run     the probe demo alone (the Linux-protocol probe
#                            the default, its report checked at the end)
#   DEMO_OPTIONS="entry=mb1 timeout=0"   loader options (boot/options.h)
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

# Debian's kernel and an initramfs of one static busybox whose init gives
# a shell on the console; without Debian's packages the probe demo runs.
DEFAULT=linux
if [ "${DEMO:-debian}" != probes ]; then
	if DEB=$(tests/e2e/fetch-debian.sh 2>"$WORK/fetch.log") && [ -x /bin/busybox ]; then
		I=$WORK/initramfs
		mkdir -p "$I/bin" "$I/proc" "$I/sys" "$I/dev" "$I/tmp"
		cp /bin/busybox "$I/bin/"
		cat >"$I/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo
echo "=== Debian's kernel $(uname -r), started by pvhboot"
echo "=== its command line: $(cat /proc/cmdline)"
echo "=== a busybox shell; 'poweroff -f' (or Ctrl-A X) ends the demo"
# cttyhack opens the console as a real terminal, so job control works.
while true; do setsid cttyhack sh -l; done
INIT
		chmod +x "$I/init"
		(cd "$I" && find . | cpio --quiet -o -H newc | gzip -9) >"$T/boot/initrd-busybox.gz"
		cp "$DEB/vmlinuz" "$T/boot/vmlinuz-debian"
		DEFAULT=debian
	else
		echo "== Debian's kernel could not be fetched ($(tail -n 1 "$WORK/fetch.log")): the probe demo"
	fi
fi

{
	echo "# The demo menu (native format, docs/config.md)."
	echo "timeout 5"
	echo "default $DEFAULT"
	if [ "$DEFAULT" = debian ]; then
		cat <<CFG

entry debian "Debian's kernel (linux-image-amd64) to a busybox shell"
	kernel /boot/vmlinuz-debian
	initrd /boot/initrd-busybox.gz
	cmdline console=ttyS0 panic=-1
CFG
	fi
	cat <<CFG

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
} >"$T/boot/pvhboot.cfg"
mke2fs -q -F -t ext4 -L demo -d "$T" "$WORK/part.img" 48M
truncate -s 56M "$WORK/disk.img"
printf 'label: gpt\nstart=2048, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="boot"\n' |
	sfdisk -q --no-reread --no-tell-kernel "$WORK/disk.img" >/dev/null
dd if="$WORK/part.img" of="$WORK/disk.img" bs=1M seek=1 conv=notrunc status=none

echo "== pvhboot.elf on QEMU q35 (TCG) with a GPT disk: ext4 /boot/pvhboot.cfg"
if [ "$DEFAULT" = debian ]; then
	echo "== the menu comes up on this terminal; its default, Debian's kernel, ends in a shell"
	echo "== (Ctrl-A X quits QEMU at any time)"
else
	echo "== the menu comes up on this terminal; the probe's report follows"
fi
# A person at a terminal has no time limit (and QEMU must stay in the
# terminal's foreground process group to read it); a script or CI gets
# 5 minutes.
qemu=(qemu-system-x86_64 -accel "$(qemu_accel)" -M q35 -m 512 -nodefaults -nic none
	-no-reboot -display none -serial mon:stdio -debugcon "file:$WORK/e9.log"
	-device isa-debug-exit,iobase=0xf4,iosize=4 -kernel "$BUILD/pvhboot.elf" -append "${DEMO_OPTIONS:-}"
	-drive "if=virtio,format=raw,file=$WORK/disk.img,readonly=on")
if [ -t 0 ]; then
	"${qemu[@]}"
else
	timeout 300 "${qemu[@]}"
fi
status=$?
echo
if grep -q "^PROBE" "$WORK/e9.log"; then
	echo "== what the kernel reported (debug port):"
	grep -E "^(PROBE|FIELD (cmdline|entry|nr_modules|load|loader)|RESULT)" "$WORK/e9.log"
fi
if [ $status = 1 ]; then
	echo "== the kernel checked every field it was given: PASS"
elif [ $status = 0 ] && [ "$DEFAULT" = debian ] && ! grep -q "^PROBE" "$WORK/e9.log"; then
	echo "== the guest powered off"
else
	echo "== demo ended with QEMU exit status $status"
	exit 1
fi
