#!/bin/bash
# `make bench`: pvhboot's load throughput and boot latency, measured against
# a reference on the same machine and reported as ratios (absolute figures
# under TCG depend on the host and its load; ratios much less).
#
#   (a) pvhboot.elf under QEMU PVH reading a 128 MiB initrd from ext4 on
#       virtio-blk-pci (GPT; q35 and pc; guest RAM allocated on first touch,
#       QEMU's default, and preallocated) vs a Linux guest's dd of the same
#       file (buffered) and of the raw partition (iflag=direct), and vs
#       GRUB 2.06 i386-pc on SeaBIOS (QEMU's default firmware) loading the
#       same file from the same disk through int13 (grub_bios.sh)
#   (b) `pvhboot cat DISK:1 PATH` vs `debugfs -R "dump PATH /dev/null"`
#   (c) boot latency of the PVH probe: QEMU direct vs through pvhboot, on
#       BENCH_LATENCY_MACHINES (q35 pc microvm), alternating, the median of
#       BENCH_LATENCY_RUNS (9) each; target within 10 % or 5 ms
#   (d) the same 128 MiB initrd from XFS, btrfs and btrfs with zstd (fs.sh),
#       pvhboot.elf on the first of BENCH_MACHINES with RAM preallocated,
#       against (a)'s ext4 disk, the four in turn, BENCH_FS_RUNS (5) times
#   (e) host: `pvhboot cat` vs the kernel's driver (`cat` from a loop
#       mount), page cache dropped, on ext4, XFS, btrfs and btrfs with zstd
#       ((d) and (e) fill the disks through loop mounts: root only)
#   (f) a real Debian guest's kernel and initramfs, QEMU start to the
#       kernel's first console line: through pvhboot from the guest's disk
#       vs QEMU's own PVH boot of the same kernel's ELF vs QEMU's Linux boot
#       of the same bzImage (distro.sh), BENCH_DISTRO_RUNS (3) times each;
#       target within 10 % of QEMU's PVH boot
#
# Each throughput is the median of BENCH_RUNS (3) runs (GRUB's of
# BENCH_GRUB_RUNS, the same by default), each latency the median of
# BENCH_LATENCY_RUNS (9), (d)'s of BENCH_FS_RUNS (5), (f)'s of
# BENCH_DISTRO_RUNS (3). A run took about 2
# minutes on 2 idle cores before (d) and (e), GRUB's 12 boots (int13 reads
# at 20-40 MB/s) about 1 of them; with them, 4 minutes on a loaded host.
# Every QEMU run has a timeout (60 s pvhboot, 120 s GRUB, 90 s Linux, 30 s
# latency) and each measurement stops at its first failure (GRUB everywhere
# after its first timeout; in (d) a filesystem after its first), so even a
# broken build ends within about 17 minutes. Progress
# goes to stderr; stdout is the report, a Markdown table (docs/bench.md
# holds one). Exit status: 0 when every measurement was made, 1 if any
# failed (a slow result is not a failure: it is what the table is for).
#   tests/bench/run.sh                   everything
#   BENCH_MACHINES=q35 tests/bench/run.sh
#   BENCH_GRUB_RUNS=1 tests/bench/run.sh one GRUB boot per configuration
#   BENCH_FS_RUNS=9 tests/bench/run.sh   (d)'s turns over the four filesystems
#   BENCH_KEEP=1 tests/bench/run.sh      keep the logs and images
#   BENCH_ONLY="c f" tests/bench/run.sh  only those measurements (the
#                                        report shows "-" for the others)
#
# shellcheck disable=SC2046 # $(rates ...) is a list of numbers, split on purpose
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
. tests/bench/lib.sh
. tests/bench/disk.sh
. tests/bench/guest-initramfs.sh
. tests/bench/load.sh
. tests/bench/grub_bios.sh
. tests/bench/cat.sh
. tests/bench/latency.sh
. tests/bench/fs.sh
. tests/bench/distro.sh

