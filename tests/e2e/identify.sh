#!/bin/bash
# `pvhboot identify` names the format of every probe kernel and of Debian's
# real kernels (when cached), compressed or not.
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
CLI=$BUILD/pvhboot
K=$BUILD/kernels
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

check() { # FILE FORMAT [DETAIL]
	local out
	out=$("$CLI" identify "$1" 2>&1)
	if [ "$(printf '%s\n' "$out" | head -n 1)" != "format: $2" ]; then
		echo "not ok identify $(basename "$1"): $(printf '%s' "$out" | head -n 1), want $2"
	elif [ -n "${3:-}" ] && ! printf '%s\n' "$out" | grep -qF -- "$3"; then
		echo "not ok identify $(basename "$1"): no '$3' in the details"
	else
		echo "ok identify $(basename "$1") is $2"
	fi
}

for f in "$K"/pvh-*.elf; do check "$f" pvh; done
check "$K/mb1-elf.elf" multiboot1
check "$K/mb1-aout.bin" multiboot1 aout_kludge
check "$K/mb2-elf.elf" multiboot2 "mb2_requests: cmdline boot_loader_name module"
check "$K/mb2-addr.bin" multiboot2 "mb2_address: header_addr 0x200000"
check "$K/linux64.bzImage" linux "protocol: 2.15"
check "$K/linux32.bzImage" linux
gzip -c "$K/pvh-elf64-note8.elf" >"$WORK/pvh.gz"
check "$WORK/pvh.gz" pvh "compressed: gzip"
zstd -q -c "$K/mb1-elf.elf" >"$WORK/mb1.zst"
check "$WORK/mb1.zst" multiboot1 "compressed: zstd"
head -c 4096 /dev/urandom >"$WORK/noise"
check "$WORK/noise" unknown
# Debian's kernels, which tests/run.sh fetches before the host steps: a
# missing one fails, rather than leaving its cases out.
D=$CACHE/debian
for f in vmlinuz xen.gz invaders.exec; do
	[ -s "$D/$f" ] || echo "not ok identify $f: not in $D (tests/e2e/fetch-debian.sh fetches it)"
done
if [ -s "$D/vmlinuz" ]; then
	check "$D/vmlinuz" efi "also: linux"
	check "$D/xen.gz" multiboot1 "compressed: gzip"
	# Both headers: multiboot1 first on the PVH platforms, multiboot2 listed.
	check "$D/xen.gz" multiboot1 "also: multiboot2"
	check "$D/xen.gz" multiboot1 "mb2_relocatable: min 0x200000 max 0xffffffff align 0x200000"
	check "$D/invaders.exec" multiboot1 aout_kludge
fi
