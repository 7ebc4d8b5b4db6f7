#!/bin/bash
# pvhboot.elf under QEMU PVH finds a kernel and initrd on ext4, FAT and
# ISO9660 filesystems on GPT and MBR virtio disks, described by Boot Loader
# Specification entries, and boots the Linux-protocol probe with them; and a
# grub.cfg in 20_linux_xen's shape booting the multiboot2 probe.
#   ./disk-boot.sh [PATTERN]
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

LOADER=$BUILD/pvhboot.elf
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FILTER=${1:-}

# The boot tree: the probe as /boot/vmlinuz, a 3 MiB initrd, one BLS entry.
TREE=$WORK/tree
mkdir -p "$TREE/boot" "$TREE/loader/entries"
cp "$BUILD/kernels/linux64.bzImage" "$TREE/boot/vmlinuz-probe"
head -c 3000000 /dev/urandom >"$TREE/boot/initrd-probe.img"
CMD="console=ttyS0 initrd_crc32=$(crc32_of "$TREE/boot/initrd-probe.img") initrd_size=3000000"
cat >"$TREE/loader/entries/probe.conf" <<CONF
title   Probe kernel
version 1.0
linux   /boot/vmlinuz-probe
initrd  /boot/initrd-probe.img
options $CMD
CONF

fs_image() { # KIND OUT: a filesystem image of the tree
	case $1 in
	ext4) mke2fs -q -F -t ext4 -d "$TREE" "$2" 32M ;;
	fat)
		rm -f "$2"
		mkfs.fat -C -F 32 "$2" 65536 >/dev/null
		mcopy -s -i "$2" "$TREE"/* ::/
		;;
	iso) xorriso -as mkisofs -quiet -R -J -V PROBE -o "$2" "$TREE" 2>/dev/null ;;
	esac
}

disk_image() { # KIND LABEL OUT: the filesystem in partition 1 of a GPT or MBR disk
	local part=$WORK/part.img
	fs_image "$1" "$part"
	local size=$(($(stat -c %s "$part") / 1048576 + 4))
	rm -f "$3"
	truncate -s "${size}M" "$3"
	if [ "$2" = gpt ]; then
		printf 'label: gpt\nstart=2048, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="boot"\n'
	else
		printf 'label: dos\nstart=2048, type=83\n'
	fi | sfdisk -q --no-reread --no-tell-kernel "$3" >/dev/null
	dd if="$part" of="$3" bs=1M seek=1 conv=notrunc status=none
}

# disk_case NAME MACHINE FS LABEL [TRANSPORT]: TRANSPORT legacy or modern
# forces that virtio interface (QEMU's disable-modern / force-legacy) and
# checks that the loader drove the device through it.
disk_case() {
	local name=$1 machine=$2 log=$WORK/$1.log disk=$WORK/$1.img transport=${5:-}
	case "$name" in *"$FILTER"*) ;; *) return 0 ;; esac
	if [ "$4" = none ]; then fs_image "$3" "$disk"; else disk_image "$3" "$4" "$disk"; fi
	local drive=(-drive "if=none,id=d0,format=raw,file=$disk,readonly=on") dev
	case $machine in
	microvm) dev=virtio-blk-device,drive=d0 ;;
	*) dev=virtio-blk-pci,drive=d0 ;;
	esac
	case $machine/$transport in
	microvm/legacy) drive+=(-global virtio-mmio.force-legacy=on) ;;
	microvm/modern) drive+=(-global virtio-mmio.force-legacy=off) ;;
	*/legacy) dev+=,disable-legacy=off,disable-modern=on ;;
	*/modern) dev+=,disable-legacy=on,disable-modern=off ;;
	esac
	drive+=(-device "$dev")
	qemu_run 90 "$log" "$machine" -kernel "$LOADER" -append "timeout=0" "${drive[@]}"
	expect_log "$name" "$log" $? 1 "PROBE linux" "FIELD cmdline=$CMD" "RESULT PASS" >"$log.result"
	if [ -n "$transport" ] && grep -q '^ok ' "$log.result" &&
		! grep -q "^vda: virtio-blk (.*, $transport)" "$log"; then
		echo "not ok $name: not driven as $transport: $(grep -m1 'virtio-blk' "$log")"
	else
		cat "$log.result"
	fi
}

disk_case ext4-gpt-pc pc ext4 gpt
disk_case ext4-gpt-q35 q35 ext4 gpt
disk_case ext4-gpt-microvm microvm ext4 gpt
disk_case ext4-mbr-pc pc ext4 mbr
disk_case fat-gpt-q35 q35 fat gpt
disk_case fat-mbr-pc pc fat mbr
disk_case iso-whole-pc pc iso none
disk_case iso-whole-microvm microvm iso none
disk_case ext4-gpt-pc-legacy-pci pc ext4 gpt legacy
disk_case ext4-gpt-q35-modern-pci q35 ext4 gpt modern
disk_case ext4-gpt-microvm-legacy-mmio microvm ext4 gpt legacy
disk_case ext4-gpt-microvm-modern-mmio microvm ext4 gpt modern

# grub.cfg in the shape of Debian's 20_linux_xen (issue 11): multiboot2 with
# "placeholder" first, a gzip'd module2 that GRUB inflates, one passed
# --nounzip as stored; the multiboot2 probe checks each module's CRC.
if [[ "grub-mb2-ext4-pc" == *"$FILTER"* ]]; then
	G=$WORK/grubtree
	mkdir -p "$G/boot/grub"
	cp "$BUILD/kernels/mb2-elf.elf" "$G/boot/mb2-probe"
	head -c 200000 /dev/urandom >"$WORK/mod-a"
	gzip -c "$WORK/mod-a" >"$G/boot/mod-a.gz"
	head -c 7000 /dev/urandom | gzip -c >"$G/boot/mod-b.gz"
	cat >"$G/boot/grub/grub.cfg" <<CFG
set timeout=0
menuentry 'Probe through multiboot2' {
	insmod part_gpt
	multiboot2	/boot/mb2-probe placeholder probe=grub-mb2
	module2	/boot/mod-a.gz placeholder crc32=$(crc32_of "$WORK/mod-a")
	module2	--nounzip   /boot/mod-b.gz crc32=$(crc32_of "$G/boot/mod-b.gz")
}
CFG
	mke2fs -q -F -t ext4 -d "$G" "$WORK/grub.part" 16M >/dev/null
	truncate -s 20M "$WORK/grub.img"
	printf 'label: gpt\nstart=2048, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n' |
		sfdisk -q --no-reread --no-tell-kernel "$WORK/grub.img" >/dev/null
	dd if="$WORK/grub.part" of="$WORK/grub.img" bs=1M seek=1 conv=notrunc status=none
	qemu_run 90 "$WORK/grub.log" pc -kernel "$LOADER" -append "timeout=0" \
		-drive "if=none,id=d0,format=raw,file=$WORK/grub.img,readonly=on" \
		-device virtio-blk-pci,drive=d0
	expect_log grub-mb2-ext4-pc "$WORK/grub.log" $? 1 "PROBE multiboot2" \
		"FIELD cmdline=placeholder probe=grub-mb2" "FIELD nr_modules=2" \
		"FIELD module0_size=200000" "FIELD module1_size=$(stat -c %s "$G/boot/mod-b.gz")" \
		"RESULT PASS"
fi
