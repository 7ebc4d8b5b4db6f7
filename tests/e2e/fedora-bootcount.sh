#!/bin/bash
# Issue 12: Fedora's own boot counting, end to end on QEMU PVH (virtio).
# A GPT disk with a separate ext4 /boot (the UUID Fedora's grub.cfg searches
# for) holding Fedora 40's generated grub2/grub.cfg verbatim
# (tests/config-corpus/fedora40: 00_header, 08_fallback_counting, blscfg,
# 10_reset_boot_success, 12_menu_auto_hide) and two BLS entries: the newer
# kernel (6.9.0, entry 0, the default) fails (the Linux probe, told of an
# initrd it was not given: RESULT FAIL), the older one (6.8.5, entry 1) is
# good. The grubenv is made and edited with grub-editenv, and read back with
# grub-editenv list after every boot.
#   fedora-fallback   boot_counter=2 boot_success=0: entry 0 (counter 1),
#                     entry 0 (counter 0), then entry 1 with default=1 and
#                     boot_counter=-1 saved, then entry 1 again without a
#                     write (the disk byte for byte unchanged); boot_success
#                     stays 0 and boot_indeterminate is never written
#   fedora-success    boot_success=1 boot_indeterminate=1 menu_auto_hide=1:
#                     no counting; `pvhboot menu` says timeout 1 (menu hidden);
#                     the saved entry boots; boot_success=0 and
#                     boot_indeterminate=0 saved; then boot_indeterminate=1
#                     (a first boot of a new entry) becomes 2, once
# After every run: e2fsck -fn is clean, and the image outside the grubenv's
# blocks is byte for byte what it was (sha256 with those blocks masked).
#   ./fedora-bootcount.sh [PATTERN]
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

LOADER=$BUILD/pvhboot.elf
CLI=$BUILD/pvhboot
e2e_work_dir
FILTER=${1:-}
selected() { case "$1" in *"$FILTER"*) return 0 ;; esac; return 1; }
ENV=/grub2/grubenv
# The machine id and /boot UUID of the corpus's grub.cfg.
MID=9c3f1a6e2b8d4f7a8e5c1b2d3a4f6e7d
BOOT_UUID=6a4b2c1d-9e8f-4d7c-a5b3-1e2f3a4b5c6d
BAD=6.9.0-1.fc40.x86_64
GOOD=6.8.5-301.fc40.x86_64

bls() { # TREE VERSION PROBE-OPTIONS: an entry as kernel-install writes it on Fedora 40
	cat >"$1/loader/entries/$MID-$2.conf" <<-CONF
		title Fedora Linux ($2) 40 (Workstation Edition)
		version $2
		linux /vmlinuz-$2
		options \$kernelopts console=ttyS0 $3
		grub_users \$grub_users
		grub_arg --unrestricted
		grub_class fedora
	CONF
}

make_disk() { # OUT GRUB-EDITENV-SET-ARGS...
	local out=$1 t=$WORK/tree
	shift
	rm -rf "$t"
	mkdir -p "$t/grub2" "$t/loader/entries"
	cp tests/config-corpus/fedora40/grub2/grub.cfg "$t/grub2/grub.cfg"
	cp "$BUILD/kernels/linux64.bzImage" "$t/vmlinuz-$BAD"
	cp "$BUILD/kernels/linux64.bzImage" "$t/vmlinuz-$GOOD"
	# initrd_size without an initrd: the probe's initrd check fails (exit 3).
	bls "$t" "$BAD" "probe=bad initrd_size=1"
	bls "$t" "$GOOD" "probe=good"
	grub-editenv "$t/grub2/grubenv" create
	grub-editenv "$t/grub2/grubenv" set "$@"
	mke2fs -q -F -t ext4 -U "$BOOT_UUID" -d "$t" "$WORK/part.img" 24M >/dev/null
	gpt_disk "$WORK/part.img" "$out" BC13C2FF-59E6-4262-A352-B275FD6F7172
}

# editenv DISK ARGS...: grub-editenv on the image's grubenv, loop-mounted.
editenv() {
	ext4_editenv "$1" "$ENV" "${@:2}"
}

envlist() { # DISK: grub-editenv list of the image's grubenv (read with debugfs), sorted, one line
	dd if="$1" of="$WORK/fs.img" bs=1M skip=1 status=none
	rm -f "$WORK/grubenv.out"
	debugfs -R "dump $ENV $WORK/grubenv.out" "$WORK/fs.img" >/dev/null 2>&1
	grub-editenv "$WORK/grubenv.out" list | sort | tr '\n' ' ' | sed 's/ $//'
}

