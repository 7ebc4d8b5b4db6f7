#!/bin/bash
# The EFI benchmark: how fast pvhboot.efi loads a 128 MiB initrd from the
# ESP under OVMF, against the firmware's own limit and two other loaders,
# all reading the same file on the same disk (docs/bench-efi.md):
#
#   limit         tests/bench/efi/blockio_reader.c: the initrd's clusters
#                 through the ESP's Block I/O in large ReadBlocks calls,
#                 1, 4, 8 and 16 MiB at a time; the best size is the limit
#   pvhboot       build/pvhboot.efi boots the Linux probe with the initrd;
#                 its own "load:" line (fs/progress.c) times the read
#   GRUB          Debian's grub-mkstandalone -O x86_64-efi: `time initrd`
#                 of the 128 MiB file minus that of a 4 KiB one
#   systemd-boot  Debian's systemd-bootx64.efi starting
#                 tests/bench/efi/bli_probe.c: LoaderTimeExecUSec -
#                 LoaderTimeInitUSec with the 128 MiB initrd minus the same
#                 with a 4 KiB one
#
# One disk for all; each reader gets its own boot, and the readers take
# turns, round by round, so that a busy spell on the host hits all of them.
# pvhboot and the limit run BENCH_EFI_RUNS (5) times, GRUB and systemd-boot
# BENCH_EFI_PEER_RUNS (2) times each; every figure is a median. Guest RAM
# is preallocated (BENCH_EFI_RAM=prealloc, the default) so that what is
# timed is the I/O path and the loader's work; BENCH_EFI_RAM=touch keeps
# QEMU's default, where the host backs each guest page when it is first
# written (docs/bench.md explains what that costs on this kind of host).
#
# stdout: the report, a Markdown table; progress on stderr. It is appended
# to docs/bench-efi.md unless BENCH_EFI_NO_DOC=1. BENCH_KEEP=1 keeps the
# disk and every log. Exit status 0 when every measurement was made and
# checked (a missed target is not a failure: the table shows it), 1 if not.
# Every QEMU run has a 60 s timeout (a boot takes 4-11 s) and a reader that
# fails is not booted again, so even a broken build ends within 5 minutes;
# a normal run takes about a minute.
#
# shellcheck disable=SC2046 # $(mbs ...) is a list of numbers, split on purpose
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
. tests/bench/lib.sh
. tests/bench/efi/disk.sh
. tests/bench/efi/readers.sh

HOSTCC=${HOSTCC:-gcc}
RUNS=${BENCH_EFI_RUNS:-5}
PEER_RUNS=${BENCH_EFI_PEER_RUNS:-2}
EFI_RAM=${BENCH_EFI_RAM:-prealloc}
# Four 128 MiB buffers for the limit's fresh passes, plus the firmware's.
EFI_MEM_MIB=1024
EFI_CHUNKS="1048576 4194304 8388608 16777216"
OVMF=${OVMF:-/usr/share/ovmf/OVMF.fd}
SDBOOT=${SDBOOT:-/usr/lib/systemd/boot/efi/systemd-bootx64.efi}
TARGET_PCT=90
DOC=docs/bench-efi.md

case $EFI_RAM in prealloc | touch) ;; *)
	echo "bench-efi: BENCH_EFI_RAM is prealloc or touch" >&2
	exit 1
	;;
esac
for f in "$BUILD/pvhboot.efi" "$BUILD/kernels/linux64.bzImage" "$OVMF" "$SDBOOT"; do
	[ -e "$f" ] || { echo "bench-efi: $f is missing (make build-all; make deps)" >&2; exit 1; }
done
for t in grub-mkstandalone mcopy mkfs.fat sfdisk qemu-system-x86_64 python3; do
	command -v "$t" >/dev/null || { echo "bench-efi: $t is missing (make deps)" >&2; exit 1; }
done
note "building the helper applications (tests/bench/efi/build.mk)"
make -s -f Makefile -f tests/bench/efi/build.mk BUILD="$BUILD" bench-efi-apps >&2 ||
	{ echo "bench-efi: the helper applications did not build" >&2; exit 1; }

bench_start
HOST_TSC_KHZ=$(host_tsc_khz)
[ -n "$HOST_TSC_KHZ" ] || record remark "host TSC rate unknown: every guest clock is used as is"

