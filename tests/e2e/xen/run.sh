#!/bin/bash
# The real-Xen rig: Xen 4.17 from Debian under QEMU TCG with a Debian PV dom0
# (test-rigs.md), which runs `xl create` for PVH domUs whose kernel is
# pvhboot.elf. Prints one "ok NAME" / "not ok NAME: why" line per domain.
# The dom0 disk is built once and cached under ~/.cache/pvhboot/xen.
#   tests/e2e/xen/run.sh            all domains
#   XEN_RIG_TIMEOUT=1500            bound on the whole QEMU run, seconds
#                                   (1800 with the Debian guest)
#   XEN_RIG_SILENCE=240             a console silent this long stops the rig;
#                                   the domains left run once more (240 s then)
#   XEN_RIG_ONLY="xen-rhel-xfs xen-suse-btrfs"   only these domains
#   XEN_GUESTS=1                    add xen-debian to the default domains
#   SKIP_GUESTS=1                   leave xen-grubenv out (no guest disk)
# xen-debian (opt-in: XEN_GUESTS=1, or named in XEN_RIG_ONLY) boots the
# Debian 12 guest disk of tests/guests/debian.sh (cached in
# ~/.cache/pvhboot/guests) through its own grub.cfg; whether its userspace
# then reached multi-user.target is appended to
# ~/.cache/pvhboot/xen/xen-debian-userspace.log, one line a run. It is
# opt-in because glibc userspace on this rig fails at random
# (docs/testing.md), and a failing boot costs 15 minutes.
# xen-grubenv (issue 12 on Xen) boots a writable copy of the same disk
# (made here, in the work directory) four times, its grubenv set by
# grub-reboot and grub-set-default in dom0 (grubenv-dom0), and judges each
# boot from the guest kernel's command line, which is reliable on this rig
# (about 30 s a boot); it runs after the other default domains.
set -u
cd "$(dirname "$0")/../../.." || exit 1
. tests/e2e/lib.sh
RIG=$CACHE/xen
HERE=tests/e2e/xen
mkdir -p "$RIG"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

NAMES="xen-probe xen-linux xen-two-disks xen-xenstore-entry xen-extra-entry xen-corrupt-kernel xen-multiboot1 xen-dead-backend xen-rhel-xfs xen-suse-btrfs"
# xen-grubenv needs the Debian guest disk, like distro-guests.
[ -z "${SKIP_GUESTS:-}" ] || [ "${XEN_GUESTS:-0}" = 1 ] && NAMES="$NAMES xen-grubenv"
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
# grub2-common (grub-editenv, grub-reboot, grub-set-default) is for
# xen-grubenv, which scripts a guest's next boot with GRUB's own tools in dom0.
if [ ! -f "$RIG/dom0.img" ] || [ "$RIG/dom0.img" -ot "$HERE/dom0-init" ] ||
	[ "$RIG/dom0.img" -ot "$HERE/run-domu" ] ||
	! debugfs -R "stat /usr/sbin/grub-reboot" "$RIG/dom0.img" 2>/dev/null | grep -q '^Inode:'; then
	if [ ! -x "$RIG/rootfs/usr/lib/xen-4.17/bin/xl" ]; then
		# The mirror apt already uses, so the rig needs no address of its own.
		mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
		[ -n "$mirror" ] || mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list)
		rm -rf "$RIG/rootfs"
		debootstrap --variant=minbase \
			--include=xen-utils-4.17,xenstore-utils,kmod,udev,busybox,procps,util-linux,e2fsprogs,grub2-common \
			bookworm "$RIG/rootfs" "$mirror" >"$RIG/debootstrap.log" 2>&1 ||
			fail_all "debootstrap failed (see $RIG/debootstrap.log)"
	fi
	if [ ! -x "$RIG/rootfs/usr/sbin/grub-reboot" ]; then
		# A root cached before grub2-common was in the list above: add it
		# rather than debootstrap again.
		{ chroot "$RIG/rootfs" apt-get update &&
			DEBIAN_FRONTEND=noninteractive chroot "$RIG/rootfs" \
				apt-get install -y --no-install-recommends grub2-common &&
			chroot "$RIG/rootfs" apt-get clean; } >"$RIG/apt.log" 2>&1 ||
			fail_all "installing grub2-common into dom0's root failed (see $RIG/apt.log)"
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

