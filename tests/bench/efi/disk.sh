#!/bin/bash
# efi_bench_disk OUT: the EFI benchmark's one disk (sourced by
# tests/bench/efi.sh). Every reader boots from it; between boots only
# \EFI\BOOT\BOOTX64.EFI and /loader/loader.conf are swapped (mcopy -o),
# which never moves the initrd.
#
# GPT, one ESP from 1 MiB: FAT32 of 300 MiB with 4 KiB clusters, what
# mkfs.fat picks for an ESP of this size (a smaller one would need 512-byte
# clusters to stay FAT32, and no ESP is built that way). The tree:
#   /initrd.img              128 MiB of random bytes, copied first, so its
#                            clusters are one contiguous run (checked)
#   /tiny.img                4 KiB of random bytes (systemd-boot's and
#                            GRUB's fixed costs, subtracted)
#   /probes/linux64.bzImage  the Linux-protocol probe (checks the initrd's CRC)
#   /EFI/BOOT/pvhboot.opt    "entry=load timeout=0"
#   /loader/entries/load.conf          pvhboot: the probe with /initrd.img
#   /loader/entries/sd-big.conf, sd-tiny.conf   systemd-boot: bli_probe.efi
#                                      with /initrd.img or /tiny.img
#   /bench/bli_probe.efi, /bench/blockio.opt    the helpers (tests/bench/efi/)
# Sets EFI_INITRD_BYTES, EFI_INITRD_CRC, EFI_TINY_BYTES, EFI_TINY_CRC,
# EFI_PART_OFFSET and EFI_INITRD_RANGE ("OFFSET BYTES" inside the ESP).

EFI_INITRD_BYTES=$((128 << 20))
EFI_TINY_BYTES=4096
EFI_PART_OFFSET=$((1 << 20))
EFI_ESP_MIB=300

efi_bench_disk() {
	local out=$1 dir esp
	dir=$(mktemp -d "${out%/*}/disk.XXXXXX")
	esp=$dir/esp.img
	head -c "$EFI_INITRD_BYTES" /dev/urandom >"$dir/initrd.img"
	head -c "$EFI_TINY_BYTES" /dev/urandom >"$dir/tiny.img"
	EFI_INITRD_CRC=$(crc32_of "$dir/initrd.img")
	EFI_TINY_CRC=$(crc32_of "$dir/tiny.img")

	mkfs.fat -C -F 32 -s 8 -n ESP "$esp" $((EFI_ESP_MIB << 10)) >/dev/null || return 1
	mcopy -i "$esp" "$dir/initrd.img" ::/initrd.img || return 1
	mmd -i "$esp" ::/EFI ::/EFI/BOOT ::/loader ::/loader/entries ::/probes ::/bench || return 1
	printf 'entry=load timeout=0\n' >"$dir/pvhboot.opt"
	printf 'title pvhboot: the Linux probe with a 128 MiB initrd\nlinux /probes/linux64.bzImage\ninitrd /initrd.img\noptions console=ttyS0 initrd_crc32=%s initrd_size=%s\n' \
		"$EFI_INITRD_CRC" "$EFI_INITRD_BYTES" >"$dir/load.conf"
	printf 'title systemd-boot: 128 MiB initrd\nlinux /bench/bli_probe.efi\ninitrd /initrd.img\n' >"$dir/sd-big.conf"
	printf 'title systemd-boot: 4 KiB initrd\nlinux /bench/bli_probe.efi\ninitrd /tiny.img\n' >"$dir/sd-tiny.conf"
	mcopy -i "$esp" "$dir/tiny.img" ::/tiny.img &&
		mcopy -i "$esp" "$BUILD/kernels/linux64.bzImage" ::/probes/linux64.bzImage &&
		mcopy -i "$esp" "$dir/pvhboot.opt" ::/EFI/BOOT/pvhboot.opt &&
		mcopy -i "$esp" "$dir/load.conf" "$dir/sd-big.conf" "$dir/sd-tiny.conf" ::/loader/entries/ &&
		mcopy -i "$esp" "$BUILD/bench-efi/bli_probe.efi" ::/bench/bli_probe.efi || return 1

	# The range the Block I/O reader reads: the initrd's clusters.
	EFI_INITRD_RANGE=$(python3 tests/bench/efi/fat_range.py "$esp" "INITRD  IMG") || return 1
	[ "${EFI_INITRD_RANGE#* }" = "$EFI_INITRD_BYTES" ] || return 1

	rm -f "$out"
	truncate -s $(((EFI_ESP_MIB + 2) << 20)) "$out"
	printf 'label: gpt\nstart=%d, size=%d, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="ESP"\n' \
		$((EFI_PART_OFFSET / 512)) $((EFI_ESP_MIB << 11)) |
		sfdisk -q --no-reread --no-tell-kernel "$out" >/dev/null || return 1
	dd if="$esp" of="$out" bs=1M seek=$((EFI_PART_OFFSET >> 20)) conv=notrunc,sparse \
		status=none || return 1
	rm -rf "$dir"
}

# efi_disk_put DISK FILE PATH: replace one file on the disk's ESP.
efi_disk_put() {
	mcopy -o -i "$1@@$EFI_PART_OFFSET" "$2" "::$3"
}