note "building the disk (GPT, 300 MiB FAT32 ESP, 128 MiB random initrd)"
EFI_DISK=$WORK/disk.img
efi_bench_disk "$EFI_DISK" || { echo "bench-efi: could not build the disk" >&2; exit 1; }
note "GRUB: grub-mkstandalone -O x86_64-efi"
GRUB_OK=1
efi_grub_image "$WORK/grubx64.efi" ||
	{ GRUB_OK=; record error "grub-mkstandalone failed: $(head -n 2 "$WORK/grub-mkstandalone.err")"; }

# Round by round; a reader that fails once is not booted again.
LIMIT_OK=1 PVH_OK=1 SD_OK=1
for r in $(seq "$RUNS"); do
	note "round $r of $RUNS"
	[ -n "$LIMIT_OK" ] && { efi_limit "$r" || LIMIT_OK=; }
	[ -n "$PVH_OK" ] && { efi_pvhboot "$r" || PVH_OK=; }
	[ "$r" -le "$PEER_RUNS" ] || continue
	[ -n "$GRUB_OK" ] && { efi_grub "$r" || GRUB_OK=; }
	[ -n "$SD_OK" ] && { efi_sd "$r" big && efi_sd "$r" tiny || SD_OK=; }
done
load_end=$(loadavg)

# ---- the report --------------------------------------------------------

