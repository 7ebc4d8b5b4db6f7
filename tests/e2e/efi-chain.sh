#!/bin/bash
# EFI chainloading under OVMF (q35, TCG): pvhboot.efi starts other EFI
# programs from its menu with LoadImage/StartImage, each named by the
# device path of the partition it lives on, its entry's arguments as
# LoadOptions.
#
#   ipxe      Debian's ipxe.efi (native `efi` entry) prints its banner
#   xen       Debian's xen-4.17-amd64.efi (a grub.cfg `chainloader` entry)
#             reads the xen.cfg next to it on the ESP and boots dom0 (Debian's
#             kernel) to its busybox initramfs
#   return    an EFI program that returns (iPXE, finding no network device
#             on a machine without one) brings pvhboot's menu back with the
#             status it returned
#
#   ./efi-chain.sh [PATTERN]   cases whose name contains PATTERN
# One line per case, "ok NAME" or "not ok NAME: why"; exit 1 if any failed.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

EFI=$BUILD/pvhboot.efi
OVMF=${OVMF:-/usr/share/ovmf/OVMF.fd}
IPXE=/usr/lib/ipxe/ipxe.efi
FILTER=${1:-}
WORK=$(mktemp -d)
[ -n "${EFI_CHAIN_KEEP:-}" ] && echo "# work directory: $WORK" || trap 'rm -rf "$WORK"' EXIT
FAILED=0
not_ok() { echo "not ok $1: $2"; FAILED=1; }
selected() { case "$1" in *"$FILTER"*) return 0 ;; esac; return 1; }

for f in "$EFI" "$OVMF" "$IPXE"; do
	[ -f "$f" ] || { not_ok efi-chain "$f missing (make; apt-get install ovmf ipxe)"; exit 1; }
done
DEB=$(tests/e2e/fetch-debian.sh 2>"$WORK/fetch.log") ||
	{ not_ok efi-chain "fetching Debian packages failed: $(tail -n 1 "$WORK/fetch.log")"; exit 1; }
XEN_EFI=$DEB/xen/boot/xen-4.17-amd64.efi

# dom0's initramfs: says where it is and powers off.
I=$WORK/initramfs
mkdir -p "$I/bin" "$I/proc"
cp /bin/busybox "$I/bin/"
for a in sh cat mount echo poweroff; do ln -sf busybox "$I/bin/$a"; done
cat >"$I/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
echo "=== DOM0-INITRAMFS $(cat /proc/cmdline)"
poweroff -f
INIT
chmod +x "$I/init"
(cd "$I" && find . | cpio --quiet -o -H newc | gzip) >"$WORK/initrd.gz"

# The ESP holds everything: the loader, its menu, and the programs it starts.
ESP=$WORK/esp.img DISK=$WORK/disk.img
mkfs.fat -C -F 32 -n ESP "$ESP" 65536 >/dev/null
mmd -i "$ESP" ::/EFI ::/EFI/BOOT ::/EFI/ipxe ::/EFI/xen ::/boot ::/boot/grub
mcopy -i "$ESP" "$EFI" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$ESP" "$IPXE" ::/EFI/ipxe/ipxe.efi
# xen.efi reads xen.cfg, the kernel and the ramdisk from its own directory.
mcopy -i "$ESP" "$XEN_EFI" ::/EFI/xen/xen.efi
mcopy -i "$ESP" "$DEB/vmlinuz" ::/EFI/xen/vmlinuz
mcopy -i "$ESP" "$WORK/initrd.gz" ::/EFI/xen/initrd.gz
cat >"$WORK/xen.cfg" <<'CFG'
[global]
default=debian

[debian]
options=console=com1 loglvl=all dom0_mem=384M
kernel=vmlinuz console=hvc0 panic=-1 via=xen-chain
ramdisk=initrd.gz
CFG
mcopy -i "$ESP" "$WORK/xen.cfg" ::/EFI/xen/xen.cfg
# The menu: grub.cfg as a distro writes it for Xen's EFI image, and native
# entries for the rest (pvhboot.cfg is read first; it includes nothing of
# grub.cfg, so each case names its own config).
cat >"$WORK/pvhboot.cfg" <<'CFG'
timeout -1
entry ipxe "iPXE"
	efi /EFI/ipxe/ipxe.efi
entry return "an EFI program that returns"
	efi /EFI/ipxe/ipxe.efi
