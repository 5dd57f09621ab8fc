import GeoCore

/// Answers "which polygon holds this point?" for a layer of non-overlapping polygons
/// (land masses, prefectures, municipalities) in O(1) for most points.
///
/// A uniform lon/lat grid stores, per cell, the edges that touch it and which polygon holds
/// the cell's centre. The centre labels come from one west-to-east sweep per grid row
/// (parity of edge crossings between consecutive centres, so no point-in-polygon test is
/// ever run against a whole polygon). A query in a cell without edges returns the centre
/// label; otherwise it flips each candidate polygon's membership by the parity of the
/// crossings on the short segment from the cell centre to the point (Jordan curve theorem;
/// crossing rule half-open in the usual way, Haines 1994).
public struct PolygonLocator: Sendable {
    public let count: Int
    private var edgeA: [Position] = []
    private var edgeB: [Position] = []
    private var edgePolygon: [Int32] = []
    private var grid = BucketGrid()
    private var centreLabel: [Int32] = []

    /// `polygons[k]` is the k-th feature's polygon rings (a MultiPolygon flattened: every
    /// ring of every part). `cellDegrees` trades memory for edges per cell.
    public init(polygons: [[[Position]]], cellDegrees: Double = 0.05) {
        count = polygons.count
        var box: BoundingBox?
        for (k, rings) in polygons.enumerated() {
            for ring in rings where ring.count >= 2 {
                for i in 1..<ring.count {
                    edgeA.append(ring[i - 1]); edgeB.append(ring[i]); edgePolygon.append(Int32(k))
                    if box == nil { box = BoundingBox(minX: ring[i].x, minY: ring[i].y, maxX: ring[i].x, maxY: ring[i].y) }
                    box?.include(ring[i]); box?.include(ring[i - 1])
                }
            }
        }
        guard let box else { return }
        // Padded by one cell on every side, so column 0's centres lie west of every polygon.
        let frame = GridFrame(covering: box, dLon: cellDegrees, dLat: cellDegrees, padding: 1, maxCells: 4_000_000)
        grid = BucketGrid(frame: frame, starts: edgeA, ends: edgeB)
        sweepCentres()
    }

    private func centre(_ i: Int, _ j: Int) -> Position { grid.frame.centre(row: i, column: j) }

    /// Whether segment p→q crosses edge e: GeoCore's half-open crossing rule, so crossing
    /// parity is exact when p→q runs through vertices (a shared vertex is counted once).
    @inline(__always)
    private func crosses(_ p: Position, _ q: Position, _ e: Int) -> Bool {
        Planar.crosses(segment: p, q, segment: edgeA[e], edgeB[e])
    }

    private mutating func sweepCentres() {
        let (rows, columns) = (grid.frame.rows, grid.frame.columns)
        centreLabel = [Int32](repeating: -1, count: columns * rows)
        var parity: [Int32: Bool] = [:]
        for i in 0..<rows {
            // Column 0's centre lies west of every polygon (the grid is padded), so outside.
            var label: Int32 = -1
            for j in 1..<columns {
                let p = centre(i, j - 1), q = centre(i, j)
                parity.removeAll(keepingCapacity: true)
                for cell in [i * columns + j - 1, i * columns + j] {
                    for k in grid.range(ofCell: cell) {
                        let e = Int(grid.items[k])
                        // An edge in both cells is seen twice; count it once.
                        if cell == i * columns + j && grid.cell(i * columns + j - 1, holds: e) { continue }
                        if crosses(p, q, e) { parity[edgePolygon[e], default: false].toggle() }
                    }
                }
                label = resolve(label, parity)
                centreLabel[i * columns + j] = label
            }
        }
    }

    /// The new single label after flipping memberships by parity.
    private func resolve(_ label: Int32, _ parity: [Int32: Bool]) -> Int32 {
        var inside: Int32 = -1
        if label >= 0 && !(parity[label] ?? false) { inside = label }
        for (polygon, odd) in parity where odd && polygon != label {
            if inside < 0 || polygon < inside { inside = polygon }
        }
        return inside
    }

    /// Index of the polygon holding p, or nil. O(edges in p's grid cell).
    public func locate(_ p: Position) -> Int? {
        let frame = grid.frame
        guard count > 0, p.x > frame.minLon, p.y > frame.minLat, p.x < frame.maxLon, p.y < frame.maxLat else { return nil }
        let i = frame.row(p.y), j = frame.column(p.x)
        let cell = i * frame.columns + j
        let start = Int(grid.cellStart[cell]), end = Int(grid.cellStart[cell + 1])
        var label = centreLabel[cell]
        if start < end {
            let c = centre(i, j)
            // Crossing parity per polygon in a small stack buffer (cells hold edges of a
            // few polygons at most); the dictionary only if a cell is unusually crowded.
            label = withUnsafeTemporaryAllocation(of: (Int32, Bool).self, capacity: 16) { parity -> Int32 in
                var used = 0
                var overflow: [Int32: Bool]?
                for k in start..<end {
                    let e = Int(grid.items[k])
                    guard crosses(c, p, e) else { continue }
                    let polygon = edgePolygon[e]
                    if overflow != nil { overflow?[polygon, default: false].toggle(); continue }
                    var found = false
                    for m in 0..<used where parity[m].0 == polygon { parity[m].1.toggle(); found = true; break }
                    if found { continue }
                    if used < 16 {
                        parity[used] = (polygon, true); used += 1
                    } else {
                        var all: [Int32: Bool] = [polygon: true]
                        for m in 0..<used { all[parity[m].0] = parity[m].1 }
                        overflow = all
                    }
                }
                var flips: [Int32: Bool] = overflow ?? [:]
                if overflow == nil {
                    if used == 0 { return label }
                    for m in 0..<used { flips[parity[m].0] = parity[m].1 }
                }
                return resolve(label, flips)
            }
        }
        return label >= 0 ? Int(label) : nil
    }
}
