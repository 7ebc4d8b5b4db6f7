#!/bin/bash
# The Xen benchmark's script in dom0, shipped in the payload as /payload/run.sh
# and started by the rig's dom0 init (tests/e2e/xen/dom0-init) once the
# toolstack is up. It boots the benchmark's domains one after the other:
#   bench-pvhboot-N   pvhboot.elf loading the 128 MiB initrd (BENCH_PVHBOOT_RUNS)
#   bench-grub-N      pvgrub2 loading the same file (BENCH_GRUB_RUNS)
#   bench-linux       Debian's kernel timing dd inside the guest (one boot)
# Linux goes last: its device teardown in dom0 has been seen to wedge the
# toolstack under TCG (tests/e2e/xen/make-guests.sh).
#
# Results go to the third disk (/dev/vdc) as a tar of $R after every
# domain, so a run cut short by the host's timeout still reports what it
# measured. Per domain NAME:
#   NAME.console  its PV console, each line prefixed with the dom0 time
#                 (seconds, microseconds) at which xenconsoled logged it
#   NAME.dmesg    the hypervisor log while it ran: port 0xE9 output, "(dN)"
#   NAME.status   "done", "timeout" or "died", and the seconds it took
# and dom0.reads: "BENCH dom0-cold|dom0-warm BYTES NS", dom0's own dd of the
# image before and after it is in the page cache.
set -u
# shellcheck source=/dev/null # written by tests/bench/xen/payload.sh
. /payload/bench.env
R=/tmp/bench
mkdir -p "$R"
say() { echo "[bench $(cut -d' ' -f1 /proc/uptime)s] $*"; }

save() {
	tar -cf /dev/vdc -C "$R" . 2>/dev/null
	sync
}

# stamp: copy stdin to stdout, each line prefixed with the time it arrived.
# EPOCHREALTIME is a bash builtin: no fork per line, so the stamp is the
# moment the line reached dom0, give or take the scheduling of this loop.
stamp() {
	local line
	while IFS= read -r line; do
		printf '%s %s\n' "$EPOCHREALTIME" "$line"
	done
}

# domain NAME CFG TIMEOUT DONE_REGEX [xl create overrides...]: create the
# domain, wait for DONE_REGEX on its console (or until it dies or TIMEOUT
# seconds pass), give its kernel a moment to report on port 0xE9, save the
# logs, destroy it.
domain() {
	local name=$1 cfg=$2 limit=$3 done_re=$4 t0 waited=0 status=timeout
	shift 4
	local log=/var/log/xen/console/guest-$name.log
	: >"$log"
	timeout 10 xl dmesg -c >/dev/null
	# tail follows the log through inotify; it exits when the sentinel
	# sleep is killed, and the stamper with it.
	sleep 100000 &
	local sentinel=$!
	tail -F -n +1 --pid=$sentinel "$log" 2>/dev/null | stamp >"$R/$name.console" &
	local stamper=$!
	t0=$EPOCHREALTIME
	say "$name: xl create"
	timeout 120 xl create "$cfg" "name=\"$name\"" "$@" 2>&1 |
		grep -v -E '^(domainbuilder|xc): detail' | tail -n 5
	while [ "$waited" -lt "$limit" ]; do
		if grep -q -E -- "$done_re" "$log"; then
			status="done"
			break
		fi
		# The toolstack is not free under TCG: ask it every 5 s only.
		if [ $((waited % 5)) = 0 ] && ! timeout 10 xl domid "$name" >/dev/null 2>&1; then
			status=died
			break
		fi
		sleep 1
		waited=$((waited + 1))
	done
	# The probe kernels report on port 0xE9 right after the handoff.
	for _ in $(seq 15); do
		timeout 10 xl dmesg | grep -q -E "\(d[0-9]+\) RESULT" && break
		timeout 10 xl list "$name" >/dev/null 2>&1 || break
		sleep 1
	done
	timeout 10 xl dmesg >"$R/$name.dmesg"
	echo "$status $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')" \
		>"$R/$name.status"
	timeout 60 xl destroy "$name" 2>/dev/null
	sleep 1
	kill $sentinel 2>/dev/null
	wait $stamper 2>/dev/null
	say "$name: $(cat "$R/$name.status")"
	grep -a -E "load:|BENCH|Elapsed|error|RESULT" "$R/$name.console" | tr -d '\r' | cut -c1-200 |
		sed "s/^/[$name] /"
	grep -a -E "\(d[0-9]+\) (RESULT|CHECK .* FAIL)" "$R/$name.dmesg" | sed "s/^/[$name-dmesg] /"
	save
}

say "warming dom0's page cache with the guest disk"
# blkback reads through a loop device on this file: with the image in
# dom0's page cache every domain, first or last, sees the same backend.
# The second, warm read is what dom0 itself gets from that cache: the
# ceiling of anything behind blkback on this rig.
for pass in cold warm; do
	t0=$EPOCHREALTIME
	dd if=/payload/bench.img of=/dev/null bs=1M 2>/dev/null
	t1=$EPOCHREALTIME
	echo "BENCH dom0-$pass $(stat -c %s /payload/bench.img) $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1e9 }')" |
		tee -a "$R/dom0.reads"
done
uname -a >"$R/dom0.uname"
save

for n in $(seq "$BENCH_PVHBOOT_RUNS"); do
	domain "bench-pvhboot-$n" /payload/pvhboot.cfg 120 "^load: "
done
for n in $(seq "$BENCH_GRUB_RUNS"); do
	domain "bench-grub-$n" /payload/grub.cfg 300 "BENCH grub-initrd-end|error: "
done
domain bench-linux /payload/linux.cfg 300 "BENCH (done|error)"
say "all domains ran"
