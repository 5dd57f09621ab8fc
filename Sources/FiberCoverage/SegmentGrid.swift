import GeoCore

/// A uniform lon/lat grid that lists, per cell, the segments whose bounding box touches it,
/// in compressed rows (`cellStart[c]..<cellStart[c + 1]` indexes `items`). Built in two
/// passes (count, then fill), O(segments + cells) time and memory. Shared by the network
/// index (segments near a point) and the polygon locator (edges crossing a cell).
struct SegmentGrid: Sendable {
    /// Cell (i, j) covers [minLon + j·dLon, +dLon) × [minLat + i·dLat, +dLat).
    var minLon = 0.0, minLat = 0.0, dLon = 1.0, dLat = 1.0
    var columns = 0, rows = 0
    var cellStart: [Int32] = []
    var items: [Int32] = []

    init() {}

    init(starts: [Position], ends: [Position], minLon: Double, minLat: Double,
         dLon: Double, dLat: Double, columns: Int, rows: Int) {
        self.minLon = minLon; self.minLat = minLat
        self.dLon = dLon; self.dLat = dLat
        self.columns = columns; self.rows = rows
        var counts = [Int32](repeating: 0, count: columns * rows)
        forEachCell(starts, ends) { cell, _ in counts[cell] += 1 }
        cellStart = [Int32](repeating: 0, count: columns * rows + 1)
        var running: Int32 = 0
        for c in 0..<(columns * rows) { cellStart[c] = running; running += counts[c] }
        cellStart[columns * rows] = running
        var fill = cellStart
        var items = [Int32](repeating: 0, count: Int(running))
        forEachCell(starts, ends) { cell, segment in
            items[Int(fill[cell])] = Int32(segment)
            fill[cell] += 1
        }
        self.items = items
    }

    private func forEachCell(_ starts: [Position], _ ends: [Position], _ body: (Int, Int) -> Void) {
        for s in 0..<starts.count {
            let a = starts[s], b = ends[s]
            let j0 = column(min(a.x, b.x)), j1 = column(max(a.x, b.x))
            let i0 = row(min(a.y, b.y)), i1 = row(max(a.y, b.y))
            for i in i0...i1 { for j in j0...j1 { body(i * columns + j, s) } }
        }
    }

    /// Grid column of a longitude, clamped to the grid.
    @inline(__always) func column(_ lon: Double) -> Int {
        min(max(Int(((lon - minLon) / dLon).rounded(.down)), 0), columns - 1)
    }
    /// Grid row of a latitude, clamped to the grid.
    @inline(__always) func row(_ lat: Double) -> Int {
        min(max(Int(((lat - minLat) / dLat).rounded(.down)), 0), rows - 1)
    }
}
