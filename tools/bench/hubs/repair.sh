#!/usr/bin/env bash
# The heuristic before and after its exact neighbourhood repair (--exact off with
# --repair-time-limit 0, then with the default budget), on tight packings where the optimum
# is known, and on larger instances where only the bound is.
#
#   tools/bench/hubs/repair.sh
#   SEEDS=20 LARGE="tight:300 towns:1000" EXACT_LIMIT=300 tools/bench/hubs/repair.sh
#
# Tight: TIGHT_SIZES sites (default 30) in one 1 ms RTT neighbourhood whose capacity barely
# allows k = N / 6 hubs of 1 GW (issue 14's recipe; `wattbit-bench hubs-exact --family
# tight`), seeds 1..SEEDS (default 100). The optimum hub count is the capacity bound where
# either run reaches it, else the count CBC proves with `--exact on` and EXACT_LIMIT seconds
# (default 300). LARGE: family:size pairs (default tight:300 tight:1000 towns:1000) run on
# seeds 1..LARGE_SEEDS (default 3) without the exact reference (CBC proves nothing there in
# minutes). Prints one Markdown table; raw lines in $WORK/repair.jsonl.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
SCRATCH="${WATTBIT_BUILD_DIR:-$ROOT/.build}"
TIGHT_SIZES="${TIGHT_SIZES:-30}"
SEEDS="${SEEDS:-100}"
EXACT_LIMIT="${EXACT_LIMIT:-300}"
LARGE="${LARGE:-tight:300 tight:1000 towns:1000}"
LARGE_SEEDS="${LARGE_SEEDS:-3}"
WORK="${WORK:-$ROOT/.build-bench/hubs-repair}"
mkdir -p "$WORK"
RESULTS="$WORK/repair.jsonl"
: > "$RESULTS"

swift build -c release --scratch-path "$SCRATCH" --product wattbit-bench >&2
BENCH="$SCRATCH/release/wattbit-bench"

pair() {   # family size seed: before and after; prints the two hub counts and the bound
    local before after
    before="$("$BENCH" hubs-exact --family "$1" --sites "$2" --seed "$3" --exact off --repair-time-limit 0)"
    after="$("$BENCH" hubs-exact --family "$1" --sites "$2" --seed "$3" --exact off)"
    echo "$before" >> "$RESULTS"
    echo "$after" >> "$RESULTS"
    python3 -c 'import json,sys; a=json.loads(sys.argv[1]); b=json.loads(sys.argv[2]); print(a["hubs"], b["hubs"], b["hubs_upper_bound"])' "$before" "$after"
}
for n in $TIGHT_SIZES; do
    for s in $(seq 1 "$SEEDS"); do
        read -r before after bound < <(pair tight "$n" "$s")
        if [ "$before" -lt "$bound" ] && [ "$after" -lt "$bound" ]; then
            # Neither run meets the capacity bound: CBC decides the optimum.
            "$BENCH" hubs-exact --family tight --sites "$n" --seed "$s" --exact on --time-limit "$EXACT_LIMIT" \
                --repair-time-limit 0 >> "$RESULTS" || true
        fi
        echo "tight $n seed $s: $before -> $after hubs (bound $bound)" >&2
    done
done
for fs in $LARGE; do
    for s in $(seq 1 "$LARGE_SEEDS"); do
        read -r before after bound < <(pair "${fs%%:*}" "${fs##*:}" "$s")
        echo "$fs seed $s: $before -> $after hubs (bound $bound)" >&2
    done
done
python3 "$ROOT/tools/bench/hubs/repair_summary.py" "$RESULTS"
