#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A static k-d tree over lon/lat points whose queries return exact ellipsoidal (GRS80)
/// geodesic answers.
///
/// How it stays exact and fast: every point is stored as its 3-D Earth-centred position on
/// the ellipsoid (km), and the tree splits that space at medians along the widest axis
/// (Bentley 1975; Friedman, Bentley & Finkel 1977), with a tight bounding box per node.
/// The straight chord between two surface points is never longer than the geodesic, so
/// the chord distance to a node's box is a safe lower bound for pruning; candidates that
/// survive are confirmed with Karney's geodesic inverse (`Geodesic`). For radius queries
/// an upper bound also holds — the geodesic is at most 2a·asin((a/b)·chord / 2a), because
/// scaling z by a/b maps the ellipsoid onto the sphere of radius a with Lipschitz constant
/// a/b while the reverse map does not lengthen curves — so whole subtrees that are surely
/// inside are accepted without any geodesic call. Working in 3-D removes the antimeridian
/// and pole special cases that a tree on raw degrees needs.
///
/// Points with a non-finite coordinate or |lat| > 90 are not indexed and never returned.
/// Ties in distance are broken by the smaller input index, so results are deterministic.
public struct PointIndex: Sendable {
    /// Number of points indexed (input points that were valid).
    public let count: Int

    let nodes: [Node]
    /// Ellipsoid-surface Earth-centred coordinates in km, 3 per point, in tree order.
    let xyz: [Double]
    /// lon, lat degrees, 2 per point, in tree order (for the geodesic confirmation).
    let lonLat: [Double]
    /// Input index of each point, in tree order.
    let ids: [Int32]

    static let leafSize = 12

    struct Node: Sendable {
        var minX, minY, minZ, maxX, maxY, maxZ: Double
        var lo, hi: Int32       // point range [lo, hi) in tree order
        var left, right: Int32  // children, or -1 for a leaf
    }

    /// Builds the tree in O(n log n) time and about 44 bytes per point.
    public init(_ points: [Position]) {
        precondition(points.count < Int(Int32.max), "PointIndex holds at most 2^31-1 points")
        var coords = [Double](repeating: 0, count: points.count * 3)
        var perm: [Int32] = []
        perm.reserveCapacity(points.count)
        for (i, p) in points.enumerated()
        where p.lon.isFinite && p.lat.isFinite && abs(p.lat) <= 90 {
            let (x, y, z) = PointIndex.earthCentred(lon: p.lon, lat: p.lat)
            coords[3 * i] = x; coords[3 * i + 1] = y; coords[3 * i + 2] = z
            perm.append(Int32(i))
        }
        var builder = Builder(coords: coords, perm: perm)
        if !perm.isEmpty { _ = builder.build(0, perm.count) }
        let order = builder.perm
        var xyz = [Double](repeating: 0, count: order.count * 3)
        var lonLat = [Double](repeating: 0, count: order.count * 2)
        for (k, id) in order.enumerated() {
            let i = Int(id)
            xyz[3 * k] = coords[3 * i]; xyz[3 * k + 1] = coords[3 * i + 1]; xyz[3 * k + 2] = coords[3 * i + 2]
            lonLat[2 * k] = points[i].lon; lonLat[2 * k + 1] = points[i].lat
        }
        self.count = order.count
        self.nodes = builder.nodes
        self.xyz = xyz
        self.lonLat = lonLat
        self.ids = order
    }

    /// The closest point by geodesic distance, or nil when the index is empty or `p` is not
    /// a valid lon/lat. O(log n) typical.
    public func nearest(to p: Position) -> (index: Int, distanceKm: Double)? {
        nearest(to: p, maxKm: .infinity)
    }

    /// The closest point when it lies within `maxKm` (geodesic), else nil. Cheaper than
    /// `nearest(to:)` when nothing is that close: the chord lower bound then answers with no
    /// geodesic at all (a caller whose value saturates beyond a threshold needs no more).
    public func nearest(to p: Position, maxKm: Double) -> (index: Int, distanceKm: Double)? {
        guard let location = Location(p) else { return nil }
        return nearest(to: location, maxKm: maxKm)
    }

    /// A query position prepared once (its Earth-centred coordinates), for several queries
    /// about the same place in one or more indexes. nil for a non-finite position or
    /// |lat| > 90.
    public struct Location: Sendable {
        let q: Query
        public init?(_ p: Position) {
            guard let q = Query(p) else { return nil }
            self.q = q
        }
    }

