#!/bin/bash
# The first end-to-end path: no disk; pvhboot.elf boots the probe kernel it
# is handed as its PVH module, on QEMU pc, q35 and microvm.
#   ./module-boot.sh            all cases
#   ./module-boot.sh PATTERN    cases whose name contains PATTERN
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh

LOADER=$BUILD/pvhboot.elf
K=$BUILD/kernels
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FILTER=${1:-}

head -c 300000 /dev/urandom >"$WORK/mod-a"
head -c 5000 /dev/urandom >"$WORK/mod-b"
printf 'tiny' >"$WORK/mod-c"

# pvh_case NAME MACHINE PROBE: kernel + two modules in a bundle.
pvh_case() {
	local name=$1 machine=$2 probe=$3 log=$WORK/$1.log
	case "$name" in *"$FILTER"*) ;; *) return 0 ;; esac
	local cmd="console=ttyS0 probe=$name"
	make_bundle "$WORK/$name.cpio" "$probe" "$cmd" "$WORK/mod-a" "initrd one" "$WORK/mod-b" "second"
	qemu_run 60 "$log" "$machine" -kernel "$LOADER" -initrd "$WORK/$name.cpio"
	expect_log "$name" "$log" $? 1 "PROBE pvh" "FIELD cmdline=$cmd" "FIELD nr_modules=2" \
		"FIELD module0_cmdline=initrd one crc32=$(crc32_of "$WORK/mod-a")" "RESULT PASS"
}

# mb1_case NAME MACHINE PROBE: kernel + three modules.
mb1_case() {
	local name=$1 machine=$2 probe=$3 log=$WORK/$1.log
	case "$name" in *"$FILTER"*) ;; *) return 0 ;; esac
	local cmd="probe=$name x=1"
	make_bundle "$WORK/$name.cpio" "$probe" "$cmd" "$WORK/mod-a" "first" "$WORK/mod-b" "second" \
		"$WORK/mod-c" "third"
	qemu_run 60 "$log" "$machine" -kernel "$LOADER" -initrd "$WORK/$name.cpio"
	expect_log "$name" "$log" $? 1 "PROBE multiboot1" "FIELD cmdline=kernel $cmd" \
		"FIELD nr_modules=3" "FIELD loader=pvhboot" "RESULT PASS"
}

# mb2_case NAME MACHINE PROBE [EXPECTED-LINES...]: kernel + three modules.
# The command line is GRUB 2's (no file name in front), so it arrives
# exactly as given.
mb2_case() {
	local name=$1 machine=$2 probe=$3 log=$WORK/$1.log
	shift 3
	case "$name" in *"$FILTER"*) ;; *) return 0 ;; esac
	local cmd="placeholder probe=$name x=1"
	make_bundle "$WORK/$name.cpio" "$probe" "$cmd" "$WORK/mod-a" "first" "$WORK/mod-b" "second" \
		"$WORK/mod-c" "third"
	qemu_run 60 "$log" "$machine" -kernel "$LOADER" -initrd "$WORK/$name.cpio"
	expect_log "$name" "$log" $? 1 "PROBE multiboot2" "FIELD cmdline=$cmd" \
		"FIELD nr_modules=3" "FIELD loader=pvhboot" \
		"FIELD module2_cmdline=third crc32=$(crc32_of "$WORK/mod-c")" "$@" "RESULT PASS"
}

# linux_case NAME MACHINE PROBE ENTRY: bzImage + initrd.
linux_case() {
	local name=$1 machine=$2 probe=$3 entry=$4 log=$WORK/$1.log
	case "$name" in *"$FILTER"*) ;; *) return 0 ;; esac
	local cmd="console=ttyS0 initrd_crc32=$(crc32_of "$WORK/mod-a") initrd_size=$(stat -c %s "$WORK/mod-a")"
	make_bundle "$WORK/$name.cpio" "$probe" "$cmd" "$WORK/mod-a" "initrd"
	qemu_run 60 "$log" "$machine" -kernel "$LOADER" -initrd "$WORK/$name.cpio"
	expect_log "$name" "$log" $? 1 "PROBE linux" "FIELD entry=$entry" "FIELD cmdline=$cmd" \
		"RESULT PASS"
}

# The plain form: module 0 is the kernel itself, its cmdline after " -- ".
plain_case() {
	local name=$1 machine=$2 probe=$3 log=$WORK/$1.log
	case "$name" in *"$FILTER"*) ;; *) return 0 ;; esac
	qemu_run 60 "$log" "$machine" -kernel "$LOADER" -initrd "$probe" \
		-append "verbose -- hello from the loader cmdline"
	expect_log "$name" "$log" $? 1 "PROBE pvh" "FIELD cmdline=hello from the loader cmdline" \
		"FIELD nr_modules=0" "RESULT PASS"
}

for m in pc q35 microvm; do
	pvh_case "pvh-elf64-note8-$m" "$m" "$K/pvh-elf64-note8.elf"
	mb1_case "mb1-elf-$m" "$m" "$K/mb1-elf.elf"
	linux_case "linux64-$m" "$m" "$K/linux64.bzImage" 64
	mb2_case "mb2-elf-$m" "$m" "$K/mb2-elf.elf"
	# With the EFI boot services and amd64 entry tags: no boot services
	# here, so the i386 entry, and no EFI tag may claim otherwise.
	mb2_case "mb2-efi-$m" "$m" "$K/mb2-efi.elf" "FIELD entry=32" "CHECK efi_bs_tag_absent ok"
done
mb2_case mb2-addr-pc pc "$K/mb2-addr.bin"
pvh_case pvh-elf64-note4-pc pc "$K/pvh-elf64-note4.elf"
pvh_case pvh-elf32-note4-pc pc "$K/pvh-elf32-note4.elf"
pvh_case pvh-elf32-note8-q35 q35 "$K/pvh-elf32-note8.elf"
mb1_case mb1-aout-pc pc "$K/mb1-aout.bin"
linux_case linux32-pc pc "$K/linux32.bzImage" 32
plain_case pvh-plain-module-pc pc "$K/pvh-elf64-note8.elf"

# Compressed kernels: inflated by content, whatever the file is called.
gzip -9 -c "$K/pvh-elf64-note8.elf" >"$WORK/pvh.gz"
zstd -q -19 -c "$K/mb1-elf.elf" >"$WORK/mb1.zst"
xz -c "$K/linux64.bzImage" >"$WORK/linux.xz"
pvh_case pvh-gzip-q35 q35 "$WORK/pvh.gz"
mb1_case mb1-zstd-pc pc "$WORK/mb1.zst"
linux_case linux64-xz-pc pc "$WORK/linux.xz" 64
