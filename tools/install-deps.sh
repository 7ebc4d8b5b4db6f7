#!/bin/sh
# Install the Debian 12 packages pvhboot builds and tests with, when missing.
# As root it runs apt-get itself; otherwise it prints the one command to run.
set -e
PKGS="build-essential gcc binutils make gnu-efi ovmf qemu-system-x86 \
zlib1g-dev libzstd-dev liblzma-dev libelf-dev clang llvm libclang-rt-14-dev \
mtools dosfstools xorriso fdisk e2fsprogs cpio busybox-static xz-utils zstd gzip \
python3 ca-certificates \
xen-hypervisor-4.17-amd64 xen-utils-4.17 linux-image-amd64 initramfs-tools debootstrap \
grub-xen-bin grub-common grub2-common grub-efi-amd64-bin grub-pc-bin systemd-boot-efi \
xfsprogs btrfs-progs liblzo2-dev sbsigntool swtpm swtpm-tools tpm2-tools ipxe memtest86+ \
debhelper devscripts lintian efibootmgr man-db groff-base"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "pvhboot needs these Debian packages:$missing" >&2
	echo "run: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
