#!/bin/bash
# Build two GPT disks laid out as two distributions install them, for
# tests/e2e/distro-fs.sh (QEMU PVH and OVMF) and tests/e2e/xen/make-guests.sh
# (the real-Xen rig), which boot the same images:
#
#   rhel.img  RHEL/Fedora: 1 ESP (FAT32, \EFI\BOOT\BOOTX64.EFI = pvhboot.efi),
#             2 a separate XFS v5 /boot: grub2/grub.cfg (Fedora's, calling
#             blscfg), grub2/grubenv (saved_entry, kernelopts written by
#             grub-editenv), loader/entries/MACHINEID-VERSION.conf with
#             `options $kernelopts ...`; paths relative to that partition
#             (/vmlinuz-VERSION), as on RHEL. The newest entry is not the
#             saved one: only grubenv makes the right one the default.
#   suse.img  openSUSE: 1 the same ESP, 2 btrfs filled through a mount with
#             compress-force=zstd: subvolumes @, @/.snapshots and
#             @/.snapshots/1/snapshot, the last set as the default
#             (`btrfs subvolume set-default`), holding /boot/grub2/grub.cfg
#             (plain linux/initrd entries, paths relative to the default
#             subvolume) and the kernel; a decoy @/boot/grub2/grub.cfg in
#             the parent subvolume that a loader ignoring the default would
#             find instead.
#
# Both boot KERNEL with an initramfs (busybox) whose init prints
#   === DISTRO-OK <the kernel command line>
# on its console and through /dev/kmsg (so any console the kernel has, ttyS0
# under QEMU, hvc0 in a Xen domU, sees it) and powers off. The default
# entries' command lines end in via=rhel-saved / via=suse-default; every
# other entry says via=wrong-*, so the marker names the entry that booted.
#
# usage: distro-disks.sh OUTDIR KERNEL EFI-LOADER
# Needs root (loop mounts), xfsprogs, btrfs-progs, dosfstools, mtools,
# fdisk, grub-common (grub-editenv), busybox-static, cpio.
set -eu
export PATH=$PATH:/sbin:/usr/sbin
[ $# -eq 3 ] || { echo "usage: $0 OUTDIR KERNEL EFI-LOADER" >&2; exit 2; }
OUT=$1 KERNEL=$2 EFI=$3
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d)
MNT=$W/mnt
mkdir -p "$MNT" "$OUT"
cleanup() {
	# -o loop mounts detach their loop device on umount.
	mountpoint -q "$MNT" && umount "$MNT"
	rm -rf "$W"
}
trap cleanup EXIT

KVER=6.1.0-pvhboot
MID=4f1c2e9a7b3d4c5e8f6a1b2c3d4e5f60
CONSOLES="console=ttyS0 console=hvc0"

# --- the initramfs ----------------------------------------------------------
I=$W/initramfs
mkdir -p "$I/bin" "$I/proc" "$I/sys" "$I/dev"
cp /bin/busybox "$I/bin/"
for a in sh cat mount echo poweroff sleep; do ln -sf busybox "$I/bin/$a"; done
cat >"$I/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev
line="=== DISTRO-OK $(cat /proc/cmdline)"
echo "$line"
# <2>: above `quiet`'s console level, so every console prints it.
echo "<2>$line" >/dev/kmsg
sleep 1
poweroff -f
INIT
chmod +x "$I/init"
(cd "$I" && find . | cpio --quiet -o -H newc | gzip -9) >"$W/initrd.gz"

# --- the ESP ------------------------------------------------------------------
mkfs.fat -C -F 32 -n ESP "$W/esp.img" 65536 >/dev/null
mmd -i "$W/esp.img" ::/EFI ::/EFI/BOOT
mcopy -i "$W/esp.img" "$EFI" ::/EFI/BOOT/BOOTX64.EFI

# gpt_disk OUT PART-IMG PART-TYPE NAME: ESP in partition 1, PART-IMG in 2.
gpt_disk() {
	local out=$1 part=$2 mib
	mib=$(($(stat -c %s "$part") >> 20))
	rm -f "$out"
	truncate -s $((1 + 64 + mib + 1))M "$out"
	printf 'label: gpt\nstart=2048, size=131072, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="EFI System Partition"\nstart=133120, size=%d, type=%s, name="%s"\n' \
		$((mib << 11)) "$3" "$4" | sfdisk -q --no-reread --no-tell-kernel "$out" >/dev/null
	dd if="$W/esp.img" of="$out" bs=1M seek=1 conv=notrunc,sparse status=none
	dd if="$part" of="$out" bs=1M seek=65 conv=notrunc,sparse status=none
}

# --- RHEL: XFS /boot ----------------------------------------------------------
T=$W/rhel
mkdir -p "$T/grub2" "$T/loader/entries"
cp "$KERNEL" "$T/vmlinuz-$KVER.el9.x86_64"
cp "$W/initrd.gz" "$T/initramfs-$KVER.el9.x86_64.img"
# Fedora's generated grub.cfg (tests/config-corpus/fedora40): load_env,
# saved_entry, the fallback kernelopts, `blscfg`.
cp "$ROOT/tests/config-corpus/fedora40/grub2/grub.cfg" "$T/grub2/grub.cfg"
grub-editenv "$T/grub2/grubenv" create
grub-editenv "$T/grub2/grubenv" set "saved_entry=$MID-$KVER.el9.x86_64" \
	"kernelopts=root=/dev/mapper/rhel-root ro $CONSOLES panic=-1" boot_success=1