    /// `nearest(to:maxKm:)` for a prepared location.
    public func nearest(to location: Location, maxKm: Double = .infinity) -> (index: Int, distanceKm: Double)? {
        guard count > 0, !maxKm.isNaN, maxKm >= 0 else { return nil }
        var best = Candidate(distanceKm: .infinity, id: -1)
        withSearch(location.q) { search in best = search.nearest(maxKm: maxKm) }
        guard best.id >= 0, best.distanceKm <= maxKm else { return nil }
        return (Int(best.id), best.distanceKm)
    }

    /// Bounds on the geodesic distance (km) to the closest point, found without any
    /// geodesic inverse: the smallest chord is a lower bound (chord ≤ geodesic) and its
    /// image under the bound in the type doc, 2a·asin((a/b)·chord / 2a), an upper one (the
    /// closest point by chord is at most that far, so the closest by geodesic is too). The
    /// bounds are about 0.34 % (a/b − 1) apart, widened by 1e-9 relative for rounding, so
    /// the exact geodesic of `nearest(to:)` always lies between them. (+inf, +inf) when
    /// the index is empty. O(log n) typical: the filter step alone of `nearest(to:)`.
    public func nearestDistanceBounds(to location: Location) -> (lowerKm: Double, upperKm: Double) {
        var hint = -1
        return nearestDistanceBounds(to: location, hint: &hint)
    }

    /// `nearestDistanceBounds(to:)` for a run of nearby queries (a scan over a grid):
    /// `hint` holds the previous answer's point (opaque; start with −1) and is updated. Its
    /// chord is the search's first bound, so the descent visits only nodes nearer than it.
    /// The bounds are the same with or without a hint.
    public func nearestDistanceBounds(to location: Location, hint: inout Int) -> (lowerKm: Double, upperKm: Double) {
        guard count > 0 else { return (.infinity, .infinity) }
        var chord = Candidate(distanceKm: .infinity, id: -1)
        withSearch(location.q) { search in
            if hint >= 0 && hint < count { chord = Candidate(distanceKm: search.chord2(hint), id: Int32(hint)) }
            search.chordNearest1(0, &chord)
        }
        guard chord.id >= 0 else { return (.infinity, .infinity) }
        hint = Int(chord.id)
        let c = chord.distanceKm.squareRoot()
        return (PointIndex.geodesicLowerBound(chordKm: c), PointIndex.geodesicUpperBound(chordKm: c))
    }

    /// `nearest(to:maxKm:)` continuing from a filter step already done: `hint` is the value
    /// `nearestDistanceBounds(to:hint:)` left for this same location (the chord-nearest
    /// point). The answer is the same as without it — the refine step confirms every point
    /// whose chord is within the hint's geodesic, which includes the nearest, and ties go to
    /// the smaller index as always — but the k-d tree is not searched for that point again,
    /// so the exact query costs one geodesic and a pruned walk. An invalid hint falls back
    /// to `nearest(to:maxKm:)`. O(log n) typical, usually one geodesic inverse.
    public func nearest(to location: Location, maxKm: Double, hint: Int) -> (index: Int, distanceKm: Double)? {
        guard hint >= 0, hint < count else { return nearest(to: location, maxKm: maxKm) }
        guard !maxKm.isNaN, maxKm >= 0 else { return nil }
        var best = Candidate(distanceKm: .infinity, id: -1)
        withSearch(location.q) { search in best = search.nearest(maxKm: maxKm, from: hint) }
        guard best.id >= 0, best.distanceKm <= maxKm else { return nil }
        return (Int(best.id), best.distanceKm)
    }

    /// `within(km:of:)` for a prepared location.
    public func within(km radius: Double, of location: Location) -> [Int] {
        guard radius >= 0, !radius.isNaN, count > 0 else { return [] }
        var found: [Int32] = []
        withSearch(location.q) { search in search.within(0, radiusKm: radius, &found) }
        found.sort()
        return found.map { Int($0) }
    }

    /// The `k` closest points, nearest first (ties by smaller index). O(k log k + log n)
    /// typical, with about k geodesic evaluations (see `Search.kNearest`).
    public func kNearest(_ k: Int, to p: Position) -> [(index: Int, distanceKm: Double)] {
        guard k > 0, count > 0, let q = Query(p) else { return [] }
        var heap = CandidateHeap(capacity: min(k, count))
        withSearch(q) { search in search.kNearest(min(k, count), &heap) }
        return heap.sortedAscending().map { (Int($0.id), $0.distanceKm) }
    }

