"""Python peers for the hub benchmark: PySAL spopt MaxPHeuristic and scikit-learn KMeans
with floor repair, on the same generated sites (CSV lon,lat,mw from `wattbit-bench hubs --csv`).

Prints one JSON line per peer, with the same fields as the Swift benchmark: hubs (regions
meeting the floor), valid_hubs (also every member within the latency bound of the region's
capacity-weighted medoid — the hub definition of wattbit-hubs), the largest member RTT from
that medoid, and wall time.

    python peers.py sites.csv --min-hub-mw 1000 --max-rtt-ms 1 [--peer maxp|kmeans]
"""
import argparse
import json
import math
import sys
import time

import numpy as np

ROUTE_FACTOR = 1.5
FIBER_US_PER_KM = 4.9
EARTH_KM = 6371.0088


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, 0], data[:, 1], data[:, 2]


def haversine_km(lon1, lat1, lon2, lat2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dl = np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(a))


def rtt_ms(km):
    return 2 * km * ROUTE_FACTOR * FIBER_US_PER_KM / 1000


def evaluate(labels, lon, lat, mw, floor, max_rtt):
    """Hubs meeting the floor, valid hubs, and the largest member RTT from each hub's weighted medoid."""
    hubs = valid = 0
    worst = 0.0
    assigned = 0.0
    for label in np.unique(labels):
        if label < 0:
            continue
        idx = np.where(labels == label)[0]
        if mw[idx].sum() < floor:
            continue
        hubs += 1
        assigned += mw[idx].sum()
        # capacity-weighted medoid (exact for small regions, sampled among 200 members otherwise)
        cand = idx if len(idx) <= 200 else idx[np.linspace(0, len(idx) - 1, 200).astype(int)]
        best, best_cost, best_max = None, math.inf, 0.0
        for c in cand:
            d = haversine_km(lon[c], lat[c], lon[idx], lat[idx])
            cost = float((d * mw[idx]).sum())
            if cost < best_cost:
                best, best_cost, best_max = c, cost, float(d.max())
        r = rtt_ms(best_max)
        worst = max(worst, r)
        if r <= max_rtt + 1e-9:
            valid += 1
    return hubs, valid, worst, assigned


def run_maxp(lon, lat, mw, floor, max_rtt):
    import geopandas as gpd
    import libpysal
    from shapely.geometry import Point
    from spopt.region import MaxPHeuristic

    gdf = gpd.GeoDataFrame({"mw": mw, "attr": mw}, geometry=[Point(x, y) for x, y in zip(lon, lat)], crs="EPSG:4326")
    # Neighbours: sites within the latency radius of each other (a max-p region must be connected
    # in this graph; max-p itself has no notion of a centre or a latency bound).
    radius_km = max_rtt * 1000 / (2 * ROUTE_FACTOR * FIBER_US_PER_KM)
    coords = np.column_stack([lon, lat])
    w = libpysal.weights.DistanceBand(coords, threshold=radius_km, binary=True, distance_metric="arc",
                                      radius=EARTH_KM, silence_warnings=True)
    model = MaxPHeuristic(gdf, w, ["attr"], "mw", floor, top_n=2, max_iterations_construction=99)
    model.solve()
    return np.asarray(model.labels_)


def run_kmeans(lon, lat, mw, floor, max_rtt):
    from sklearn.cluster import KMeans

    k = max(1, int(mw.sum() // floor))
    # Equirectangular km around the mean latitude, so Euclidean k-means is roughly metric.
    lat0 = math.radians(float(np.mean(lat)))
    xy = np.column_stack([np.radians(lon) * EARTH_KM * math.cos(lat0), np.radians(lat) * EARTH_KM])
    labels = KMeans(n_clusters=k, n_init=4, random_state=1).fit(xy, sample_weight=mw).labels_.copy()
    # Floor repair: dissolve the smallest cluster under the floor into the nearest remaining centroids.
    while True:
        ids = np.unique(labels)
        totals = {i: mw[labels == i].sum() for i in ids}
        short = [i for i in ids if totals[i] < floor]
        if not short or len(ids) == 1:
            break
        worst = min(short, key=lambda i: (totals[i], i))
        keep = [i for i in ids if i != worst]
        centroids = np.array([np.average(xy[labels == i], axis=0, weights=np.maximum(mw[labels == i], 1e-9)) for i in keep])
        members = np.where(labels == worst)[0]
        d = ((xy[members, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
        labels[members] = np.array(keep)[d.argmin(axis=1)]
    return labels


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--min-hub-mw", type=float, default=1000)
    ap.add_argument("--max-rtt-ms", type=float, default=1.0)
    ap.add_argument("--peer", choices=["maxp", "kmeans"], action="append")
    args = ap.parse_args()
    lon, lat, mw = load(args.csv)
    for peer in args.peer or ["maxp", "kmeans"]:
        start = time.perf_counter()
        labels = (run_maxp if peer == "maxp" else run_kmeans)(lon, lat, mw, args.min_hub_mw, args.max_rtt_ms)
        seconds = time.perf_counter() - start
        hubs, valid, worst, assigned = evaluate(labels, lon, lat, mw, args.min_hub_mw, args.max_rtt_ms)
        print(json.dumps({"bench": "hubs", "engine": "spopt-maxp" if peer == "maxp" else "sklearn-kmeans+repair",
                          "sites": len(mw), "hubs": hubs, "valid_hubs": valid, "assigned_mw": round(assigned, 1),
                          "max_member_rtt_ms": round(worst, 4), "seconds": round(seconds, 3)}))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
