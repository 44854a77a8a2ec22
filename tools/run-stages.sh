#!/usr/bin/env bash
# Run `make` targets as test stages, keep going past failures, then print a timing table.
#
#   tools/run-stages.sh STAGE [STAGE...]       a STAGE "a+b" runs targets a and b in parallel
#
# Each stage's output goes to the terminal (parallel stages: printed whole when the group
# ends, so logs do not interleave) and to build/logs/<stage>.log. A stage whose output has a
# line starting with "*** SKIPPED" or "skipped:" counts as skipped. Exit status 1 if any failed.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
logs=build/logs
mkdir -p "$logs"
MAKE_CMD=${MAKE:-make}

names=(); results=(); seconds=()
record() {  # name rc elapsed
    local result=ok
    if [ "$2" -ne 0 ]; then
        result="FAILED (exit $2)"
    elif grep -qE '^(\*\*\* SKIPPED|skipped:)' "$logs/$1.log"; then
        result=skipped
    fi
    names+=("$1"); results+=("$result"); seconds+=("$3")
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

total_start=$(now)
for stage in "$@"; do
    if [[ "$stage" == *+* ]]; then
        IFS=+ read -r -a group <<< "$stage"
        echo "######## stages ${group[*]} (in parallel) ########"
        pids=(); starts=()
        for target in "${group[@]}"; do
            starts+=("$(now)")
            ( "$MAKE_CMD" --no-print-directory "$target" > "$logs/$target.log" 2>&1; echo $? > "$logs/$target.rc"; date +%s.%N > "$logs/$target.end" ) &
            pids+=($!)
        done
        for i in "${!group[@]}"; do
            wait "${pids[$i]}"
            target=${group[$i]}
            echo "######## stage $target (output) ########"
            cat "$logs/$target.log"
            record "$target" "$(cat "$logs/$target.rc")" "$(elapsed "${starts[$i]}" "$(cat "$logs/$target.end")")"
            rm -f "$logs/$target.rc" "$logs/$target.end"
        done
    else
        echo "######## stage $stage ########"
        start=$(now)
        "$MAKE_CMD" --no-print-directory "$stage" 2>&1 | tee "$logs/$stage.log"
        rc=${PIPESTATUS[0]}
        record "$stage" "$rc" "$(elapsed "$start" "$(now)")"
    fi
done
total=$(elapsed "$total_start" "$(now)")

passed=0; failed=0; skipped=0
echo
echo "================ stage timings ================"
printf '%-22s %9s  %s\n' stage seconds result
for i in "${!names[@]}"; do
    printf '%-22s %9s  %s\n' "${names[$i]}" "${seconds[$i]}" "${results[$i]}"
    case "${results[$i]}" in
        ok) passed=$((passed + 1)) ;;
        skipped) skipped=$((skipped + 1)) ;;
        *) failed=$((failed + 1)) ;;
    esac
done
printf '%-22s %9s\n' "total (wall clock)" "$total"
echo "==============================================="
echo "stages: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
