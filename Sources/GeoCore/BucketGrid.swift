/// A uniform lon/lat grid frame: cell (row i, column j) covers
/// [minLon + j·dLon, +dLon) × [minLat + i·dLat, +dLat). Just the arithmetic, shared by
/// `BucketGrid` and by engines that keep their own per-cell values (sums, labels).
public struct GridFrame: Sendable, Equatable {
    public var minLon, minLat, dLon, dLat: Double
    public var columns, rows: Int

    public init(minLon: Double, minLat: Double, dLon: Double, dLat: Double, columns: Int, rows: Int) {
        self.minLon = minLon; self.minLat = minLat
        self.dLon = dLon; self.dLat = dLat
        self.columns = max(columns, 1); self.rows = max(rows, 1)
    }

    /// A frame over `box` with cells of `dLon` × `dLat` degrees and `padding` spare cells on
    /// every side, its cells doubled in size until there are at most `maxCells`. O(1).
    public init(covering box: BoundingBox, dLon: Double, dLat: Double, padding: Int = 0, maxCells: Int = 4_000_000) {
        var dLon = dLon, dLat = dLat
        func counts() -> (Int, Int) {
            (Int((box.width / dLon).rounded(.down)) + 1 + 2 * padding,
             Int((box.height / dLat).rounded(.down)) + 1 + 2 * padding)
        }
        var (columns, rows) = counts()
        while columns * rows > maxCells {
            dLon *= 2; dLat *= 2
            (columns, rows) = counts()
        }
        self.init(minLon: box.minX - Double(padding) * dLon, minLat: box.minY - Double(padding) * dLat,
                  dLon: dLon, dLat: dLat, columns: columns, rows: rows)
    }

    public var cellCount: Int { columns * rows }
    public var maxLon: Double { minLon + Double(columns) * dLon }
    public var maxLat: Double { minLat + Double(rows) * dLat }

    /// Column of a longitude, clamped to the grid. O(1).
    @inlinable @inline(__always) public func column(_ lon: Double) -> Int {
        min(max(Int(((lon - minLon) / dLon).rounded(.down)), 0), columns - 1)
    }
    /// Row of a latitude, clamped to the grid. O(1).
    @inlinable @inline(__always) public func row(_ lat: Double) -> Int {
        min(max(Int(((lat - minLat) / dLat).rounded(.down)), 0), rows - 1)
    }
    /// Index of the cell holding `p`, clamped to the grid. O(1).
    @inlinable @inline(__always) public func cell(_ p: Position) -> Int { row(p.y) * columns + column(p.x) }

    /// Centre of cell (i, j).
    @inlinable
    public func centre(row i: Int, column j: Int) -> Position {
        Position(minLon + (Double(j) + 0.5) * dLon, minLat + (Double(i) + 0.5) * dLat)
    }

    /// Rows and columns of the cells meeting `box`, or nil when the box misses the grid. O(1).
    @inlinable
    public func cells(meeting box: BoundingBox) -> (rows: ClosedRange<Int>, columns: ClosedRange<Int>)? {
        guard box.maxX >= minLon, box.minX < maxLon, box.maxY >= minLat, box.minY < maxLat else { return nil }
        return (row(box.minY)...row(box.maxY), column(box.minX)...column(box.maxX))
    }
}

/// A bucket grid (uniform grid of cells listing the items whose bounding box meets them) for
/// points and segments in lon/lat: O(1) cell lookup and no tree descent, the structure of
/// choice for items of near-uniform size (Akman, Franklin et al., "Geometric computing and
/// uniform grid technique", CAD 21(7), 1989). Stored in compressed rows:
/// `cellStart[c]..<cellStart[c + 1]` indexes `items`, and within a cell the item ids
/// increase. Built in two passes (count, then fill), O(items·cells per item + cells) time
/// and memory. A point is a segment with equal ends.
public struct BucketGrid: Sendable {
    public private(set) var frame: GridFrame
    public private(set) var cellStart: [Int32]
    public private(set) var items: [Int32]

    /// An empty grid (one cell, no items).
    public init() {
        frame = GridFrame(minLon: 0, minLat: 0, dLon: 1, dLat: 1, columns: 1, rows: 1)
        cellStart = [0, 0]
        items = []
    }

    /// Buckets segment k = starts[k]–ends[k] into every cell its bounding box meets
    /// (clamped to the frame).
    public init(frame: GridFrame, starts: [Position], ends: [Position]) {
        precondition(starts.count == ends.count)
        self.init(frame: frame, count: starts.count) { (starts[$0], ends[$0]) }
    }

    /// Buckets segments 0..<count, segment k given by `segment(k)` (its two ends), for
    /// callers that keep their segments in another layout; `segment` is called twice per
    /// segment.
    public init(frame: GridFrame, count: Int, segment: (Int) -> (Position, Position)) {
        precondition(count >= 0 && count < Int(Int32.max))
        self.frame = frame
        let cellCount = frame.cellCount
        var counts = [Int32](repeating: 0, count: cellCount + 1)
        Self.forEachCell(frame, count, segment) { cell, _ in counts[cell + 1] += 1 }
        for c in 0..<cellCount { counts[c + 1] += counts[c] }
        var fill = counts
        var items = [Int32](repeating: 0, count: Int(counts[cellCount]))
        Self.forEachCell(frame, count, segment) { cell, k in
            items[Int(fill[cell])] = Int32(k)
            fill[cell] += 1
        }
        self.cellStart = counts
        self.items = items
    }

    /// Buckets points (each into its one cell).
    public init(frame: GridFrame, points: [Position]) {
        self.init(frame: frame, starts: points, ends: points)
    }

    private static func forEachCell(_ frame: GridFrame, _ count: Int, _ segment: (Int) -> (Position, Position),
                                    _ body: (Int, Int) -> Void) {
        for k in 0..<count {
            let (a, b) = segment(k)
            let j0 = frame.column(min(a.x, b.x)), j1 = frame.column(max(a.x, b.x))
            let i0 = frame.row(min(a.y, b.y)), i1 = frame.row(max(a.y, b.y))
            for i in i0...i1 { for j in j0...j1 { body(i * frame.columns + j, k) } }
        }
    }

    /// The item ids in one cell, increasing. O(1).
    @inlinable @inline(__always)
    public func range(ofCell cell: Int) -> Range<Int> { Int(cellStart[cell])..<Int(cellStart[cell + 1]) }

    /// Whether cell `cell` lists item `item` (binary search). O(log items in the cell).
    @inlinable
    public func cell(_ cell: Int, holds item: Int) -> Bool {
        var lo = Int(cellStart[cell]), hi = Int(cellStart[cell + 1])
        while lo < hi {
            let mid = (lo + hi) / 2
            let v = Int(items[mid])
            if v == item { return true }
            if v < item { lo = mid + 1 } else { hi = mid }
        }
        return false
    }

    /// Calls `body` with every item id listed in the cells meeting `box` (an item spanning
    /// several cells is reported once per cell) until it returns false. Returns false when
    /// stopped early. O(cells met + items listed).
    @discardableResult
    @inlinable
    public func forEachCandidate(in box: BoundingBox, _ body: (Int) -> Bool) -> Bool {
        guard let (rows, columns) = frame.cells(meeting: box) else { return true }
        for i in rows {
            for j in columns {
                for k in range(ofCell: i * frame.columns + j) where !body(Int(items[k])) { return false }
            }
        }
        return true
    }
}
