#!/usr/bin/env python3
"""Python peers for the GeoJSON benchmark; prints one JSON line like wattbit-bench.

usage: peers.py json|geopandas FILE [--repeat N]
  json:      json.load of the whole file (CPython's C accelerated decoder)
  geopandas: geopandas.read_file(FILE, engine="pyogrio") into a GeoDataFrame
"""
import json
import os
import resource
import sys
import time


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    tool, path = sys.argv[1], sys.argv[2]
    repeats = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    if tool == "geopandas":
        import geopandas  # imported before timing: start-up is not parsing
    best, best_cpu, count = float("inf"), float("inf"), 0
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), cpu_seconds()
        if tool == "json":
            with open(path, "rb") as f:
                count = len(json.load(f)["features"])
        elif tool == "geopandas":
            count = len(geopandas.read_file(path, engine="pyogrio"))
        else:
            sys.exit(f"unknown tool {tool}")
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, cpu_seconds() - cpu_start)
    print(json.dumps({
        "tool": {"json": "python json.load", "geopandas": "geopandas.read_file (pyogrio)"}[tool],
        "bytes": os.path.getsize(path), "features": count,
        "seconds": round(best, 3), "cpu_seconds": round(best_cpu, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
