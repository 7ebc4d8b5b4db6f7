#!/bin/bash
# tests/fuzz/campaign.sh [TARGET...]: the fuzzing campaign the hardening
# work asks for, one target after another: 10 million executions, or one
# CPU-hour (CPU time, not the clock) for a target slower than 3,000
# executions a second, from the seeds and the corpus earlier campaigns left
# in ~/.cache/pvhboot/fuzz, so a campaign split over several sessions goes
# on where it stopped: its corpus, and the runs and CPU seconds already
# spent (~/.cache/pvhboot/fuzz/progress-NAME, written after every round of
# at most ten minutes, so a campaign killed midway loses at most one round
# of its count). Prints
# one line per target with its executions, time, coverage (libFuzzer's
# "cov", edges) and features, and "not ok" for any crash, leak or timeout;
# the input that did it is kept as $BUILD/fuzz/crash-NAME-*. Each line is
# also added, dated, to ~/.cache/pvhboot/fuzz/campaign.txt.
#   FUZZ_RUNS=N FUZZ_MAX_SECONDS=S   other budgets
#   FUZZ_CORPUS=DIR                  another corpus directory
#   FUZZ_ROUND_SECONDS=600           the longest round between two progress notes
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
IMAGES=${PVHBOOT_TEST_IMAGES:-$BUILD/testimages}
STATE=${XDG_CACHE_HOME:-$HOME/.cache}/pvhboot/fuzz
export FUZZ_CORPUS=${FUZZ_CORPUS:-$STATE/corpus}
mkdir -p "$STATE"
. tests/fuzz/seeds.sh
RUNS=${FUZZ_RUNS:-10000000}
MAX_SECONDS=${FUZZ_MAX_SECONDS:-3600}
ROUND=${FUZZ_ROUND_SECONDS:-600}
NAMES=${*:-$(for f in tests/fuzz/fuzz_*.c; do f=${f#tests/fuzz/fuzz_}; echo "${f%.c}"; done)}

# cpu_seconds VAR: the CPU seconds the children this shell waited for have
# used so far, into VAR (`times` must run in this shell, not a subshell).
TIMES=$(mktemp)
trap 'rm -f "$TIMES"' EXIT
cpu_seconds() {
	times >"$TIMES" # its second line: "user system" of the children, e.g. 1m2.5s 0m0.4s
	printf -v "$1" '%s' "$(awk 'NR == 2 { s = 0
		for (i = 1; i <= 2; i++) { split($i, m, "m"); s += m[1] * 60 + m[2] }
		printf "%d", s }' "$TIMES")"
}

status=0
for name in $NAMES; do
	bin=$BUILD/fuzz/fuzz_$name
	make -s BUILD="$BUILD" "$bin" >/dev/null 2>&1 || { echo "not ok campaign $name: not built"; status=1; continue; }
	mapfile -t dirs < <(fuzz_dirs "$name")
	mapfile -t opts < <(fuzz_opts "$name")
	log=$BUILD/fuzz/campaign-$name.log
	: >"$log"
	# The budget is CPU time, not wall time: on a busy machine a target
	# would otherwise get an hour of the clock and a fraction of a core.
	# libFuzzer counts the clock, so it runs again, on the corpus it grew,
	# with what is left until the runs or the CPU seconds are spent.
	progress=$STATE/progress-$name
	start=$(date +%s) runs=0 cpu=0 rc=0 rounds=0
	# "RUNS CPU_SECONDS ROUNDS" spent by earlier, unfinished campaigns.
	[ -f "$progress" ] && read -r runs cpu rounds <"$progress"
	runs=${runs:-0} cpu=${cpu:-0} rounds=${rounds:-0}
	while [ "$runs" -lt "$RUNS" ] && [ "$cpu" -lt "$MAX_SECONDS" ]; do
		cpu_seconds before
		left=$((MAX_SECONDS - cpu))
		"$bin" -runs=$((RUNS - runs)) -max_total_time=$((left < ROUND ? left : ROUND)) -timeout=20 \
			-rss_limit_mb=2048 -close_fd_mask=2 "${opts[@]}" -print_final_stats=1 \
			-artifact_prefix="$BUILD/fuzz/crash-$name-" "${dirs[@]}" >>"$log" 2>&1
		rc=$?
		cpu_seconds after
		cpu=$((cpu + after - before))
		last=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		runs=$((runs + ${last:-0})) rounds=$((rounds + 1))
		[ $rc -eq 0 ] && [ "${last:-0}" -gt 0 ] || break
		echo "$runs $cpu $rounds" >"$progress"
		sed -i 's/^stat::number_of_executed_units:/stat::counted_units:/' "$log"
	done
	secs=$(($(date +%s) - start))
	cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
	if [ $rc -eq 0 ]; then
		rm -f "$progress"
		line="ok campaign $name: $runs runs in $cpu CPU seconds ($rounds rounds, the last ${secs}s of them here), ${cov:-no coverage line}"
	else
		line="not ok campaign $name: exit $rc after $runs runs: $(grep -m 1 -E 'ERROR: |runtime error|SUMMARY' "$log")"
		status=1
	fi
	echo "$line"
	echo "$(date -u +%FT%TZ) $(git rev-parse --short HEAD 2>/dev/null) $line" >>"$STATE/campaign.txt"
done
exit $status