    /// Indices of all points whose geodesic distance from `p` is at most `radius` km, in
    /// ascending index order. O(log n + m) typical for m results.
    public func within(km radius: Double, of p: Position) -> [Int] {
        guard let location = Location(p) else { return [] }
        return within(km: radius, of: location)
    }

    // MARK: - Geometry

    static let aKm = Geodesic.equatorialRadiusMeters / 1000
    static let bKm = aKm * (1 - Geodesic.flattening)
    static let e2 = Geodesic.flattening * (2 - Geodesic.flattening)

    /// Earth-centred, Earth-fixed position (km) of a point on the GRS80 surface.
    @inline(__always)
    static func earthCentred(lon: Double, lat: Double) -> (Double, Double, Double) {
        let phi = lat * .pi / 180, lambda = lon * .pi / 180
        let sinPhi = sin(phi), cosPhi = cos(phi)
        let n = aKm / (1 - e2 * sinPhi * sinPhi).squareRoot()
        return (n * cosPhi * cos(lambda), n * cosPhi * sin(lambda), n * (1 - e2) * sinPhi)
    }

    /// Rounding margin on the chord ≤ geodesic bound (relative and absolute, km).
    @inline(__always)
    static func pruneLimit(_ km: Double) -> Double { km * (1 + 1e-12) + 1e-9 }

    /// A lower bound on the geodesic between two surface points `chordKm` apart (computed
    /// chords), with the same rounding margin as `pruneLimit`.
    @inline(__always)
    static func geodesicLowerBound(chordKm c: Double) -> Double { max(0, (c - 1e-9) * (1 - 2e-12)) }

    /// An upper bound on the geodesic between two surface points `chordKm` apart:
    /// 2a·asin((a/b)·chord / 2a) (type doc), widened by 1e-9 relative and 1 µm for rounding
    /// in the chord and in Karney's inverse (accurate to 15 nm).
    @inline(__always)
    static func geodesicUpperBound(chordKm c: Double) -> Double {
        let s = (aKm / bKm) * c / (2 * aKm)
        guard s < 1 else { return .infinity }
        return 2 * aKm * asin(s) * (1 + 1e-9) + 1e-9
    }

    /// Chords up to this are certainly within `radiusKm` geodesically (the upper bound in
    /// the type doc, with a rounding margin); +inf beyond a half circumference.
    @inline(__always)
    static func sureChord(radiusKm: Double) -> Double {
        let theta = radiusKm / (2 * aKm)
        return theta >= .pi / 2 ? .infinity : 2 * bKm * sin(theta) * (1 - 1e-9)
    }

    struct Query {
        var x, y, z, lon, lat: Double
        init?(_ p: Position) {
            guard p.lon.isFinite, p.lat.isFinite, abs(p.lat) <= 90 else { return nil }
            (x, y, z) = PointIndex.earthCentred(lon: p.lon, lat: p.lat)
            lon = p.lon; lat = p.lat
        }
        /// A probe at Earth-centred (x, y, z) for chord searches only (no geodesic).
        init(x: Double, y: Double, z: Double) { self.x = x; self.y = y; self.z = z; lon = .nan; lat = .nan }
    }

    func withSearch(_ q: Query, _ body: (inout Search) -> Void) {
        nodes.withUnsafeBufferPointer { nodes in
            xyz.withUnsafeBufferPointer { xyz in
                lonLat.withUnsafeBufferPointer { lonLat in
                    ids.withUnsafeBufferPointer { ids in
                        var search = Search(nodes: nodes, xyz: xyz, lonLat: lonLat, ids: ids, q: q)
                        body(&search)
                    }
                }
            }
        }
    }

    // MARK: - Search

    struct Search {
        let nodes: UnsafeBufferPointer<Node>
        let xyz: UnsafeBufferPointer<Double>
        let lonLat: UnsafeBufferPointer<Double>
        let ids: UnsafeBufferPointer<Int32>
        let q: Query

