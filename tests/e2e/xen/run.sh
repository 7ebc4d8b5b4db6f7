#!/bin/bash
# The real-Xen rig: Xen 4.17 from Debian under QEMU TCG with a Debian PV dom0
# (test-rigs.md), which runs `xl create` for PVH domUs whose kernel is
# pvhboot.elf. Prints one "ok NAME" / "not ok NAME: why" line per domain.
# The dom0 disk is built once and cached under ~/.cache/pvhboot/xen.
#   tests/e2e/xen/run.sh            all domains
#   XEN_RIG_TIMEOUT=900             bound on the whole QEMU run, seconds
set -u
cd "$(dirname "$0")/../../.." || exit 1
. tests/e2e/lib.sh
RIG=$CACHE/xen
HERE=tests/e2e/xen
mkdir -p "$RIG"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail_all() {
	for n in xen-probe xen-linux xen-two-disks xen-xenstore-entry xen-extra-entry xen-corrupt-kernel xen-multiboot1 xen-dead-backend; do
		echo "not ok $n: $1"
	done
	exit 1
}

KVER=$(ls /lib/modules 2>/dev/null | grep amd64 | sort -V | tail -n 1)
[ -n "$KVER" ] && [ -f "/boot/vmlinuz-$KVER" ] && [ -f "/boot/initrd.img-$KVER" ] ||
	fail_all "needs linux-image-amd64 installed on the host (make deps)"
[ -f /boot/xen-4.17-amd64.gz ] || fail_all "needs xen-hypervisor-4.17-amd64 (make deps)"

# --- dom0 root disk, cached --------------------------------------------------
if [ ! -f "$RIG/dom0.img" ] || [ "$RIG/dom0.img" -ot "$HERE/dom0-init" ] ||
	[ "$RIG/dom0.img" -ot "$HERE/run-domu" ]; then
	if [ ! -x "$RIG/rootfs/usr/lib/xen-4.17/bin/xl" ]; then
		# The mirror apt already uses, so the rig needs no address of its own.
		mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
		[ -n "$mirror" ] || mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list)
		rm -rf "$RIG/rootfs"
		debootstrap --variant=minbase \
			--include=xen-utils-4.17,xenstore-utils,kmod,udev,busybox,procps,util-linux,e2fsprogs \
			bookworm "$RIG/rootfs" "$mirror" >"$RIG/debootstrap.log" 2>&1 ||
			fail_all "debootstrap failed (see $RIG/debootstrap.log)"
	fi
	rm -rf "$RIG/rootfs/lib/modules"
	mkdir -p "$RIG/rootfs/lib/modules"
	cp -a "/lib/modules/$KVER" "$RIG/rootfs/lib/modules/"
	install -m755 "$HERE/dom0-init" "$RIG/rootfs/sbin/pvhboot-rig-init"
	install -m755 "$HERE/run-domu" "$RIG/rootfs/usr/local/bin/run-domu"
	rm -f "$RIG/dom0.img"
	mkfs.ext4 -q -F -L dom0 -d "$RIG/rootfs" "$RIG/dom0.img" 2G || fail_all "mkfs of dom0 failed"
fi
[ -f "$RIG/xen.elf" ] || zcat /boot/xen-4.17-amd64.gz >"$RIG/xen.elf"

# --- the payload: loader, guest disks, xl configs, the dom0 script ----------
P=$WORK/payload
mkdir -p "$P"
"$HERE/make-guests.sh" "$P" "$KVER" || fail_all "building the guest disks failed"

# --- boot ---------------------------------------------------------------------
mkfs.ext2 -q -F -d "$P" "$WORK/payload.img" $(($(du -sm "$P" | cut -f1) * 2 + 32))M
LOG=$WORK/xen.log
timeout "${XEN_RIG_TIMEOUT:-900}" qemu-system-x86_64 -accel tcg,thread=multi \
	-cpu max,-smap,-rdtscp -smp 1 -m 3072 -display none -no-reboot -nodefaults \
	-drive "file=$RIG/dom0.img,format=raw,if=virtio,cache=unsafe,snapshot=on" \
	-drive "file=$WORK/payload.img,format=raw,if=virtio,snapshot=on" \
	-kernel "$RIG/xen.elf" \
	-append "console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M dom0_max_vcpus=1 loglvl=all guest_loglvl=all" \
	-initrd "/boot/vmlinuz-$KVER root=/dev/vda rw console=hvc0 init=/sbin/pvhboot-rig-init panic=-1,/boot/initrd.img-$KVER" \
	-serial stdio </dev/null >"$LOG" 2>&1
status=$?
cp "$LOG" "$RIG/last-run.log"
for n in xen-probe xen-linux xen-two-disks xen-xenstore-entry xen-extra-entry xen-corrupt-kernel xen-multiboot1 xen-dead-backend; do
	if grep -q "RESULT $n: PASS" "$LOG"; then
		echo "ok $n"
	elif grep -q "RESULT $n: FAIL" "$LOG"; then
		echo "not ok $n: marker not seen (log: $RIG/last-run.log)"
	else
		echo "not ok $n: did not run (QEMU exit $status; log: $RIG/last-run.log)"
	fi
done

# multiboot2 (issue 11): the probe's PASS, and its report from this domain
# (run-domu prints the domain's hypervisor log lines with this prefix).
if grep -q "RESULT xen-multiboot2: PASS" "$LOG" &&
	grep -q "^\[xen-multiboot2-dmesg\] .*PROBE multiboot2" "$LOG"; then
	echo "ok xen-multiboot2"
elif grep -q "RESULT xen-multiboot2: " "$LOG"; then
	echo "not ok xen-multiboot2: no PASS from the multiboot2 probe (log: $RIG/last-run.log)"
else
	echo "not ok xen-multiboot2: did not run (QEMU exit $status; log: $RIG/last-run.log)"
fi