# --- xen-grubenv: a writable copy of the same disk, dom0's next /dev/vdX ---
XEN_GRUBENV_DEV=
GRUBENV_ERR=
GRUBENV_IMG=$WORK/grubenv.img
if [[ " $NAMES " == *" xen-grubenv "* ]]; then
	if G=$(tests/guests/debian.sh 2>"$WORK/guests.err") &&
		cp --sparse=always "$G/bios.img" "$GRUBENV_IMG"; then
		GUEST_DRIVE+=(-drive "file=$GRUBENV_IMG,format=raw,if=virtio,cache=unsafe")
		XEN_GRUBENV_DEV=/dev/vd$([ $XEN_DEBIAN = 1 ] && echo d || echo c)
	else
		GRUBENV_ERR="no guest image: $(tail -n 1 "$WORK/guests.err")"
	fi
fi
export XEN_GRUBENV_DEV

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
# xen-grubenv: dom0 ends each boot as soon as the guest kernel's command
# line is on the console (seconds). Once it wedged in one instead (run-domu
# never answered): a boot whose command line has been out for 120 s without
# dom0's RESULT stops QEMU; nothing else can run in a wedged dom0.
ended=
pending=
GRUBENV_WEDGED=
# Nested TCG sometimes wedges dom0 between two domains (seen in about one
# run in ten: its console falls silent). No domain is silent for minutes,
# so a console quiet for XEN_RIG_SILENCE seconds stops QEMU, and the
# domains that did not run get one more rig of their own (below).
silence=${XEN_RIG_SILENCE:-240}
last_size=-1
last_change=$(date +%s)
SILENT=
while kill -0 $qemu 2>/dev/null; do
	size=$(stat -c %s "$LOG" 2>/dev/null || echo 0)
	if [ "$size" != "$last_size" ]; then
		last_size=$size
		last_change=$(date +%s)
	elif [ $(($(date +%s) - last_change)) -ge "$silence" ]; then
		SILENT=1
		kill $qemu 2>/dev/null
		break
	fi
	if [ -n "$XEN_GRUBENV_DEV" ]; then
		booted=$(grep -a -c '^\[xen-grubenv-[1-4]\] .*Command line: root=' "$LOG" 2>/dev/null)
		answered=$(grep -a -c '^RESULT xen-grubenv-[1-4]: ' "$LOG" 2>/dev/null)
		if [ "${booted:-0}" -gt "${answered:-0}" ]; then
			pending=${pending:-$(date +%s)}
		else
			pending=
		fi
		if [ -n "$pending" ] && [ $(($(date +%s) - pending)) -ge 120 ]; then
			GRUBENV_WEDGED=1
			kill $qemu 2>/dev/null
			break
		fi
	fi
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

# boot_fate NAME: how a domain that gave no result ended, from the console:
# its last line, and where it crashed (run-domu's xenctx dump).
boot_fate() {
	local last rip end
	last=$(tr -d '\r' <"$LOG" | grep -a "^\[$1\] ." | tail -n 1 | cut -c1-160)
	# run-domu's word on why it stopped waiting.
	end=$(tr -d '\r' <"$LOG" | grep -a -m 1 "^\[$1-end\] " | sed "s/^\[$1-end\] /; dom0: /")
	if grep -a -q "^\[$1-crash\] " "$LOG"; then
		rip=$(tr -d '\r' <"$LOG" | grep -a -m 1 -E "^\[$1-crash\] +(cs:[er]ip|rip):" | sed "s/^\[$1-crash\] *//")
		echo "the domain crashed (${rip:-no registers}) after: ${last:-nothing}$end"
	else
		echo "its last console line: ${last:-none}$end"
	fi
}

