/// Batches of nearby queries (the cells of a block of a grid) against one `PointIndex`.
///
/// A k-d tree query descends from the root every time; a batch of queries from a small
/// region shares most of that work. `Neighbourhood` collects once, for a region of query
/// locations, every point that a query from that region could touch in
/// `nearestDistanceBounds`, in `nearest(to:maxKm:hint:)` (up to a distance cap) or in
/// `within(km:of:)`, and each query then scans that short list (a few to a few dozen
/// points) instead of the tree: the batched, candidate-list form of the filter and refine
/// of `PointIndex` (candidate sets shared by the queries of one block, as in the
/// "all nearest neighbours" batching of Vaidya, Discrete Comput. Geom. 4, 1989, and
/// Samet, *Foundations of Multidimensional and Metric Data Structures*, 2006, § 4.1).
///
/// Which points: the query region is an Earth-centred box B. Any one point p gives an
/// upper bound U on every query's smallest chord, the distance from p to B's farthest
/// corner; the queries' refine steps look no farther than the geodesic upper bound of that
/// chord (see `PointIndex`), so every point whose chord distance to B exceeds it is never
/// looked at. With a cap C (a caller whose value saturates beyond C km), points farther
/// than C from B are dropped too. The answers are those of the index itself — same
/// distances, same indices, same tie order — as the tests check against it: chord and
/// box distances are computed with the same formulas, and every comparison that decided
/// the tree's answer is made again on the same values.
/// When the list would be long (over `scanLimit` points), the queries go to the tree
/// instead, with the same answers.
extension PointIndex {
    /// An Earth-centred box around a batch of query locations.
    public struct Region: Sendable {
        var minX = Double.infinity, minY = Double.infinity, minZ = Double.infinity
        var maxX = -Double.infinity, maxY = -Double.infinity, maxZ = -Double.infinity
        public init() {}
        /// Grows the box to hold `location`.
        public mutating func include(_ location: Location) {
            let q = location.q
            minX = Swift.min(minX, q.x); minY = Swift.min(minY, q.y); minZ = Swift.min(minZ, q.z)
            maxX = Swift.max(maxX, q.x); maxY = Swift.max(maxY, q.y); maxZ = Swift.max(maxZ, q.z)
        }
        public var isEmpty: Bool { !(minX <= maxX) }
        var node: Node {
            Node(minX: minX, minY: minY, minZ: minZ, maxX: maxX, maxY: maxY, maxZ: maxZ, lo: 0, hi: 0, left: -1, right: -1)
        }
    }

    /// Lists longer than this go to the tree instead (a scan costs about a nanosecond a point).
    static let scanLimit = 48

    /// The points of an index that queries from one region can touch; see the extension's
    /// doc. Immutable once made (so Sendable); its lists are raw buffers, read with no
    /// reference counting or bounds checks in the per-query loops.
    public final class Neighbourhood: @unchecked Sendable {
        let index: PointIndex
        /// false: every query goes to the tree.
        let scan: Bool
        /// Points listed, in ascending input index.
        let n: Int
        /// Earth-centred km and degrees of the listed points: x, y, z, lon, lat, n each.
        let coords: UnsafeMutablePointer<Double>
        let ids: UnsafeMutablePointer<Int32>
        /// Radius lists: points within the radius of every location of the region.
        let always: UnsafeMutablePointer<Bool>
        /// The radius of a radius list (NaN for a nearest list).
        let radiusKm: Double
        /// The distance cap of a nearest list.
        public let capKm: Double

        /// Every query to the tree (for a single query, or when no region is known).
        public convenience init(_ index: PointIndex) {
            self.init(index: index, scan: false, positions: [], always: [], radiusKm: .nan, capKm: .infinity)
        }

