#!/bin/sh
# Print the size of each loader image and fail if one exceeds the budget.
# usage: size-report.sh BUDGET_BYTES FILE...
budget=$1
shift
status=0
for f in "$@"; do
	[ -f "$f" ] || continue
	size=$(stat -c %s "$f")
	printf 'size: %-24s %7d bytes (%d%% of %d KiB budget)\n' "$(basename "$f")" "$size" \
		$((size * 100 / budget)) $((budget / 1024))
	if [ "$size" -gt "$budget" ]; then
		echo "error: $f exceeds the $budget-byte image budget" >&2
		status=1
	fi
done
exit $status
