"""One Markdown table from the JSON lines of tools/bench/hubs/repair.sh.

    python3 repair_summary.py repair.jsonl

Per family and size: instances; where the optimum hub count is known (a run meets the
capacity bound, or CBC proved the count), on how many the heuristic reaches it without and
with the repair; hubs in all, the bound, and median / largest seconds of each.
"""
import json
import statistics
import sys
from collections import defaultdict

runs = defaultdict(dict)
with open(sys.argv[1]) as f:
    for line in f:
        if line.strip():
            r = json.loads(line)
            runs[(r["family"], r["sites"], r["seed"])][r["engine"]] = r

rows = defaultdict(list)
for (family, sites, seed), by in sorted(runs.items()):
    before, after = by.get("wattbit-exact-off-norepair"), by.get("wattbit-exact-off")
    if not before or not after:
        continue
    bound = min(before["hubs_upper_bound"], after["hubs_upper_bound"])
    optimum = None
    if max(before["hubs"], after["hubs"]) >= bound:
        optimum = bound
    exact = by.get("wattbit-exact-on")
    if exact and exact["count_proven"]:
        optimum = exact["hubs"]
    rows[(family, sites)].append((before, after, bound, optimum))

print("| family | sites | instances | optimum known | optimal count: before | optimal count: after | hubs before → after (total) | bound (total) | s before (median / max) | s after (median / max) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for (family, sites), rs in sorted(rows.items()):
    known = [r for r in rs if r[3] is not None]
    hit_before = sum(r[0]["hubs"] == r[3] for r in known)
    hit_after = sum(r[1]["hubs"] == r[3] for r in known)
    sb = [r[0]["seconds"] for r in rs]
    sa = [r[1]["seconds"] for r in rs]
    print(f"| {family} | {sites} | {len(rs)} | {len(known)} | {hit_before} | {hit_after} | "
          f"{sum(r[0]['hubs'] for r in rs)} → {sum(r[1]['hubs'] for r in rs)} | {sum(r[2] for r in rs)} | "
          f"{statistics.median(sb):.2f} / {max(sb):.2f} | {statistics.median(sa):.2f} / {max(sa):.2f} |")
