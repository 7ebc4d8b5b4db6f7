#!/bin/bash
# `pvhboot plan` against golden output: the hand-made kernels of the fuzz
# seeds (tests/fuzz/testimg.c, byte for byte the same on every build) with a
# fixed module, each planned on the CLI's simulated 1 GiB guest. A change in
# any chunk, register, need or memory map line fails the case.
#   UPDATE_GOLDEN=1 tests/e2e/plan-golden.sh   rewrite tests/golden/plan/
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
CLI=$PWD/$BUILD/pvhboot
GOLDEN=tests/golden/plan
WORK=$(mktemp -d)
SEEDS=$WORK/seeds
trap 'rm -rf "$WORK"' EXIT

make -s "$BUILD/fuzz/make_seeds" >/dev/null && "$BUILD/fuzz/make_seeds" "$SEEDS" >/dev/null ||
	{ echo "not ok plan-golden: cannot make the seed kernels"; exit 1; }
head -c 5000 /dev/zero >"$WORK/mod"
truncate -s 70M "$WORK/big"

case_() { # NAME KERNEL ARGS...
	local name=$1 kernel=$2
	shift 2
	# From the work directory, so the module is named "mod" wherever it runs.
	(cd "$WORK" && "$CLI" plan "$kernel" "$@" 2>&1 | sed "s|$WORK/||g") >"$WORK/$name.txt"
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		cp "$WORK/$name.txt" "$GOLDEN/$name.txt"
		echo "ok plan $name (golden rewritten)"
	elif diff -u "$GOLDEN/$name.txt" "$WORK/$name.txt" >"$WORK/$name.diff"; then
		echo "ok plan $name"
	else
		echo "not ok plan $name: differs from $GOLDEN/$name.txt"
		head -n 20 "$WORK/$name.diff"
	fi
}

case_ pvh64 "$SEEDS/elf/pvh64-segment" --module mod=first --cmdline "console=ttyS0"
case_ pvh32-xen "$SEEDS/elf/pvh32-section" --platform xen --mem 256
case_ mb1-kludge "$SEEDS/multiboot1/kludge-video" --module mod=arg --module mod --cmdline "x=1"
case_ mb1-xen "$SEEDS/multiboot1/kludge-video" --platform xen
case_ linux "$SEEDS/bzimage/proto-2.14-no-payload" --initrd mod --initrd mod --cmdline "ro"
# A bzImage carrying a PVH ELF: boot_params on KVM, its PVH entry on Xen or when asked.
case_ linux-pvh-payload-kvm "$SEEDS/bzimage/proto-2.15-gzip-pvh" --initrd mod
case_ linux-pvh-payload-xen "$SEEDS/bzimage/proto-2.15-gzip-pvh" --initrd mod --platform xen
case_ linux-forced-pvh-payload "$SEEDS/bzimage/proto-2.15-gzip-pvh" --initrd mod --protocol pvh
case_ linux-as-linux "$SEEDS/bzimage/proto-2.15-gzip-pvh" --protocol linux
case_ refused-no-room "$SEEDS/bzimage/proto-2.14-no-payload" --mem 64 --initrd big
case_ refused-mb1-plain "$SEEDS/multiboot1/plain"

# Debian's ipxe.lkrn (package ipxe) starts only through its 16-bit setup code:
# refused with a reason before anything is touched, not a triple fault.
lkrn=/usr/lib/ipxe/ipxe.lkrn
if [ ! -f "$lkrn" ]; then
	echo "not ok plan ipxe.lkrn: $lkrn missing (package ipxe)"
elif out=$("$CLI" plan "$lkrn" 2>&1) || ! grep -q 'no 32-bit entry' <<<"$out"; then
	echo "not ok plan ipxe.lkrn: not refused as real-mode only: $out"
else
	echo "ok plan ipxe.lkrn refused: real-mode only"
fi
