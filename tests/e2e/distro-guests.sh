#!/bin/bash
# Real Debian 12 systems, as debootstrap and their own grub-mkconfig left
# them (tests/guests/debian.sh, cached in ~/.cache/pvhboot/guests), booted
# unchanged by pvhboot to systemd's multi-user.target. A unit in each guest
# prints "=== PVHBOOT-GUEST-OK target=active ..." on the console once the
# target is reached and powers off.
#
#   bios-pvh    bios.img (MBR, /boot on the ext4 root) on QEMU PVH (q35,
#               virtio disk), pvhboot.elf with no options: grub.cfg's
#               default entry after its own 5 s timeout
#   uefi-pvh    uefi.img (GPT: ESP, then the ext4 root) the same way: the
#               ESP holds no menu, the root's grub.cfg does
#   uefi-ovmf   uefi.img with pvhboot.efi as the ESP's EFI/BOOT/BOOTX64.EFI,
#               under OVMF
#   bios-menu, xen-menu  `pvhboot menu` on bios.img and on xen.img (Debian's
#               xen-hypervisor-4.17-amd64 installed: 20_linux_xen's
#               multiboot2 entries, the Xen one its default)
#
#   ./distro-guests.sh [PATTERN]   cases whose name contains PATTERN
#   GUEST_TIMEOUT=900              seconds per boot (default 900: TCG on a
#                                  loaded machine)
# One line per case, "ok NAME" or "not ok NAME: why"; exit 1 if any failed.
# Needs root the first time (tests/guests/debian.sh builds the images).
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

FILTER=${1:-}
TIMEOUT=${GUEST_TIMEOUT:-900}
OVMF=${OVMF:-/usr/share/ovmf/OVMF.fd}
MARKER="=== PVHBOOT-GUEST-OK target=active"
W=$(mktemp -d)
# GUESTS_KEEP=1 keeps the logs (and the OVMF disk copy) for a look afterwards.
[ -n "${GUESTS_KEEP:-}" ] && echo "# work directory: $W" || trap 'rm -rf "$W"' EXIT
FAILED=0
CASES="bios-pvh uefi-pvh uefi-ovmf bios-menu xen-menu"

not_ok() { # NAME WHY
	echo "not ok $1: $2"
	FAILED=1
}
selected() { case "$1" in *"$FILTER"*) return 0 ;; esac; return 1; }

if ! G=$(tests/guests/debian.sh 2>"$W/build.err"); then
	for c in $CASES; do selected "$c" && not_ok "$c" "no guest images: $(tail -n 1 "$W/build.err")"; done
	exit 1
fi
KVER=$(grep -m1 -o 'vmlinuz-[^ ]*' "$G/bios.grub.cfg" | sed 's/^vmlinuz-//')

# boot_case NAME EXPECT-ROOT QEMU-ARGS...: boot until the guest powers off;
# the marker must be on its serial console with the root device it mounted
# (and the line WANT_SERIAL, when set, somewhere in the console's output).
boot_case() {
	local name=$1 want_root=$2 start status line secs
	shift 2
	selected "$name" || return 0
	start=$(date +%s)
	timeout "$TIMEOUT" qemu-system-x86_64 -accel "$(qemu_accel)" -M q35 -m 1024 \
		-nodefaults -nic none -no-reboot -display none \
		-serial "file:$W/$name.serial" -debugcon "file:$W/$name.log" "$@" \
		</dev/null >"$W/$name.qemu" 2>&1
	status=$?
	secs=$(($(date +%s) - start))
	line=$(tr -d '\r' <"$W/$name.serial" | grep -a -m1 -o "$MARKER.*")
	if [ -z "$line" ]; then
		not_ok "$name" "no marker after $secs s (QEMU status $status); loader: $(grep -a -m2 -E 'error|boot' "$W/$name.log" | tr '\n' '|') guest: $(tr -d '\r' <"$W/$name.serial" | grep -a -v '^\s*$' | tail -n 3 | tr '\n' '|')"
	elif [ -n "${WANT_SERIAL:-}" ] && ! grep -a -q -F -- "$WANT_SERIAL" "$W/$name.serial"; then
		not_ok "$name" "marker seen, but not '$WANT_SERIAL'"
	elif [[ "$line" != *" root=$want_root"* ]]; then
		not_ok "$name" "root is not $want_root: $line"
	elif [ "$status" != 0 ]; then
		not_ok "$name" "marker seen, but QEMU ended with status $status, not a power-off"
	else
		echo "ok $name (${line#=== PVHBOOT-GUEST-OK }; power-off after $secs s)"
	fi
}

boot_case bios-pvh /dev/vda1 -kernel "$BUILD/pvhboot.elf" \
	-drive "if=virtio,format=raw,file=$G/bios.img,snapshot=on"
boot_case uefi-pvh /dev/vda2 -kernel "$BUILD/pvhboot.elf" \
	-drive "if=virtio,format=raw,file=$G/uefi.img,snapshot=on"
