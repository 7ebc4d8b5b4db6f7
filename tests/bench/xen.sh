#!/bin/bash
# The Xen benchmark: how fast pvhboot, running as a PVH domU under real Xen,
# loads a 128 MiB initrd over Xen blkfront, against GRUB's pvgrub2 loading
# the same file and a Linux domU reading the same disk with dd (the limit).
# All in one boot of the real-Xen rig (Xen 4.17 under QEMU TCG with a Debian
# PV dom0, tests/e2e/xen/, test-rigs.md "Real Xen PVH domU"):
#
#   pvhboot   BLS entry "load": the Linux-protocol probe with the initrd;
#             MB/s from the loader's own "load:" line (fs/progress.c), its
#             clock being Xen's (xen/hypercall.c gives core/time Xen's TSC rate)
#   GRUB      pvgrub2 (grub-mkimage -O i386-xen_pvh), embedded config
#             `linux` + `initrd` of the same files; MB/s from the dom0 times
#             of the console lines echoed just before and after `initrd`
#   Linux     Debian's kernel booted by libxl, busybox initramfs: dd
#             iflag=direct bs=1M of /dev/xvda1, and dd of the file from the
#             mounted ext4 with the page cache dropped (tests/bench/xen/domu-*)
#
# Prints a Markdown table (MB/s, ratios against the targets) on stdout,
# progress on stderr, and appends the same table to docs/bench-xen.md when
# every measurement was made. About 2 minutes on an idle 2-core machine
# (the first run also debootstraps the dom0 image, about 2 minutes more,
# cached with the test rig's in ~/.cache/pvhboot/xen).
#   tests/bench/xen.sh
#   BENCH_XEN_PVHBOOT_RUNS=3 BENCH_XEN_GRUB_RUNS=1 BENCH_XEN_DD_RUNS=3
#   BENCH_XEN_TIMEOUT=600    bound on the whole QEMU run, seconds
#   BENCH_XEN_KEEP=1         keep the work directory (logs, disks, results)
#   BENCH_XEN_NO_DOC=1       do not append to docs/bench-xen.md
#   BENCH_XEN_REPORT=DIR     only print the report of a kept work directory
# Exit status: 0 when every measurement was made and every probe verified
# its initrd, 1 otherwise. A missed target is not a failure: it is what the
# table is for.
#
# shellcheck disable=SC2046 # $(rates ...) is a list of numbers, split on purpose
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib.sh
. tests/bench/lib.sh
. tests/bench/disk.sh
. tests/bench/guest-initramfs.sh
. tests/bench/xen/dom0-image.sh
. tests/bench/xen/payload.sh

BENCH_XEN_PVHBOOT_RUNS=${BENCH_XEN_PVHBOOT_RUNS:-3}
BENCH_XEN_GRUB_RUNS=${BENCH_XEN_GRUB_RUNS:-1}
BENCH_XEN_DD_RUNS=${BENCH_XEN_DD_RUNS:-3}
TIMEOUT=${BENCH_XEN_TIMEOUT:-600}
DOC=docs/bench-xen.md
# Targets from the issue.
TARGET_DD_PCT=70
TARGET_GRUB_X=20

# ---- prerequisites ----------------------------------------------------------
die() {
	echo "bench-xen: $*" >&2
	exit 1
}
for f in "$BUILD/pvhboot.elf" "$BUILD/kernels/linux64.bzImage"; do
	[ -e "$f" ] || die "$f is not built (make build-all)"
