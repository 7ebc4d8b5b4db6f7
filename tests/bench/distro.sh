#!/bin/bash
# Benchmark (f), sourced by tests/bench/run.sh: a real Debian 12 guest's own
# kernel and initramfs (tests/guests/debian.sh's bios.img: 6.1's 8 MiB xz
# bzImage, a 29 MiB initramfs), timed from QEMU's start to the kernel's
# first console line ("Linux version ..." on ttyS0), q35, TCG. Three ways:
#
#   pvhboot   pvhboot.elf with the disk (a QEMU snapshot): it reads the
#             guest's grub.cfg, takes its default entry, reads the bzImage
#             and the initramfs from ext4 and boots the bzImage through
#             boot_params (on a KVM VMM; the kernel decompresses itself);
#   pvh       QEMU's own PVH boot: -kernel vmlinux -initrd, the same
#             kernel's ELF decompressed on the host beforehand, the same
#             command line; QEMU can PVH-boot only an ELF, never a bzImage;
#   bzimage   QEMU's Linux boot of the same bzImage, -kernel vmlinuz
#             -initrd: the kernel decompresses itself.
#
# The three alternate, BENCH_DISTRO_RUNS (3) times. Each QEMU is stopped at
# the line, so a run costs its time to that line. Records:
#   distro-pvhboot q35 RUN NS | distro-pvh q35 RUN NS | distro-bzimage q35 RUN NS

DISTRO_TIMEOUT=${BENCH_DISTRO_TIMEOUT:-120}

# distro_files DIR: the guest's disk (DISTRO_DISK), its default entry's
# kernel, initramfs and command line (DISTRO_VMLINUZ, DISTRO_INITRD,
# DISTRO_CMDLINE) and the kernel's ELF (DISTRO_VMLINUX), taken from the
# image with debugfs.
distro_files() {
	local dir=$1 guests start img cfg kernel initrd
	guests=$(tests/guests/debian.sh 2>"$dir/guests.err") || {
		note "(f) no Debian guest: $(tail -n 2 "$dir/guests.err" | tr '\n' '|')"
		return 1
	}
	DISTRO_DISK=$guests/bios.img
	start=$(sfdisk -d "$DISTRO_DISK" | awk -F'start=' '/start=/ { split($2, a, ","); print a[1] + 0; exit }')
	img="$DISTRO_DISK?offset=$((start * 512))"
	cfg=$dir/grub.cfg
	debugfs -R "cat /boot/grub/grub.cfg" "$img" >"$cfg" 2>/dev/null || return 1
	# The default entry is the first (Debian's grub.cfg: set default="0").
	read -r _ kernel DISTRO_CMDLINE < <(awk '$1 == "linux" { $1 = $1; print; exit }' "$cfg")
	initrd=$(awk '$1 == "initrd" { print $2; exit }' "$cfg")
	DISTRO_VMLINUZ=$dir/vmlinuz
	DISTRO_INITRD=$dir/initrd.img
	DISTRO_VMLINUX=$dir/vmlinux
	debugfs -R "dump $kernel $DISTRO_VMLINUZ" "$img" 2>/dev/null &&
		debugfs -R "dump $initrd $DISTRO_INITRD" "$img" 2>/dev/null &&
		python3 tests/e2e/extract-payload.py "$DISTRO_VMLINUZ" "$DISTRO_VMLINUX" &&
		[ -s "$DISTRO_VMLINUX" ] && [ -s "$DISTRO_INITRD" ] && [ -n "$DISTRO_CMDLINE" ]
}

# distro_once NAME RUN QEMU-ARGS...: one boot, stopped at the kernel's first
# console line; records NAME RUN NS.
distro_once() {
	local name=$1 r=$2 fifo serial fd qpid t0 t1= line partial= deadline
	shift 2
	fifo=$WORK/distro-$name-$r.pipe
	serial=$WORK/distro-$name-$r.serial
	rm -f "$fifo.in" "$fifo.out"
	mkfifo "$fifo.in" "$fifo.out" || return 1
	# Read-write: the open never waits, and no EOF comes while QEMU runs.
	exec {fd}<>"$fifo.out"
	t0=${EPOCHREALTIME//[!0-9]/}
	qemu-system-x86_64 -accel "$(qemu_accel)" -M q35 -m 1024 -nodefaults -nic none \
		-no-reboot -display none -serial "pipe:$fifo" \
		-drive "if=none,id=d0,format=raw,file=$DISTRO_DISK,snapshot=on" \
		-device virtio-blk-pci,drive=d0 "$@" </dev/null >"$WORK/distro-$name-$r.qemu" 2>&1 &
	qpid=$!
	deadline=$((SECONDS + DISTRO_TIMEOUT))
	while [ "$SECONDS" -lt "$deadline" ]; do
		if IFS= read -r -t 1 -u "$fd" line; then
			line=$partial$line
			partial=
			printf '%s\n' "$line" >>"$serial"
			case $line in *"Linux version "*)
				t1=${EPOCHREALTIME//[!0-9]/}
				break
				;;
			esac
		else
			partial=$partial$line # a timeout keeps what it read so far
			kill -0 "$qpid" 2>/dev/null || break
		fi
	done
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	exec {fd}<&-
	rm -f "$fifo.in" "$fifo.out"
	if [ -z "$t1" ]; then
		note "(f) $name run $r: no kernel line: $(tr -d '\r' <"$serial" | tail -n 3 | tr '\n' '|')"
		record error "(f) $name: run $r never reached the kernel's first line"
		return 1
	fi
	record "distro-$name" q35 "$r" $(((10#$t1 - 10#$t0) * 1000))
}

distro_boot() {
	local runs=$1 dir=$WORK/distro r
	mkdir -p "$dir"
	if ! distro_files "$dir"; then
		record error "(f): the Debian guest's disk or its kernel could not be prepared"
		return 1
	fi
	for r in $(seq "$runs"); do
		distro_once pvhboot "$r" -kernel "$BUILD/pvhboot.elf" -append "timeout=0" || return 1
		distro_once pvh "$r" -kernel "$DISTRO_VMLINUX" -initrd "$DISTRO_INITRD" \
			-append "$DISTRO_CMDLINE" || return 1
		distro_once bzimage "$r" -kernel "$DISTRO_VMLINUZ" -initrd "$DISTRO_INITRD" \
			-append "$DISTRO_CMDLINE" || return 1
	done
}