# mbs KEY [FIELD2]: the MB/s (from the last two fields, BYTES NS) of every
# recorded line whose key is KEY (and whose 2nd field is FIELD2), in order.
mbs() {
	awk -v k="$1" -v c="${2-}" '$1 == k && (c == "" || $2 == c) {
		printf "%.1f\n", $(NF - 1) * 1000 / $NF }' "$BENCH_RESULTS"
}
field() { # KEY N: field N of every line with KEY
	awk -v k="$1" -v n="$2" '$1 == k { print $n }' "$BENCH_RESULTS"
}
med_or_dash() {
	[ $# -gt 0 ] && median "$@" || echo -
}
max_of() {
	[ $# -gt 0 ] && printf '%s\n' "$@" | sort -g | tail -n 1 || echo -
}
list() {
	local IFS=, all
	all="$*"
	[ -n "$all" ] && echo "${all//,/, }" || echo none
}
pct() { # A B: A/B in percent, "n/a" without both
	if [ "$1" = - ] || [ "$2" = - ]; then echo n/a; else ratio_pct "$1" "$2"; fi
}
times_x() { # A B: A/B as "N.N×"
	if [ "$1" = - ] || [ "$2" = - ]; then echo n/a; else
		awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×\n", a / b; else print "n/a" }'
	fi
}

# The limit: the chunk size whose median is highest.
best_chunk='' limit=-
for c in $EFI_CHUNKS; do
	m=$(med_or_dash $(mbs limit "$c"))
	[ "$m" = - ] && continue
	if [ "$limit" = - ] || awk -v a="$m" -v b="$limit" 'BEGIN { exit !(a > b) }'; then
		limit=$m best_chunk=$c
	fi
done
pvh=$(med_or_dash $(mbs pvhboot))
grub=$(med_or_dash $(mbs grub))
grub_host=$(med_or_dash $(mbs grub-host))
# systemd-boot: the two medians' difference is the 128 MiB - 4 KiB read.
sd=- sd_big=- sd_tiny=-
if [ -n "$(field sd-big 3)" ] && [ -n "$(field sd-tiny 3)" ]; then
	sd_big=$(median $(field sd-big 3))
	sd_tiny=$(median $(field sd-tiny 3))
	if [ "$sd_big" -gt "$sd_tiny" ]; then
		sd=$(rate_mbs $((EFI_INITRD_BYTES - EFI_TINY_BYTES)) $((sd_big - sd_tiny)))
	else
		record error "systemd-boot: the 128 MiB boots were not slower than the 4 KiB ones"
	fi
fi
pvh_pct=$(pct "$pvh" "$limit")
verdict=
[ "$pvh_pct" != n/a ] && if [ "$pvh_pct" -ge "$TARGET_PCT" ]; then
	verdict=" (target ≥ $TARGET_PCT %: met)"
else
	verdict=" (target ≥ $TARGET_PCT %: **missed**)"
fi
ahead=n/a
if [ "$pvh" != - ] && [ "$grub" != - ] && [ "$sd" != - ]; then
	awk -v p="$pvh" -v g="$grub" -v s="$sd" 'BEGIN { exit !(p > g && p > s) }' &&
		ahead="yes" || ahead="**no**"
fi
ram_label() {
	[ "$EFI_RAM" = prealloc ] && echo "RAM preallocated" || echo "RAM on first touch"
}
chunk_mib() { awk -v c="$1" 'BEGIN { printf "%g MiB\n", c / 1048576 }'; }

report() {
	local cpu
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	echo "### EFI bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(ram_label)"
	echo
	echo "$(qemu-system-x86_64 --version | head -n 1), TCG, q35, OVMF $(dpkg-query -W -f '${Version}' ovmf 2>/dev/null),"
	echo "$EFI_MEM_MIB MiB guest, virtio-blk-pci read-only; $(nproc) host CPUs ($cpu);"
	echo "load average $load_start at the start, $load_end at the end; $(($(date +%s) - started)) s in all."
	echo
	echo "| reader | what is timed | MB/s | of the Block I/O limit |"
	echo "|---|---|---|---|"
	local per=
	[ -n "$best_chunk" ] && per=", $(chunk_mib "$best_chunk") per call"
	echo "| Block I/O limit | \`ReadBlocks\` of the initrd's clusters$per (best of $(for c in $EFI_CHUNKS; do chunk_mib "$c"; done | paste -sd/ -)) | $limit | 100 % |"
	echo "| **pvhboot** | its \`load:\` line: first byte to last of \`/initrd.img\` | **$pvh** | **$pvh_pct %**$verdict |"
	echo "| GRUB $(grub-mkstandalone --version | awk '{ print $NF }') | \`time initrd\`: 128 MiB minus 4 KiB | $grub | $(pct "$grub" "$limit") % |"
	echo "| systemd-boot $(strings "$SDBOOT" | sed -n 's/^#### LoaderInfo: systemd-boot \([^ ]*\) ####$/\1/p' | head -n 1) | Exec − Init: 128 MiB boot minus 4 KiB boot | $sd | $(pct "$sd" "$limit") % |"
	echo
	echo "pvhboot ÷ GRUB: $(times_x "$pvh" "$grub"); pvhboot ÷ systemd-boot: $(times_x "$pvh" "$sd"); ahead of both: $ahead."
	echo
	echo "Every run (MB/s), in order:"
	echo
	for c in $EFI_CHUNKS; do
		echo "- limit, $(chunk_mib "$c") reads: fresh buffer $(list $(mbs limit "$c")); into touched pages $(list $(mbs limit-warm "$c"))"
	done
	echo "- pvhboot: $(list $(mbs pvhboot)); best against the limit's best: $(pct "$(max_of $(mbs pvhboot))" "$(max_of $(mbs limit "$best_chunk"))") %"
	echo "- GRUB: $(list $(mbs grub)) by its own clock; $(list $(mbs grub-host)) by the host's timestamps of its serial lines (median $grub_host)"
	echo "- systemd-boot Exec − Init, ms: 128 MiB $(list $(for t in $(field sd-big 3); do ms "$t"; done)), 4 KiB $(list $(for t in $(field sd-tiny 3); do ms "$t"; done)) (by its own clock: $(list $(for t in $(field sd-big 4); do ms "$t"; done)) and $(list $(for t in $(field sd-tiny 4); do ms "$t"; done)))"
	local who skew
	for who in pvhboot systemd-boot; do
		skew=$(awk -v w="$who" '$1 == "tsc-skew" && $2 == w { v = $3 < 0 ? -$3 : $3; if (v > m) { m = v; s = $3 } } END { if (NR && s != "") print s }' "$BENCH_RESULTS")
		[ -n "$skew" ] && echo "- $who's TSC calibration was off by up to $skew % (host TSC $HOST_TSC_KHZ kHz); its figures are rescaled"
	done
	sed -n 's/^remark /- /p' "$BENCH_RESULTS"
	if grep -q '^error ' "$BENCH_RESULTS"; then
		echo
		echo "Failed measurements:"
		echo
		sed -n 's/^error /- /p' "$BENCH_RESULTS"
	fi
}

report >"$WORK/report.md"
cat "$WORK/report.md"
if [ "${BENCH_EFI_NO_DOC:-0}" != 1 ] && [ -f "$DOC" ]; then
	{
		echo
		cat "$WORK/report.md"
	} >>"$DOC"
	note "appended to $DOC"
fi
grep -q '^error ' "$BENCH_RESULTS" && exit 1
exit 0
