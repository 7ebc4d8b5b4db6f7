#!/bin/bash
# Shared helpers for the end-to-end cases: QEMU invocation and result checks.
# Every case prints exactly one line, "ok NAME" or "not ok NAME: reason".

BUILD=${BUILD:-build}
CACHE=${PVHBOOT_CACHE:-$HOME/.cache/pvhboot}

# TCG unless a real hardware KVM module is loaded: /dev/kvm backed by
# kvm_pvm crashes firmware and Linux guests (test-rigs.md).
qemu_accel() {
	if [ -e /sys/module/kvm_intel ] || [ -e /sys/module/kvm_amd ]; then
		if [ ! -e /sys/module/kvm_pvm ] && [ -w /dev/kvm ]; then
			echo kvm
			return
		fi
	fi
	echo tcg
}

# qemu_run TIMEOUT LOG MACHINE ARGS... : QEMU with the test devices; the
# exit status is QEMU's ((code << 1) | 1 for isa-debug-exit) or 124 on timeout.
qemu_run() {
	local timeout=$1 log=$2 machine=$3
	shift 3
	timeout "$timeout" qemu-system-x86_64 -accel "$(qemu_accel)" -M "$machine" -m 512 \
		-nodefaults -nic none -no-reboot -display none \
		-debugcon "file:$log" -device isa-debug-exit,iobase=0xf4,iosize=4 "$@" \
		</dev/null >"$log.qemu" 2>&1
}

crc32_of() {
	python3 -c 'import sys,zlib; print("%08x" % zlib.crc32(open(sys.argv[1],"rb").read()))' "$1"
}

# make_bundle OUT KERNEL KERNEL_CMDLINE [MODULE MODULE_CMDLINE]...: a newc
# cpio boot bundle (see stage/pvh_boot.c). Module cmdlines get crc32= added.
make_bundle() {
	local out=$1 kernel=$2 kcmd=$3 dir list n=1
	shift 3
	dir=$(mktemp -d)
	cp "$kernel" "$dir/kernel"
	printf '%s' "$kcmd" >"$dir/kernel.cmdline"
	list="kernel\nkernel.cmdline\n"
	while [ $# -ge 2 ]; do
		cp "$1" "$dir/mod$n"
		printf '%s crc32=%s' "$2" "$(crc32_of "$1")" >"$dir/mod$n.cmdline"
		list="${list}mod$n\nmod$n.cmdline\n"
		n=$((n + 1))
		shift 2
	done
	(cd "$dir" && printf "$list" | cpio --quiet -o -H newc) >"$out"
	rm -rf "$dir"
}

# expect_log NAME LOG STATUS WANT_STATUS PATTERN...: check the exit status
# and that each fixed-string PATTERN is a whole line of the log.
expect_log() {
	local name=$1 log=$2 status=$3 want=$4 p
	shift 4
	if [ "$status" = 124 ]; then
		echo "not ok $name: timed out; last lines: $(tail -n 3 "$log" 2>/dev/null | tr '\n' '|')"
		return 1
	fi
	for p in "$@"; do
		if ! grep -qxF -- "$p" "$log"; then
			echo "not ok $name: missing '$p'; failed checks: $(grep -E 'FAIL|error' "$log" | head -n 3 | tr '\n' '|')"
			return 1
		fi
	done
	# Under pvhboot every segment and the TSS must be verifiable by the probe.
	if grep -q "unverifiable" "$log"; then
		echo "not ok $name: $(grep -m1 unverifiable "$log")"
		return 1
	fi
	if [ "$status" != "$want" ]; then
		echo "not ok $name: exit status $status, want $want"
		return 1
	fi
	echo "ok $name"
}

# For the grubenv tests, whose disks hold one ext4 partition 1 MiB in:
# ext4_masked_sum DISK [PATH]: sha256 of the whole image with the blocks of
# PATH (/boot/grub/grubenv) in that ext4 zeroed, so that a write anywhere
# else shows; ext4_fsck_clean DISK: e2fsck -fn of the partition (log in
# $WORK/fsck.log). Both use $WORK/fs.img, a copy of the partition.
ext4_masked_sum() {
	local bs blocks
	dd if="$1" of="$WORK/fs.img" bs=1M skip=1 status=none
	bs=$(dumpe2fs -h "$WORK/fs.img" 2>/dev/null | sed -n 's/^Block size: *//p')
	blocks=$(debugfs -R "blocks ${2:-/boot/grub/grubenv}" "$WORK/fs.img" 2>/dev/null)
	python3 - "$1" 1048576 "$bs" $blocks <<'PY'
import hashlib, sys
data = bytearray(open(sys.argv[1], "rb").read())
off, bs = int(sys.argv[2]), int(sys.argv[3])
for b in sys.argv[4:]:
    at = off + int(b) * bs
    data[at:at + bs] = bytes(bs)
print(hashlib.sha256(data).hexdigest())
PY
}

ext4_fsck_clean() {
	dd if="$1" of="$WORK/fs.img" bs=1M skip=1 status=none
	e2fsck -fn "$WORK/fs.img" >"$WORK/fsck.log" 2>&1
}

# gpt_disk PART OUT TYPE: OUT, a GPT disk whose one partition (1 MiB in,
# partition type GUID TYPE) holds the filesystem image PART.
gpt_disk() {
	rm -f "$2"
	truncate -s $(($(stat -c %s "$1") + (4 << 20))) "$2"
	printf 'label: gpt\nstart=2048, type=%s\n' "$3" |
		sfdisk -q --no-reread --no-tell-kernel "$2" >/dev/null
	dd if="$1" of="$2" bs=1M seek=1 conv=notrunc status=none
}

# ext4_editenv DISK PATH ARGS...: grub-editenv on the grubenv PATH of the
# ext4 1 MiB into DISK, loop-mounted at $MNT (as grub-editenv runs on a
# live system).
ext4_editenv() {
	local disk=$1 path=$2 rc
	shift 2
	mkdir -p "$MNT"
	mount -o loop,offset=1048576 "$disk" "$MNT" || return 1
	grub-editenv "$MNT$path" "$@"
	rc=$?
	umount "$MNT"
	return $rc
}

# e2e_work_dir: $WORK, a temporary directory removed at exit (KEEP_WORK=DIR
# uses and keeps DIR instead), and $MNT in it for loop mounts, unmounted at
# exit.
e2e_work_dir() {
	WORK=${KEEP_WORK:-$(mktemp -d)}
	MNT=$WORK/mnt
	trap 'mountpoint -q "$MNT" 2>/dev/null && umount "$MNT"; [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
}
