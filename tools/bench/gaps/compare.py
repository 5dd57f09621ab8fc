"""Cell-by-cell comparison of wattbit's and geopandas' coverage verdicts.

usage: compare.py ENGINE.csv (KEY_CODE,covered,nearest_km,reach_km) PEER.csv (KEY_CODE,covered)
A mismatch is reported with the engine's geodesic distance and the reach: anything not
within a metre of the reach would be a real disagreement.
"""
import json
import sys

import pandas as pd

engine = pd.read_csv(sys.argv[1], dtype={"KEY_CODE": str})
peer = pd.read_csv(sys.argv[2], dtype={"KEY_CODE": str})
both = engine.merge(peer, on="KEY_CODE", suffixes=("_engine", "_peer"), how="outer", indicator=True)
missing = int((both["_merge"] != "both").sum())
diff = both[(both["_merge"] == "both") & (both["covered_engine"] != both["covered_peer"])]
margin_m = ((diff["nearest_km"] - diff["reach_km"]) * 1000).abs()
print(json.dumps({
    "bench": "gaps-compare", "cells": int(len(engine)), "missing": missing, "mismatches": int(len(diff)),
    "engine_covered_peer_not": int(((diff["covered_engine"] == 1) & (diff["covered_peer"] == 0)).sum()),
    "peer_covered_engine_not": int(((diff["covered_engine"] == 0) & (diff["covered_peer"] == 1)).sum()),
    "max_mismatch_margin_m": round(float(margin_m.max()), 4) if len(diff) else 0.0,
    "examples": diff.head(5)[["KEY_CODE", "covered_engine", "covered_peer", "nearest_km", "reach_km"]].to_dict("records"),
}))
