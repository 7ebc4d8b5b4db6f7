#!/bin/bash
# The real-Xen rig: Xen 4.17 from Debian under QEMU TCG with a Debian PV dom0
# (test-rigs.md), which runs `xl create` for PVH domUs whose kernel is
# pvhboot.elf. Prints one "ok NAME" / "not ok NAME: why" line per domain.
# The dom0 disk is built once and cached under ~/.cache/pvhboot/xen.
#   tests/e2e/xen/run.sh            all domains
#   XEN_RIG_TIMEOUT=1500            bound on the whole QEMU run, seconds
#                                   (1800 with the Debian guest)
#   XEN_RIG_ONLY="xen-rhel-xfs xen-suse-btrfs"   only these domains
#   XEN_GUESTS=1                    add xen-debian to the default domains
# xen-debian (opt-in: XEN_GUESTS=1, or named in XEN_RIG_ONLY) boots the
# Debian 12 guest disk of tests/guests/debian.sh (cached in
# ~/.cache/pvhboot/guests) through its own grub.cfg; whether its userspace
# then reached multi-user.target is appended to
# ~/.cache/pvhboot/xen/xen-debian-userspace.log, one line a run. It is
# opt-in because glibc userspace on this rig fails at random
# (docs/testing.md), and a failing boot costs 15 minutes.
set -u
cd "$(dirname "$0")/../../.." || exit 1
. tests/e2e/lib.sh
RIG=$CACHE/xen
HERE=tests/e2e/xen
mkdir -p "$RIG"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

NAMES="xen-probe xen-linux xen-two-disks xen-xenstore-entry xen-extra-entry xen-corrupt-kernel xen-multiboot1 xen-dead-backend xen-rhel-xfs xen-suse-btrfs"
[ "${XEN_GUESTS:-0}" = 1 ] && NAMES="$NAMES xen-debian"
NAMES=${XEN_RIG_ONLY:-$NAMES}

fail_all() {
	for n in $NAMES; do
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

# --- the Debian guest: dom0's /dev/vdc, QEMU's snapshot of the cached disk ---
GUEST_DRIVE=()
XEN_DEBIAN=0
DEBIAN_ERR=
if [[ " $NAMES " == *" xen-debian "* ]]; then
	if G=$(tests/guests/debian.sh 2>"$WORK/guests.err"); then
		GUEST_DRIVE=(-drive "file=$G/bios.img,format=raw,if=virtio,cache=unsafe,snapshot=on")
		XEN_DEBIAN=1
	else
		DEBIAN_ERR="no guest image: $(tail -n 1 "$WORK/guests.err")"
	fi
fi
export XEN_DEBIAN

# --- the payload: loader, guest disks, xl configs, the dom0 script ----------
P=$WORK/payload
mkdir -p "$P"
"$HERE/make-guests.sh" "$P" "$KVER" || fail_all "building the guest disks failed"
if [ -n "${XEN_RIG_ONLY:-}" ]; then
	# dom0 runs only the run-domu lines of the domains asked for.
	awk -v only=" $XEN_RIG_ONLY " '!/run-domu / { print; next }
		{ for (i = 1; i < NF; i++) if ($i == "run-domu") break
		  if (index(only, " " $(i + 1) " ")) print }' "$P/run.sh" >"$P/run.sh.only"
	cat "$P/run.sh.only" >"$P/run.sh"
	rm "$P/run.sh.only"
fi

# --- boot ---------------------------------------------------------------------
mkfs.ext2 -q -F -d "$P" "$WORK/payload.img" $(($(du -sm "$P" | cut -f1) * 2 + 32))M
LOG=$WORK/xen.log
limit=${XEN_RIG_TIMEOUT:-$([ $XEN_DEBIAN = 1 ] && echo 1800 || echo 1500)}
timeout "$limit" qemu-system-x86_64 -accel tcg,thread=multi \
	-cpu max,-smap,-rdtscp -smp 1 -m 3072 -display none -no-reboot -nodefaults \
	-drive "file=$RIG/dom0.img,format=raw,if=virtio,cache=unsafe,snapshot=on" \
	-drive "file=$WORK/payload.img,format=raw,if=virtio,snapshot=on" "${GUEST_DRIVE[@]}" \
	-kernel "$RIG/xen.elf" \
	-append "console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M dom0_max_vcpus=1 loglvl=all guest_loglvl=all" \
	-initrd "/boot/vmlinuz-$KVER root=/dev/vda rw console=hvc0 init=/sbin/pvhboot-rig-init panic=-1,/boot/initrd.img-$KVER" \
	-serial stdio </dev/null >"$LOG" 2>&1 &
qemu=$!
# xen-debian is the last domain. Its teardown in dom0 has wedged the
# toolstack (no RESULT line, QEMU up to its bound): once the guest has
# powered off or dom0 has judged it, allow dom0 30 s more, then stop.
ended=
while kill -0 $qemu 2>/dev/null; do
	if [ $XEN_DEBIAN = 1 ] && [ -z "$ended" ] &&
		grep -a -q -E '^\[xen-debian\] .*reboot: (System halted|Power down)|RESULT xen-debian: ' "$LOG" 2>/dev/null; then
		ended=$(date +%s)
	fi
	if [ -n "$ended" ] && { grep -a -q "RESULT xen-debian: " "$LOG" 2>/dev/null && sleep 5 ||
		[ $(($(date +%s) - ended)) -ge 30 ]; }; then
		kill $qemu 2>/dev/null
		break
	fi
	sleep 2
done
wait $qemu
status=$?
cp "$LOG" "$RIG/last-run.log"
for n in $NAMES; do
	if [ $n = xen-debian ] && [ -n "$DEBIAN_ERR" ]; then
		echo "not ok $n: $DEBIAN_ERR"
	elif [ $n = xen-debian ]; then
		# Judged from the guest's console lines (dom0 prefixes them with
		# [xen-debian]), which dom0's run-domu judges too, as dom0 may be
		# wedged after the guest's teardown.
		tr -d '\r' <"$LOG" | grep -a '^\[xen-debian\] ' >"$WORK/debian.console"
		mounted=$(grep -c 'EXT4-fs (xvda1): mounted filesystem' "$WORK/debian.console")
		init=$(grep -c -E 'systemd\[1\]: |/sbin/tomoyo-init does not exist' "$WORK/debian.console")
		# Not anchored: systemd's status line may leave an escape before it.
		if grep -q '=== PVHBOOT-GUEST-OK target=active' "$WORK/debian.console"; then
			then=yes
		else
			then=no
		fi
		if [ "$mounted" -gt 0 ] && [ "$init" -gt 0 ]; then
			echo "$(date -u +%FT%TZ) $then" >>"$RIG/xen-debian-userspace.log"
			echo "ok $n (its kernel mounted xvda1 and started systemd; multi-user.target reached: $then, in $(grep -c ' yes$' "$RIG/xen-debian-userspace.log") of $(wc -l <"$RIG/xen-debian-userspace.log") passed runs so far)"
		elif [ "$mounted" -gt 0 ]; then
			echo "not ok $n: root mounted from xvda1, but no init started (log: $RIG/last-run.log)"
		else
			echo "not ok $n: root never mounted from xvda1; last guest lines: $(tail -n 2 "$WORK/debian.console" | cut -c1-120 | tr '\n' '|') (log: $RIG/last-run.log)"
		fi
	elif grep -q "RESULT $n: PASS" "$LOG"; then
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
