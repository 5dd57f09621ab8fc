#!/usr/bin/env python3
"""The peer a GIS user would pick: rasterio (GDAL's AAIGrid driver) reads the grid into
numpy, then samples the depth at every cell centre of a 2 km grid over the sea area, as
the planner does for its cost surface. Prints the number of samples and their mean depth.
Usage: peer.py GRID.asc
"""
import sys

import numpy as np
import rasterio

with rasterio.open(sys.argv[1]) as grid:
    values = grid.read(1)
    nodata = grid.nodata
    transform = grid.transform
# Sample points: a 2 km (0.018 degree) lattice over the grid's area, as cell centres.
lons = np.arange(122.0, 158.0, 0.018)
lats = np.arange(29.0, 45.0, 0.018)
lon, lat = np.meshgrid(lons, lats)
cols = ((lon - transform.c) / transform.a).astype(np.int64)
rows = ((lat - transform.f) / transform.e).astype(np.int64)
inside = (cols >= 0) & (cols < values.shape[1]) & (rows >= 0) & (rows < values.shape[0])
sampled = values[rows[inside], cols[inside]]
sampled = sampled[sampled != nodata]
print(len(sampled), float(-sampled.mean()))
