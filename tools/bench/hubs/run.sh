#!/usr/bin/env bash
# Hub benchmark: wattbit-hubs engine (release) against PySAL spopt MaxPHeuristic and
# scikit-learn KMeans + floor repair on the same generated DC sites.
#
#   tools/bench/hubs/run.sh                 # sizes 500 1000 10000 100000
#   SIZES="1000 10000" MAXP_MAX=500 tools/bench/hubs/run.sh
#
# spopt MaxPHeuristic runs up to MAXP_MAX sites (default 1000: it takes minutes there),
# scikit-learn KMeans + floor repair up to KMEANS_MAX (default 10000).
#
# Prints one JSON line per engine and size (hub count, valid hubs, largest member RTT,
# seconds, peak RSS for wattbit). Targets: 10k sites < 2 s, 100k < 30 s with bounded memory.
# The heuristic before and after its exact neighbourhood repair, against the optimum on
# tight packings: tools/bench/hubs/repair.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
SCRATCH="${WATTBIT_BUILD_DIR:-$ROOT/.build}"
VENV="$ROOT/tools/bench/.venv-hubs"
SIZES="${SIZES:-500 1000 10000 100000}"
MAXP_MAX="${MAXP_MAX:-1000}"
KMEANS_MAX="${KMEANS_MAX:-10000}"
MIN_HUB_MW="${MIN_HUB_MW:-1000}"
MAX_RTT_MS="${MAX_RTT_MS:-1.0}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

swift build -c release --scratch-path "$SCRATCH" --product wattbit-bench >&2
BENCH="$SCRATCH/release/wattbit-bench"

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --disable-pip-version-check spopt==0.6.1 scikit-learn geopandas libpysal >&2

for n in $SIZES; do
    csv="$WORK/sites-$n.csv"
    "$BENCH" hubs --sites "$n" --min-hub-mw "$MIN_HUB_MW" --max-rtt-ms "$MAX_RTT_MS" --csv "$csv"
    peers=()
    [ "$n" -le "$MAXP_MAX" ] && peers+=(--peer maxp)
    [ "$n" -le "$KMEANS_MAX" ] && peers+=(--peer kmeans)
    if [ ${#peers[@]} -gt 0 ]; then
        "$VENV/bin/python" "$ROOT/tools/bench/hubs/peers.py" "$csv" --min-hub-mw "$MIN_HUB_MW" --max-rtt-ms "$MAX_RTT_MS" "${peers[@]}"
    fi
done
