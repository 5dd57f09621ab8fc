"""Medians per layout and size from the JSON lines of tools/bench/gaps-plan/run.sh.

    python3 summarise.py results.jsonl
"""
import json
import statistics
import sys
from collections import defaultdict

rows = defaultdict(list)
demo = []
with open(sys.argv[1]) as f:
    for line in f:
        if not line.strip():
            continue
        r = json.loads(line)
        if r["bench"] == "gaps-plan":
            rows[(r["layout"], r["gaps"])].append(r)
        else:
            demo.append(r)

med = statistics.median
print("| layout | gaps | runs | links (median) | exact proven | exact gap (median / max) | greedy gap (median / max) | exact / greedy people (median) | exact s (median / max) | greedy s (median) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for key in sorted(rows):
    rs = rows[key]
    eg = [r["exact_gap"] for r in rs]
    gg = [r["greedy_gap"] for r in rs]
    es = [r["exact_seconds"] for r in rs]
    print(f"| {key[0]} | {key[1]} | {len(rs)} | {med(r['links'] for r in rs):g} | {sum(r['exact_optimal'] for r in rs)} / {len(rs)} "
          f"| {100 * med(eg):.2f} % / {100 * max(eg):.2f} % | {100 * med(gg):.2f} % / {100 * max(gg):.2f} % "
          f"| {med(r['exact_over_greedy'] for r in rs):.4f} | {med(es):.2f} / {max(es):.2f} | {med(r['greedy_seconds'] for r in rs):.3f} |")
if demo:
    print()
    print("| demo budget (JPY) | method | extensions (shared) | people | bound | optimal | gap | cost (JPY) | seconds (whole run) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in demo:
        print(f"| {r['budget_jpy']:.0e} | {r['method']} | {r['extensions']} ({r['shared']}) | {r['people']} | {r['bound']} | {r['optimal']} "
              f"| {r['gap']} | {r['cost_jpy']} | {r['seconds']:.1f} |")
