#!/bin/bash
# Issue 12 from inside a real system: a Debian 12 guest (tests/guests/
# debian.sh) scripts its own next boot with GRUB's own tools, and pvhboot
# follows what they wrote. Five boots of one writable copy of the cached
# image; a unit added to the copy runs one stage per boot, keyed by
# /var/lib/pvhboot-test/stage, prints what it saw on the console and powers
# off (QEMU's -no-reboot ends each run):
#
#   boot 1  the default entry (no `single`); grub-reboot to the recovery
#           entry, named by its id path "gnulinux-advanced-UUID>gnulinux-
#           VERSION-recovery-UUID"; grub-editenv list shows next_entry
#   boot 2  the recovery entry, once: the kernel's command line has
#           `single` (systemd's rescue.target, where the unit runs too);
#           grub-editenv list shows next_entry cleared by the loader
#   boot 3  the default entry again; GRUB_DEFAULT=saved, update-grub,
#           grub-set-default to the recovery entry by its title path
#           ("Advanced options for Debian GNU/Linux>..., (recovery mode)")
#   boot 4, 5  the saved entry both times (`single`), saved_entry kept
#
# Afterwards, from the host: e2fsck -fn of the copy's root is clean, and its
# grubenv (debugfs) holds the saved entry and an empty next_entry.
#
#   guest-grubenv-pvh   bios.img (MBR, /boot on the ext4 root) on QEMU PVH
#                       (q35, virtio disk), pvhboot.elf with no options
#   guest-grubenv-ovmf  uefi.img (GPT: ESP, ext4 root) under OVMF, with
#                       pvhboot.efi as the ESP's EFI/BOOT/BOOTX64.EFI
#
#   ./guest-grubenv.sh [PATTERN]   cases whose name contains PATTERN
#   GUEST_TIMEOUT=600              seconds per boot
#   GUEST_JOBS=2                   cases run at the same time (1 or 2)
#   GUESTS_KEEP=1                  keep the work directory (logs, images)
# One line per case, "ok NAME" or "not ok NAME: why"; exit 1 if any failed.
# Needs root (loop mounts; tests/guests/debian.sh builds the images).
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