        /// Squared chord distance from the query to the node's box (0 inside).
        @inline(__always)
        func boxDistance2(_ n: Node) -> Double {
            let dx = max(0, n.minX - q.x, q.x - n.maxX)
            let dy = max(0, n.minY - q.y, q.y - n.maxY)
            let dz = max(0, n.minZ - q.z, q.z - n.maxZ)
            return dx * dx + dy * dy + dz * dz
        }

        /// Squared chord distance from the query to the farthest corner of the node's box.
        @inline(__always)
        func boxFarthest2(_ n: Node) -> Double {
            let dx = max(abs(n.minX - q.x), abs(q.x - n.maxX))
            let dy = max(abs(n.minY - q.y), abs(q.y - n.maxY))
            let dz = max(abs(n.minZ - q.z), abs(q.z - n.maxZ))
            return dx * dx + dy * dy + dz * dz
        }

        @inline(__always)
        func chord2(_ k: Int) -> Double {
            let dx = xyz[3 * k] - q.x, dy = xyz[3 * k + 1] - q.y, dz = xyz[3 * k + 2] - q.z
            return dx * dx + dy * dy + dz * dz
        }

        @inline(__always)
        func geodesicKm(_ k: Int) -> Double {
            Geodesic.distanceMeters(q.lon, q.lat, lonLat[2 * k], lonLat[2 * k + 1]) / 1000
        }

        /// The k geodesically nearest points into `heap`, in two passes so that geodesics
        /// are computed only for the final few candidates (filter and refine, as in
        /// Roussopoulos, Kelley & Vincent, "Nearest neighbor queries", SIGMOD 1995, with the
        /// chord as the cheap lower bound): (1) the k smallest chords, with no geodesic;
        /// their largest geodesic G bounds the true k-th distance from above; (2) every
        /// point with chord ≤ G — a superset of the answer, since chord ≤ geodesic — is
        /// confirmed with the exact geodesic. Chord and geodesic differ by at most a/b − 1
        /// ≈ 0.34 %, so pass 2 rarely finds more than k points: about k geodesic calls per
        /// query instead of one per visited leaf point.
        func kNearest(_ k: Int, _ heap: inout CandidateHeap, maxKm: Double = .infinity) {
            // Pass 1: squared chords; `id` holds the tree position, not the input index.
            var chords = CandidateHeap(capacity: k)
            chordNearest(0, &chords)
            if maxKm.isFinite, let nearest = chords.items.map(\.distanceKm).min() {
                let limit = PointIndex.pruneLimit(maxKm)
                if nearest > limit * limit { return }   // every geodesic exceeds maxKm
            }
            var known: [(position: Int, distanceKm: Double)] = []
            known.reserveCapacity(chords.items.count)
            var bound = 0.0
            for c in chords.items {
                let d = geodesicKm(Int(c.id))
                known.append((Int(c.id), d))
                bound = max(bound, d)
            }
            // Pass 2: every point within chord `bound`, confirmed exactly.
            let limit = PointIndex.pruneLimit(bound)
            refine(0, limit2: limit * limit, known, &heap)
        }

        /// `kNearest` for k = 1 without a heap or any allocation (the common query).
        /// Returns id −1 when nothing lies within `maxKm`.
        func nearest(maxKm: Double) -> Candidate {
            var chord = Candidate(distanceKm: .infinity, id: -1)   // squared chord, tree position
            chordNearest1(0, &chord)
            guard chord.id >= 0 else { return chord }
            if maxKm.isFinite {
                let limit = PointIndex.pruneLimit(maxKm)
                if chord.distanceKm > limit * limit { return Candidate(distanceKm: .infinity, id: -1) }
            }
            let first = Int(chord.id)
            let bound = geodesicKm(first)
            var best = Candidate(distanceKm: bound, id: ids[first])
            let limit = PointIndex.pruneLimit(bound)
            refine1(0, limit2: limit * limit, skip: first, &best)
            return best
        }

        /// The refine step of `nearest(maxKm:)` from a known point (tree position `first`):
        /// every point whose chord is within `first`'s geodesic (or within `maxKm`, when
        /// that is smaller) is confirmed exactly. The set holds the nearest point whenever
        /// it lies within either limit, so the answer, after the caller's `maxKm` check, is
        /// that of `nearest(maxKm:)`.
        func nearest(maxKm: Double, from first: Int) -> Candidate {
            let bound = geodesicKm(first)
            var best = Candidate(distanceKm: bound, id: ids[first])
            let limit = PointIndex.pruneLimit(Swift.min(bound, maxKm))
            refine1(0, limit2: limit * limit, skip: first, &best)
            return best
        }