done
# The host's Debian kernel runs dom0 and the Linux domU (as in the test rig).
KVER=$(find /lib/modules -mindepth 1 -maxdepth 1 -name '*amd64' -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
if [ -z "$KVER" ] || [ ! -f "/boot/vmlinuz-$KVER" ] || [ ! -f "/boot/initrd.img-$KVER" ]; then
	die "needs linux-image-amd64 installed on the host (make deps)"
fi
[ -f /boot/xen-4.17-amd64.gz ] || die "needs xen-hypervisor-4.17-amd64 (make deps)"
if [ ! -d /usr/lib/grub/i386-xen_pvh ] || ! command -v grub-mkimage >/dev/null; then
	die "needs grub-xen-bin (make deps)"
fi
readelf -l /bin/busybox 2>/dev/null | grep -q INTERP &&
	die "/bin/busybox is not static (install busybox-static)"

started=$(date +%s)
load_start=$(loadavg)
RIG=$CACHE/xen

# boot_rig: build the payload, boot Xen once, leave dom0's results in $R.
boot_rig() {
	local p=$WORK/payload
	xen_dom0_image "$RIG" "$KVER" || die "no dom0 image"
	note "building the payload (bench disk, pvgrub2, domU initramfs)"
	mkdir -p "$p"
	xen_payload "$p" "$KVER" || die "building the payload failed"
	mkfs.ext2 -q -F -d "$p" "$WORK/payload.img" $(($(du -sm "$p" | cut -f1) + 64))M ||
		die "mkfs of the payload disk failed"
	rm -rf "$p"
	# dom0 writes its results here as a tar (tests/bench/xen/in-dom0.sh).
	truncate -s 32M "$WORK/results.img"

	note "booting Xen (QEMU TCG, bounded at $TIMEOUT s; serial log: $WORK/xen.log)"
	timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg,thread=multi \
		-cpu max,-smap,-rdtscp -smp 1 -m 3072 -nodefaults -nic none -no-reboot -display none \
		-drive "file=$RIG/dom0.img,format=raw,if=virtio,cache=unsafe,snapshot=on" \
		-drive "file=$WORK/payload.img,format=raw,if=virtio,snapshot=on" \
		-drive "file=$WORK/results.img,format=raw,if=virtio" \
		-kernel "$RIG/xen.elf" \
		-append "console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M dom0_max_vcpus=1 loglvl=all guest_loglvl=all" \
		-initrd "/boot/vmlinuz-$KVER root=/dev/vda rw console=hvc0 init=/sbin/pvhboot-rig-init panic=-1,/boot/initrd.img-$KVER" \
		-serial stdio </dev/null >"$WORK/xen.log" 2>&1
	qemu_status=$?
	cp "$WORK/xen.log" "$RIG/bench-last-run.log"
	mkdir -p "$R"
	tar -xf "$WORK/results.img" -C "$R" 2>/dev/null ||
		die "no results from dom0 (QEMU exit $qemu_status; log: $RIG/bench-last-run.log)"
}

if [ -n "${BENCH_XEN_REPORT:-}" ]; then
	# Report again on a work directory kept by BENCH_XEN_KEEP=1.
	WORK=$BENCH_XEN_REPORT
	R=$WORK/results
	[ -d "$R" ] || die "$R: no results there"
	qemu_status="n/a (report of a kept run)"
	BENCH_XEN_NO_DOC=1
else
	WORK=$(mktemp -d)
	if [ -n "${BENCH_XEN_KEEP:-}" ]; then
		note "keeping $WORK (payload disk, serial log, results)"
	else
		trap 'rm -rf "$WORK"' EXIT
	fi
	R=$WORK/results
	boot_rig
fi
load_end=$(loadavg)

# ---- parsing -----------------------------------------------------------------
ERRORS=$WORK/errors
: >"$ERRORS"
failed() {
	echo "$*" >>"$ERRORS"
	note "$*"
}
# console NAME: the domain's console without the dom0 stamps, carriage
# returns (progress bars, CRLF) as line breaks.
console() {
	cut -d' ' -f2- "$R/$1.console" 2>/dev/null | tr '\r' '\n'
}
# stamp_of NAME TEXT: the dom0 time of the first console line holding TEXT.
stamp_of() {
	tr -d '\r' <"$R/$1.console" 2>/dev/null | awk -v t="$2" 'index($0, t) { print $1; exit }'
}
status_of() {
	cat "$R/$1.status" 2>/dev/null || echo "did not run"
}
# probe NAME LABEL WHOLE: each probe checked the CRC of the initrd it was
# handed (tests/kernels/check_linux.c), so a loader that is fast but wrong
# fails here. WHOLE=1 also wants every other check to pass (pvhboot's own
# contract); GRUB fills the boot header its own way, which the probe, being
# written for pvhboot, flags, so only its initrd is held against it.
probe() {
	local name=$1 label=$2 whole=$3 crc result fails
	crc=$(grep -a -o -E "CHECK initrd_crc (ok|FAIL.*)" "$R/$name.dmesg" 2>/dev/null | head -n 1)
	result=$(grep -a -o -E "RESULT (PASS|FAIL.*)" "$R/$name.dmesg" 2>/dev/null | head -n 1)
	fails=$(grep -a -o -E "CHECK [a-z0-9_]+ FAIL" "$R/$name.dmesg" 2>/dev/null | awk '{ print $2 }' |
		paste -s -d, -)
	echo "$label: ${crc:-no initrd_crc check}; ${result:-no RESULT}${fails:+ (failed: $fails)}" >>"$PROBES"
	[ "$crc" = "CHECK initrd_crc ok" ] ||
		failed "$label: the probe did not verify the initrd (${crc:-no initrd_crc line})"
	[ "$whole" = 0 ] || [ "$result" = "RESULT PASS" ] ||
		failed "$label: probe ${result:-did not report}${fails:+ (failed: $fails)}"
}
# Each measurement: "KIND RUN MBS"; MB/s are 10^6 bytes per second.
RUNS=$WORK/runs
: >"$RUNS"
PROBES=$WORK/probes
: >"$PROBES"
run() { # KIND RUN BYTES NS
	echo "$1 $2 $(rate_mbs "$3" "$4")" >>"$RUNS"
}
# ns_between A B: seconds.micro stamps to nanoseconds.
ns_between() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && b > a) printf "%.0f\n", (b - a) * 1e9 }'
}

