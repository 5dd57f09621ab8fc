#!/usr/bin/env bash
# wattbit gaps benchmark: all of Japan at 1 km (every land cell, ~380k), 500 m and 250 m
# (~6M cells, streamed), against geopandas/shapely 2 (buffer + sjoin + dissolve) on the
# same generated inputs, with a cell-by-cell check that both classify every cell the same.
#
#   tools/bench/gaps/run.sh            # everything (≈ 10 min, most of it the Python peer)
#   GAPS_BENCH_SKIP_250=1 tools/bench/gaps/run.sh
#
# Environment: WATTBIT_BUILD_DIR (release scratch path, default .build), GAPS_BENCH_DIR
# (generated inputs and outputs, default .build-bench/gaps).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$ROOT"
BUILD="${WATTBIT_BUILD_DIR:-$ROOT/.build}"
WORK="${GAPS_BENCH_DIR:-$ROOT/.build-bench/gaps}"
VENV="$ROOT/tools/bench/.venv-gaps"
NETWORK="$ROOT/geodata/demo-network.geojson"
REACH=2
mkdir -p "$WORK"

swift build -c release --scratch-path "$BUILD" --product wattbit-gaps >&2
swift build -c release --scratch-path "$BUILD" --product wattbit-bench >&2
BIN="$BUILD/release"

if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/pip" install -q --disable-pip-version-check geopandas==1.2.0 shapely==2.2.0 pandas==3.1.1 \
    numpy==2.4.6 pyogrio==0.13.0 pyproj==3.7.2 >&2

gen() {   # level file
    [ -s "$2" ] || "$BIN/wattbit-bench" gaps generate --level "$1" --out "$2"
}
gen 3 "$WORK/mesh-1km.csv"
[ -n "${GAPS_BENCH_SKIP_250:-}" ] || { gen 4 "$WORK/mesh-500m.csv"; gen 5 "$WORK/mesh-250m.csv"; }

# One timed end-to-end run of the real executable: prints "seconds user_seconds max_rss_kb".
timed() {   # demand output reach
    /usr/bin/time -f "%e %U %M" -o "$WORK/time.txt" "$BIN/wattbit-gaps" run --network "$NETWORK" --demand "$1" \
        --reach-km "$3" --summary "$WORK/summary-$(basename "$1" .csv)-$3.csv" --island-routing straight-line \
        --progress none -o "$2"
    cat "$WORK/time.txt"
}
cells() { echo $(( $(wc -l < "$1") - 1 )); }
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1048576 }'; }
# gaps and uncovered cells kept (sum of units) in an output
gapstats() { "$VENV/bin/python" -c 'import json,sys; g=[f["properties"] for f in json.load(open(sys.argv[1]))["features"] if f["properties"]["role"]=="gap"]; print(len(g), sum(p["units"] for p in g))' "$1"; }

for spec in 1km:2 500m:2 250m:2 250m:12; do
    input="${spec%%:*}"; reach="${spec##*:}"
    csv="$WORK/mesh-$input.csv"
    [ -s "$csv" ] || continue
    runs=(); users=(); rss=0
    n=3; [ "$input" = 1km ] || n=1
    for _ in $(seq "$n"); do
        read -r s u kb < <(timed "$csv" "$WORK/gaps-$input-$reach.geojson" "$reach")
        runs+=("$s"); users+=("$u"); [ "$kb" -gt "$rss" ] && rss=$kb
    done
    read -r ngaps kept < <(gapstats "$WORK/gaps-$input-$reach.geojson")
    printf '{"bench":"gaps-wattbit","input":"%s","reach_km":%s,"cells":%s,"csv_mb":%s,"wall_s":[%s],"user_s":[%s],"max_rss_mb":%s,"gaps":%s,"uncovered_cells_kept":%s}\n' \
        "$input" "$reach" "$(cells "$csv")" "$(mb "$csv")" "$(IFS=,; echo "${runs[*]}")" "$(IFS=,; echo "${users[*]}")" \
        "$((rss / 1024))" "$ngaps" "$kept"
done

# Cell-by-cell agreement and the Python peer's time on the 1 km input.
"$BIN/wattbit-bench" gaps classify --network "$NETWORK" --demand "$WORK/mesh-1km.csv" --reach-km "$REACH" \
    --out "$WORK/classify-wattbit-1km.csv" >&2
/usr/bin/time -f "%e %U %M" -o "$WORK/time-peer.txt" "$VENV/bin/python" tools/bench/gaps/peer_geopandas.py \
    "$NETWORK" "$WORK/mesh-1km.csv" "$REACH" "$WORK/classify-peer-1km.csv"
read -r s u kb < "$WORK/time-peer.txt"
echo "{\"bench\":\"gaps-geopandas-process\",\"wall_s\":$s,\"user_s\":$u,\"max_rss_mb\":$((kb / 1024))}"
"$VENV/bin/python" tools/bench/gaps/compare.py "$WORK/classify-wattbit-1km.csv" "$WORK/classify-peer-1km.csv"
