#!/usr/bin/env bash
# Exact hubs benchmark: wattbit-hubs with the integer programme on (CBC) and off (heuristic
# only) against PySAL spopt MaxPHeuristic, side by side on the same generated instances.
# Quotes medians per size of hubs, proven upper bound, gap, share proven optimal and seconds,
# and so shows the size at which exact stops being practical.
#
#   tools/bench/hubs-exact/run.sh
#   TIGHT_SIZES="15 20 25 30 40" TOWN_SIZES="200 500 1000" SEEDS="1 2 3 4 5" \
#       TIME_LIMIT=30 tools/bench/hubs-exact/run.sh
#
# tight: one 1 ms neighbourhood whose capacity barely allows k ≈ N/6 hubs of 1 GW (issue
# 14's packing, where the heuristic can be a hub short); towns: the clustered sites of the
# hubs benchmark (tools/bench/hubs). Every instance runs --exact on with TIME_LIMIT seconds
# and --exact off; spopt MaxP runs on the instances of at most MAXP_MAX sites, for at most
# MAXP_TIMEOUT seconds each.
# Raw lines: $WORK/results.jsonl (WORK defaults to .build-bench/hubs-exact).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
SCRATCH="${WATTBIT_BUILD_DIR:-$ROOT/.build}"
VENV="$ROOT/tools/bench/.venv-hubs"
TIGHT_SIZES="${TIGHT_SIZES:-15 20 25 30 40}"
TOWN_SIZES="${TOWN_SIZES:-200 500 1000}"
SEEDS="${SEEDS:-1 2 3 4 5}"
TIME_LIMIT="${TIME_LIMIT:-30}"
MAXP_MAX="${MAXP_MAX:-1000}"
MAXP_TIMEOUT="${MAXP_TIMEOUT:-120}"
WORK="${WORK:-$ROOT/.build-bench/hubs-exact}"
mkdir -p "$WORK"
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"

swift build -c release --scratch-path "$SCRATCH" --product wattbit-bench >&2
BENCH="$SCRATCH/release/wattbit-bench"
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
# The same pinned peer as tools/bench/hubs.
"$VENV/bin/pip" install -q --disable-pip-version-check spopt==0.6.1 scikit-learn geopandas libpysal >&2

run() {   # family size seed
    local csv="$WORK/sites-$1-$2-$3.csv"
    "$BENCH" hubs-exact --family "$1" --sites "$2" --seed "$3" --exact on --time-limit "$TIME_LIMIT" --csv "$csv" \
        | tee -a "$RESULTS"
    "$BENCH" hubs-exact --family "$1" --sites "$2" --seed "$3" --exact off | tee -a "$RESULTS"
    if [ "$2" -le "$MAXP_MAX" ]; then
        # spopt's MaxPHeuristic (construction plus tabu search) can run for minutes even on
        # a few dozen sites: it gets MAXP_TIMEOUT seconds, and a run cut off says so.
        if ! timeout "$MAXP_TIMEOUT" "$VENV/bin/python" "$ROOT/tools/bench/hubs/peers.py" "$csv" --peer maxp > "$WORK/maxp.out"; then
            echo "{\"bench\":\"hubs\",\"engine\":\"spopt-maxp\",\"sites\":$2,\"timed_out\":true,\"seconds\":$MAXP_TIMEOUT}" > "$WORK/maxp.out"
        fi
        python3 -c "import json,sys; [print(json.dumps({**json.loads(l), 'family': '$1', 'seed': $3})) for l in sys.stdin]" \
            < "$WORK/maxp.out" | tee -a "$RESULTS"
    fi
}
for n in $TIGHT_SIZES; do for s in $SEEDS; do run tight "$n" "$s"; done; done
for n in $TOWN_SIZES; do for s in $SEEDS; do run towns "$n" "$s"; done; done
python3 "$ROOT/tools/bench/hubs-exact/summarise.py" "$RESULTS"