HOSTCC=${HOSTCC:-gcc}
RUNS=${BENCH_RUNS:-3}
GRUB_RUNS=${BENCH_GRUB_RUNS:-$RUNS}
LATENCY_RUNS=${BENCH_LATENCY_RUNS:-9}
MACHINES=${BENCH_MACHINES:-q35 pc}
LATENCY_MACHINES=${BENCH_LATENCY_MACHINES:-$MACHINES microvm}
LATENCY_TARGET_PCT=10
LATENCY_TARGET_MS=5
DISTRO_RUNS=${BENCH_DISTRO_RUNS:-3}
DISTRO_TARGET_PCT=10
# (a) runs on each machine twice: guest RAM as QEMU allocates it by
# default (on first touch), and preallocated (see load.sh).
CONFIGS=
for m in $MACHINES; do CONFIGS="$CONFIGS $m $m+prealloc"; done
TARGET_PCT=70
ONLY=${BENCH_ONLY:-a b c d e f}
wanted() {
	case " $ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

for f in "$BUILD/pvhboot.elf" "$BUILD/pvhboot" "$BUILD/kernels/linux64.bzImage" \
	"$BUILD/kernels/pvh-elf64-note8.elf"; do
	[ -e "$f" ] || { echo "bench: $f is not built (make build-all)" >&2; exit 1; }
done
# The guest's init is a busybox script: it needs the static build.
if readelf -l /bin/busybox 2>/dev/null | grep -q INTERP; then
	echo "bench: /bin/busybox is not static (install busybox-static)" >&2
	exit 1
fi

bench_start
HOST_TSC_KHZ=$(host_tsc_khz)
[ -n "$HOST_TSC_KHZ" ] || record remark "host TSC rate unknown: pvhboot's own clock used as is"

note "building the disk (128 MiB random initrd on ext4, GPT)"
bench_disk "$WORK/disk.img" || { echo "bench: could not build the disk" >&2; exit 1; }

if wanted a; then
	note "fetching Debian's kernel (cached in $CACHE/debian)"
	VMLINUZ=$(tests/e2e/fetch-debian.sh | tail -n 1)/vmlinuz
	GUEST_OK=
	if [ -s "$VMLINUZ" ] && guest_initramfs "$VMLINUZ" "$WORK/guest.cpio"; then
		GUEST_OK=1
	else
		record error "no Linux guest: Debian's kernel or its modules are missing"
	fi
fi

for c in $CONFIGS; do
	wanted a || break
	note "(a) pvhboot on $c"
	pvhboot_load "$c" "$WORK/disk.img" "$RUNS"
	note "(a) GRUB on SeaBIOS on $c"
	grub_bios_load "$c" "$WORK/disk.img" "$GRUB_RUNS"
	if [ -n "$GUEST_OK" ]; then
		note "(a) Linux guest dd on $c"
		guest_dd "$c" "$WORK/disk.img" "$RUNS" "$VMLINUZ" "$WORK/guest.cpio"
	fi
done

if wanted b; then
	note "(b) host CLI"
	host_cat "$WORK/disk.img" "$RUNS"
fi

for m in $LATENCY_MACHINES; do
	wanted c || break
	note "(c) boot latency on $m"
	boot_latency "$m" "$WORK/disk.img" "$LATENCY_RUNS"
done

if wanted f; then
	note "(f) a Debian guest's kernel and initramfs"
	distro_boot "$DISTRO_RUNS"
fi

# Preallocated RAM: on first touch the host's page faults swing (a) by 20×
# between runs, which would drown the filesystems' difference.
FS_MACHINE=${MACHINES%% *}+prealloc
FS_RUNS=${BENCH_FS_RUNS:-5}
FS_TARGET_PCT=90
if ! wanted d && ! wanted e; then
	:
elif [ "$(id -u)" != 0 ]; then
	record error "(d), (e): not root (the disks are filled through loop mounts)"
else
	ln -sf disk.img "$WORK/ext4.img"
	fs_ok=ext4
	for k in $FS_KINDS; do
		note "(d) building the $k disk"
		if fs_bench_disk "$k" "$WORK/$k.img"; then
			fs_ok="$fs_ok $k"
		else
			record error "(d) could not build the $k disk"
		fi
	done
	# One run of each in turn: the host's load drifts over a minute.
	for r in $(seq "$FS_RUNS"); do
		for k in $fs_ok; do
			note "(d) pvhboot on $FS_MACHINE from $k, run $r"
			pvhboot_load "$FS_MACHINE" "$WORK/$k.img" 1 "pvhboot-$k" "$r" ||
				fs_ok=$(echo " $fs_ok " | sed "s/ $k / /")
		done
	done
	for k in ext4 $FS_KINDS; do
		[ -f "$WORK/$k.img" ] || continue
		note "(e) host reads from $k"
		fs_host_cat "$k" "$WORK/$k.img" "$(fs_initrd "$k" "$WORK/$k.img")" "$RUNS"
	done
fi
load_end=$(loadavg)

# ---- the report --------------------------------------------------------

# rates KEY [MACHINE]: the MB/s of each recorded run, in run order.
rates() {
	awk -v k="$1" -v m="${2-}" '$1 == k && (m == "" || $2 == m) {
		b = $(NF - 1); ns = $NF; printf "%.1f\n", b * 1000 / ns }' "$BENCH_RESULTS"
}
# durations KEY MACHINE: the ns of each recorded run.
durations() {
	awk -v k="$1" -v m="$2" '$1 == k && $2 == m { print $NF }' "$BENCH_RESULTS"
}
# med_or_dash VALUES...: the median, or "-" when there are none.
med_or_dash() {
	[ $# -gt 0 ] && median "$@" || echo -
}
# list VALUES...: "a, b, c" for the runs column.
list() {
	local IFS=, all
	all="$*"
	echo "${all//,/, }"
}
# ms_or_dash NS
ms_or_dash() {
	if [ "$1" = - ]; then echo -; else ms "$1"; fi
}
max_of() {
	printf '%s\n' "$@" | grep -v '^-$' | sort -g | tail -n 1
}
config_label() { # CONFIG
	case $1 in
	*+prealloc) echo "${1%%+*}, RAM preallocated" ;;
	*) echo "$1, RAM on first touch" ;;
	esac
}
times_x() { # A B: A/B as "N×", one decimal below 10 ("n/a" without both)
	awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a != "-") {
		x = a / b; printf (x < 10 ? "%.1f×\n" : "%.0f×\n"), x } else print "n/a" }'
}
verdict() { # PCT
	case $1 in
	n/a) echo "" ;;
	*) [ "$1" -ge "$TARGET_PCT" ] && echo " (target ≥ $TARGET_PCT %: met)" ||
		echo " (target ≥ $TARGET_PCT %: **missed**)" ;;
	esac
}

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo "## pvhboot bench, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "$(qemu-system-x86_64 --version | head -n 1), accel $(qemu_accel), $(nproc) host CPUs ($cpu);"
echo "load average $load_start at the start, $load_end at the end; $(($(date +%s) - started)) s in all."
echo
echo "| measurement | pvhboot | reference | ratio |"
echo "|---|---|---|---|"
for c in $CONFIGS; do
	p=$(med_or_dash $(rates pvhboot "$c"))
	b=$(med_or_dash $(rates dd-buffered "$c"))
	d=$(med_or_dash $(rates dd-direct "$c"))
	best=$(max_of "$b" "$d")
	pct=$(ratio_pct "$p" "$best")
	echo "| (a) 128 MiB initrd, ext4 on GPT, virtio-blk-pci, $(config_label "$c") | $p MB/s | Linux dd: $b MB/s buffered, $d MB/s direct | $pct % of the better one$(verdict "$pct"); $(ratio_pct "$p" "$b") % of buffered |"
	g=$(med_or_dash $(rates grub-bios "$c"))
	h=$(med_or_dash $(rates grub-bios-host "$c"))
	echo "| (a) the same, against GRUB 2.06 i386-pc on SeaBIOS (int13), $(config_label "$c") | $p MB/s | GRUB: $g MB/s by its own clock ($h MB/s by the host's) | pvhboot ÷ GRUB: $(times_x "$p" "$g") |"