# pvhboot: "load: PATH BYTES bytes NS ns tsc KHZ kHz", timed by the loader.
# dom0's clock gives an upper bound: from the console line that announces
# the entry to the load line, which adds the kernel's read and the console.
for n in $(seq "$BENCH_XEN_PVHBOOT_RUNS"); do
	name=bench-pvhboot-$n
	line=$(console "$name" | grep -a -m1 "^load: $BENCH_INITRD_PATH ")
	read -r _ _ bytes _ ns _ _ khz _ <<<"$line"
	if [ -z "$line" ] || [ "$bytes" != "$BENCH_INITRD_BYTES" ]; then
		failed "pvhboot run $n: no load line for $BENCH_INITRD_BYTES bytes ($(status_of "$name"); $(console "$name" | grep -a -i -m2 -E 'error|fail' | tr '\n' '|'))"
		continue
	fi
	run pvhboot "$n" "$bytes" "$ns"
	echo "pvhboot-khz $n $khz" >>"$RUNS"
	outer=$(ns_between "$(stamp_of "$name" 'booting "')" "$(stamp_of "$name" "load: $BENCH_INITRD_PATH ")")
	[ -n "$outer" ] && run pvhboot-dom0 "$n" "$bytes" "$outer"
	probe "$name" "pvhboot run $n" 1
done

# GRUB: the dom0 stamps of the lines echoed just before and after `initrd`,
# and GRUB's own `time` as a cross-check.
for n in $(seq "$BENCH_XEN_GRUB_RUNS"); do
	name=bench-grub-$n
	ns=$(ns_between "$(stamp_of "$name" "BENCH grub-initrd-begin")" "$(stamp_of "$name" "BENCH grub-initrd-end")")
	if [ -z "$ns" ]; then
		failed "GRUB run $n: markers not seen ($(status_of "$name"); $(console "$name" | grep -a -m2 'error' | tr '\n' '|'))"
		continue
	fi
	run grub "$n" "$BENCH_INITRD_BYTES" "$ns"
	own=$(console "$name" | grep -a -o -m1 -E 'Elapsed time: [0-9.]+' | awk '{ print $3 }')
	[ -n "$own" ] && run grub-own "$n" "$BENCH_INITRD_BYTES" "$(awk -v s="$own" 'BEGIN { printf "%.0f", s * 1e9 }')"
	probe "$name" "GRUB run $n" 0
done

# Linux: "BENCH direct|buffered RUN BYTES NS", timed by the guest.
console bench-linux | awk '$1 == "BENCH" && ($2 == "direct" || $2 == "buffered") && $5 > 0 {
	printf "dd-%s %s %.1f\n", $2, $3, $4 * 1000 / $5 }' >>"$RUNS"
if ! grep -q '^dd-direct ' "$RUNS" || ! grep -q '^dd-buffered ' "$RUNS"; then
	failed "Linux domU: no dd figures ($(status_of bench-linux); $(console bench-linux | grep -a -m2 -E 'BENCH (error|retry)|Kernel panic' | tr '\n' '|'))"
fi
retries=$(console bench-linux | grep -a -c '^BENCH retry')

# dom0: "BENCH dom0-cold|dom0-warm BYTES NS"
awk '$1 == "BENCH" && $4 > 0 { printf "%s 1 %.1f\n", $2, $3 * 1000 / $4 }' "$R/dom0.reads" \
	2>/dev/null >>"$RUNS"