# xen-grubenv (grubenv-dom0): each boot's kernel command line and the loader's
# grubenv write from its console, each grubenv from dom0's grub-editenv, and
# the copy itself from the host: e2fsck -fn clean, grub-editenv's list of its
# grubenv. Prints what it saw, or why not; fails on the first wrong fact.
grubenv_judge() {
	local c=$WORK/grubenv.console n want cmd writes env off l rc
	tr -d '\r' <"$LOG" | grep -a -E '^\[xen-grubenv-(env|dom0|[1-4])\] ' >"$c"
	if [ ! -s "$c" ]; then
		echo "did not run (QEMU exit $status)"
		return 1
	fi
	if [ -n "$GRUBENV_WEDGED" ]; then
		echo "dom0 gave no RESULT within 120 s of boot $(grep -c '^\[xen-grubenv-[1-4]\] .*Command line: root=' "$c")'s kernel command line (a wedged toolstack; QEMU stopped)"
		return 1
	fi
	grep -q '^\[xen-grubenv-dom0\] grub-reboot rc=0$' "$c" || { echo "grub-reboot in dom0 failed"; return 1; }
	env=$(grep '^\[xen-grubenv-env\] before-1 next_entry=' "$c")
	[[ $env == *'=gnulinux-advanced-'*'>gnulinux-'*'-recovery-'* ]] ||
		{ echo "no next_entry before boot 1: ${env:-nothing}"; return 1; }
	for n in 1 2 3 4; do
		want=$([ $n = 2 ] && echo no || echo yes)
		cmd=$(grep -m 1 "^\[xen-grubenv-$n\] .*Command line: " "$c")
		[ -n "$cmd" ] || { echo "boot $n: no kernel command line; $(boot_fate "xen-grubenv-$n")"; return 1; }
		if [[ "$cmd " == *" single "* ]]; then
			[ $want = yes ] || { echo "boot $n: single, the default entry expected"; return 1; }
		else
			[ $want = no ] || { echo "boot $n: no single, the recovery entry expected"; return 1; }
		fi
		# Only boot 1 has grub.cfg save_env (the cleared next_entry).
		writes=$(grep -c "^\[xen-grubenv-$n\] .*grubenv .*: rewritten in place" "$c")
		[ "$writes" = "$([ $n = 1 ] && echo 1 || echo 0)" ] ||
			{ echo "boot $n: $writes grubenv writes"; return 1; }
		# The write comes before the loader hands over to the kernel.
		[ $n != 1 ] || grep "^\[xen-grubenv-1\] " "$c" |
			grep -m 1 -E ': rewritten in place|^\[xen-grubenv-1\] handoff: ' | grep -q 'rewritten' ||
			{ echo "boot 1: the grubenv written after the handoff"; return 1; }
		# Empty after boots 1 and 2 (grub.cfg's save_env); unset by
		# grub-set-default before boot 3.
		[ $n -gt 2 ] || grep -q -x "\[xen-grubenv-env\] after-$n next_entry=" "$c" ||
			{ echo "after boot $n: next_entry not cleared"; return 1; }
		! grep -q "^\[xen-grubenv-env\] after-$n next_entry=." "$c" ||
			{ echo "after boot $n: $(grep "after-$n next_entry" "$c")"; return 1; }
		grep -q "^\[xen-grubenv-env\] after-$n end " "$c" ||
			{ echo "after boot $n: dom0 did not list the grubenv"; return 1; }
	done
	grep -q '^\[xen-grubenv-dom0\] grub.cfg default=saved_entry: 1$' "$c" &&
		grep -q '^\[xen-grubenv-dom0\] grub-set-default rc=0$' "$c" ||
		{ echo "grub.cfg edit or grub-set-default in dom0 failed"; return 1; }
	for n in 3 4; do
		grep -q "^\[xen-grubenv-env\] after-$n saved_entry=Advanced options for Debian GNU/Linux>.*(recovery mode)$" "$c" ||
			{ echo "after boot $n: saved_entry lost"; return 1; }
	done
	# The copy, from the host.
	off=$(partx -g -r -o START -n 1 "$GRUBENV_IMG" 2>/dev/null) && [ -n "$off" ] ||
		{ echo "the copy has no partition 1"; return 1; }
	l=$(losetup -r --show -f -o $((512 * off)) "$GRUBENV_IMG") || { echo "losetup failed"; return 1; }
	e2fsck -fn "$l" >"$WORK/grubenv.fsck" 2>&1
	rc=$?
	debugfs -R "dump /boot/grub/grubenv $WORK/grubenv.host" "$l" >/dev/null 2>&1
	losetup -d "$l"
	[ $rc = 0 ] || { echo "e2fsck -fn of the copy: exit $rc: $(grep -v -m 1 -E '^(e2fsck |Pass )' "$WORK/grubenv.fsck")"; return 1; }
	env=$(grub-editenv "$WORK/grubenv.host" list 2>&1)
	! grep -q '^next_entry=.' <<<"$env" && grep -q '^saved_entry=Advanced options.*(recovery mode)$' <<<"$env" ||
		{ echo "the copy's grubenv on the host: $(tr '\n' '|' <<<"$env")"; return 1; }
	echo "boots 1-4: recovery (next_entry, cleared by the loader), default, recovery (saved_entry) twice; e2fsck -fn clean; host grubenv: $(tr '\n' ' ' <<<"$env")"
}
judge_all() {
for n in $NAMES; do
	if [ $n = xen-grubenv ] && [ -n "$GRUBENV_ERR" ]; then
		echo "not ok $n: $GRUBENV_ERR"
	elif [ $n = xen-grubenv ]; then
		if why=$(grubenv_judge); then
			echo "ok $n ($why)"
		else
			echo "not ok $n: $why (log: $RIG/last-run.log)"
		fi
	elif [ $n = xen-debian ] && [ -n "$DEBIAN_ERR" ]; then
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
		echo "not ok $n: marker not seen; $(boot_fate "$n") (log: $RIG/last-run.log)"
	else
		echo "not ok $n: did not run (QEMU exit $status; log: $RIG/last-run.log)"
	fi
done

# multiboot2 (issue 11): the probe's PASS, and its report from this domain
# (run-domu prints the domain's hypervisor log lines with this prefix).
if [ -n "${XEN_RIG_ONLY:-}" ] && [[ " $XEN_RIG_ONLY " != *" xen-multiboot2 "* ]]; then
	: # not asked for
elif grep -q "RESULT xen-multiboot2: PASS" "$LOG" &&
	grep -q "^\[xen-multiboot2-dmesg\] .*PROBE multiboot2" "$LOG"; then
	echo "ok xen-multiboot2"
elif grep -q "RESULT xen-multiboot2: " "$LOG"; then
	echo "not ok xen-multiboot2: no PASS from the multiboot2 probe (log: $RIG/last-run.log)"
else
	echo "not ok xen-multiboot2: did not run (QEMU exit $status; log: $RIG/last-run.log)"
fi
}

