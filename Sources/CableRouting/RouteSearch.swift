import Foundation
import GeoCore

/// One any-angle least-cost search on a sea surface with a per-query mask.
///
/// Lazy Theta* (A. Nash, S. Koenig, C. Tovey, "Lazy Theta*: Any-Angle Path Planning and
/// Path Length Analysis in 3D", AAAI 2010; Theta*: Nash, Daniel, Koenig & Felner, AAAI
/// 2007) on the nested gnomonic lattice (`SeaLattice`): coarse cells offshore, fine cells
/// near the coast, where a straight segment is a great-circle arc, so the search returns
/// geodesic polylines. Line of sight is an exact supercover traversal through both levels.
/// Edge cost = great-circle length × the cost multiplier integrated along the segment.
/// Lazy Theta* assumes the line of sight to the grandparent and checks it once, when the
/// vertex is expanded; we also re-key a vertex whose exact segment cost exceeded its
/// estimate (hazard bands), so expansions stay in cost order. The result is then tautened
/// (`tauten`).
struct RouteSearch {
    let grid: SeaGrid
    let lattice: SeaLattice
    let multiplier: FlatArray<Float>
    /// Per coarse cell: blocked by this query (zones, --avoid, separation corridors).
    let blocked: [Bool]
    /// Approach circles (grid units): inside them fine water cells are open even within
    /// the coast clearance.
    let approaches: [Approach]
    let minMultiplier: Double
    /// Uniform squares of the surface, and this query's blocked cells summarised by tile
    /// (`UniformSquares.blockedTileDistance`); nil for a search that only tests nodes.
    let skipping: (squares: UniformSquares, blockedTiles: [UInt8]?)?

    struct Approach {
        var gx: Double
        var gy: Double
        var radius2: Double
    }

    struct Terminal {
        var node: Int
        /// Exact position in grid coordinates (the landing itself, or a node centre
        /// when the landing's own node is blocked).
        var gx: Double
        var gy: Double
        /// Cost of the approach leg from the landing to (gx, gy), already in km-cost.
        var legCost: Double
        var candidate: Int
    }

    struct Result {
        /// Path vertices in grid coordinates from source to goal terminal.
        var points: [(gx: Double, gy: Double)]
        var source: Int
        var goal: Int
        var cost: Double
    }

    // MARK: Geometry helpers

    @inline(__always)
    func unit(_ gx: Double, _ gy: Double) -> SIMD3<Double> {
        grid.projection.unit(x: grid.minX + gx * grid.cellKm, y: grid.minY + gy * grid.cellKm)
    }

    /// Whether a fine cell (index into the fine flags) at grid position (gx, gy) is open.
    @inline(__always)
    func fineOpen(_ k: Int, _ gx: Double, _ gy: Double) -> Bool {
        Self.fineOpen(lattice.fineFlags[k], gx, gy, approaches: approaches)
    }

    /// A fine cell with these flags at grid position (gx, gy): free water, or water that no
    /// passage cut closes inside an approach circle.
    @inline(__always)
    static func fineOpen(_ flags: UInt8, _ gx: Double, _ gy: Double, approaches: [Approach]) -> Bool {
        if flags & SeaLattice.Fine.free != 0 { return true }
        if flags & (SeaLattice.Fine.water | SeaLattice.Fine.cut) != SeaLattice.Fine.water { return false }
        for a in approaches {
            let dx = gx - a.gx, dy = gy - a.gy
            if dx * dx + dy * dy <= a.radius2 { return true }
        }
        return false
    }

    /// Whether a node is open for this query. Coarse nodes of refined blocks are the search
    /// nodes of all-free blocks (`SeaLattice.searchNode`).
    @inline(__always)
    func isOpen(_ n: Int) -> Bool {
        if n < lattice.coarseCount { return !blocked[n] && lattice.isSearchCoarse(n) }
        let c = lattice.coarseOf(n)
        if blocked[c] { return false }
        let p = lattice.center(n)
        return fineOpen(n - lattice.coarseCount, p.0, p.1)
    }