bls() { # VERSION-FILE OPTIONS
	cat >"$T/loader/entries/$MID-$1.conf" <<-CONF
		title Red Hat Enterprise Linux ($1) 9.4 (Plow)
		version $1
		linux /vmlinuz-$KVER.el9.x86_64
		initrd /initramfs-$KVER.el9.x86_64.img
		options $2
		grub_users \$grub_users
		grub_arg --unrestricted
		grub_class rhel
	CONF
}
bls "$KVER.el9.x86_64" '$kernelopts via=rhel-saved'
# Newer by version, so first in BLS order: the default only without grubenv.
bls "6.9.0-1.el9.x86_64" '$kernelopts via=wrong-newest'
bls "0-rescue-$MID" "root=/dev/mapper/rhel-root ro $CONSOLES panic=-1 via=wrong-rescue"
truncate -s 320M "$W/xfs.img"
# The UUID Fedora's grub.cfg searches for (`search --fs-uuid --set=root`).
mkfs.xfs -q -f -L boot -m uuid=6a4b2c1d-9e8f-4d7c-a5b3-1e2f3a4b5c6d "$W/xfs.img"
mount -o loop "$W/xfs.img" "$MNT"
cp -r "$T/." "$MNT/"
umount "$MNT"
xfs_db -r -c version "$W/xfs.img" | grep -q CRC || { echo "rhel: not XFS v5" >&2; exit 1; }
gpt_disk "$OUT/rhel.img" "$W/xfs.img" BC13C2FF-59E6-4262-A352-B275FD6F7172 boot

# --- openSUSE: btrfs, default subvolume a snapper snapshot ------------------
truncate -s 256M "$W/btrfs.img"
mkfs.btrfs -q -f -L root "$W/btrfs.img" >/dev/null
mount -o loop,compress-force=zstd "$W/btrfs.img" "$MNT"
btrfs -q subvolume create "$MNT/@"
btrfs -q subvolume create "$MNT/@/.snapshots"
mkdir "$MNT/@/.snapshots/1"
btrfs -q subvolume create "$MNT/@/.snapshots/1/snapshot"
btrfs -q subvolume set-default "$MNT/@/.snapshots/1/snapshot"
printf '<?xml version="1.0"?>\n<snapshot>\n  <type>single</type>\n  <num>1</num>\n  <description>first root filesystem</description>\n</snapshot>\n' \
	>"$MNT/@/.snapshots/1/info.xml"
S=$MNT/@/.snapshots/1/snapshot
mkdir -p "$S/boot/grub2" "$S/etc" "$MNT/@/boot/grub2"
cp "$KERNEL" "$S/boot/vmlinuz-$KVER-default"
cp "$W/initrd.gz" "$S/boot/initrd-$KVER-default"
ln -s "vmlinuz-$KVER-default" "$S/boot/vmlinuz"
ln -s "initrd-$KVER-default" "$S/boot/initrd"
printf 'NAME="openSUSE Tumbleweed"\nID="opensuse-tumbleweed"\n' >"$S/etc/os-release"
suse_entry() { # TITLE VIA
	cat <<-CFG
		menuentry '$1' --class opensuse --class gnu-linux --class gnu --class os \$menuentry_id_option 'gnulinux-simple-$2' {
			load_video
			set gfxpayload=keep
			insmod gzio
			insmod part_gpt
			insmod btrfs
			search --no-floppy --fs-uuid --set=root $(blkid -o value -s UUID "$W/btrfs.img")
			echo	'Loading Linux $KVER-default ...'
			linux	/boot/vmlinuz-$KVER-default root=UUID=$(blkid -o value -s UUID "$W/btrfs.img") \${extra_cmdline} splash=silent mitigations=auto quiet $CONSOLES panic=-1 via=$2
			echo	'Loading initial ramdisk ...'
			initrd	/boot/initrd-$KVER-default
		}
	CFG
}
{
	printf '# generated by grub2-mkconfig (openSUSE shape)\nset btrfs_relative_path="yes"\n'
	printf 'if [ -s $prefix/grubenv ]; then\n  load_env\nfi\nset default=0\nset timeout=1\n'
	suse_entry "openSUSE Tumbleweed" suse-default
	echo "submenu 'Advanced options for openSUSE Tumbleweed' --hotkey=1 \$menuentry_id_option 'gnulinux-advanced' {"
	suse_entry "openSUSE Tumbleweed, with Linux $KVER-default" wrong-advanced
	echo "}"
} >"$S/boot/grub2/grub.cfg"
# The decoy: what a loader reading @ instead of the default subvolume finds.
sed 's/via=suse-default/via=wrong-subvol/' "$S/boot/grub2/grub.cfg" >"$MNT/@/boot/grub2/grub.cfg"
umount "$MNT"
gpt_disk "$OUT/suse.img" "$W/btrfs.img" 0FC63DAF-8483-4772-8E79-3D69D8477DE4 root