lines=$(judge_all)
# Once more, alone, in a rig of their own: the domains a rig stopped early
# (silent console, its time bound, a wedged grubenv boot) left without a
# result, and those that crashed before their kernel's first console line
# (nested TCG, test-rigs.md; run-domu's register dump stays in the log,
# and the line says it ran twice).
missing=
if [ -z "${XEN_RIG_RETRY:-}" ]; then
	early='^not ok [^ ]*: .*the domain crashed'
	# Or one whose kernel, handed over to, never said a word before the
	# domain ended (seen once in CI, dom0 telling no more than that).
	early="$early|^not ok [^ ]*: marker not seen; its last console line: \\[[^]]*\\] handoff: "
	[ -n "$SILENT" ] || [ -n "$GRUBENV_WEDGED" ] || [ "$status" = 124 ] &&
		early="$early|^not ok [^ ]*: (did not run|dom0 gave no RESULT)"
	missing=$(grep -E "$early" <<<"$lines" | awk '{ sub(":", "", $3); print $3 }' | tr '\n' ' ')
fi
if [ -n "${missing// /}" ]; then
	why=$([ -n "$SILENT" ] && echo "dom0's console silent for ${silence} s" || echo "QEMU exit $status")
	# The second rig writes last-run.log anew: the first's is kept apart.
	cp "$RIG/last-run.log" "$RIG/first-run.log"
	echo "xen: once more for: $missing(rig: $why; log: $RIG/first-run.log)" >&2
	retry=$(XEN_RIG_RETRY=1 XEN_RIG_SILENCE=240 XEN_RIG_ONLY="$missing" "$0" 2>&1)
	while IFS= read -r line; do
		n=$(awk '{ print ($1 == "not") ? $3 : $2 }' <<<"$line")
		n=${n%:}
		if [[ " $missing " == *" $n "* ]]; then
			r=$(grep -m 1 -E "^(ok|not ok) $n([ :]|$)" <<<"$retry")
			first=${line#not ok $n: }
			echo "${r:-not ok $n: no result from the second rig either} (second rig; the first: ${first% (log: *}, $why; log: $RIG/first-run.log)"
		else
			echo "$line"
		fi
	done <<<"$lines"
else
	printf '%s\n' "$lines"
fi