    /// Cost of the straight segment, or nil when it touches a blocked cell (coarse or fine)
    /// or leaves the grid. Refined blocks that are all free (or hold no water) are decided
    /// whole; others are traversed cell by cell on their fine lattice.
    func segmentCost(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> Double? {
        segment(ax, ay, bx, by)?.cost
    }

    /// `segmentCost` and the largest cost multiplier of the coarse cells the segment crosses.
    func segment(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> (cost: Double, maxMultiplier: Float)? {
        var weighted = 0.0
        var maxMultiplier: Float = 0
        let factor = lattice.factor
        let f = Double(factor)
        let block = lattice.blockSize
        let w = grid.width
        let radius = skipping?.squares.radius.unsafeBase, tiles = skipping?.blockedTiles
        let side = UniformSquares.tileSide, tilesPerRow = (w + side - 1) / side
        // A square is crossed whole only where no blocked cell of this query lies within it.
        @inline(__always) func skipRadius(_ i: Int, _ j: Int, _ cell: Int) -> Int {
            guard let radius else { return 0 }
            let r = Int(radius[cell])
            guard r > 0, let tiles else { return r }
            let tileDistance = Int(tiles[(j / side) * tilesPerRow + i / side])
            if tileDistance == 0 { return 0 }
            let li = i % side, lj = j % side
            return min(r, (tileDistance - 1) * side + min(li, side - 1 - li, lj, side - 1 - lj))
        }
        // The rasters are read through their base pointers: `self` holds their storage for
        // the whole call, and the traversal's closure then captures no reference (copying
        // the search into it cost a retain and release of every array per segment).
        let kinds = lattice.coarseKind.unsafeBase, coarseFlags = lattice.coarseFlags.unsafeBase
        let m = multiplier.unsafeBase, fine = lattice.fineFlags.unsafeBase
        let approaches = self.approaches
        let ok = blocked.withUnsafeBufferPointer { blockedCells in
            SeaGrid.supercover(ax, ay, bx, by, width: w, height: grid.height, skipRadius: skipRadius) { cell, t0, t1 in
                if cell < 0 || blockedCells[cell] { return false }
                let kind = kinds[cell]
                if kind == SeaLattice.blockedKind { return false }
                if kind >= 0 {
                    let summary = coarseFlags[cell]
                    if summary & SeaLattice.Coarse.noWater != 0 { return false }
                    if summary & SeaLattice.Coarse.allFree == 0 {
                        let ci = Double(cell % w), cj = Double(cell / w)
                        let base = Int(kind) * block
                        let limit = f - 1e-9
                        let u0 = min(max((ax + (bx - ax) * t0 - ci) * f, 0), limit)
                        let v0 = min(max((ay + (by - ay) * t0 - cj) * f, 0), limit)
                        if t1 <= t0 {
                            let lx = Int(u0), ly = Int(v0)
                            let gx = ci + (Double(lx) + 0.5) / f, gy = cj + (Double(ly) + 0.5) / f
                            return Self.fineOpen(fine[base + ly * factor + lx], gx, gy, approaches: approaches)
                        }
                        let u1 = min(max((ax + (bx - ax) * t1 - ci) * f, 0), limit)
                        let v1 = min(max((ay + (by - ay) * t1 - cj) * f, 0), limit)
                        let clear = SeaGrid.supercover(u0, v0, u1, v1, width: factor, height: factor) { local, _, _ in
                            if local < 0 { return true }
                            let lx = local % factor, ly = local / factor
                            let gx = ci + (Double(lx) + 0.5) / f, gy = cj + (Double(ly) + 0.5) / f
                            return Self.fineOpen(fine[base + local], gx, gy, approaches: approaches)
                        }
                        if !clear { return false }
                    }
                }
                let mc = m[cell]
                weighted += (t1 - t0) * Double(mc)
                if mc > maxMultiplier { maxMultiplier = mc }
                return true
            }
        }
        guard ok else { return nil }
        return (Gnomonic.arcKm(unit(ax, ay), unit(bx, by)) * weighted, maxMultiplier)
    }

    // MARK: Search

    /// Least-cost path from any source terminal to any goal terminal, or nil when none
    /// exists. O(E log V) expansions plus one line-of-sight traversal per expansion; the
    /// per-node arrays are zero-filled pages, so only the nodes touched cost memory.
    func run(sources: [Terminal], goals: [Terminal], progress: ProgressCallback?) -> Result? {
        // Terminals in all-free blocks start from the block's node, at their own position.
        let sources = sources.map { var t = $0; t.node = lattice.searchNode(t.node); return t }
        let goals = goals.map { var t = $0; t.node = lattice.searchNode(t.node); return t }
        let n = lattice.nodeCount
        let scratch = NodeScratch(count: n)
        let g = scratch.g, parent = scratch.parent, state = scratch.state, hCache = scratch.h
        // State bits: 1 closed, 2 verified, 4 special position, 8 goal, 16 g known, 32 h known.
        @inline(__always) func gValue(_ c: Int) -> Double { state[c] & 16 != 0 ? g[c] : .infinity }
        var specialX: [Int: (Double, Double)] = [:]
        var goalIndex: [Int: Int] = [:]
        for (k, t) in goals.enumerated() {
            // The best leg wins when candidates share a node.
            if let other = goalIndex[t.node], goals[other].legCost <= t.legCost { continue }
            goalIndex[t.node] = k
        }
        let goalUnits = goals.map { unit($0.gx, $0.gy) }
        let goalLegs = goals.map(\.legCost)
        let hScale = minMultiplier
        var heap = BinaryHeap()

        @inline(__always) func position(_ c: Int) -> (Double, Double) {
            if state[c] & 4 != 0, let p = specialX[c] { return p }
            return lattice.searchCenter(c)
        }
        // Each node's heuristic is computed once: pushes and stale checks reuse it.
        @inline(__always) func heuristic(_ c: Int) -> Double {
            if state[c] & 32 != 0 { return hCache[c] }
            let p = position(c)
            let u = unit(p.0, p.1)
            var best = Double.infinity
            for k in 0..<goalUnits.count {
                let d = Gnomonic.arcKm(u, goalUnits[k]) * hScale + goalLegs[k]
                if d < best { best = d }
            }
            hCache[c] = best
            state[c] |= 32
            return best
        }

        for t in goals {
            state[t.node] |= 8
            let center = lattice.searchCenter(t.node)
            if !(t.gx == center.0 && t.gy == center.1) {
                if goalIndex[t.node].map({ goals[$0].candidate }) == t.candidate {
                    specialX[t.node] = (t.gx, t.gy); state[t.node] |= 4
                }
            }
        }
        var sourceOf: [Int: Int] = [:]
        for (k, t) in sources.enumerated() {
            guard t.legCost < gValue(t.node) else { continue }
            g[t.node] = t.legCost
            state[t.node] |= 16
            parent[t.node] = Int32(t.node)
            state[t.node] |= 2
            if state[t.node] & 8 == 0 || specialX[t.node] == nil {
                specialX[t.node] = (t.gx, t.gy); state[t.node] |= 4
            }
            sourceOf[t.node] = k
        }
        for t in sources where parent[t.node] == Int32(t.node) && sourceOf[t.node] != nil {
            heap.push(g[t.node] + heuristic(t.node), t.node)
        }
        var expanded = 0
        var reached = -1
        var neighbours: [Int] = []
        neighbours.reserveCapacity(64)

        while let (key, s) = heap.pop() {
            if state[s] & 1 != 0 { continue }
            let hs = heuristic(s)
            if key != gValue(s) + hs { continue }   // stale entry
            if state[s] & 2 == 0 {
                // Lazy Theta*: verify the assumed line of sight to the parent now.
                let p = Int(parent[s])
                let ps = position(p), ss = position(s)
                // As in Lazy Theta*, the closed neighbours are tried only when the parent is
                // not seen at the least cost per km: when the line of sight fails, or when
                // the segment crosses a cell dearer than the cheapest (a hazard band may
                // then be cheaper to go around). A clear segment at the minimum multiplier
                // is the cheapest way from the parent, so the neighbours cannot beat it by
                // more than Theta*'s own approximation (and they cost most of the search).
                var bestG = Double.infinity, bestParent = -1
                var cheapest = false
                if let c = segment(ps.0, ps.1, ss.0, ss.1) {
                    bestG = gValue(p) + c.cost
                    bestParent = p
                    cheapest = Double(c.maxMultiplier) <= hScale
                }
                neighbours.removeAll(keepingCapacity: true)
                if !cheapest { lattice.forEachSearchNeighbour(s) { neighbours.append($0) } }
                for m in neighbours where state[m] & 1 != 0 {
                    let pm = position(m)
                    guard let c = segmentCost(pm.0, pm.1, ss.0, ss.1) else { continue }
                    if gValue(m) + c < bestG { bestG = gValue(m) + c; bestParent = m }
                }
                state[s] |= 2
                guard bestParent >= 0 else { g[s] = .infinity; continue }
                parent[s] = Int32(bestParent)
                if bestG > gValue(s) {
                    g[s] = bestG
                    heap.push(bestG + hs, s)
                    continue
                }
                g[s] = bestG
            }
            state[s] |= 1
            expanded += 1
            if expanded & 0xFFFF == 0 { progress?(min(0.95, Double(expanded) / Double(max(1, n / 8))), "search") }
            if state[s] & 8 != 0 { reached = s; break }
            let p = Int(parent[s])
            let pp = position(p)
            let up = unit(pp.0, pp.1)
            let mp = Double(multiplier[lattice.coarseOf(p)])
            let gp = gValue(p)
            neighbours.removeAll(keepingCapacity: true)
            lattice.forEachSearchNeighbour(s) { neighbours.append($0) }
            for m in neighbours where state[m] & 1 == 0 && isOpen(m) {
                let pm = position(m)
                let estimate = gp + Gnomonic.arcKm(up, unit(pm.0, pm.1)) * min(mp, Double(multiplier[lattice.coarseOf(m)]))
                if estimate < gValue(m) {
                    g[m] = estimate
                    state[m] |= 16
                    parent[m] = Int32(p)
                    state[m] &= ~2
                    heap.push(estimate + heuristic(m), m)
                }
            }
        }
        guard reached >= 0, let goal = goalIndex[reached] else { return nil }
        var cells: [Int] = [reached]
        var c = reached
        while Int(parent[c]) != c {
            c = Int(parent[c])
            cells.append(c)
            if cells.count > n { return nil }
        }
        cells.reverse()
        guard let source = sourceOf[c] else { return nil }
        var points = cells.map { position($0) }.map { (gx: $0.0, gy: $0.1) }
        points = tauten(points)
        return Result(points: points, source: source, goal: goal, cost: gValue(reached) + goals[goal].legCost)
    }

    // MARK: Post-smoothing

    func pathCost(_ points: [(gx: Double, gy: Double)]) -> Double {
        var total = 0.0
        for k in 1..<points.count {
            total += segmentCost(points[k - 1].gx, points[k - 1].gy, points[k].gx, points[k].gy) ?? .infinity
        }
        return total
    }

    /// String pulling (drop a vertex when its neighbours see each other at no more cost),
    /// then vertex sliding: each interior vertex moves towards the chord of its neighbours
    /// as far as both segments stay clear and cost falls (bisection on the move). Theta*
    /// paths bend at cell centres next to obstacles; sliding pulls those bends onto the
    /// obstacle's raster boundary, which is what brings the length to within a fraction of
    /// a cell of the continuous optimum. O(vertices² · traversal).
    func tauten(_ input: [(gx: Double, gy: Double)]) -> [(gx: Double, gy: Double)] {
        guard input.count > 2 else { return input }
        var points = input
        func cost(_ a: (gx: Double, gy: Double), _ b: (gx: Double, gy: Double)) -> Double? {
            segmentCost(a.gx, a.gy, b.gx, b.gy)
        }
        /// Drops each vertex whose neighbours see each other at no more cost; whether any went.
        func dropRedundant() -> Bool {
            var dropped = false
            var k = 1
            while k < points.count - 1 {
                if let direct = cost(points[k - 1], points[k + 1]),
                   let c1 = cost(points[k - 1], points[k]), let c2 = cost(points[k], points[k + 1]),
                   direct <= c1 + c2 + 1e-9 {
                    points.remove(at: k)
                    dropped = true
                } else {
                    k += 1
                }
            }
            return dropped
        }
        // String pulling, greedy from each kept vertex to the farthest visible one.
        var pulled: [(gx: Double, gy: Double)] = [points[0]]
        var i = 0
        while i < points.count - 1 {
            var chainCost = 0.0
            var costsTo: [Double] = []
            for k in (i + 1)..<points.count {
                chainCost += cost(points[k - 1], points[k]) ?? .infinity
                costsTo.append(chainCost)
            }
            var next = i + 1
            var j = points.count - 1
            while j > i + 1 {
                if let direct = cost(points[i], points[j]), direct <= costsTo[j - i - 1] + 1e-9 { next = j; break }
                j -= 1
            }
            pulled.append(points[next])
            i = next
        }
        points = pulled
        // Vertex sliding.
        for _ in 0..<8 {
            var improved = false
            for k in 1..<(points.count - 1) where points.count > 2 {
                let a = points[k - 1], v = points[k], b = points[k + 1]
                guard let c1 = cost(a, v), let c2 = cost(v, b) else { continue }
                let current = c1 + c2
                // Target: the nearest point of the chord a–b.
                let dx = b.gx - a.gx, dy = b.gy - a.gy
                let len2 = dx * dx + dy * dy
                guard len2 > 0 else { continue }
                let t = max(0, min(1, ((v.gx - a.gx) * dx + (v.gy - a.gy) * dy) / len2))
                let target = (gx: a.gx + t * dx, gy: a.gy + t * dy)
                var lo = 0.0, hi = 1.0
                var best = v, bestCost = current
                for _ in 0..<12 {
                    let mid = (lo + hi) / 2
                    let q = (gx: v.gx + (target.gx - v.gx) * mid, gy: v.gy + (target.gy - v.gy) * mid)
                    if let d1 = cost(a, q), let d2 = cost(q, b), d1 + d2 < bestCost - 1e-12 {
                        best = q; bestCost = d1 + d2; lo = mid
                    } else {
                        hi = mid
                    }
                }
                if bestCost < current - 1e-9 {
                    points[k] = best
                    improved = true
                }
            }
            // Vertices that became collinear-visible are dropped.
            if dropRedundant() { improved = true }
            if !improved { break }
        }
        // Corner cutting: a bend that hugs an obstacle is replaced by two vertices on its
        // adjacent segments when the cut stays clear (Chaikin-style refinement under line
        // of sight). Rounds converge the polyline onto the obstacle's raster boundary, so
        // an arc is followed by many short chords instead of a few long tangents.
        for _ in 0..<5 {
            var changed = false
            var refined: [(gx: Double, gy: Double)] = [points[0]]
            for k in 1..<(points.count - 1) {
                let a = refined[refined.count - 1], v = points[k], b = points[k + 1]
                guard let c1 = cost(a, v), let c2 = cost(v, b) else { refined.append(v); continue }
                var cut = false
                for f in [0.5, 0.25, 0.125] {
                    let p1 = (gx: v.gx + f * (a.gx - v.gx), gy: v.gy + f * (a.gy - v.gy))
                    let p2 = (gx: v.gx + f * (b.gx - v.gx), gy: v.gy + f * (b.gy - v.gy))
                    guard let across = cost(p1, p2) else { continue }
                    let around = (cost(p1, v) ?? .infinity) + (cost(v, p2) ?? .infinity)
                    if across < around - 1e-9, (cost(a, p1) ?? .infinity) + across + (cost(p2, b) ?? .infinity) < c1 + c2 - 1e-9 {
                        refined.append(p1)
                        refined.append(p2)
                        cut = true
                        break
                    }
                }
                if !cut { refined.append(v) } else { changed = true }
            }
            refined.append(points[points.count - 1])
            points = refined
            if !changed { break }
        }
        // Drop vertices that became redundant.
        _ = dropRedundant()
        return points
    }
}

/// A binary min-heap of (key, cell); ties broken by cell for determinism.
struct BinaryHeap {
    private var keys: [Double] = []
    private var cells: [Int32] = []

    var isEmpty: Bool { keys.isEmpty }

    @inline(__always)
    private func less(_ a: Int, _ b: Int) -> Bool {
        keys[a] < keys[b] || (keys[a] == keys[b] && cells[a] < cells[b])
    }

    mutating func push(_ key: Double, _ cell: Int) {
        keys.append(key)
        cells.append(Int32(cell))
        var i = keys.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if less(i, p) { keys.swapAt(i, p); cells.swapAt(i, p); i = p } else { break }
        }
    }

    mutating func pop() -> (Double, Int)? {
        guard let top = keys.first, let topCell = cells.first else { return nil }
        let lastKey = keys.removeLast(), lastCell = cells.removeLast()
        if !keys.isEmpty {
            keys[0] = lastKey
            cells[0] = lastCell
            var i = 0
            let n = keys.count
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < n && less(l, m) { m = l }
                if r < n && less(r, m) { m = r }
                if m == i { break }
                keys.swapAt(i, m); cells.swapAt(i, m)
                i = m
            }
        }
        return (top, Int(topCell))
    }
}

/// Per-node search arrays from zero-filled memory (`calloc`), so a search over a lattice
/// of millions of nodes pays only for the pages it touches. Owned by one search.
final class NodeScratch {
    let g: UnsafeMutablePointer<Double>
    let h: UnsafeMutablePointer<Double>
    let parent: UnsafeMutablePointer<Int32>
    let state: UnsafeMutablePointer<UInt8>

    init(count: Int) {
        let n = max(1, count)
        guard let g = calloc(n, MemoryLayout<Double>.stride), let h = calloc(n, MemoryLayout<Double>.stride),
              let parent = calloc(n, MemoryLayout<Int32>.stride), let state = calloc(n, 1) else {
            fatalError("out of memory for \(n) search nodes")
        }
        self.g = g.bindMemory(to: Double.self, capacity: n)
        self.h = h.bindMemory(to: Double.self, capacity: n)
        self.parent = parent.bindMemory(to: Int32.self, capacity: n)
        self.state = state.bindMemory(to: UInt8.self, capacity: n)
    }

    deinit {
        free(g)
        free(h)
        free(parent)
        free(state)
    }
}