done
if grep -q '^skip cli-cat' "$BENCH_RESULTS"; then
	c="skipped: $(awk '$1 == "skip" && $2 == "cli-cat" { $1 = $2 = ""; print substr($0, 3) }' "$BENCH_RESULTS")"
	pct=n/a
else
	c="$(med_or_dash $(rates cli-cat)) MB/s"
	pct=$(ratio_pct "${c% MB/s}" "$(med_or_dash $(rates cli-debugfs))")
fi
echo "| (b) host: \`pvhboot cat\` vs \`debugfs dump\`, 128 MiB, warm cache | $c | debugfs: $(med_or_dash $(rates cli-debugfs)) MB/s | $pct % |"
for m in $LATENCY_MACHINES; do
	dn=$(med_or_dash $(durations latency-direct "$m"))
	pn=$(med_or_dash $(durations latency-pvhboot "$m"))
	if [ "$dn" != - ] && [ "$pn" != - ]; then
		added=$((pn - dn))
		[ "$added" -lt 0 ] && sign=- || sign=+
		over="$sign$(ms "${added#-}") ms, $(awk -v a="$pn" -v b="$dn" 'BEGIN { printf "%.2f", a / b }')×"
		# Within 10 % or 5 ms, whichever is larger.
		allowed=$((dn * LATENCY_TARGET_PCT / 100))
		[ "$allowed" -lt $((LATENCY_TARGET_MS * 1000000)) ] && allowed=$((LATENCY_TARGET_MS * 1000000))
		if [ $((pn - dn)) -le "$allowed" ]; then
			over="$over (target: met)"
		else
			over="$over (target ≤ +$(ms "$allowed") ms: **missed**)"
		fi
	else
		over=n/a
	fi
	echo "| (c) PVH probe, QEMU start to exit, $m | $(ms_or_dash "$pn") ms through pvhboot | $(ms_or_dash "$dn") ms direct (\`-kernel probe.elf\`) | $over |"
done
dp=$(med_or_dash $(durations distro-pvh q35))
db=$(med_or_dash $(durations distro-bzimage q35))
dl=$(med_or_dash $(durations distro-pvhboot q35))
if [ "$dp" != - ] && [ "$dl" != - ]; then
	pct=$(ratio_pct "$dl" "$dp")
	if [ "$pct" -le $((100 + DISTRO_TARGET_PCT)) ]; then v="target: met"; else v="target ≤ $((100 + DISTRO_TARGET_PCT)) %: **missed**"; fi
	# QEMU's -kernel/-initrd of the very files on the disk: only an ELF
	# decompressed beforehand gets QEMU's PVH entry, so both are reported.
	pb=$(ratio_pct "$dl" "$db")
	if [ "$pb" = n/a ]; then vb=""
	elif [ "$pb" -le $((100 + DISTRO_TARGET_PCT)) ]; then vb=" (within $DISTRO_TARGET_PCT %: met)"
	else vb=" (within $DISTRO_TARGET_PCT %: **missed**)"; fi
	echo "| (f) Debian 12's kernel + initramfs from its own disk, QEMU start to the kernel's first line, q35 | $(ms_or_dash "$dl") ms through pvhboot | $(ms_or_dash "$dp") ms QEMU PVH (\`-kernel vmlinux\`, decompressed beforehand); $(ms_or_dash "$db") ms QEMU's \`-kernel vmlinuz -initrd\` of the same files | $pct % of QEMU PVH ($v); $pb % of QEMU's boot of the same files$vb |"
fi
e4=$(med_or_dash $(rates pvhboot-ext4 "$FS_MACHINE"))
for k in $FS_KINDS; do
	p=$(med_or_dash $(rates "pvhboot-$k" "$FS_MACHINE"))
	pct=$(ratio_pct "$p" "$e4")
	case $k in
	xfs) what="XFS v5" ;;
	btrfs) what="btrfs, uncompressed" ;;
	btrfs-zstd)
		stored=$(awk '$1 == "fs-stored" && $2 == "btrfs-zstd" { printf "%.0f", $3 / 1048576 }' "$BENCH_RESULTS")
		what="btrfs, compress-force=zstd (a tar of kernel modules, ${stored:-?} MiB stored)"
		;;
	esac
	if [ "$k" = btrfs-zstd ] || [ "$pct" = n/a ]; then
		v=""
	elif [ "$pct" -ge "$FS_TARGET_PCT" ]; then
		v=" (target ≥ $FS_TARGET_PCT %: met)"
	else
		v=" (target ≥ $FS_TARGET_PCT %: **missed**)"
	fi
	echo "| (d) 128 MiB initrd from $what, $(config_label "$FS_MACHINE") | $p MB/s | ext4 ((a)'s disk), in turn with it: $e4 MB/s | $pct % of ext4$v |"
