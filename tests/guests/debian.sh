#!/bin/bash
# Real Debian 12 guest disks for the end-to-end tests, built once with
# debootstrap and cached in ~/.cache/pvhboot/guests (PVHBOOT_CACHE moves it):
#
#   bios.img   MBR, one ext4 partition holding / and /boot (grub-pc-bin)
#   uefi.img   GPT: a FAT32 ESP mounted at /boot/efi, then the ext4 root
#              (grub-efi-amd64-bin); the ESP holds grub-install's
#              EFI/debian/grub.cfg stub, and no boot loader yet
#   xen.img    bios.img's system with xen-hypervisor-4.17-amd64 installed:
#              its grub.cfg has 20_linux_xen's multiboot2/module2 entries,
#              and (Debian's default) the Xen entry is the default
#   NAME.grub.cfg  a copy of each image's /boot/grub/grub.cfg
#
# Each image's grub.cfg is written by its own grub-mkconfig, run in a chroot
# of the mounted image, so grub-probe sees the real partition and its UUID:
# nothing in the files is written by hand but /etc/default/grub (a serial
# console on the kernel command line) and a systemd unit that, once
# multi-user.target is reached, prints
#   === PVHBOOT-GUEST-OK target=active kernel=VERSION root=DEVICE
# on the console and powers off. The initramfs is Debian's default
# (MODULES=most, zstd).
#
# A change to this script rebuilds the images (its hash is the stamp); the
# debootstrap'd tree they are copied from is rebuilt only when base_tree()
# below changes. Prints the cache directory. Needs root (loop devices,
# mount, chroot), debootstrap, fdisk, dosfstools, e2fsprogs.
#   tests/guests/debian.sh            build what is stale, print the directory
#   GUESTS_KEEP_BASE=0                remove the debootstrap'd tree afterwards
set -eu
cd "$(dirname "$0")/../.."
SELF=tests/guests/debian.sh
G=${PVHBOOT_CACHE:-$HOME/.cache/pvhboot}/guests
mkdir -p "$G"
LOG=$G/build.log
export PATH=$PATH:/usr/sbin:/sbin
export LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive

die() {
	echo "debian.sh: $*" >&2
	exit 1
}

# The packages each image adds to the shared tree; they are downloaded into
# the tree's apt cache when it is built, and installed offline per image.
PKGS_bios="grub-pc-bin"
PKGS_uefi="grub-efi-amd64-bin"
PKGS_xen="grub-pc-bin xen-hypervisor-4.17-amd64 xen-hypervisor-common"

