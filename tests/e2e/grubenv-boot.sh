#!/bin/bash
# Issue 12: the loader's grubenv writes, end to end on QEMU PVH (virtio).
# An ext4 /boot with a grub.cfg in the shape grub-mkconfig writes
# (00_header's next_entry / saved_entry logic, savedefault) and a grubenv
# made and edited by grub-editenv on the host (loop-mounted between runs);
# each run boots the Linux probe, whose command line says which entry ran.
#   next-once        next_entry=beta boots beta once; grub-editenv then shows
#                    next_entry cleared; the next run boots saved_entry again
#   saved-sticks     saved_entry (grub-set-default's key) boots, twice
#   savedefault      an entry calling savedefault stores itself as saved_entry
#   readonly-disk    readonly=on: next_entry boots, the disk is not written
#   writes-off       writes=off on the loader's command line: nothing written
# After every run: e2fsck -fn is clean, and the image outside the grubenv's
# blocks is byte for byte what it was (sha256 with those blocks masked).
#   ./grubenv-boot.sh [PATTERN]
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

LOADER=$BUILD/pvhboot.elf
e2e_work_dir
FILTER=${1:-}
selected() { case "$1" in *"$FILTER"*) return 0 ;; esac; return 1; }

make_disk() { # OUT: GPT disk, ext4 /boot tree in partition 1
	local t=$WORK/tree
	rm -rf "$t"
	mkdir -p "$t/boot/grub"
	cp "$BUILD/kernels/linux64.bzImage" "$t/boot/vmlinuz-probe"
	cat >"$t/boot/grub/grub.cfg" <<'CFG'
# The parts of grub-mkconfig's 00_header that decide the default.
if [ -s $prefix/grubenv ]; then
  set have_grubenv=true
  load_env
fi
if [ "${next_entry}" ] ; then
   set default="${next_entry}"
   set next_entry=
   save_env next_entry
   set boot_once=true
else
   set default="${saved_entry}"
fi
function savedefault {
  if [ -z "${boot_once}" ]; then
    saved_entry="${chosen}"
    save_env saved_entry
  fi
}
set timeout=0
menuentry 'Alpha' --id alpha {
	linux /boot/vmlinuz-probe console=ttyS0 probe=alpha
}
menuentry 'Beta' --id beta {
	linux /boot/vmlinuz-probe console=ttyS0 probe=beta
}
menuentry 'Gamma' --id gamma {
	savedefault
	linux /boot/vmlinuz-probe console=ttyS0 probe=gamma
}
CFG
	grub-editenv "$t/boot/grub/grubenv" create
	mke2fs -q -F -t ext4 -d "$t" "$WORK/part.img" 24M >/dev/null
	gpt_disk "$WORK/part.img" "$1" 0FC63DAF-8483-4772-8E79-3D69D8477DE4
}

# editenv DISK ARGS...: grub-editenv on the image's grubenv, loop-mounted.
editenv() {
	ext4_editenv "$1" /boot/grub/grubenv "${@:2}"
}

envlist() { # DISK: grub-editenv list of the image's grubenv (read with debugfs)
	dd if="$1" of="$WORK/fs.img" bs=1M skip=1 status=none
	rm -f "$WORK/grubenv.out"
	debugfs -R "dump /boot/grub/grubenv $WORK/grubenv.out" "$WORK/fs.img" >/dev/null 2>&1
	grub-editenv "$WORK/grubenv.out" list
}

# boot DISK LOG [RO] [OPTIONS]: one run; prints which probe= booted.
boot() {
	local disk=$1 log=$2 ro=${3:-} opts=${4:-}
	local drive="if=none,id=d0,format=raw,file=$disk"
	[ -n "$ro" ] && drive+=",readonly=on"
	qemu_run 90 "$log" q35 -kernel "$LOADER" -append "$opts" \
		-drive "$drive" -device virtio-blk-pci,drive=d0
	local st=$?
	if [ $st != 1 ] || ! grep -qx "RESULT PASS" "$log"; then
		echo "FAILED($st)"
		return
	fi
	sed -n 's/^FIELD cmdline=.*probe=\([a-z]*\).*/\1/p' "$log" | head -n1
}