if selected uefi-ovmf; then
	if [ ! -f "$OVMF" ] || [ ! -f "$BUILD/pvhboot.efi" ]; then
		not_ok uefi-ovmf "needs $OVMF and $BUILD/pvhboot.efi"
	else
		# The cached image stays as built: the loader goes on a copy's ESP
		# (partition 1, from 1 MiB), the removable-media path OVMF boots.
		cp --sparse=always "$G/uefi.img" "$W/uefi-ovmf.img"
		mmd -i "$W/uefi-ovmf.img@@1M" ::/EFI/BOOT
		mcopy -i "$W/uefi-ovmf.img@@1M" "$BUILD/pvhboot.efi" ::/EFI/BOOT/BOOTX64.EFI
		# The kernel must have been started as an EFI one (efi_info given).
		WANT_SERIAL="efi: EFI v" boot_case uefi-ovmf /dev/vda2 -bios "$OVMF" \
			-drive "if=virtio,format=raw,file=$W/uefi-ovmf.img"
		[ -n "${GUESTS_KEEP:-}" ] || rm -f "$W/uefi-ovmf.img"
	fi
fi

# --- the menus pvhboot reads from the images ---------------------------------
# menu_entry OUT ID-PATTERN: the lines of the entries whose id matches,
# without trailing blanks (a module without arguments ends in one).
menu_entry() { printf '%s\n' "$1" | awk -v re="$2" '/^entry /{p = ($3 ~ "^id=" re)} p' | sed 's/ *$//'; }

if selected bios-menu; then
	out=$("$BUILD/pvhboot" menu "$G/bios.img" 2>&1)
	uuid=$(sed -n 's/.*root=UUID=\([0-9a-f-]*\).*/\1/p' "$G/bios.grub.cfg" | head -n 1)
	def=$(menu_entry "$out" "gnulinux-simple-$uuid")
	if ! printf '%s\n' "$out" | grep -qx "default: gnulinux-simple-$uuid"; then
		not_ok bios-menu "default is not Debian's simple entry: $(printf '%s\n' "$out" | grep -m1 '^default')"
	elif ! printf '%s\n' "$def" | grep -qx "  kernel: (UUID=$uuid)/boot/vmlinuz-$KVER" ||
		! printf '%s\n' "$def" | grep -qx "  initrd: (UUID=$uuid)/boot/initrd.img-$KVER" ||
		! printf '%s\n' "$def" | grep -qx "  cmdline: root=UUID=$uuid ro console=ttyS0,115200 console=hvc0"; then
		not_ok bios-menu "default entry: $(printf '%s\n' "$def" | tr '\n' '|')"
	else
		echo "ok bios-menu (grub-mkconfig's default entry: vmlinuz-$KVER, root=UUID=$uuid)"
	fi
fi

if selected xen-menu; then
	out=$("$BUILD/pvhboot" menu "$G/xen.img" 2>&1)
	uuid=$(sed -n 's/.*root=UUID=\([0-9a-f-]*\).*/\1/p' "$G/xen.grub.cfg" | head -n 1)
	xen=$(menu_entry "$out" "xen-gnulinux-simple-$uuid")
	n_xen=$(printf '%s\n' "$out" | grep -c "^  kernel: (UUID=$uuid)/boot/xen-4.17-amd64.gz$")
	dev="(UUID=$uuid)"
	if [ -z "$xen" ]; then
		not_ok xen-menu "no entry xen-gnulinux-simple-$uuid: $(printf '%s\n' "$out" | grep '^entry' | tr '\n' '|')"
	elif ! printf '%s\n' "$out" | grep -qx "default: xen-gnulinux-simple-$uuid"; then
		# xen-hypervisor-common's /etc/default/grub.d/xen.cfg makes Xen the default.
		not_ok xen-menu "default is not the Xen entry: $(printf '%s\n' "$out" | grep -m1 '^default')"
	elif ! printf '%s\n' "$xen" | grep -qx "  kernel: $dev/boot/xen-4.17-amd64.gz" ||
		! printf '%s\n' "$xen" | grep -qx "  protocol: multiboot2" ||
		! printf '%s\n' "$xen" | grep -qx "  cmdline: placeholder" ||
		! printf '%s\n' "$xen" | grep -qx "  module (unzip): $dev/boot/vmlinuz-$KVER placeholder root=UUID=$uuid ro console=ttyS0,115200 console=hvc0" ||
		! printf '%s\n' "$xen" | grep -qx "  module: $dev/boot/initrd.img-$KVER" ||
		[ "$(printf '%s\n' "$xen" | grep -c '^  module')" != 2 ]; then
		# module2 inflates the dom0 kernel; the initrd is --nounzip.
		not_ok xen-menu "Xen entry: $(printf '%s\n' "$xen" | tr '\n' '|')"
	elif [ "$n_xen" -lt 3 ]; then
		# the simple entry, and in the submenu the normal and recovery ones
		not_ok xen-menu "only $n_xen entries boot Xen"
	else
		echo "ok xen-menu (20_linux_xen: $n_xen Xen entries; the default, multiboot2 xen-4.17-amd64.gz with vmlinuz-$KVER (unzipped) and its initrd (--nounzip) as modules)"
	fi
fi
exit $FAILED