# The mirror the host's apt already uses (deb822 or one-line sources), so
# no address is written here.
host_mirror() {
	local m
	m=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
	[ -n "$m" ] || m=$(awk '$1 == "deb" && $2 !~ /^\[/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
	[ -n "$m" ] || die "no Debian mirror in the host's apt sources"
	echo "$m"
}

# --- chroot plumbing ------------------------------------------------------
MOUNTS=()
LOOPS=()
WORK=
cleanup() {
	local i
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${MOUNTS[i]}" 2>/dev/null || umount -l "${MOUNTS[i]}" 2>/dev/null || true
	done
	for i in "${LOOPS[@]}"; do losetup -d "$i" 2>/dev/null || true; done
	[ -n "$WORK" ] && rm -rf "$WORK"
	return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM

mnt() { # mount ARGS... DIR: a mount undone by cleanup
	mount "$@"
	MOUNTS+=("${!#}")
}

# chroot_setup DIR [DEV...]: proc, sys and a private /dev holding the basic
# nodes and DEVs (the image's loop device and its partitions), with
# /dev/disk/by-uuid links for DEVs' file systems as udev would make them:
# grub-mkconfig writes root=UUID= only when that link exists.
chroot_setup() {
	local d=$1 dev uuid
	shift
	mnt -t proc proc "$d/proc"
	mnt -t sysfs sysfs "$d/sys"
	mnt -t tmpfs -o mode=755 devtmp "$d/dev"
	cp -a /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty "$d/dev/"
	mkdir -p "$d/dev/pts" "$d/dev/shm" "$d/dev/disk/by-uuid"
	ln -s /proc/self/fd "$d/dev/fd"
	for dev in "$@"; do
		cp -a "$dev" "$d/dev/"
		uuid=$(blkid -s UUID -o value "$dev" 2>/dev/null) || continue
		[ -n "$uuid" ] && ln -s "../../$(basename "$dev")" "$d/dev/disk/by-uuid/$uuid"
	done
	return 0
}
chroot_teardown() { # undo everything mounted since the last chroot_setup base
	local i
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${MOUNTS[i]}"
	done
	MOUNTS=()
}
in_chroot() { # DIR COMMAND...
	local d=$1
	shift
	chroot "$d" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive HOME=/root "$@"
}

# --- the shared tree --------------------------------------------------------
# debootstrap'd Debian 12 with Debian's kernel, systemd, GRUB's generator
# and the marker unit; each image's own packages only downloaded.
base_tree() {
	local T=$1 mirror
	mirror=$(host_mirror)
	rm -rf "$T"
	debootstrap --variant=minbase \
		--include=systemd-sysv,udev,kmod,initramfs-tools,zstd,linux-image-amd64,grub2-common,dosfstools,e2fsprogs \
		bookworm "$T" "$mirror"
	echo pvhboot-guest >"$T/etc/hostname"
	printf '127.0.0.1\tlocalhost\n127.0.1.1\tpvhboot-guest\n' >"$T/etc/hosts"
	# Debian's /etc/default/grub, with the kernel's console on the serial
	# port (QEMU) or the Xen console (PVH domU), whichever exists, and the
	# kernel's messages shown (no "quiet") so a log says how far it got.
	cat >"$T/etc/default/grub" <<'EOF'
# If you change this file, run 'update-grub' afterwards to update
# /boot/grub/grub.cfg.
GRUB_DEFAULT=0
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`
GRUB_CMDLINE_LINUX_DEFAULT=""
GRUB_CMDLINE_LINUX="console=ttyS0,115200 console=hvc0"
EOF
	cat >"$T/usr/local/sbin/pvhboot-guest-marker" <<'EOF'
#!/bin/sh
# Started once multi-user.target is reached: say so on the console, power off.
msg="=== PVHBOOT-GUEST-OK target=$(systemctl is-active multi-user.target) kernel=$(uname -r) root=$(findmnt -n -o SOURCE /)"
echo "$msg" >/dev/console
echo "$msg" >/dev/kmsg
systemctl --no-block poweroff
EOF
	chmod 755 "$T/usr/local/sbin/pvhboot-guest-marker"
	cat >"$T/etc/systemd/system/pvhboot-guest-marker.service" <<'EOF'
[Unit]
Description=pvhboot test marker: multi-user.target reached, power off
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/pvhboot-guest-marker

[Install]
WantedBy=multi-user.target
EOF
	mkdir -p "$T/etc/systemd/system/multi-user.target.wants"
	ln -sf /etc/systemd/system/pvhboot-guest-marker.service \
		"$T/etc/systemd/system/multi-user.target.wants/pvhboot-guest-marker.service"
	# No password: the serial getty is there for a person looking around.
	in_chroot "$T" passwd -d root
	chroot_setup "$T"
	cp -L /etc/resolv.conf "$T/etc/resolv.conf"
	in_chroot "$T" apt-get install -y -q --download-only --no-install-recommends \
		$PKGS_bios $PKGS_uefi $PKGS_xen
	chroot_teardown
	rm -f "$T/etc/resolv.conf"
	ls "$T"/boot/vmlinuz-* "$T"/boot/initrd.img-* >/dev/null
}

# --- one image ------------------------------------------------------------
# make_image NAME LAYOUT: LAYOUT mbr (one ext4 partition) or gpt (ESP +
# ext4); the tree copied in, NAME's packages installed, grub-mkconfig run.
make_image() {
	local name=$1 layout=$2 img=$G/$1.img.tmp L root esp="" M pkgs uuid
	M=$WORK/mnt-$name
	pkgs=PKGS_$name
	rm -f "$img"
	truncate -s 2G "$img"
	if [ "$layout" = mbr ]; then
		printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$img"
	else
		printf 'label: gpt\nstart=2048, size=200MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\nstart=411648, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n' |
			sfdisk -q "$img"
	fi
	L=$(losetup -P --show -f "$img")
	LOOPS+=("$L")
	if [ "$layout" = mbr ]; then root=${L}p1; else esp=${L}p1 root=${L}p2; fi
	# The partition nodes appear once the kernel has read the table; in a
	# container losetup's scan may not happen at all, and partx asks again.
	for _ in $(seq 20); do [ -b "$root" ] && break; sleep 0.1; done
	[ -b "$root" ] || partx -a "$L" || true
	for _ in $(seq 50); do [ -b "$root" ] && break; sleep 0.1; done
	[ -b "$root" ] || die "no partition device $root"
	mkfs.ext4 -q "$root"
	[ -n "$esp" ] && mkfs.vfat -F 32 "$esp" >/dev/null
	mkdir -p "$M"
	mnt "$root" "$M"
	cp -a "$G/base/." "$M/"
	uuid=$(blkid -s UUID -o value "$root")
	{
		echo "# <file system> <mount point> <type> <options> <dump> <pass>"
		echo "UUID=$uuid / ext4 errors=remount-ro 0 1"
		[ -n "$esp" ] && echo "UUID=$(blkid -s UUID -o value "$esp") /boot/efi vfat umask=0077 0 1"
	} >"$M/etc/fstab"
	if [ -n "$esp" ]; then
		# The ESP is filled with mtools: vfat may not be mountable here
		# (containers), and nothing in the chroot needs it mounted. It
		# holds what grub-install leaves for the signed GRUB: a stub that
		# finds the real grub.cfg by the root file system's UUID.
		mkdir -p "$M/boot/efi"
		printf "search.fs_uuid %s root\nset prefix=(\$root)'/boot/grub'\nconfigfile \$prefix/grub.cfg\n" \
			"$uuid" >"$WORK/stub.cfg"
		mmd -i "$esp" ::/EFI ::/EFI/debian
		mcopy -i "$esp" "$WORK/stub.cfg" ::/EFI/debian/grub.cfg
	fi
	chroot_setup "$M" "$L" $root $esp
	in_chroot "$M" apt-get install -y -q --no-download --no-install-recommends ${!pkgs}
	in_chroot "$M" apt-get clean
	# grub-install would have made the directory; it is not run here (no
	# boot sector or EFI binary: pvhboot is the loader under test).
	mkdir -p "$M/boot/grub"
	in_chroot "$M" grub-mkconfig -o /boot/grub/grub.cfg
	cp "$M/boot/grub/grub.cfg" "$G/$name.grub.cfg.tmp"
	grep -q "root=UUID=$uuid" "$G/$name.grub.cfg.tmp" || die "$name: grub.cfg does not name root=UUID=$uuid"
	chroot_teardown
	sync
	losetup -d "$L"
	LOOPS=()
	mv "$G/$name.grub.cfg.tmp" "$G/$name.grub.cfg"
	mv "$img" "$G/$name.img"
}

# --- what is stale ---------------------------------------------------------
stamp_of() { sha256sum | cut -c1-16; }
base_stamp=$( { declare -f base_tree host_mirror; echo "$PKGS_bios $PKGS_uefi $PKGS_xen"; } | stamp_of)
image_stamp=$(stamp_of <"$SELF")
[ "$(id -u)" = 0 ] || die "needs root (loop devices, mount, chroot)"

# The build runs as a child of its own, logging to $LOG with set -e intact.
if [ "${1:-}" = --build ]; then
	WORK=$(mktemp -d)
	start=$(date +%s)
	if [ "$(cat "$G/base.stamp" 2>/dev/null)" != "$base_stamp" ] || [ ! -d "$G/base/boot" ]; then
		rm -f "$G/base.stamp"
		base_tree "$G/base"
		echo "$base_stamp" >"$G/base.stamp"
		echo "base tree: $(($(date +%s) - start)) s"
	fi
	rm -f "$G/stamp"
	for n in bios:mbr uefi:gpt xen:mbr; do
		make_image "${n%:*}" "${n#*:}"
		echo "${n%:*}.img: $(($(date +%s) - start)) s, $(du -m "$G/${n%:*}.img" | cut -f1) MiB used"
	done
	echo "$image_stamp" >"$G/stamp"
	exit 0
fi

exec 9>"$G/.lock"
flock 9
if [ "$(cat "$G/stamp" 2>/dev/null)" != "$image_stamp" ] ||
	[ ! -f "$G/bios.img" ] || [ ! -f "$G/uefi.img" ] || [ ! -f "$G/xen.img" ]; then
	command -v debootstrap >/dev/null || die "needs debootstrap (make deps)"
	"$SELF" --build >"$LOG" 2>&1 ||
		die "building the guests failed (log: $LOG): $(tail -n 3 "$LOG" | tr '\n' '|')"
	if [ "${GUESTS_KEEP_BASE:-1}" = 0 ]; then
		rm -rf "$G/base" "$G/base.stamp"
	fi
fi
echo "$G"