# boot DISK LOG: one run (timeout=0: the menu's wait is not under test);
# prints PROBE:RESULT, e.g. "bad:FAIL" (exit 3) or "good:PASS" (exit 1).
boot() {
	local disk=$1 log=$2
	qemu_run 90 "$log" q35 -kernel "$LOADER" -append "timeout=0" \
		-drive "if=none,id=d0,format=raw,file=$disk" -device virtio-blk-pci,drive=d0
	local st=$? probe result
	probe=$(sed -n 's/^FIELD cmdline=.*probe=\([a-z]*\).*/\1/p' "$log" | head -n1)
	result=$(sed -n 's/^RESULT \([A-Z]*\).*/\1/p' "$log" | head -n1)
	case "$st:$result" in
	1:PASS | 3:FAIL) echo "$probe:$result" ;;
	*) echo "FAILED($st)" ;;
	esac
}

# run_check NAME DISK WANT-BOOT WANT-ENV: boot, expect PROBE:RESULT, the
# grubenv (grub-editenv list, sorted), e2fsck clean, nothing outside the
# grubenv blocks changed.
run_check() {
	local name=$1 disk=$2 want=$3 want_env=$4 before got env
	before=$(ext4_masked_sum "$disk" "$ENV")
	got=$(boot "$disk" "$WORK/$name.log")
	if [ "$got" != "$want" ]; then
		echo "not ok $name: booted '$got', want '$want'; $(grep -E 'error|grubenv|warn' "$WORK/$name.log" | head -n 3 | tr '\n' '|')"
		return 1
	fi
	env=$(envlist "$disk")
	if [ "$env" != "$want_env" ]; then
		echo "not ok $name: grubenv '$env', want '$want_env'"
		return 1
	fi
	if ! ext4_fsck_clean "$disk"; then
		echo "not ok $name: e2fsck: $(tail -n 3 "$WORK/fsck.log" | tr '\n' '|')"
		return 1
	fi
	if [ "$(ext4_masked_sum "$disk" "$ENV")" != "$before" ]; then
		echo "not ok $name: bytes outside the grubenv blocks changed"
		return 1
	fi
	return 0
}

if selected fedora-fallback; then
	D=$WORK/fallback.img
	make_disk "$D" boot_counter=2 boot_success=0
	# 08_fallback_counting decrements and saves; 10_reset_boot_success saves
	# boot_success=0 and an unset boot_indeterminate (save_env of an unset
	# variable removes it, so it never appears).
	if run_check fedora-fallback-1 "$D" bad:FAIL "boot_counter=1 boot_success=0" &&
	   run_check fedora-fallback-2 "$D" bad:FAIL "boot_counter=0 boot_success=0" &&
	   run_check fedora-fallback-3 "$D" good:PASS "boot_counter=-1 boot_success=0"; then
		# Counter -1 stays -1 and everything saved is what is there: no write at all.
		sum=$(sha256sum <"$D")
		if run_check fedora-fallback-4 "$D" good:PASS "boot_counter=-1 boot_success=0"; then
			if [ "$(sha256sum <"$D")" != "$sum" ]; then
				echo "not ok fedora-fallback: run 4 wrote the disk, though nothing changed"
			else
				echo "ok fedora-fallback (entry 0 failed at boot_counter 1 and 0, then entry 1 with boot_counter=-1; run 4 wrote nothing)"
			fi
		fi
	fi
fi

if selected fedora-success; then
	D=$WORK/success.img
	make_disk "$D" "saved_entry=$MID-$GOOD" menu_auto_hide=1 boot_success=1 boot_indeterminate=1
	menu=$("$CLI" menu "$D")
	base="menu_auto_hide=1 saved_entry=$MID-$GOOD"
	if ! grep -q '^timeout: 1' <<<"$menu"; then
		echo "not ok fedora-success: pvhboot menu: $(grep -E '^(timeout|default)' <<<"$menu" | tr '\n' '|')"
	elif run_check fedora-success-1 "$D" good:PASS \
		"boot_indeterminate=0 boot_success=0 $base"; then
		editenv "$D" set boot_indeterminate=1
		if run_check fedora-success-2 "$D" good:PASS \
			"boot_indeterminate=2 boot_success=0 $base" &&
		   run_check fedora-success-3 "$D" good:PASS \
			"boot_indeterminate=2 boot_success=0 $base"; then
			echo "ok fedora-success (no counting; menu hidden, 1 s; boot_indeterminate 1 -> 0, then 1 -> 2 and stays)"
		fi
	fi
fi
