#!/usr/bin/env bash
# gaps --plan benchmark: the exact shared-extension plan (CBC) against the greedy rule over
# independent costs (Khuller, Moss & Naor 1999), on generated gap sets of growing size, and
# on the demo data through the real executable. Quotes medians of people reached, the gap
# to the proven bound and seconds, and so shows the size at which exact stops being
# practical.
#
#   tools/bench/gaps-plan/run.sh
#   SIZES="100 500 2000" SEEDS="1 2 3" TIME_LIMIT=30 tools/bench/gaps-plan/run.sh
#
# Raw lines: $WORK/results.jsonl (WORK defaults to .build-bench/gaps-plan).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$ROOT"
SCRATCH="${WATTBIT_BUILD_DIR:-$ROOT/.build}"
SIZES="${SIZES:-100 300 1000 3000}"
SEEDS="${SEEDS:-1 2 3 4 5}"
LAYOUTS="${LAYOUTS:-strung scattered}"
TIME_LIMIT="${TIME_LIMIT:-30}"
BUDGETS="${BUDGETS:-1e9 5e9 2e10}"
WORK="${WORK:-$ROOT/.build-bench/gaps-plan}"
mkdir -p "$WORK"
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"

swift build -c release --scratch-path "$SCRATCH" --product wattbit-bench >&2
swift build -c release --scratch-path "$SCRATCH" --product wattbit-gaps >&2
BIN="$SCRATCH/release"

for layout in $LAYOUTS; do for n in $SIZES; do for s in $SEEDS; do
    "$BIN/wattbit-bench" gaps-plan --gaps "$n" --seed "$s" --layout "$layout" --budget-share 0.3 \
        --time-limit "$TIME_LIMIT" | tee -a "$RESULTS"
done; done; done

# The demo data (445 gaps): the real executable, exact and greedy, per budget.
for b in $BUDGETS; do for m in exact greedy; do
    out="$WORK/demo-$m-$b.geojson"
    /usr/bin/time -f "%e" -o "$WORK/time.txt" "$BIN/wattbit-gaps" run --network geodata/demo-network.geojson \
        --demand geodata/demo-population.csv --island-routing straight-line --budget-jpy "$b" --plan \
        --plan-method "$m" --plan-time-limit "$TIME_LIMIT" --progress none -o "$out"
    python3 - "$out" "$m" "$b" "$(cat "$WORK/time.txt")" <<'PY' | tee -a "$RESULTS"
import json, sys
path, method, budget, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
ext = [f["properties"] for f in json.load(open(path))["features"] if f["properties"]["role"] == "extension"]
first = ext[0] if ext else {}
print(json.dumps({"bench": "gaps-plan-demo", "method": method, "budget_jpy": budget, "extensions": len(ext),
                  "shared": sum(e["connects_from"] != "network" for e in ext),
                  "people": round(sum(e["population"] for e in ext)), "bound": first.get("bound"),
                  "optimal": first.get("optimal"), "gap": first.get("optimality_gap"),
                  "cost_jpy": round(sum(e["closing_cost_jpy"] for e in ext)), "seconds": seconds}))
PY
done; done
python3 "$ROOT/tools/bench/gaps-plan/summarise.py" "$RESULTS"