done
for k in ext4 $FS_KINDS; do
	p=$(med_or_dash $(rates host-pvhboot "$k"))
	kr=$(med_or_dash $(rates host-kernel "$k"))
	echo "| (e) host, page cache dropped: \`pvhboot cat\` from $k, 128 MiB | $p MB/s | the kernel's $k (\`cat\` from a loop mount): $kr MB/s | $(ratio_pct "$p" "$kr") % |"
done

echo
echo "Every run (MB/s, or ms for latency), in order:"
echo
for c in $CONFIGS; do
	pb=$(max_of $(rates pvhboot "$c"))
	db=$(max_of $(rates dd-buffered "$c") $(rates dd-direct "$c"))
	echo "- $(config_label "$c"): pvhboot $(list $(rates pvhboot "$c")); dd buffered $(list $(rates dd-buffered "$c")); dd direct $(list $(rates dd-direct "$c")); best against best: $(ratio_pct "$pb" "$db") %"
	echo "- $(config_label "$c"): GRUB on SeaBIOS $(list $(rates grub-bios "$c")) (host's clock: $(list $(rates grub-bios-host "$c"))); best pvhboot against best GRUB: $(times_x "$pb" "$(max_of $(rates grub-bios "$c"))")"
done
echo "- host: pvhboot cat $(list $(rates cli-cat)); debugfs $(list $(rates cli-debugfs))"
for m in $LATENCY_MACHINES; do
	echo "- latency $m: direct $(list $(for t in $(durations latency-direct "$m"); do ms "$t"; done)); through pvhboot $(list $(for t in $(durations latency-pvhboot "$m"); do ms "$t"; done))"