CFG
mcopy -i "$ESP" "$WORK/pvhboot.cfg" ::/pvhboot.cfg
cat >"$WORK/grub.cfg" <<'CFG'
menuentry 'Xen 4.17 (EFI)' --id xen-efi {
	insmod part_gpt
	insmod fat
	chainloader /EFI/xen/xen.efi
}
CFG
mcopy -i "$ESP" "$WORK/grub.cfg" ::/boot/grub/grub.cfg

truncate -s 72M "$DISK"
printf 'label: gpt\nstart=2048, size=131072, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="ESP"\n' |
	sfdisk -q --no-reread --no-tell-kernel "$DISK" >/dev/null
dd if="$ESP" of="$DISK" bs=1M seek=1 conv=notrunc status=none

# chain_run NAME OPTIONS TIMEOUT DONE-PATTERN: boot a copy of the disk with
# pvhboot.opt = OPTIONS until the serial console shows DONE-PATTERN.
chain_run() {
	local name=$1 opts=$2 timeout=$3 done=$4 qpid
	cp --sparse=always "$DISK" "$WORK/$name.img"
	printf '%s\n' "$opts" >"$WORK/$name.opt"
	mcopy -o -i "$WORK/$name.img@@1M" "$WORK/$name.opt" ::/EFI/BOOT/pvhboot.opt
	# -smap: a PV dom0 under TCG dies in Xen's create_bounce_frame with it
	# (docs/testing.md, the Xen rig's pitfalls).
	timeout "$timeout" qemu-system-x86_64 -accel tcg -M q35 -m 1024 -cpu max,-smap,-rdtscp \
		-nodefaults -nic none -no-reboot -display none -bios "$OVMF" \
		-drive "if=virtio,format=raw,file=$WORK/$name.img" -debugcon "file:$WORK/$name.log" \
		-serial "file:$WORK/$name.serial" </dev/null >"$WORK/$name.qemu" 2>&1 &
	qpid=$!
	for _ in $(seq $((timeout * 2))); do
		grep -aq "$done" "$WORK/$name.serial" 2>/dev/null && break
		kill -0 $qpid 2>/dev/null || break
		sleep 0.5
	done
	kill $qpid 2>/dev/null
	wait $qpid 2>/dev/null
}

loader_said() { grep -a -m3 -E 'error|starting|returned' "$WORK/$1.log" | tr '\n' '|'; }

if selected ipxe; then
	chain_run ipxe "entry=ipxe" 120 "iPXE initialising devices"
	if ! grep -aqF "/EFI/ipxe/ipxe.efi: starting it" "$WORK/ipxe.log"; then
		not_ok ipxe "not started: $(loader_said ipxe)"
	elif ! grep -aq "iPXE initialising devices" "$WORK/ipxe.serial"; then
		not_ok ipxe "no iPXE banner; loader: $(loader_said ipxe)"
	else
		echo "ok ipxe ($(grep -a -m1 -o 'iPXE [0-9][^ ]*' "$WORK/ipxe.serial" || echo iPXE) started from the menu)"
	fi
fi

if selected xen; then
	chain_run xen "config=/boot/grub/grub.cfg entry=xen-efi" 600 "=== DOM0-INITRAMFS"
	s=$WORK/xen.serial
	if ! grep -aqF "/EFI/xen/xen.efi: starting it" "$WORK/xen.log"; then
		not_ok xen "not started: $(loader_said xen)"
	elif ! grep -aq "=== DOM0-INITRAMFS.*via=xen-chain" "$s"; then
		not_ok xen "dom0 did not reach its initramfs; Xen: $(grep -a -m1 -o 'Xen version 4.17[^ ]*' "$s"); last: $(tail -c 300 "$s" | tr -d '\r' | tr '\n' '|')"
	else
		echo "ok xen (xen.efi read its xen.cfg next to it on the ESP: $(grep -a -m1 -o 'Xen version 4.17[^ ]*' "$s"), dom0 initramfs)"
	fi
fi

if selected return; then
	chain_run return "entry=return" 180 "choose a kernel"
	if ! grep -aq "the image returned" "$WORK/return.log"; then
		not_ok return "the program's return was not reported: $(loader_said return)"
	elif ! grep -aq "choose a kernel" "$WORK/return.serial"; then
		not_ok return "no menu after the return"
	else
		echo "ok return ($(grep -a -m1 -o 'the image returned [A-Za-z_]*' "$WORK/return.log"); the menu is back)"
	fi
fi
exit $FAILED
