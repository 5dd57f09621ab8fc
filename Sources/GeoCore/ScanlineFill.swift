/// A regular lon/lat grid: `columns` × `rows` cells of `stepLon` × `stepLat` degrees whose
/// south-west corner is (`west`, `south`). Cell (row, column) has its centre at
/// (west + (column + ½)·stepLon, south + (row + ½)·stepLat). A JIS X 0410 first-level mesh
/// split into 80, 160 or 320 cells a side is such a grid (see `MeshCode.grid(level:)`).
public struct RegularGrid: Sendable, Equatable {
    public var west: Double
    public var south: Double
    public var stepLon: Double
    public var stepLat: Double
    public var columns: Int
    public var rows: Int

    public init(west: Double, south: Double, stepLon: Double, stepLat: Double, columns: Int, rows: Int) {
        self.west = west; self.south = south
        self.stepLon = stepLon; self.stepLat = stepLat
        self.columns = columns; self.rows = rows
    }

    public func centre(row: Int, column: Int) -> Position {
        Position(west + (Double(column) + 0.5) * stepLon, south + (Double(row) + 0.5) * stepLat)
    }
}

/// Which cells of a regular grid have their centre inside a polygon: polygon scan
/// conversion (the active-edge scanline fill of Foley & van Dam, *Computer Graphics*,
/// §3.6; GDAL's `GDALRasterizePolygons` does the same for "centre inside" burns). The one
/// polygon fill of the toolkit: JIS mesh grids in lon/lat (siting) and the sea surface's
/// square grids on the gnomonic plane (cable routing, coarse and fine) both use it.
///
/// For every grid row, the edges that cross the row's centre line give crossing
/// abscissae; sorted, they pair into inside intervals (even–odd rule over all rings, so
/// holes and multi-part polygons need no special case).
///
/// Edge rule, for a cell centre c = (x, y) on the boundary:
/// - an edge counts for a row when its southern end lies on or below the centre line and
///   its northern end strictly above (lo ≤ y < hi), so a vertex on a centre line is
///   counted once and horizontal edges never;
/// - inside intervals are half-open, [west crossing, east crossing), so a centre exactly
///   on a crossing belongs to the interval that starts there.
/// Together that is the answer for the point just east and a hair north of c:
/// c ↦ GEOS `contains`(x + ε, y + δ) with 0 < δ ≪ ε — a centre on a west or south edge
/// is inside, on an east or north edge outside, and a vertex on a centre line is treated
/// like the point beside it. The crossing of edge a→b (in ring order) at height y is
/// a.x + (y − a.y) / (b.y − a.y) · (b.x − a.x), rounded once per operation, so "exactly on"
/// means on the rounded crossing.
///
/// Edges are bucketed by the first row they cross, over the rows the polygon spans only,
/// so the cost is O(E + R′ + crossings · log + inside runs) for E edges and R′ rows
/// spanned, instead of one point-in-polygon test per cell (which is what makes this the
/// right primitive for millions of cells).
public enum ScanlineFill {
    /// Calls `body(row, firstColumn, endColumn)` for each run of cells (columns
    /// `firstColumn..<endColumn` of `row`) whose centres lie inside the polygon given by
    /// `rings` (each ring closed or not — an open ring is closed by its last edge;
    /// orientation ignored). Rows are visited in increasing order, runs west to east and
    /// disjoint, so every inside cell is reported exactly once.
    public static func fill(rings: [[Position]], grid: RegularGrid, _ body: (Int, Int, Int) -> Void) {
        guard grid.rows > 0, grid.columns > 0, grid.stepLat > 0, grid.stepLon > 0 else { return }
        var edges: [(ax: Double, ay: Double, bx: Double, by: Double, firstRow: Int, lastRow: Int)] = []
        var low = Int.max, high = Int.min
        for ring in rings where ring.count >= 2 {
            let n = ring.count
            for i in 0..<n {
                let a = ring[i], b = ring[(i + 1) % n]
                if a.lat == b.lat { continue }
                let lo = min(a.lat, b.lat), hi = max(a.lat, b.lat)
                // Rows whose centre y satisfies lo <= y < hi.
                let first = Int(((lo - grid.south) / grid.stepLat - 0.5).rounded(.up))
                let last = Int(((hi - grid.south) / grid.stepLat - 0.5).rounded(.up)) - 1
                let r0 = max(first, 0), r1 = min(last, grid.rows - 1)
                if r0 > r1 { continue }
                edges.append((a.lon, a.lat, b.lon, b.lat, r0, r1))
                low = min(low, r0); high = max(high, r1)
            }
        }
        guard !edges.isEmpty else { return }
        // Counting sort of the edges by first row, over the rows spanned.
        let span = high - low + 1
        var offset = [Int32](repeating: 0, count: span + 1)
        for e in edges { offset[e.firstRow - low + 1] += 1 }
        for r in 0..<span { offset[r + 1] += offset[r] }
        var order = [Int32](repeating: 0, count: edges.count)
        var next = offset
        for (k, e) in edges.enumerated() {
            order[Int(next[e.firstRow - low])] = Int32(k)
            next[e.firstRow - low] += 1
        }
        var active: [Int32] = []
        var xs: [Double] = []
        for row in low...high {
            active.append(contentsOf: order[Int(offset[row - low])..<Int(offset[row - low + 1])])
            if active.isEmpty { continue }
            let y = grid.south + (Double(row) + 0.5) * grid.stepLat
            xs.removeAll(keepingCapacity: true)
            var keep = 0
            for k in 0..<active.count {
                let e = edges[Int(active[k])]
                if e.lastRow < row { continue }
                active[keep] = active[k]; keep += 1
                xs.append(e.ax + (y - e.ay) / (e.by - e.ay) * (e.bx - e.ax))
            }
            active.removeLast(active.count - keep)
            xs.sort()
            var i = 0
            while i + 1 < xs.count {
                // Cells whose centre x satisfies xs[i] <= x < xs[i+1].
                let c0 = max(Int(((xs[i] - grid.west) / grid.stepLon - 0.5).rounded(.up)), 0)
                let c1 = min(Int(((xs[i + 1] - grid.west) / grid.stepLon - 0.5).rounded(.up)), grid.columns)
                if c0 < c1 { body(row, c0, c1) }
                i += 2
            }
        }
    }

    /// The rings of a Polygon or MultiPolygon geometry (every part's outer ring and holes),
    /// ready for `fill`; nil for other geometry types.
    public static func rings(of geometry: Geometry) -> [[Position]]? {
        switch geometry {
        case .polygon(let rings): return rings
        case .multiPolygon(let parts): return parts.flatMap { $0 }
        default: return nil
        }
    }
}

extension MeshCode {
    /// This mesh split into cells of a finer `level` (80, 160 or 320 a side for 1 km,
    /// 500 m, 250 m inside a first-level mesh): the grid whose cell (r, c) is the mesh cell
    /// `MeshCode(level:row: row·n + r, column: column·n + c)` (JIS X 0410: rows south to
    /// north, columns west to east).
    public func grid(level finer: Level) -> RegularGrid {
        let n = max(finer.cellsPerFirstLevel.rows / self.level.cellsPerFirstLevel.rows, 1)
        let m = max(finer.cellsPerFirstLevel.columns / self.level.cellsPerFirstLevel.columns, 1)
        return RegularGrid(west: west, south: south, stepLon: (east - west) / Double(m),
                           stepLat: (north - south) / Double(n), columns: m, rows: n)
    }
}