done
echo "- (f) Debian kernel: through pvhboot $(list $(for t in $(durations distro-pvhboot q35); do ms "$t"; done)); QEMU PVH $(list $(for t in $(durations distro-pvh q35); do ms "$t"; done)); QEMU bzImage $(list $(for t in $(durations distro-bzimage q35); do ms "$t"; done))"

for k in ext4 $FS_KINDS; do
	echo "- (d) $k, $(config_label "$FS_MACHINE"): pvhboot $(list $(rates "pvhboot-$k" "$FS_MACHINE"))"
done
for k in ext4 $FS_KINDS; do
	echo "- (e) host, $k, cache dropped: pvhboot cat $(list $(rates host-pvhboot "$k")); kernel $(list $(rates host-kernel "$k"))"
done

skew=$(awk 'BEGIN { m = -1 } $1 == "tsc-skew" { v = $2 < 0 ? -$2 : $2; if (v > m) m = v } END { if (m >= 0) print m }' "$BENCH_RESULTS")
[ -n "$skew" ] && [ -n "$HOST_TSC_KHZ" ] &&
	echo "- pvhboot's TSC calibration was off by up to $skew % (host TSC $HOST_TSC_KHZ kHz); its figures are rescaled"
# GRUB times itself with the TSC at a rate it calibrated; the host's stamps
# of its marker lines are the check on that clock.
gskew=$(awk '$1 == "grub-bios" { own[$2 " " $3] = $NF }
	$1 == "grub-bios-host" && ($2 " " $3) in own && $NF > 0 {
		d = 100 * (own[$2 " " $3] - $NF) / $NF; if (d < 0) d = -d; if (d > m) m = d; n++ }
	END { if (n) printf "%.1f\n", m }' "$BENCH_RESULTS")
[ -n "$gskew" ] &&
	echo "- GRUB's own clock and the host's stamps of its marker lines differ by up to $gskew %"
sed -n 's/^remark /- /p' "$BENCH_RESULTS"
for c in $CONFIGS; do
	case $c in *+prealloc) continue ;; esac
	p=$(med_or_dash $(rates pvhboot "$c"))
	first=$(rates dd-buffered "$c" | head -n 1)
	[ "$p" = - ] || [ -z "$first" ] && continue
	echo "- $(config_label "$c"): every byte pvhboot loads lands in guest RAM the host has not backed yet, which dd's reused buffer never does; Linux's first buffered read, the one that fills fresh pages like a loader does, ran at $first MB/s (docs/bench.md)"
done

if grep -q '^error ' "$BENCH_RESULTS"; then
	echo
	echo "Failed measurements:"
	echo
	sed -n 's/^error /- /p' "$BENCH_RESULTS"
	exit 1
fi
exit 0