        init(index: PointIndex, scan: Bool, positions: [Int], always: [Bool], radiusKm: Double, capKm: Double) {
            self.index = index; self.scan = scan
            let order = positions.indices.sorted { index.ids[positions[$0]] < index.ids[positions[$1]] }
            n = order.count
            coords = .allocate(capacity: max(1, 5 * n))
            ids = .allocate(capacity: max(1, n))
            self.always = .allocate(capacity: max(1, n))
            for (k, j) in order.enumerated() {
                let p = positions[j]
                coords[k] = index.xyz[3 * p]; coords[n + k] = index.xyz[3 * p + 1]; coords[2 * n + k] = index.xyz[3 * p + 2]
                coords[3 * n + k] = index.lonLat[2 * p]; coords[4 * n + k] = index.lonLat[2 * p + 1]
                ids[k] = index.ids[p]
                self.always[k] = always.indices.contains(j) ? always[j] : false
            }
            self.radiusKm = radiusKm; self.capKm = capKm
        }

        deinit { coords.deallocate(); ids.deallocate(); always.deallocate() }

        /// Points listed (0 when the queries go to the tree).
        public var count: Int { n }

        /// The same formula, in the same order, as the tree's chord (`Search.chord2`).
        @inline(__always)
        func chord2(_ k: Int, _ q: Query) -> Double {
            let dx = coords[k] - q.x, dy = coords[n + k] - q.y, dz = coords[2 * n + k] - q.z
            return dx * dx + dy * dy + dz * dz
        }

        @inline(__always)
        func geodesicKm(_ k: Int, _ q: Query) -> Double {
            Geodesic.distanceMeters(q.lon, q.lat, coords[3 * n + k], coords[4 * n + k]) / 1000
        }

        /// `PointIndex.nearestDistanceBounds(to:hint:)` for a location of the region: the
        /// same bounds whenever the index's lower bound is at most `capKm`, else a lower
        /// bound above `capKm` too. `hint` is set for `nearest(to:maxKm:hint:)`.
        public func nearestDistanceBounds(to location: Location, hint: inout Int) -> (lowerKm: Double, upperKm: Double) {
            guard scan else { return index.nearestDistanceBounds(to: location, hint: &hint) }
            let q = location.q
            var best = Double.infinity, position = -1
            for k in 0..<n {
                let c2 = chord2(k, q)
                if c2 < best { best = c2; position = k }
            }
            hint = position
            guard position >= 0 else { return (.infinity, .infinity) }
            let c = best.squareRoot()
            return (PointIndex.geodesicLowerBound(chordKm: c), PointIndex.geodesicUpperBound(chordKm: c))
        }

        /// `PointIndex.nearest(to:maxKm:)` for a location of the region and `maxKm ≤ capKm`,
        /// continuing from the `hint` that `nearestDistanceBounds` gave for it.
        public func nearest(to location: Location, maxKm: Double, hint: Int) -> (index: Int, distanceKm: Double)? {
            // Beyond the cap the list may miss the answer: the tree (any hint gives its answer).
            guard scan, maxKm <= capKm else { return index.nearest(to: location, maxKm: maxKm, hint: hint) }
            guard maxKm >= 0, n > 0 else { return nil }
            let q = location.q
            var first = hint
            if first < 0 || first >= n { var h = -1; _ = nearestDistanceBounds(to: location, hint: &h); first = h }
            let bound = geodesicKm(first, q)
            var best = Candidate(distanceKm: bound, id: ids[first])
            let limit = PointIndex.pruneLimit(Swift.min(bound, maxKm))
            let limit2 = limit * limit
            for k in 0..<n where k != first && chord2(k, q) <= limit2 {
                let c = Candidate(distanceKm: geodesicKm(k, q), id: ids[k])
                if Candidate.worse(best, c) { best = c }
            }
            guard best.distanceKm <= maxKm else { return nil }
            return (Int(best.id), best.distanceKm)
        }

        /// `PointIndex.within(km:of:)` for a location of the region and the list's radius:
        /// calls `body` with the same indices, in the same ascending order, allocating nothing.
        public func forEachWithin(km radius: Double, of location: Location, _ body: (Int) -> Void) {
            guard scan, radius == radiusKm else {
                for k in index.within(km: radius, of: location) { body(k) }
                return
            }
            let q = location.q
            let limit = PointIndex.pruneLimit(radius), sure = PointIndex.sureChord(radiusKm: radius)
            let limit2 = limit * limit, sure2 = sure * sure
            for k in 0..<n {
                if always[k] { body(Int(ids[k])); continue }
                let c2 = chord2(k, q)
                if c2 > limit2 { continue }
                if c2 <= sure2 || geodesicKm(k, q) <= radius { body(Int(ids[k])) }
            }
        }
    }