# ---- the report --------------------------------------------------------------
rates() { # KIND: the MB/s of each run, in run order
	awk -v k="$1" '$1 == k { print $3 }' "$RUNS"
}
med() {
	[ $# -gt 0 ] && median "$@" || echo -
}
list() {
	[ $# -gt 0 ] || { echo -; return; }
	local IFS=,
	local all="$*"
	echo "${all//,/, }"
}
times_x() { # A B: A/B with one decimal, or n/a
	awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a != "-") printf "%.1f\n", a / b; else print "n/a" }'
}
pct() { # A B: "N %" or n/a
	local v
	v=$(ratio_pct "$1" "$2")
	[ "$v" = n/a ] && echo n/a || echo "$v %"
}
verdict() { # VALUE TARGET UNIT
	[ "$1" = n/a ] && return
	awk -v v="$1" -v t="$2" 'BEGIN { exit !(v >= t) }' && echo " (target ≥ $2$3: met)" ||
		echo " (target ≥ $2$3: **missed**)"
}
p=$(med $(rates pvhboot))
g=$(med $(rates grub))
d=$(med $(rates dd-direct))
b=$(med $(rates dd-buffered))
x_g=$(times_x "$p" "$g")
pct_d=$(ratio_pct "$p" "$d")
khz=$(awk '$1 == "pvhboot-khz" { print $3; exit }' "$RUNS")

REPORT=$WORK/report.md
{
	echo "### $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Xen 4.17 under $(qemu-system-x86_64 --version | head -n 1 | sed 's/ *(.*//') TCG, one vCPU; dom0 and domU Linux $KVER;"
	if [ -n "${BENCH_XEN_REPORT:-}" ]; then
		echo "Reported again from the kept run in $WORK."
	else
		echo "$(nproc) host CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)); load average $load_start at the start, $load_end at the end; $(($(date +%s) - started)) s in all."
	fi
	echo
	echo "| 128 MiB initrd, ext4 on GPT, Xen blkfront | MB/s (median) | runs | pvhboot relative to it |"
	echo "|---|---|---|---|"
	echo "| pvhboot (its \`load:\` line, Xen's clock) | $p | $(list $(rates pvhboot)) | |"
	echo "| GRUB 2.06 pvgrub2, \`initrd\` (dom0 console times) | $g | $(list $(rates grub)) | ${x_g}×$(verdict "$x_g" "$TARGET_GRUB_X" ×) |"
	echo "| Linux domU, \`dd iflag=direct bs=1M\` of /dev/xvda1 | $d | $(list $(rates dd-direct)) | $(pct "$p" "$d")$(verdict "$pct_d" "$TARGET_DD_PCT" " %") |"
	echo "| Linux domU, \`dd bs=1M\` of the file, cache dropped | $b | $(list $(rates dd-buffered)) | $(pct "$p" "$b") |"
	echo
	echo "- pvhboot/dd direct: $(pct "$p" "$d"); pvhboot/GRUB: ${x_g}×."
	echo "- pvhboot by dom0's clock, from its \`booting\` line to its \`load:\` line (adds the kernel's read and console output): $(list $(rates pvhboot-dom0)) MB/s; its TSC rate, from Xen: ${khz:-?} kHz."
	echo "- GRUB by its own clock (\`time initrd\`): $(list $(rates grub-own)) MB/s."
	echo "- dom0 reading the image itself with dd: $(list $(rates dom0-cold)) MB/s from its virtio disk, $(list $(rates dom0-warm)) MB/s from its page cache (where blkback found it for every domain)."
	[ "${retries:-0}" -gt 0 ] && echo "- The Linux domU retried $retries dd run(s) after a userspace crash (a rig artefact, test-rigs.md)."
	sed 's/^/- Probe after /' "$PROBES"
	if [ -s "$ERRORS" ]; then
		echo
		echo "Failed measurements (QEMU exit $qemu_status):"
		echo
		sed 's/^/- /' "$ERRORS"
	fi
} >"$REPORT"
cat "$REPORT"

if [ -s "$ERRORS" ]; then
	note "not appended to $DOC: some measurements failed"
	exit 1
fi
if [ -z "${BENCH_XEN_NO_DOC:-}" ]; then
	{
		echo
		cat "$REPORT"
	} >>"$DOC"
	note "appended to $DOC"
fi
exit 0