        func chordNearest1(_ index: Int32, _ best: inout Candidate) {
            let node = nodes[Int(index)]
            if node.left < 0 {
                for k in Int(node.lo)..<Int(node.hi) {
                    let c2 = chord2(k)
                    if c2 < best.distanceKm { best = Candidate(distanceKm: c2, id: Int32(k)) }
                }
                return
            }
            let left = nodes[Int(node.left)], right = nodes[Int(node.right)]
            let dl = boxDistance2(left), dr = boxDistance2(right)
            let (first, dFirst, second, dSecond) = dl <= dr
                ? (node.left, dl, node.right, dr) : (node.right, dr, node.left, dl)
            if dFirst < best.distanceKm { chordNearest1(first, &best) }
            if dSecond < best.distanceKm { chordNearest1(second, &best) }
        }

        private func refine1(_ index: Int32, limit2: Double, skip: Int, _ best: inout Candidate) {
            let node = nodes[Int(index)]
            if boxDistance2(node) > limit2 { return }
            if node.left < 0 {
                for k in Int(node.lo)..<Int(node.hi) where k != skip && chord2(k) <= limit2 {
                    let c = Candidate(distanceKm: geodesicKm(k), id: ids[k])
                    if Candidate.worse(best, c) { best = c }
                }
                return
            }
            refine1(node.left, limit2: limit2, skip: skip, &best)
            refine1(node.right, limit2: limit2, skip: skip, &best)
        }

        private func chordNearest(_ index: Int32, _ heap: inout CandidateHeap) {
            let node = nodes[Int(index)]
            if node.left < 0 {
                for k in Int(node.lo)..<Int(node.hi) {
                    let c2 = chord2(k)
                    if heap.isFull && c2 > heap.worst.distanceKm { continue }
                    heap.offer(Candidate(distanceKm: c2, id: Int32(k)))
                }
                return
            }
            let left = nodes[Int(node.left)], right = nodes[Int(node.right)]
            let dl = boxDistance2(left), dr = boxDistance2(right)
            let (first, dFirst, second, dSecond) = dl <= dr
                ? (node.left, dl, node.right, dr) : (node.right, dr, node.left, dl)
            if !heap.isFull || dFirst <= heap.worst.distanceKm { chordNearest(first, &heap) }
            if !heap.isFull || dSecond <= heap.worst.distanceKm { chordNearest(second, &heap) }
        }

        private func refine(_ index: Int32, limit2: Double, _ known: [(position: Int, distanceKm: Double)],
                            _ heap: inout CandidateHeap) {
            let node = nodes[Int(index)]
            if boxDistance2(node) > limit2 { return }
            if node.left < 0 {
                for k in Int(node.lo)..<Int(node.hi) where chord2(k) <= limit2 {
                    let d = known.first { $0.position == k }?.distanceKm ?? geodesicKm(k)
                    heap.offer(Candidate(distanceKm: d, id: ids[k]))
                }
                return
            }
            refine(node.left, limit2: limit2, known, &heap)
            refine(node.right, limit2: limit2, known, &heap)
        }

        func within(_ index: Int32, radiusKm: Double, _ found: inout [Int32]) {
            let limit = PointIndex.pruneLimit(radiusKm)
            let limit2 = limit * limit
            let sure = PointIndex.sureChord(radiusKm: radiusKm)
            visitWithin(index, radiusKm: radiusKm, limit2: limit2, sure2: sure * sure, &found)
        }

        private func visitWithin(_ index: Int32, radiusKm: Double, limit2: Double, sure2: Double,
                                 _ found: inout [Int32]) {
            let node = nodes[Int(index)]
            if boxDistance2(node) > limit2 { return }
            if boxFarthest2(node) <= sure2 {
                found.append(contentsOf: ids[Int(node.lo)..<Int(node.hi)])
                return
            }
            if node.left < 0 {
                for k in Int(node.lo)..<Int(node.hi) {
                    let c2 = chord2(k)
                    if c2 > limit2 { continue }
                    if c2 <= sure2 || geodesicKm(k) <= radiusKm { found.append(ids[k]) }
                }
                return
            }
            visitWithin(node.left, radiusKm: radiusKm, limit2: limit2, sure2: sure2, &found)
            visitWithin(node.right, radiusKm: radiusKm, limit2: limit2, sure2: sure2, &found)
        }
    }

