#!/bin/bash
# Distribution layouts on XFS and btrfs (issue 10): the two disks of
# tests/e2e/distro-disks.sh, each booted through its menu's default entry
# to Debian's kernel and a busybox initramfs that prints
# "=== DISTRO-OK <cmdline>":
#
#   rhel-xfs-pvh     pvhboot.elf under QEMU PVH (q35, virtio-blk-pci): a
#                    separate XFS v5 /boot, grub2/grub.cfg calling blscfg,
#                    grubenv's saved_entry and $kernelopts
#   suse-btrfs-pvh   the same loader: btrfs (zstd) whose default subvolume
#                    is @/.snapshots/1/snapshot, /boot/grub2/grub.cfg in it
#   rhel-xfs-efi     pvhboot.efi under OVMF from the same disk's ESP; Debian's
#   suse-btrfs-efi   kernel through its EFI stub
#
# The marker must name the default entry (via=rhel-saved, via=suse-default);
# any other entry says via=wrong-*. No interaction and no timeout override:
# the menus' own timeouts (5 s and 1 s) run out.
# The Xen rig boots the same disks (tests/e2e/xen/make-guests.sh).
#   ./distro-fs.sh [PATTERN]   cases whose name contains PATTERN
# Needs root (the disks are filled through loop mounts).
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

OVMF=${OVMF:-/usr/share/ovmf/OVMF.fd}
FILTER=${1:-}
WORK=$(mktemp -d)
[ -n "${DISTRO_FS_KEEP:-}" ] && echo "# work directory: $WORK" >&2 || trap 'rm -rf "$WORK"' EXIT
selected() { case "$1" in *"$FILTER"*) return 0 ;; esac; return 1; }
ALL="rhel-xfs-pvh suse-btrfs-pvh rhel-xfs-efi suse-btrfs-efi"
fail_all() {
	for n in $ALL; do selected "$n" && echo "not ok $n: $1"; done
	exit 1
}

for f in "$BUILD/pvhboot.elf" "$BUILD/pvhboot.efi" "$OVMF"; do
	[ -f "$f" ] || fail_all "$f missing (make; apt-get install ovmf)"
done
[ "$(id -u)" = 0 ] || fail_all "needs root (loop mounts)"
DEB=$(tests/e2e/fetch-debian.sh 2>"$WORK/fetch.log") ||
	fail_all "fetching Debian's kernel failed: $(tail -n 1 "$WORK/fetch.log")"
tests/e2e/distro-disks.sh "$WORK" "$DEB/vmlinuz" "$BUILD/pvhboot.efi" >"$WORK/disks.log" 2>&1 ||
	fail_all "building the disks failed: $(tail -n 2 "$WORK/disks.log" | tr '\n' '|')"

# check NAME VIA STATUS LOG-LINE...: the marker with the default entry's
# via= in the serial log, and each LOG-LINE (a fixed string) in the
# loader's log: the filesystem it mounted, where the menu came from.
check() {
	local name=$1 via=$2 status=$3 serial=$WORK/$1.serial log=$WORK/$1.log marker l
	shift 3
	marker=$(tr -d '\r' <"$serial" | grep -a -m1 '^=== DISTRO-OK ')
	for l in "$@"; do
		grep -aqF -- "$l" "$log" && continue
		echo "not ok $name: the loader did not say '$l': $(grep -a -m3 -E 'menu:|error' "$log" | tr '\n' '|')"
		return
	done
	if [ "$status" = 124 ]; then
		echo "not ok $name: timed out; marker '$marker'; last: $(tail -n 2 "$log" | tr '\n' '|')"
	elif [ -z "$marker" ]; then
		echo "not ok $name: no initramfs marker (exit $status): $(grep -a -m3 -E 'error|warning' "$log" | tr '\n' '|') $(grep -a -m1 'Kernel panic' "$serial")"
	elif [[ "$marker" != *" via=$via" ]]; then
		echo "not ok $name: the wrong entry booted: $marker"
	else
		echo "ok $name ($marker)"
	fi
}

pvh_case() { # NAME DISK VIA LOG-LINE...
	local name=$1 disk=$2 via=$3
	shift 3
	selected "$name" || return 0
	qemu_run 240 "$WORK/$name.log" q35 -m 1024 -serial "file:$WORK/$name.serial" \
		-kernel "$BUILD/pvhboot.elf" \
		-drive "if=none,id=d0,format=raw,file=$WORK/$disk,readonly=on" \
		-device virtio-blk-pci,drive=d0
	check "$name" "$via" $? "$@"
}

efi_case() { # NAME DISK VIA LOG-LINE...
	local name=$1 disk=$2 via=$3
	shift 3
	selected "$name" || return 0
	timeout 300 qemu-system-x86_64 -accel tcg -M q35 -m 1024 -nodefaults -nic none \
		-no-reboot -display none -bios "$OVMF" \
		-drive "if=none,id=d0,format=raw,file=$WORK/$disk,readonly=on" \
		-device virtio-blk-pci,drive=d0 \
		-debugcon "file:$WORK/$name.log" -serial "file:$WORK/$name.serial" \
		</dev/null >"$WORK/$name.qemu" 2>&1
	check "$name" "$via" $? "$@" "starting it (LoadImage/StartImage)" "served through LoadFile2"
}

# The btrfs default subvolume is 258: @ is 256, @/.snapshots 257.
pvh_case rhel-xfs-pvh rhel.img rhel-saved "vda2: xfs label boot" "menu: 3 entries from vda2:/grub2/grub.cfg"
pvh_case suse-btrfs-pvh suse.img suse-default "vda2: btrfs default subvolume 258" \
	"menu: 2 entries from vda2:/boot/grub2/grub.cfg"
efi_case rhel-xfs-efi rhel.img rhel-saved "efia2: xfs label boot" "menu: 3 entries from efia2:/grub2/grub.cfg"
efi_case suse-btrfs-efi suse.img suse-default "efia2: btrfs default subvolume 258" \
	"menu: 2 entries from efia2:/boot/grub2/grub.cfg"