# run_check NAME DISK WANT [RO] [OPTIONS]: boot, expect probe=WANT, fsck clean,
# nothing outside the grubenv blocks changed.
run_check() {
	local name=$1 disk=$2 want=$3 before got
	before=$(ext4_masked_sum "$disk")
	got=$(boot "$disk" "$WORK/$name.log" "${4:-}" "${5:-}")
	if [ "$got" != "$want" ]; then
		echo "not ok $name: booted '$got', want '$want'; $(grep -E 'error|grubenv' "$WORK/$name.log" | head -n 3 | tr '\n' '|')"
		return 1
	fi
	if ! ext4_fsck_clean "$disk"; then
		echo "not ok $name: e2fsck: $(tail -n 3 "$WORK/fsck.log" | tr '\n' '|')"
		return 1
	fi
	if [ "$(ext4_masked_sum "$disk")" != "$before" ]; then
		echo "not ok $name: bytes outside the grubenv blocks changed"
		return 1
	fi
	return 0
}

if selected next-once; then
	D=$WORK/next.img
	make_disk "$D"
	editenv "$D" set saved_entry=alpha next_entry=beta
	if run_check next-once-1 "$D" beta; then
		env=$(envlist "$D")
		if ! grep -qx "next_entry=" <<<"$env" || ! grep -qx "saved_entry=alpha" <<<"$env"; then
			echo "not ok next-once: grub-editenv list after the run: $(tr "\n" "|" <<<"$env")"
		elif run_check next-once-2 "$D" alpha; then
			echo "ok next-once (beta once, then alpha; grub-editenv list: $(tr '\n' ' ' <<<"$env"))"
		fi
	fi
fi

if selected saved-sticks; then
	D=$WORK/saved.img
	make_disk "$D"
	editenv "$D" set saved_entry=beta
	run_check saved-sticks-1 "$D" beta && run_check saved-sticks-2 "$D" beta &&
		echo "ok saved-sticks (saved_entry=beta boots twice)"
fi

if selected savedefault; then
	D=$WORK/savedef.img
	make_disk "$D"
	editenv "$D" set saved_entry=alpha
	if run_check savedefault-1 "$D" gamma "" "entry=gamma"; then
		env=$(envlist "$D")
		if ! grep -qx "saved_entry=gamma" <<<"$env"; then
			echo "not ok savedefault: grubenv after: $(tr '\n' '|' <<<"$env")"
		elif run_check savedefault-2 "$D" gamma; then
			echo "ok savedefault (gamma stored itself; the next boot takes it)"
		fi
	fi
fi

if selected readonly-disk; then
	D=$WORK/ro.img
	make_disk "$D"
	editenv "$D" set next_entry=beta
	sum=$(sha256sum <"$D")
	if run_check readonly-disk "$D" beta ro; then
		if [ "$(sha256sum <"$D")" != "$sum" ]; then
			echo "not ok readonly-disk: the image changed"
		elif ! grep -q "read-only" "$WORK/readonly-disk.log"; then
			echo "not ok readonly-disk: no message about the read-only disk"
		else
			echo "ok readonly-disk ($(grep -m1 'read-only' "$WORK/readonly-disk.log"))"
		fi
	fi
fi

if selected writes-off; then
	D=$WORK/off.img
	make_disk "$D"
	editenv "$D" set next_entry=beta
	sum=$(sha256sum <"$D")
	if run_check writes-off "$D" beta "" "writes=off"; then
		if [ "$(sha256sum <"$D")" != "$sum" ]; then
			echo "not ok writes-off: the image changed"
		else
			echo "ok writes-off ($(grep -m1 'writes are off\|writes=off' "$WORK/writes-off.log"))"
		fi
	fi
fi