FILTER=${1:-}
TIMEOUT=${GUEST_TIMEOUT:-600}
JOBS=${GUEST_JOBS:-2}
OVMF=${OVMF:-/usr/share/ovmf/OVMF.fd}
TAG="=== PVHBOOT-GRUBENV"
W=$(mktemp -d)
cleanup() {
	local m
	for m in "$W"/*.mnt; do
		mountpoint -q "$m" 2>/dev/null && umount "$m"
	done
	if [ -n "${GUESTS_KEEP:-}" ]; then
		echo "# work directory: $W"
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
CASES="guest-grubenv-pvh guest-grubenv-ovmf"
selected() { case "$1" in *"$FILTER"*) return 0 ;; esac; return 1; }

if ! G=$(tests/guests/debian.sh 2>"$W/build.err"); then
	for c in $CASES; do
		selected "$c" && echo "not ok $c: no guest images: $(tail -n 1 "$W/build.err")"
	done
	exit 1
fi

# The stage machine, run by the unit at every boot of the copy.
cat >"$W/pvhboot-grubenv-test" <<'EOF'
#!/bin/sh
# pvhboot's tests/e2e/guest-grubenv.sh: one stage per boot, then power off.
S=/var/lib/pvhboot-test/stage
ENV=/boot/grub/grubenv
stage=$(cat "$S" 2>/dev/null || echo 1)
say() { echo "=== PVHBOOT-GRUBENV stage=$stage $*" >/dev/console; }
env_list() { # TAG: grub-editenv list, one console line each
	[ -f "$ENV" ] || { say "$1 (no grubenv)"; return; }
	grub-editenv "$ENV" list 2>&1 | while IFS= read -r l; do say "$1 $l"; done
}
kver=$(uname -r)
say "cmdline=$(cat /proc/cmdline)"
env_list env-before:
case $stage in
1)
	# grub-install would have made it; no boot loader was installed here.
	[ -f "$ENV" ] || grub-editenv "$ENV" create
	adv=$(grep -o -m1 "gnulinux-advanced-[0-9a-f-]*" /boot/grub/grub.cfg)
	rec=$(grep -o -m1 "gnulinux-$kver-recovery-[0-9a-f-]*" /boot/grub/grub.cfg)
	grub-reboot "$adv>$rec"
	say "grub-reboot rc=$?"
	;;
3)
	sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' /etc/default/grub
	update-grub >/var/lib/pvhboot-test/update-grub.log 2>&1
	say "update-grub rc=$?"
	grep -q 'set default="${saved_entry}"' /boot/grub/grub.cfg && say "grub.cfg default=saved_entry"
	grub-set-default "Advanced options for Debian GNU/Linux>Debian GNU/Linux, with Linux $kver (recovery mode)"
	say "grub-set-default rc=$?"
	;;
esac
env_list env-after:
echo $((stage + 1)) >"$S"
sync
say "done"
systemctl --no-block poweroff
EOF
cat >"$W/pvhboot-grubenv-test.service" <<'EOF'
[Unit]
Description=pvhboot grubenv test: one stage per boot, then power off
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/pvhboot-grubenv-test

[Install]
WantedBy=multi-user.target rescue.target
EOF

# part_of IMG N: "OFFSET SIZE" in bytes of partition N.
part_of() { partx -g -r -o START,SECTORS -n "$2" "$1" | awk '{print $1 * 512, $2 * 512}'; }

# install_unit IMG PART MNT: the test unit in, the marker unit's power-off
# out (the test unit powers off itself, after its stage).
install_unit() {
	local off size
	read -r off size < <(part_of "$1" "$2")
	mkdir -p "$3"
	mount -o "loop,offset=$off,sizelimit=$size" "$1" "$3" || return 1
	install -m 755 "$W/pvhboot-grubenv-test" "$3/usr/local/sbin/"
	install -m 644 "$W/pvhboot-grubenv-test.service" "$3/etc/systemd/system/"
	mkdir -p "$3/etc/systemd/system/rescue.target.wants" "$3/var/lib/pvhboot-test"
	ln -sf /etc/systemd/system/pvhboot-grubenv-test.service "$3/etc/systemd/system/multi-user.target.wants/"
	ln -sf /etc/systemd/system/pvhboot-grubenv-test.service "$3/etc/systemd/system/rescue.target.wants/"
	rm -f "$3/etc/systemd/system/multi-user.target.wants/pvhboot-guest-marker.service"
	umount "$3"
}

# host_check IMG PART OUT: e2fsck -fn of the root, its grubenv into OUT.
host_check() {
	local off size l rc
	read -r off size < <(part_of "$1" "$2")
	l=$(losetup -r --show -f -o "$off" --sizelimit "$size" "$1") || return 1
	e2fsck -fn "$l" >"$3.fsck" 2>&1
	rc=$?
	debugfs -R "cat /boot/grub/grubenv" "$l" 2>/dev/null | grep -a -v '^#' >"$3"
	losetup -d "$l"
	return $rc
}

has_single() { [[ " $1 " == *" single "* ]]; }

# check_boot N SERIAL LOG: the facts of boot N on its console; prints why not.
check_boot() {
	local n=$1 s=$2 log=$3 cmd lines
	lines=$(tr -d '\r' <"$s" | grep -a -o "$TAG stage=.*" | sed "s/^$TAG //")
	cmd=$(tr -d '\r' <"$s" | grep -a -m1 -o 'Command line: .*' | sed 's/^Command line: //')
	if [ -z "$cmd" ]; then
		echo "no kernel command line on the console"
	elif [ -n "$WANT_SERIAL" ] && ! grep -a -q -F -- "$WANT_SERIAL" "$s"; then
		echo "the kernel started, but its console has no '$WANT_SERIAL'"
	elif [ -z "$lines" ]; then
		echo "the kernel started ($cmd), the unit printed nothing"
	elif ! grep -q -x -F "stage=$n done" <<<"$lines"; then
		echo "stage $n not completed: $(tail -n 3 <<<"$lines" | tr '\n' '|')"
	elif [ "$n" = 1 ] || [ "$n" = 3 ]; then
		has_single "$cmd" && echo "the default entry was not booted: $cmd"
	else
		has_single "$cmd" || echo "the recovery entry was not booted: $cmd"
	fi
	# next_entry is cleared before every boot after the first.
	if [ "$n" != 1 ] && grep -q "^stage=$n env-before: next_entry=." <<<"$lines"; then
		echo "next_entry not cleared: $(grep "env-before: next_entry" <<<"$lines")"
	fi
	case $n in
	1) grep -q -x -F "stage=1 env-after: next_entry=$ADV>$REC" <<<"$lines" ||
		echo "grub-reboot did not set next_entry: $(grep -E 'grub-reboot|env-after' <<<"$lines" | tr '\n' '|')" ;;
	2) grep -q "^stage=2 env-before: next_entry=$" <<<"$lines" ||
		echo "no next_entry= line in the guest's grubenv: $(grep env-before <<<"$lines" | tr '\n' '|')"
		grep -q "rewritten in place" "$log" ||
		echo "the loader did not say it rewrote the grubenv: $(grep -a -m2 -i 'grubenv' "$log" | tr '\n' '|')" ;;
	3) grep -q -x -F "stage=3 update-grub rc=0" <<<"$lines" &&
		grep -q -x -F "stage=3 grub.cfg default=saved_entry" <<<"$lines" &&
		grep -q -x -F "stage=3 grub-set-default rc=0" <<<"$lines" &&
		grep -q -x -F "stage=3 env-after: saved_entry=$TITLE" <<<"$lines" ||
		echo "GRUB_DEFAULT=saved / grub-set-default: $(grep -E 'rc=|default=|env-after' <<<"$lines" | tr '\n' '|')" ;;
	*) grep -q -x -F "stage=$n env-before: saved_entry=$TITLE" <<<"$lines" ||
		echo "saved_entry lost: $(grep env-before <<<"$lines" | tr '\n' '|')" ;;
	esac
}

# scenario NAME IMG PART QEMU-ARGS...: the five boots of one copy; prints
# the case's line.
scenario() {
	local name=$1 img=$2 part=$3 n status start secs why times="" env
	shift 3
	for n in 1 2 3 4 5; do
		start=$(date +%s)
		timeout "$TIMEOUT" qemu-system-x86_64 -accel "$(qemu_accel)" -M q35 -m 1024 \
			-nodefaults -nic none -no-reboot -display none \
			-serial "file:$W/$name.$n.serial" -debugcon "file:$W/$name.$n.log" "$@" \
			-drive "if=virtio,format=raw,file=$img" </dev/null >"$W/$name.$n.qemu" 2>&1
		status=$?
		secs=$(($(date +%s) - start))
		times+="${times:+ + }$secs"
		why=$(check_boot "$n" "$W/$name.$n.serial" "$W/$name.$n.log" | head -n 1)
		if [ -z "$why" ] && [ "$status" != 0 ]; then
			why="QEMU ended with status $status, not a power-off"
		fi
		if [ -n "$why" ]; then
			echo "not ok $name: boot $n after $secs s (QEMU status $status): $why; loader: $(grep -a -m2 -E 'error|warn' "$W/$name.$n.log" | tr '\n' '|') guest: $(tr -d '\r' <"$W/$name.$n.serial" | grep -a -v '^\s*$' | tail -n 2 | tr '\n' '|')"
			return
		fi
	done
	if ! host_check "$img" "$part" "$W/$name.grubenv"; then
		echo "not ok $name: e2fsck -fn of the root after the last boot: $(tail -n 3 "$W/$name.grubenv.fsck" | tr '\n' '|')"
		return
	fi
	env=$(tr '\n' ' ' <"$W/$name.grubenv")
	if ! grep -q -x -F "saved_entry=$TITLE" "$W/$name.grubenv" || grep -q '^next_entry=.' "$W/$name.grubenv"; then
		echo "not ok $name: the image's grubenv afterwards: $env"
		return
	fi
	echo "ok $name (default, grub-reboot's recovery entry once, default, grub-set-default's saved entry twice; boots $times s; e2fsck -fn clean; grubenv: $env)"
}

# run_case NAME IMAGE PART [LOADER-ARGS...]: a sparse copy, the unit added,
# the scenario; the result line into NAME.result.
run_case() {
	local name=$1 src=$2 part=$3
	shift 3
	cp --sparse=always "$G/$src" "$W/$name.img"
	if [ "$name" = guest-grubenv-ovmf ]; then
		mmd -i "$W/$name.img@@1M" ::/EFI/BOOT &&
			mcopy -i "$W/$name.img@@1M" "$BUILD/pvhboot.efi" ::/EFI/BOOT/BOOTX64.EFI ||
			{ echo "not ok $name: pvhboot.efi not copied to the ESP"; return; }
	fi
	if ! install_unit "$W/$name.img" "$part" "$W/$name.mnt"; then
		echo "not ok $name: the test unit not installed"
		return
	fi
	scenario "$name" "$W/$name.img" "$part" "$@"
	[ -n "${GUESTS_KEEP:-}" ] || rm -f "$W/$name.img"
}

uuid_of() { sed -n 's/.*root=UUID=\([0-9a-f-]*\).*/\1/p' "$G/$1" | head -n 1; }
KVER=$(grep -m1 -o 'vmlinuz-[^ ]*' "$G/bios.grub.cfg" | sed 's/^vmlinuz-//')
TITLE="Advanced options for Debian GNU/Linux>Debian GNU/Linux, with Linux $KVER (recovery mode)"

pids=()
start_case() { # NAME IMAGE PART LOADER-ARGS...
	selected "$1" || return 0
	local u
	u=$(uuid_of "${2%.img}.grub.cfg")
	ADV=gnulinux-advanced-$u REC=gnulinux-$KVER-recovery-$u
	# Under OVMF the kernel must have been started as an EFI one.
	WANT_SERIAL=
	[ "$1" = guest-grubenv-ovmf ] && WANT_SERIAL="efi: EFI v"
	run_case "$@" >"$W/$1.result" 2>"$W/$1.err" &
	pids+=($!)
	if [ "${#pids[@]}" -ge "$JOBS" ]; then
		wait "${pids[0]}"
		pids=("${pids[@]:1}")
	fi
}

start_case guest-grubenv-pvh bios.img 1 -kernel "$BUILD/pvhboot.elf"
if selected guest-grubenv-ovmf && { [ ! -f "$OVMF" ] || [ ! -f "$BUILD/pvhboot.efi" ]; }; then
	echo "not ok guest-grubenv-ovmf: needs $OVMF and $BUILD/pvhboot.efi" >"$W/guest-grubenv-ovmf.result"
else
	start_case guest-grubenv-ovmf uefi.img 2 -bios "$OVMF"
fi
wait
FAILED=0
for c in $CASES; do
	selected "$c" || continue
	if [ ! -s "$W/$c.result" ]; then
		echo "not ok $c: no result ($(tail -n 2 "$W/$c.err" 2>/dev/null | tr '\n' '|'))"
		FAILED=1
		continue
	fi
	cat "$W/$c.result"
	grep -q '^not ok' "$W/$c.result" && FAILED=1
done
exit $FAILED