    struct Candidate {
        var distanceKm: Double
        var id: Int32
        @inline(__always)
        static func worse(_ a: Candidate, _ b: Candidate) -> Bool {
            a.distanceKm > b.distanceKm || (a.distanceKm == b.distanceKm && a.id > b.id)
        }
    }

    /// Bounded max-heap keeping the `capacity` best candidates seen (worst on top).
    struct CandidateHeap {
        let capacity: Int
        var items: [Candidate] = []
        init(capacity: Int) { self.capacity = capacity; items.reserveCapacity(capacity) }
        var isFull: Bool { items.count >= capacity }
        var worst: Candidate { items[0] }

        mutating func offer(_ c: Candidate) {
            if items.count < capacity {
                items.append(c)
                var i = items.count - 1
                while i > 0 {
                    let parent = (i - 1) / 2
                    guard Candidate.worse(items[i], items[parent]) else { break }
                    items.swapAt(i, parent); i = parent
                }
            } else if Candidate.worse(items[0], c) {
                items[0] = c
                var i = 0
                while true {
                    let l = 2 * i + 1, r = l + 1
                    var top = i
                    if l < items.count, Candidate.worse(items[l], items[top]) { top = l }
                    if r < items.count, Candidate.worse(items[r], items[top]) { top = r }
                    if top == i { break }
                    items.swapAt(i, top); i = top
                }
            }
        }

        func sortedAscending() -> [Candidate] {
            items.sorted { Candidate.worse($1, $0) }
        }
    }

    // MARK: - Construction

    struct Builder {
        let coords: [Double]
        var perm: [Int32]
        var nodes: [Node] = []

        init(coords: [Double], perm: [Int32]) {
            self.coords = coords
            self.perm = perm
            nodes.reserveCapacity(2 * perm.count / PointIndex.leafSize + 2)
        }

        mutating func build(_ lo: Int, _ hi: Int) -> Int32 {
            var lower = (Double.infinity, Double.infinity, Double.infinity)
            var upper = (-Double.infinity, -Double.infinity, -Double.infinity)
            for k in lo..<hi {
                let i = 3 * Int(perm[k])
                lower = (min(lower.0, coords[i]), min(lower.1, coords[i + 1]), min(lower.2, coords[i + 2]))
                upper = (max(upper.0, coords[i]), max(upper.1, coords[i + 1]), max(upper.2, coords[i + 2]))
            }
            let index = nodes.count
            nodes.append(Node(minX: lower.0, minY: lower.1, minZ: lower.2,
                              maxX: upper.0, maxY: upper.1, maxZ: upper.2,
                              lo: Int32(lo), hi: Int32(hi), left: -1, right: -1))
            if hi - lo > PointIndex.leafSize {
                let extents = (upper.0 - lower.0, upper.1 - lower.1, upper.2 - lower.2)
                let axis = extents.0 >= extents.1 && extents.0 >= extents.2 ? 0
                    : (extents.1 >= extents.2 ? 1 : 2)
                let mid = (lo + hi) / 2
                select(lo, hi, mid, axis: axis)
                let left = build(lo, mid)
                let right = build(mid, hi)
                nodes[index].left = left
                nodes[index].right = right
            }
            return Int32(index)
        }

        /// Partially orders perm[lo..<hi] so perm[k] holds the k-th smallest key on `axis`
        /// (Hoare's FIND as written by Wirth, with a median-of-three pivot value).
        mutating func select(_ lo: Int, _ hi: Int, _ k: Int, axis: Int) {
            coords.withUnsafeBufferPointer { c in
                perm.withUnsafeMutableBufferPointer { p in
                    @inline(__always) func key(_ i: Int) -> Double { c[3 * Int(p[i]) + axis] }
                    var l = lo, r = hi - 1
                    while l < r {
                        let a = key(l), b = key(l + (r - l) / 2), d = key(r)
                        let pivot = max(min(a, b), min(max(a, b), d))
                        var i = l, j = r
                        repeat {
                            while key(i) < pivot { i += 1 }
                            while pivot < key(j) { j -= 1 }
                            if i <= j { p.swapAt(i, j); i += 1; j -= 1 }
                        } while i <= j
                        if j < k { l = i }
                        if k < i { r = j }
                    }
                }
            }
        }
    }
}
