#!/bin/bash
# Issue 12: BLS boot counting (systemd's Automatic Boot Assessment) on QEMU
# PVH (virtio), where the loader does not rename files: the tries go to the
# grubenv of the entries' volume (docs/config.md, "Boot counting").
# An ext4 /boot with /boot/loader/entries/good.conf (version 1) and
# new+2-0.conf (version 2, sorted first; loader.conf's default); the "new" kernel never blesses
# itself (nothing renames its file), so it counts as failed every time.
#   pvh-counting   new boots twice (grubenv pvhboot_tries_new+2-0=1, =2),
#                  then good boots, twice; `pvhboot menu` and `pvhboot env`
#                  follow along
#   pvh-no-grubenv no grubenv: new boots, "not counted" warned, disk unchanged
#   pvh-readonly   readonly=on: new boots, the disk is not written
#   pvh-writes-off writes=off: new boots, the disk is not written
# After every run: e2fsck -fn is clean, and the image outside the grubenv's
# blocks is byte for byte what it was (sha256 with those blocks masked).
#   ./bootcount.sh [PATTERN]
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

LOADER=$BUILD/pvhboot.elf
CLI=$BUILD/pvhboot
WORK=${KEEP_WORK:-$(mktemp -d)}
cleanup() { [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"; }
trap cleanup EXIT
FILTER=${1:-}
selected() { case "$1" in *"$FILTER"*) return 0 ;; esac; return 1; }

make_disk() { # OUT [nogrubenv]
	local t=$WORK/tree
	rm -rf "$t"
	mkdir -p "$t/boot/loader/entries" "$t/boot/grub"
	cp "$BUILD/kernels/linux64.bzImage" "$t/boot/vmlinuz-probe"
	printf 'title Good\nversion 1\nlinux /boot/vmlinuz-probe\noptions console=ttyS0 probe=good\n' \
		>"$t/boot/loader/entries/good.conf"
	printf 'title New\nversion 2\nlinux /boot/vmlinuz-probe\noptions console=ttyS0 probe=new\n' \
		>"$t/boot/loader/entries/new+2-0.conf"
	printf 'timeout 0\ndefault new\n' >"$t/boot/loader/loader.conf"
	[ "${2:-}" = nogrubenv ] || grub-editenv "$t/boot/grub/grubenv" create
	mke2fs -q -F -t ext4 -d "$t" "$WORK/part.img" 24M >/dev/null
	rm -f "$1"
	truncate -s 28M "$1"
	printf 'label: gpt\nstart=2048, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n' |
		sfdisk -q --no-reread --no-tell-kernel "$1" >/dev/null
	dd if="$WORK/part.img" of="$1" bs=1M seek=1 conv=notrunc status=none
}

envlist() { # DISK: grub-editenv list of the image's grubenv (read with debugfs)
	dd if="$1" of="$WORK/fs.img" bs=1M skip=1 status=none
	rm -f "$WORK/grubenv.out"
	debugfs -R "dump /boot/grub/grubenv $WORK/grubenv.out" "$WORK/fs.img" >/dev/null 2>&1
	grub-editenv "$WORK/grubenv.out" list
}

boot() { # DISK LOG [RO] [OPTIONS]: one run; prints which probe= booted
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

# run_check NAME DISK WANT [RO] [OPTIONS]: boot, expect probe=WANT, fsck
# clean, nothing outside the grubenv blocks changed.
run_check() {
	local name=$1 disk=$2 want=$3 before got
	before=$(ext4_masked_sum "$disk")
	got=$(boot "$disk" "$WORK/$name.log" "${4:-}" "${5:-}")
	if [ "$got" != "$want" ]; then
		echo "not ok $name: booted '$got', want '$want'; $(grep -E 'error|grubenv|counting' "$WORK/$name.log" | head -n 3 | tr '\n' '|')"
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

tries_var() { envlist "$1" | sed -n 's/^pvhboot_tries_new+2-0=//p'; }

if selected pvh-counting; then
	D=$WORK/count.img
	make_disk "$D"
	ok=1 n=0
	next=$("$CLI" menu "$D" | grep '^next-boot:')
	case "$next" in *"id=new "*) ;; *) echo "not ok pvh-counting: before: $next"; ok=0 ;; esac
	for want in "new 1" "new 2" "good 2" "good 2"; do
		[ $ok = 1 ] || break
		set -- $want
		n=$((n + 1))
		if ! run_check "pvh-counting-$n" "$D" "$1"; then ok=0; break; fi
		got=$(tries_var "$D")
		if [ "$got" != "$2" ]; then
			echo "not ok pvh-counting: run $n: pvhboot_tries_new+2-0='$got', want $2"
			ok=0
		fi
	done
	if [ $ok = 1 ]; then
		menu=$("$CLI" menu "$D")
		env=$("$CLI" env "$D")
		if ! grep -qx 'next-boot: 0 id=good (new is bad: no tries left; first good entry)' <<<"$menu" ||
		   ! grep -q 'tries: 0 left, 2 done (bad: sorted last)' <<<"$menu"; then
			echo "not ok pvh-counting: pvhboot menu: $(grep -E 'next-boot|tries' <<<"$menu" | tr '\n' '|')"
		elif ! grep -qx 'grubenv: hd0p1:/boot/grub/grubenv' <<<"$env" ||
		     ! grep -qx 'pvhboot_tries_new+2-0=2' <<<"$env"; then
			echo "not ok pvh-counting: pvhboot env: $(tr '\n' '|' <<<"$env")"
		else
			echo "ok pvh-counting (new, new, then good twice; grubenv pvhboot_tries_new+2-0=2; $(grep '^next-boot' <<<"$menu"))"
		fi
	fi
fi

if selected pvh-no-grubenv; then
	D=$WORK/nogrubenv.img
	make_disk "$D" nogrubenv
	sum=$(sha256sum <"$D")
	if run_check pvh-no-grubenv-1 "$D" new && run_check pvh-no-grubenv-2 "$D" new; then
		if [ "$(sha256sum <"$D")" != "$sum" ]; then
			echo "not ok pvh-no-grubenv: the image changed"
		elif ! grep -q "not counted" "$WORK/pvh-no-grubenv-1.log"; then
			echo "not ok pvh-no-grubenv: no warning"
		else
			echo "ok pvh-no-grubenv (new boots every time; $(grep -m1 -o 'boot counting:.*' "$WORK/pvh-no-grubenv-1.log"))"
		fi
	fi
fi

for c in "pvh-readonly ro" "pvh-writes-off - writes=off"; do
	set -- $c
	selected "$1" || continue
	D=$WORK/$1.img
	make_disk "$D"
	sum=$(sha256sum <"$D")
	ro=$2; [ "$ro" = - ] && ro=
	if run_check "$1" "$D" new "$ro" "${3:-}"; then
		if [ "$(sha256sum <"$D")" != "$sum" ]; then
			echo "not ok $1: the image changed"
		else
			echo "ok $1 (not counted, image unchanged: $(grep -m1 -o 'grubenv.*not rewritten.*' "$WORK/$1.log"))"
		fi
	fi
done
