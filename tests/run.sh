#!/bin/bash
# The whole test suite: host unit tests (ASan/UBSan), fuzz smoke runs, then
# the QEMU end-to-end cases. Every step prints "ok NAME" / "not ok NAME: why"
# lines; the last line is "N passed, N failed" and the exit status is
# non-zero if anything failed.
#   tests/run.sh              everything
#   SKIP_E2E=1 tests/run.sh   host tests only
#   SKIP_XEN=1 tests/run.sh   everything but the real-Xen rig
#   SKIP_DEB=1 tests/run.sh   without building the Debian package
#   SKIP_GUESTS=1 tests/run.sh  without the Debian guests (tests/guests/)
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
export BUILD
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT
start=$(date +%s)

# step NAME COMMAND...: run a step, keep its ok/not ok lines, and count a step
# that dies without printing any as one failure.
step() {
	local name=$1 out status t0=$SECONDS
	shift
	echo "== $name"
	out=$("$@" 2>&1)
	status=$?
	echo "== $name: $((SECONDS - t0)) s"
	printf '%s\n' "$out" | grep -E '^(ok|not ok) ' | tee -a "$RESULTS"
	if ! printf '%s\n' "$out" | grep -qE '^(ok|not ok) '; then
		echo "not ok $name: produced no results (exit $status)" | tee -a "$RESULTS"
		printf '%s\n' "$out" | tail -n 20
	elif [ $status -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok '; then
		echo "not ok $name: exit status $status" | tee -a "$RESULTS"
		printf '%s\n' "$out" | tail -n 20
	fi
}

size_budget() {
	local f size
	for f in "$BUILD/pvhboot.elf" "$BUILD/pvhboot.efi"; do
		size=$(stat -c %s "$f" 2>/dev/null || echo missing)
		if [ "$size" = missing ]; then
			echo "not ok size $(basename "$f"): not built"
		elif [ "$size" -gt 524288 ]; then
			echo "not ok size $(basename "$f"): $size bytes > 512 KiB"
		else
			echo "ok size $(basename "$f") ($size bytes)"
		fi
	done
}

xen_note() {
	if readelf -n "$BUILD/pvhboot.elf" | grep -A1 '^ *Xen' | grep -q 'Unknown note type: (0x00000012)\|0x00000012'; then
		echo "ok pvhboot.elf has a Xen PHYS32_ENTRY note"
	else
		echo "not ok pvhboot.elf has no Xen PHYS32_ENTRY note"
	fi
}

# Debian's packages, once, before anything reads them: the host tests
# (test_elf_libelf, test_detect, identify) check their kernels too, and two
# end-to-end steps could otherwise fetch them at a time.
tests/e2e/fetch-debian.sh >/dev/null 2>"$RESULTS.fetch" ||
	echo "not ok fetch-debian: $(tail -n 1 "$RESULTS.fetch")" | tee -a "$RESULTS"
rm -f "$RESULTS.fetch"

# Disk images made by the real tools, for the unit tests that read them.
export PVHBOOT_TEST_IMAGES=$BUILD/testimages
for builder in tests/images/*.sh; do
	"$builder" "$PVHBOOT_TEST_IMAGES" >/dev/null 2>&1 ||
		echo "not ok test images: $builder failed" | tee -a "$RESULTS"
done

step size size_budget
step note xen_note
for t in "$BUILD"/unit/test_*; do
	[ -x "$t" ] && step "$(basename "$t")" "$t"
done
step identify tests/e2e/identify.sh
step plan-golden tests/e2e/plan-golden.sh
step cli-fs tests/e2e/cli-fs.sh
step cli-menu tests/e2e/cli-menu.sh
[ -z "$SKIP_DEB" ] && step deb tests/e2e/deb.sh
step cli-uki tests/e2e/cli-uki.sh
[ -x tests/fuzz/run.sh ] && step fuzz tests/fuzz/run.sh "${FUZZ_SECONDS:-5}"
if [ -z "$SKIP_E2E" ]; then
	# efi-secureboot (about 7 minutes: OVMF with SMM and a TPM under TCG, one
	# QEMU at a time) runs beside the steps up to real-kernels, which keep
	# the other core busy; its lines are printed when it ends.
	sb_out=$(mktemp)
	step efi-secureboot tests/e2e/efi-secureboot.sh >"$sb_out" &
	sb_pid=$!
	step module-boot tests/e2e/module-boot.sh
	step disk-boot tests/e2e/disk-boot.sh
	step distro-fs tests/e2e/distro-fs.sh
	step grubenv-boot tests/e2e/grubenv-boot.sh
	step bootcount tests/e2e/bootcount.sh
	step fedora-bootcount tests/e2e/fedora-bootcount.sh
	step menu tests/e2e/menu.sh
	step negative tests/e2e/negative.sh
	step efi-banner tests/e2e/efi-banner.sh "$BUILD"
	step efi-boot tests/e2e/efi-boot.sh
	step efi-chain tests/e2e/efi-chain.sh
	step efi-grubenv tests/e2e/efi-grubenv.sh
	step efi-bootcount tests/e2e/efi-bootcount.sh
	step install tests/e2e/install.sh
	step real-kernels tests/e2e/real-kernels.sh
	wait "$sb_pid"
	cat "$sb_out"
	rm -f "$sb_out"
	# The real-Xen rig keeps one core busy for minutes (QEMU with one
	# vCPU): the Debian guests boot on the other one meanwhile, one at a
	# time, and the rig's lines are printed when it ends.
	xen_out=$(mktemp)
	guest_jobs=2
	if [ -z "$SKIP_XEN" ]; then
		step xen tests/e2e/xen/run.sh >"$xen_out" &
		xen_pid=$!
		guest_jobs=1
	fi
	[ -z "$SKIP_GUESTS" ] && step distro-guests tests/e2e/distro-guests.sh
	[ -z "$SKIP_GUESTS" ] && GUEST_JOBS=$guest_jobs step guest-grubenv tests/e2e/guest-grubenv.sh
	[ -n "${xen_pid:-}" ] && wait "$xen_pid"
	cat "$xen_out"
	rm -f "$xen_out"
fi

passed=$(grep -c '^ok ' "$RESULTS")
failed=$(grep -c '^not ok ' "$RESULTS")
echo "== $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