    /// The neighbourhood for nearest queries from `region` whose answers matter only up to
    /// `capKm` (+inf: always). O(log n + m) for m points listed.
    public func nearestNeighbourhood(of region: Region, capKm: Double = .infinity) -> Neighbourhood {
        guard count > 0, !region.isEmpty, !capKm.isNaN else { return Neighbourhood(self) }
        let box = region.node
        // Any point bounds every query's smallest chord: take the one nearest the box centre.
        var centre = Candidate(distanceKm: .infinity, id: -1)
        let c = Query(x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2, z: (box.minZ + box.maxZ) / 2)
        withSearch(c) { $0.chordNearest1(0, &centre) }
        guard centre.id >= 0 else { return Neighbourhood(self) }
        let p = Int(centre.id)
        let probe = Query(x: xyz[3 * p], y: xyz[3 * p + 1], z: xyz[3 * p + 2])
        var u2 = 0.0
        withSearch(probe) { u2 = $0.boxFarthest2(box) }
        // Every refine step stays within the geodesic upper bound of U (and the cap).
        var reach = PointIndex.pruneLimit(PointIndex.geodesicUpperBound(chordKm: u2.squareRoot())) * (1 + 1e-9) + 1e-6
        if capKm.isFinite { reach = Swift.min(reach, PointIndex.pruneLimit(capKm) * (1 + 1e-9) + 1e-6) }
        var positions: [Int] = []
        var unused: [Bool] = []
        collect(box, reach2: reach * reach, sure2: -1, into: &positions, always: &unused)
        guard positions.count <= PointIndex.scanLimit else { return Neighbourhood(self) }
        return Neighbourhood(index: self, scan: true, positions: positions, always: [], radiusKm: .nan, capKm: capKm)
    }

    /// The neighbourhood for `within(km: radiusKm, of:)` queries from `region`. O(log n + m).
    public func radiusNeighbourhood(of region: Region, km radiusKm: Double) -> Neighbourhood {
        guard count > 0, !region.isEmpty, radiusKm >= 0, !radiusKm.isNaN else { return Neighbourhood(self) }
        let box = region.node
        let limit = PointIndex.pruneLimit(radiusKm), sure = PointIndex.sureChord(radiusKm: radiusKm)
        var positions: [Int] = [], always: [Bool] = []
        collect(box, reach2: limit * limit, sure2: sure * sure, into: &positions, always: &always)
        guard positions.count <= PointIndex.scanLimit else { return Neighbourhood(self) }
        return Neighbourhood(index: self, scan: true, positions: positions, always: always, radiusKm: radiusKm, capKm: .infinity)
    }

    /// Tree positions of the points whose chord distance to `box` is at most √reach2 (and,
    /// with `always`, whether their farthest distance to it is at most √sure2).
    private func collect(_ box: Node, reach2: Double, sure2: Double, into positions: inout [Int], always: inout [Bool]) {
        // Box-to-box distance prunes subtrees; points are tested one by one.
        func boxGap2(_ a: Node, _ b: Node) -> Double {
            let dx = Swift.max(0, a.minX - b.maxX, b.minX - a.maxX)
            let dy = Swift.max(0, a.minY - b.maxY, b.minY - a.maxY)
            let dz = Swift.max(0, a.minZ - b.maxZ, b.minZ - a.maxZ)
            return dx * dx + dy * dy + dz * dz
        }
        var stack: [Int32] = [0]
        while let i = stack.popLast() {
            let node = nodes[Int(i)]
            if boxGap2(node, box) > reach2 { continue }
            if node.left >= 0 { stack.append(node.right); stack.append(node.left); continue }
            for k in Int(node.lo)..<Int(node.hi) {
                let probe = Query(x: xyz[3 * k], y: xyz[3 * k + 1], z: xyz[3 * k + 2])
                var near = 0.0, far = 0.0
                withSearch(probe) { s in near = s.boxDistance2(box); far = s.boxFarthest2(box) }
                if near > reach2 { continue }
                positions.append(k)
                always.append(far <= sure2)
            }
        }
    }
}
