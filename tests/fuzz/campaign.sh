#!/bin/bash
# tests/fuzz/campaign.sh [TARGET...]: the fuzzing campaign the hardening
# work asks for, one target after another: 10 million executions, or one
# CPU-hour for a target slower than 3,000 executions a second, from the
# seeds and the corpus earlier campaigns left in ~/.cache/pvhboot/fuzz, so
# a campaign split over several sessions goes on where it stopped. Prints
# one line per target with its executions, time, coverage (libFuzzer's
# "cov", edges) and features, and "not ok" for any crash, leak or timeout;
# the input that did it is kept as $BUILD/fuzz/crash-NAME-*. Each line is
# also added, dated, to ~/.cache/pvhboot/fuzz/campaign.txt.
#   FUZZ_RUNS=N FUZZ_MAX_SECONDS=S   other budgets
#   FUZZ_CORPUS=DIR                  another corpus directory
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
IMAGES=${PVHBOOT_TEST_IMAGES:-$BUILD/testimages}
STATE=${XDG_CACHE_HOME:-$HOME/.cache}/pvhboot/fuzz
export FUZZ_CORPUS=${FUZZ_CORPUS:-$STATE/corpus}
mkdir -p "$STATE"
. tests/fuzz/seeds.sh
RUNS=${FUZZ_RUNS:-10000000}
MAX_SECONDS=${FUZZ_MAX_SECONDS:-3600}
NAMES=${*:-$(for f in tests/fuzz/fuzz_*.c; do f=${f#tests/fuzz/fuzz_}; echo "${f%.c}"; done)}

status=0
for name in $NAMES; do
	bin=$BUILD/fuzz/fuzz_$name
	make -s BUILD="$BUILD" "$bin" >/dev/null 2>&1 || { echo "not ok campaign $name: not built"; status=1; continue; }
	mapfile -t dirs < <(fuzz_dirs "$name")
	mapfile -t opts < <(fuzz_opts "$name")
	log=$BUILD/fuzz/campaign-$name.log
	start=$(date +%s)
	"$bin" -runs="$RUNS" -max_total_time="$MAX_SECONDS" -timeout=20 -rss_limit_mb=2048 \
		-close_fd_mask=2 "${opts[@]}" -print_final_stats=1 \
		-artifact_prefix="$BUILD/fuzz/crash-$name-" "${dirs[@]}" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
	if [ $rc -eq 0 ]; then
		line="ok campaign $name: ${runs:-?} runs in ${secs}s, ${cov:-no coverage line}"
	else
		line="not ok campaign $name: exit $rc after ${runs:-?} runs: $(grep -m 1 -E 'ERROR: |runtime error|SUMMARY' "$log")"
		status=1
	fi
	echo "$line"
	echo "$(date -u +%FT%TZ) $(git rev-parse --short HEAD 2>/dev/null) $line" >>"$STATE/campaign.txt"
done
exit $status
