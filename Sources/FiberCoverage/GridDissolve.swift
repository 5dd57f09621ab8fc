import GeoCore

/// Exact dissolve of grid cells (one mesh level) into polygons by grid union: cells sharing
/// an edge form one component (4-connectivity), and each component's outline is traced
/// along the cell edges that have no neighbour on the other side. No floating-point
/// geometry is involved, so the result is exact and valid by construction.
///
/// Rings follow RFC 7946 §3.1.6: the exterior counter-clockwise, holes clockwise. Where two
/// cells of a component meet only at a corner (they are joined elsewhere, or they would
/// be in different components), the tracer turns right, crossing to the other cell: the
/// empty cells on either side of the corner then lie in different rings, so no ring passes
/// a vertex twice and a hole touches the exterior at one point at most — the OGC-valid
/// form (the left turn would make the exterior ring touch itself, which OGC forbids).
///
/// Complexity: O(n) expected for n cells (hashing).
public enum GridDissolve {
    public struct Component: Sendable {
        /// Indices into the input array, ascending.
        public var members: [Int]
        /// The members with at least one edge neighbour outside the component.
        public var boundary: [Int]
        /// Rings in (row, column) vertex coordinates: vertex (r, c) is the south-west corner
        /// of cell (r, c). Exterior first (counter-clockwise), then holes; closed.
        public var rings: [[(row: Int, column: Int)]]
    }

    @inline(__always) public static func key(_ row: Int, _ column: Int) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: row)) << 32 | UInt64(UInt32(truncatingIfNeeded: column))
    }
    @inline(__always) public static func row(_ key: UInt64) -> Int { Int(Int32(truncatingIfNeeded: key >> 32)) }
    @inline(__always) public static func column(_ key: UInt64) -> Int { Int(Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)) }

    /// Components of `cells` (all of one level) in order of their first member.
    public static func components(_ cells: [MeshCode]) -> [Component] {
        var result: [Component] = []
        forEachComponent(keys: cells.map { key($0.row, $0.column) }) { result.append($0) }
        return result
    }

    /// Calls `body` with each component of the cells given by packed (row, column) keys, in
    /// order of their first member; one component is in memory at a time.
    public static func forEachComponent(keys: [UInt64], _ body: (Component) throws -> Void) rethrows {
        var index: [UInt64: Int32] = [:]
        index.reserveCapacity(keys.count)
        for (i, k) in keys.enumerated() { index[k] = Int32(i) }
        var visited = [Bool](repeating: false, count: keys.count)
        var stack: [Int] = []
        for start in 0..<keys.count where !visited[start] {
            var members: [Int] = []
            var boundary: [Int] = []
            visited[start] = true
            stack.append(start)
            while let i = stack.popLast() {
                members.append(i)
                let r = row(keys[i]), c = column(keys[i])
                var outside = false
                for (dr, dc) in [(0, 1), (1, 0), (0, -1), (-1, 0)] {
                    if let j = index[key(r + dr, c + dc)] {
                        if !visited[Int(j)] {
                            visited[Int(j)] = true
                            stack.append(Int(j))
                        }
                    } else {
                        outside = true
                    }
                }
                if outside { boundary.append(i) }
            }
            members.sort()
            boundary.sort()
            let rings = trace(members.map { keys[$0] }, index: index)
            try body(Component(members: members, boundary: boundary, rings: rings))
        }
    }

    /// Directions: 0 east (+column), 1 north (+row), 2 west, 3 south. Right of d is (d+3)%4.
    private static let step = [(0, 1), (1, 0), (0, -1), (-1, 0)]

    private static func trace(_ cells: [UInt64], index: [UInt64: Int32]) -> [[(row: Int, column: Int)]] {
        func has(_ r: Int, _ c: Int) -> Bool { index[key(r, c)] != nil }
        // Directed boundary edges with the component on their left, keyed by start vertex.
        var outgoing: [UInt64: (Int8, Int8)] = [:]     // up to two directions; -1 = none
        var edgeCount = 0
        func add(_ r: Int, _ c: Int, _ d: Int8) {
            let k = key(r, c)
            if let existing = outgoing[k] { outgoing[k] = (existing.0, d) } else { outgoing[k] = (d, -1) }
            edgeCount += 1
        }
        for cell in cells {
            let r = row(cell), c = column(cell)
            if !has(r - 1, c) { add(r, c, 0) }            // south edge, eastward
            if !has(r, c + 1) { add(r, c + 1, 1) }        // east edge, northward
            if !has(r + 1, c) { add(r + 1, c + 1, 2) }    // north edge, westward
            if !has(r, c - 1) { add(r + 1, c, 3) }        // west edge, southward
        }
        // Start vertices in a fixed order so output is deterministic.
        var starts: [(Int, Int, Int8)] = []
        starts.reserveCapacity(outgoing.count)
        for cell in cells {
            let r = row(cell), c = column(cell)
            if !has(r - 1, c) { starts.append((r, c, 0)) }
        }
        var used = Set<UInt64>()   // key(vertex) ^ direction bits
        func usedKey(_ r: Int, _ c: Int, _ d: Int8) -> UInt64 { key(r, c) &* 4 &+ UInt64(d) }
        var rings: [[(row: Int, column: Int)]] = []
        var areas: [Int] = []
        for (r0, c0, d0) in starts where !used.contains(usedKey(r0, c0, d0)) {
            var ring: [(row: Int, column: Int)] = []
            var r = r0, c = c0, d = d0
            var twiceArea = 0
            repeat {
                used.insert(usedKey(r, c, d))
                let (dr, dc) = step[Int(d)]
                let nr = r + dr, nc = c + dc
                twiceArea += c * nr - nc * r
                r = nr; c = nc
                guard let options = outgoing[key(r, c)] else { break }
                var next = options.0
                if options.1 >= 0 {
                    // Pinch vertex: take the right turn (see the type's comment).
                    let right = Int8((Int(d) + 3) % 4)
                    next = options.0 == right || options.1 == right ? right : options.0
                }
                if next != d { ring.append((r, c)) }    // keep corners only
                d = next
            } while !(r == r0 && c == c0 && d == d0)
            guard let first = ring.first else { continue }
            ring.append(first)
            rings.append(ring)
            areas.append(twiceArea)
        }
        // Exterior = the counter-clockwise ring (positive area) enclosing the most; holes follow.
        guard let outer = areas.indices.max(by: { areas[$0] < areas[$1] }) else { return [] }
        var ordered = [rings[outer]]
        for k in rings.indices where k != outer { ordered.append(rings[k]) }
        _ = edgeCount
        return ordered
    }

    /// Converts a component's rings to lon/lat for cells of `level`.
    public static func polygon(_ rings: [[(row: Int, column: Int)]], level: MeshCode.Level) -> [[Position]] {
        let rowsPer = level.rowsPerDegree, columnsPer = level.columnsPerDegree
        return rings.map { ring in
            ring.map { Position(100 + Double($0.column) / columnsPer, Double($0.row) / rowsPer) }
        }
    }
}
