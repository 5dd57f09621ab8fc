import Foundation
import GeoCore

/// The sea as a nested grid on the gnomonic plane: coarse cells of `cellKm` offshore,
/// and, wherever a coarse cell lies within reach of the coast, a block of `factor ×
/// factor` fine cells (≈ 0.125 km at the default 2 km) that keeps narrow water open.
///
/// This is a two-level framed quadtree (Chen, Szczerba & Uhran, "A framed-quadtree approach
/// for determining Euclidean shortest paths in a 2-D environment", IEEE Trans. Robotics and
/// Automation 13(5), 1997): big free cells where nothing is near, small cells at the
/// boundary of free space, searched any-angle (Lazy Theta*, `RouteSearch`) with exact
/// line of sight through both levels.
///
/// Which fine cells are free (built once per land, cell size, clearance and passage width):
/// - *water*: its centre lies outside land and farther from the coastline than its
///   half-diagonal, so the cell holds no land at all;
/// - *passages*: the medial axis of the sea is found from the nearest-coast feature
///   transform: two neighbouring cells whose nearest coast points lie far apart (≥ 1.5×
///   their distance, the angle filter of the λ-medial axis, Chazal & Lieutier, "The
///   λ-medial axis", Graphical Models 67(4), 2005) straddle it. Where that medial axis is
///   closer to the coast than half of `minPassageKm`, the passage is *cut* (its inscribed
///   discs are blocked). Elsewhere within the clearance, each medial cell seeds the
///   required clearance with its own distance, growing by half a km per km away from it
///   (a Lipschitz field by chamfer distance transform, Borgefors 1986), so clearance
///   narrows smoothly into a strait and the free band runs along its middle;
/// - *free*: water, not cut, and at least the required clearance from the coast:
///   min(clearance, seed + ½·distance − tolerance).
/// - *ocean*: water connected (4-neighbour, as line of sight needs) to the region's edge;
///   lakes and closed lagoons are not.
///
/// Distances are ground km (the gnomonic plane's local metric applied per coastline
/// segment); coarse decisions are conservative, so an open coarse cell is at least the
/// clearance from the coast everywhere inside it.
public struct SeaLattice: Sendable {
    static let formatVersion: UInt64 = 4
    static let blockedKind: Int32 = -1
    static let openKind: Int32 = -2

    enum Fine {
        static let water: UInt8 = 1
        static let free: UInt8 = 2
        static let ocean: UInt8 = 4
        static let land: UInt8 = 8
        static let cut: UInt8 = 16
    }
    enum Coarse {
        static let ocean: UInt8 = 1
        /// A refined block whose fine cells are all free: line of sight crosses it whole.
        static let allFree: UInt8 = 2
        /// A refined block without a water cell: line of sight never crosses it.
        static let noWater: UInt8 = 4
    }

    let width: Int
    let height: Int
    /// Fine cells per coarse cell side.
    let factor: Int
    let coarseCount: Int
    /// Per coarse cell: ≥ 0 the slot of its fine block; `blockedKind` (land or outside the
    /// region); `openKind` (sea at least the clearance from the coast everywhere).
    let coarseKind: FlatArray<Int32>
    /// Per coarse cell: `Coarse` bits.
    private(set) var coarseFlags: FlatArray<UInt8>
    /// The coarse cell of each fine block.
    let slotCoarse: FlatArray<Int32>
    /// Per fine cell (slot-major, row-major inside a block): `Fine` bits.
    let fineFlags: FlatArray<UInt8>
    /// Side of a fine group in fine cells (4 at the default 16 fine cells per side; 1 = no
    /// groups). A group whose fine cells are all free is one search node: the third level
    /// of the framed quadtree, so a coastal block's free part is searched in 0.5 km steps
    /// and only its border with the clearance band in 0.125 km cells.
    let groupSide: Int
    /// Per refined block: bit `gy · groupsPerSide + gx` is set when that group is all free.
    let groupFree: FlatArray<UInt64>

    init(width: Int, height: Int, factor: Int, coarseCount: Int, coarseKind: FlatArray<Int32>, coarseFlags: FlatArray<UInt8>,
         slotCoarse: FlatArray<Int32>, fineFlags: FlatArray<UInt8>, groupFree: FlatArray<UInt64>) {
        self.width = width
        self.height = height
        self.factor = factor
        self.coarseCount = coarseCount
        self.coarseKind = coarseKind
        self.coarseFlags = coarseFlags
        self.slotCoarse = slotCoarse
        self.fineFlags = fineFlags
        self.groupSide = SeaLattice.groupSide(factor: factor)
        self.groupFree = groupFree
    }

    init(width: Int, height: Int, factor: Int, coarseCount: Int, coarseKind: [Int32], coarseFlags: [UInt8],
         slotCoarse: [Int32], fineFlags: [UInt8]) {
        let groupFree = SeaLattice.freeGroups(fineFlags: fineFlags, slots: slotCoarse.count, factor: factor)
        self.init(width: width, height: height, factor: factor, coarseCount: coarseCount, coarseKind: FlatArray(coarseKind),
                  coarseFlags: FlatArray(coarseFlags), slotCoarse: FlatArray(slotCoarse), fineFlags: FlatArray(fineFlags),
                  groupFree: FlatArray(groupFree))
    }

    /// The group side for a block factor: 4 when it divides the factor (at most 64 groups
    /// per block), else 2, else 1 (no groups).
    static func groupSide(factor: Int) -> Int {
        if factor % 4 == 0 && (factor / 4) * (factor / 4) <= 64 { return 4 }
        if factor % 2 == 0 && (factor / 2) * (factor / 2) <= 64 { return 2 }
        return 1
    }

    /// Per block, the groups whose fine cells are all free (see `groupFree`).
    static func freeGroups(fineFlags: [UInt8], slots: Int, factor: Int) -> [UInt64] {
        let side = groupSide(factor: factor)
        guard side > 1 else { return [UInt64](repeating: 0, count: slots) }
        let perSide = factor / side, block = factor * factor
        var masks = [UInt64](repeating: 0, count: slots)
        for slot in 0..<slots {
            var mask: UInt64 = 0
            for gy in 0..<perSide {
                for gx in 0..<perSide {
                    var free = true
                    check: for ly in (gy * side)..<((gy + 1) * side) {
                        for lx in (gx * side)..<((gx + 1) * side) where fineFlags[slot * block + ly * factor + lx] & Fine.free == 0 {
                            free = false
                            break check
                        }
                    }
                    if free { mask |= 1 << UInt64(gy * perSide + gx) }
                }
            }
            masks[slot] = mask
        }
        return masks
    }

    var blockSize: Int { factor * factor }
    var nodeCount: Int { coarseCount + fineFlags.count }
    var refinedCount: Int { slotCoarse.count }

    /// Fine cells per coarse side for a cell size: fine cells of about 0.125 km (so a
    /// 0.4 km strait is three cells wide), at most 16 per side.
    static func factor(cellKm: Double) -> Int {
        min(16, max(1, Int((cellKm / 0.125 - 1e-9).rounded(.up))))
    }

    // MARK: Nodes

    @inline(__always) func isFine(_ n: Int) -> Bool { n >= coarseCount }

    @inline(__always) func coarseOf(_ n: Int) -> Int {
        n < coarseCount ? n : Int(slotCoarse[(n - coarseCount) / blockSize])
    }

    /// The node at fine-lattice coordinates, or -1 (off the grid, land or outside).
    @inline(__always) func node(fx: Int, fy: Int) -> Int {
        guard fx >= 0, fy >= 0 else { return -1 }
        let ci = fx / factor, cj = fy / factor
        guard ci < width, cj < height else { return -1 }
        let c = cj * width + ci
        let k = coarseKind[c]
        if k >= 0 { return coarseCount + Int(k) * blockSize + (fy - cj * factor) * factor + (fx - ci * factor) }
        return k == SeaLattice.openKind ? c : -1
    }

    /// The node containing a point in coarse grid coordinates, or -1.
    func node(gx: Double, gy: Double) -> Int {
        guard gx.isFinite, gy.isFinite else { return -1 }
        let f = Double(factor)
        return node(fx: Int((gx * f).rounded(.down)), fy: Int((gy * f).rounded(.down)))
    }

    /// Fine-lattice coordinates of a fine node.
    @inline(__always) func fineCoordinates(_ n: Int) -> (fx: Int, fy: Int) {
        let k = n - coarseCount
        let c = Int(slotCoarse[k / blockSize])
        let local = k % blockSize
        return ((c % width) * factor + local % factor, (c / width) * factor + local / factor)
    }

    /// Centre of a node in coarse grid coordinates.
    @inline(__always) func center(_ n: Int) -> (Double, Double) {
        if n < coarseCount { return (Double(n % width) + 0.5, Double(n / width) + 0.5) }
        let f = fineCoordinates(n)
        let s = Double(factor)
        return ((Double(f.fx) + 0.5) / s, (Double(f.fy) + 0.5) / s)
    }

    /// Whether a node is water connected to the open ocean.
    @inline(__always) func isOcean(_ n: Int) -> Bool {
        if n < coarseCount { return coarseKind[n] == SeaLattice.openKind && coarseFlags[n] & Coarse.ocean != 0 }
        return fineFlags[n - coarseCount] & Fine.ocean != 0
    }

    /// Whether a node holds no land (open coarse cell or fine water cell, not cut).
    @inline(__always) func isWater(_ n: Int) -> Bool {
        if n < coarseCount { return coarseKind[n] == SeaLattice.openKind }
        let f = fineFlags[n - coarseCount]
        return f & Fine.water != 0 && f & Fine.cut == 0
    }

    /// Calls `body` with the nodes adjacent to `n` (4 or 8 directions; a coarse node next
    /// to a refined block is adjacent to each fine cell along the shared edge or corner).
    @inline(__always)
    func forEachNeighbour(_ n: Int, diagonal: Bool, _ body: (Int) -> Void) {
        let directions = diagonal ? SeaLattice.directions8 : SeaLattice.directions4
        if n < coarseCount {
            forEachCoarseNeighbour(of: n, directions) { m, di, dj in
                let k = coarseKind[m]
                if k == SeaLattice.openKind { body(m); return }
                guard k >= 0 else { return }
                forEachBorderCell(ofSlot: Int(k), enteredAlong: di, dj, body)
            }
        } else {
            let f = fineCoordinates(n)
            var last = -1
            for (di, dj) in directions {
                let m = node(fx: f.fx + di, fy: f.fy + dj)
                if m >= 0 && m != last { body(m); last = m }
            }
        }
    }

    /// The coarse cells next to coarse cell `c` in `directions` that lie on the grid, with
    /// the direction they lie in.
    @inline(__always)
    func forEachCoarseNeighbour(of c: Int, _ directions: [(Int, Int)], _ body: (_ m: Int, _ di: Int, _ dj: Int) -> Void) {
        let i = c % width, j = c / width
        for (di, dj) in directions {
            let ii = i + di, jj = j + dj
            guard ii >= 0, jj >= 0, ii < width, jj < height else { continue }
            body(jj * width + ii, di, dj)
        }
    }

    /// The fine cells of refined block `slot` that touch a coarse neighbour lying in
    /// direction (di, dj) from it: one corner cell diagonally, one edge row or column
    /// straight.
    @inline(__always)
    func forEachBorderCell(ofSlot slot: Int, enteredAlong di: Int, _ dj: Int, _ body: (Int) -> Void) {
        let base = coarseCount + slot * blockSize
        if di != 0 && dj != 0 {
            let lx = di > 0 ? 0 : factor - 1, ly = dj > 0 ? 0 : factor - 1
            body(base + ly * factor + lx)
        } else if di != 0 {
            let lx = di > 0 ? 0 : factor - 1
            for ly in 0..<factor { body(base + ly * factor + lx) }
        } else {
            let ly = dj > 0 ? 0 : factor - 1
            for lx in 0..<factor { body(base + ly * factor + lx) }
        }
    }

    /// The search node of a node: a fine cell of a refined block whose fine cells are all
    /// free stands for its whole block, as the coarse node of that block; other nodes are
    /// themselves. The search then expands fine nodes only in blocks that hold coast,
    /// clearance or a passage (line of sight already crosses all-free blocks whole).
    /// A fine cell of an all-free group stands for its group, as the group's first
    /// (top-left) cell.
    @inline(__always) func searchNode(_ n: Int) -> Int {
        guard n >= coarseCount else { return n }
        let k = n - coarseCount
        let slot = k / blockSize
        let c = Int(slotCoarse[slot])
        if coarseFlags[c] & Coarse.allFree != 0 { return c }
        let side = groupSide
        guard side > 1 else { return n }
        let local = k - slot * blockSize
        let gx = (local % factor) / side, gy = (local / factor) / side
        guard isFreeGroup(slot: slot, gx: gx, gy: gy) else { return n }
        return coarseCount + slot * blockSize + gy * side * factor + gx * side
    }

    /// Whether fine node `n` stands for an all-free group (it is then its group's first cell).
    @inline(__always) func isGroupNode(_ n: Int) -> Bool {
        guard n >= coarseCount, groupSide > 1 else { return false }
        let k = n - coarseCount
        let slot = k / blockSize
        let local = k - slot * blockSize
        let side = groupSide
        let lx = local % factor, ly = local / factor
        guard lx % side == 0, ly % side == 0 else { return false }
        return isFreeGroup(slot: slot, gx: lx / side, gy: ly / side)
    }

    /// Whether group (gx, gy) of block `slot` is all free (`groupFree`).
    @inline(__always) func isFreeGroup(slot: Int, gx: Int, gy: Int) -> Bool {
        groupFree[slot] & (1 << UInt64(gy * (factor / groupSide) + gx)) != 0
    }

    /// Centre of a search node in coarse grid coordinates (a group's centre for a group node).
    @inline(__always) func searchCenter(_ n: Int) -> (Double, Double) {
        guard isGroupNode(n) else { return center(n) }
        let f = fineCoordinates(n)
        let s = Double(factor), half = Double(groupSide) / 2
        return ((Double(f.fx) + half) / s, (Double(f.fy) + half) / s)
    }

    /// Whether a coarse node is a search node: open sea, or a refined block that is all free.
    @inline(__always) func isSearchCoarse(_ c: Int) -> Bool {
        let k = coarseKind[c]
        return k == SeaLattice.openKind || (k >= 0 && coarseFlags[c] & Coarse.allFree != 0)
    }

    /// `forEachNeighbour` on the search nodes (`searchNode`): an all-free block is one
    /// node, adjacent to its coarse neighbours or to the fine cells along a shared edge
    /// or corner of a mixed block.
    @inline(__always)
    func forEachSearchNeighbour(_ n: Int, diagonal: Bool = true, _ body: (Int) -> Void) {
        let directions = diagonal ? SeaLattice.directions8 : SeaLattice.directions4
        if n < coarseCount {
            forEachCoarseNeighbour(of: n, directions) { m, di, dj in
                if isSearchCoarse(m) { body(m); return }
                let k = coarseKind[m]
                guard k >= 0 else { return }
                var last = -1
                forEachBorderCell(ofSlot: Int(k), enteredAlong: di, dj) { cell in
                    let r = searchNode(cell)
                    if r != last { body(r); last = r }
                }
            }
        } else if isGroupNode(n) {
            // The cells around the group: its sides, and its corners when diagonal.
            let f = fineCoordinates(n)
            let side = groupSide
            var last = -1
            func visit(_ fx: Int, _ fy: Int) {
                let m = searchNode(node(fx: fx, fy: fy))
                if m >= 0 && m != last { body(m); last = m }
            }
            for t in 0..<side { visit(f.fx + t, f.fy - 1) }
            for t in 0..<side { visit(f.fx + side, f.fy + t) }
            for t in 0..<side { visit(f.fx + side - 1 - t, f.fy + side) }
            for t in 0..<side { visit(f.fx - 1, f.fy + side - 1 - t) }
            if diagonal {
                visit(f.fx - 1, f.fy - 1)
                visit(f.fx + side, f.fy - 1)
                visit(f.fx + side, f.fy + side)
                visit(f.fx - 1, f.fy + side)
            }
        } else {
            let f = fineCoordinates(n)
            var last = -1
            for (di, dj) in directions {
                let m = searchNode(node(fx: f.fx + di, fy: f.fy + dj))
                if m >= 0 && m != last { body(m); last = m }
            }
        }
    }

    /// A copy for one query in which every refined block that lies wholly inside one of the
    /// `circles` (grid units: centre and squared radius) and holds only water that no
    /// passage cut closes is all free. Inside a landing approach the coast clearance does
    /// not apply, so such a block is open whole: the search crosses it as one node instead
    /// of up to factor² fine cells (most of a bay around a landing).
    func openingWholeBlocks(inside circles: [(gx: Double, gy: Double, radius2: Double)]) -> SeaLattice {
        var opened: [(index: Int, value: UInt8)] = []
        for circle in circles {
            let r = circle.radius2.squareRoot()
            let i0 = max(0, Int((circle.gx - r).rounded(.down))), i1 = min(width - 1, Int((circle.gx + r).rounded(.down)))
            let j0 = max(0, Int((circle.gy - r).rounded(.down))), j1 = min(height - 1, Int((circle.gy + r).rounded(.down)))
            guard i0 <= i1, j0 <= j1 else { continue }
            for j in j0...j1 {
                // The block's farthest corner from the centre decides (a disc is convex).
                let dy = max(abs(Double(j) - circle.gy), abs(Double(j + 1) - circle.gy))
                for i in i0...i1 {
                    let dx = max(abs(Double(i) - circle.gx), abs(Double(i + 1) - circle.gx))
                    guard dx * dx + dy * dy <= circle.radius2 else { continue }
                    let c = j * width + i
                    let k = coarseKind[c]
                    guard k >= 0, coarseFlags[c] & (Coarse.allFree | Coarse.noWater) == 0 else { continue }
                    let base = Int(k) * blockSize
                    var open = true
                    for f in base..<(base + blockSize) where fineFlags[f] & (Fine.water | Fine.cut) != Fine.water {
                        open = false
                        break
                    }
                    if open { opened.append((c, coarseFlags[c] | Coarse.allFree)) }
                }
            }
        }
        guard !opened.isEmpty else { return self }
        var copy = self
        copy.coarseFlags = coarseFlags.replacing(opened)
        return copy
    }

    static let directions4: [(Int, Int)] = [(1, 0), (-1, 0), (0, 1), (0, -1)]
    static let directions8: [(Int, Int)] = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)]
}

// MARK: Build

extension SeaLattice {
    /// A coastline segment in coarse grid units with the ground metric at its middle
    /// (ground km = M · grid-unit displacement; M symmetric).
    struct PlaneSegment {
        var ax, ay, bx, by: Double
        var m00, m01, m11: Double

        /// Ground km from a point (grid units) and the segment parameter of the nearest point.
        @inline(__always)
        func distance(_ px: Double, _ py: Double) -> (km: Double, t: Double) {
            let rx = px - ax, ry = py - ay, sx = bx - ax, sy = by - ay
            let vx = m00 * rx + m01 * ry, vy = m01 * rx + m11 * ry
            let wx = m00 * sx + m01 * sy, wy = m01 * sx + m11 * sy
            let len2 = wx * wx + wy * wy
            var t = len2 > 0 ? (vx * wx + vy * wy) / len2 : 0
            t = max(0, min(1, t))
            let dx = vx - t * wx, dy = vy - t * wy
            return ((dx * dx + dy * dy).squareRoot(), t)
        }
    }

    /// The gnomonic plane's inverse local scale at a plane point: ground = M · plane, with
    /// radial scale 1/cos² c and tangential 1/cos c (Snyder 1987, §22).
    static func groundMetric(x: Double, y: Double) -> (Double, Double, Double) {
        let r = Gnomonic.earthRadiusKm
        let rho2 = x * x + y * y
        let cosc = r / (r * r + rho2).squareRoot()
        guard rho2 > 1e-12 else { return (1, 0, 1) }
        let k = cosc, h = cosc * cosc
        let ux = x / rho2.squareRoot(), uy = y / rho2.squareRoot()
        let d = h - k
        return (k + d * ux * ux, d * ux * uy, k + d * uy * uy)
    }

    static func build(grid: SeaGrid, region: BoundingBox, land: LandIndex, clearanceKm: Double, minPassageKm: Double,
                      progress: ProgressCallback?) -> SeaLattice {
        let w = grid.width, h = grid.height, n = grid.cellCount
        let factor = SeaLattice.factor(cellKm: grid.cellKm)
        let fineKm = grid.cellKm / Double(factor)
        let halfDiagCoarse = grid.cellKm * 0.5 * 2.0.squareRoot()
        let halfDiagFine = fineKm * 0.5 * 2.0.squareRoot()
        let reachKm = max(clearanceKm, minPassageKm / 2) + 2 * fineKm

        // Coarse: region and land centres.
        var outside = [Bool](repeating: true, count: n)
        grid.rasterize(polygon: [SeaGrid.boundary(of: region, stepDegrees: 0.05)], includeBoundary: false) { outside[$0] = false }
        var landCentre = [Bool](repeating: false, count: n)
        for polygon in land.polygons {
            grid.rasterize(polygon: polygon.rings, includeBoundary: false) { landCentre[$0] = true }
        }
        progress?(0.1, "sea surface")

        // Coastline segments on the plane.
        var segments: [PlaneSegment] = []
        segments.reserveCapacity(land.segments.count)
        for s in land.segments {
            guard let a = grid.gridCoordinates(Position(s.x, s.y)), let b = grid.gridCoordinates(Position(s.z, s.w)) else { continue }
            let mx = grid.minX + (a.gx + b.gx) / 2 * grid.cellKm, my = grid.minY + (a.gy + b.gy) / 2 * grid.cellKm
            let m = groundMetric(x: mx, y: my)
            let c = grid.cellKm
            segments.append(PlaneSegment(ax: a.gx, ay: a.gy, bx: b.gx, by: b.gy, m00: m.0 * c, m01: m.1 * c, m11: m.2 * c))
        }

        // Coarse distances near the coast decide which cells are refined.
        let coarseReach = reachKm + halfDiagCoarse + fineKm
        var coarseD = [Float](repeating: .infinity, count: n)
        coarseD.withUnsafeMutableBufferPointer { d in
            for s in segments {
                let scale = grid.projection.maxScale(x: grid.minX + s.ax * grid.cellKm, y: grid.minY + s.ay * grid.cellKm) * 1.01
                let r = coarseReach * scale / grid.cellKm + 1
                let i0 = max(0, Int((min(s.ax, s.bx) - r).rounded(.down))), i1 = min(w - 1, Int((max(s.ax, s.bx) + r).rounded(.down)))
                let j0 = max(0, Int((min(s.ay, s.by) - r).rounded(.down))), j1 = min(h - 1, Int((max(s.ay, s.by) + r).rounded(.down)))
                guard i0 <= i1, j0 <= j1 else { continue }
                for j in j0...j1 {
                    for i in i0...i1 {
                        let km = Float(s.distance(Double(i) + 0.5, Double(j) + 0.5).km)
                        if km < d[j * w + i] { d[j * w + i] = km }
                    }
                }
            }
        }
        var coarseKind = [Int32](repeating: SeaLattice.blockedKind, count: n)
        var slotCoarse: [Int32] = []
        for c in 0..<n where !outside[c] {
            let d = Double(coarseD[c])
            if d < coarseReach {
                if landCentre[c] && d > halfDiagCoarse { continue }
                coarseKind[c] = Int32(slotCoarse.count)
                slotCoarse.append(Int32(c))
            } else if !landCentre[c] {
                coarseKind[c] = SeaLattice.openKind
            }
        }
        coarseD = []
        progress?(0.2, "sea surface")

        let block = factor * factor
        let fineCount = slotCoarse.count * block
        let fw = w * factor, fh = h * factor
        let f = Double(factor)
        @inline(__always) func fineIndex(_ fx: Int, _ fy: Int) -> Int {
            guard fx >= 0, fy >= 0, fx < fw, fy < fh else { return -1 }
            let ci = fx / factor, cj = fy / factor
            let k = coarseKind[cj * w + ci]
            guard k >= 0 else { return -1 }
            return Int(k) * block + (fy - cj * factor) * factor + (fx - ci * factor)
        }

        // Fine distances and nearest segments.
        var fineD = [Float](repeating: .infinity, count: fineCount)
        var fineSeg = [Int32](repeating: -1, count: fineCount)
        fineD.withUnsafeMutableBufferPointer { d in
            fineSeg.withUnsafeMutableBufferPointer { sid in
                coarseKind.withUnsafeBufferPointer { kind in
                    for (index, s) in segments.enumerated() {
                        let scale = grid.projection.maxScale(x: grid.minX + s.ax * grid.cellKm, y: grid.minY + s.ay * grid.cellKm) * 1.01
                        let r = reachKm * scale / fineKm + 1
                        let x0 = min(s.ax, s.bx) * f, x1 = max(s.ax, s.bx) * f
                        let y0 = min(s.ay, s.by) * f, y1 = max(s.ay, s.by) * f
                        let i0 = max(0, Int((x0 - r).rounded(.down))), i1 = min(fw - 1, Int((x1 + r).rounded(.down)))
                        let j0 = max(0, Int((y0 - r).rounded(.down))), j1 = min(fh - 1, Int((y1 + r).rounded(.down)))
                        guard i0 <= i1, j0 <= j1 else { continue }
                        for fy in j0...j1 {
                            let cj = fy / factor
                            let py = (Double(fy) + 0.5) / f
                            var fx = i0
                            while fx <= i1 {
                                let ci = fx / factor
                                let blockEnd = min(i1, ci * factor + factor - 1)
                                let k = kind[cj * w + ci]
                                if k >= 0 {
                                    let base = Int(k) * block + (fy - cj * factor) * factor - ci * factor
                                    for x in fx...blockEnd {
                                        let km = Float(s.distance((Double(x) + 0.5) / f, py).km)
                                        if km < d[base + x] { d[base + x] = km; sid[base + x] = Int32(index) }
                                    }
                                }
                                fx = blockEnd + 1
                            }
                        }
                    }
                }
            }
        }
        progress?(0.45, "sea surface")

        // Fine land centres: GeoCore's scanline fill per polygon on the fine lattice (grid
        // coordinates scaled by the refinement factor).
        var flags = [UInt8](repeating: 0, count: fineCount)
        let fineGrid = grid.unitGrid(factor: factor)
        for polygon in land.polygons {
            let rings = polygon.rings.map { ring in grid.gridRing(ring).map { Position($0.0 * f, $0.1 * f) } }
            ScanlineFill.fill(rings: rings, grid: fineGrid) { fy, start, end in
                let cj = fy / factor
                var fx = start
                while fx < end {
                    let ci = fx / factor
                    let blockEnd = min(end, ci * factor + factor)
                    let kind = coarseKind[cj * w + ci]
                    if kind >= 0 {
                        let base = Int(kind) * block + (fy - cj * factor) * factor - ci * factor
                        for x in fx..<blockEnd { flags[base + x] |= Fine.land }
                    }
                    fx = blockEnd
                }
            }
        }
        for i in 0..<fineCount where flags[i] & Fine.land == 0 && Double(fineD[i]) > halfDiagFine {
            flags[i] |= Fine.water
        }
        progress?(0.55, "sea surface")

        // Medial axis crossings: seeds (relaxed clearance) and cuts (passages too narrow).
        let seedLimit = max(clearanceKm, minPassageKm / 2 + fineKm)
        let cutBelow = minPassageKm / 2 - fineKm / 2
        var seed = [Float](repeating: .infinity, count: fineCount)
        var cuts: [(fx: Int, fy: Int, km: Double)] = []
        @inline(__always) func foot(_ i: Int, _ px: Double, _ py: Double) -> (Double, Double)? {
            let sid = Int(fineSeg[i])
            guard sid >= 0 else { return nil }
            let s = segments[sid]
            let t = s.distance(px, py).t
            return (s.ax + t * (s.bx - s.ax), s.ay + t * (s.by - s.ay))
        }
        let medialDirections = [(1, 0), (0, 1), (1, 1), (-1, 1)]
        for slot in 0..<slotCoarse.count {
            let c = Int(slotCoarse[slot])
            let ci = c % w, cj = c / w
            for ly in 0..<factor {
                for lx in 0..<factor {
                    let i = slot * block + ly * factor + lx
                    let dq = Double(fineD[i])
                    guard flags[i] & Fine.water != 0, dq < seedLimit else { continue }
                    let fx = ci * factor + lx, fy = cj * factor + ly
                    let px = (Double(fx) + 0.5) / f, py = (Double(fy) + 0.5) / f
                    guard let fq = foot(i, px, py) else { continue }
                    for (di, dj) in medialDirections {
                        let o = fineIndex(fx + di, fy + dj)
                        guard o >= 0, flags[o] & Fine.water != 0 else { continue }
                        let dn = Double(fineD[o])
                        guard dn < seedLimit else { continue }
                        let qx = (Double(fx + di) + 0.5) / f, qy = (Double(fy + dj) + 0.5) / f
                        guard let fo = foot(o, qx, qy) else { continue }
                        let s = segments[Int(fineSeg[i])]
                        let ex = fq.0 - fo.0, ey = fq.1 - fo.1
                        let gx = s.m00 * ex + s.m01 * ey, gy = s.m01 * ex + s.m11 * ey
                        let apart = (gx * gx + gy * gy).squareRoot()
                        let m = max(dq, dn)
                        guard m >= fineKm, apart >= 1.5 * m else { continue }
                        if m < cutBelow {
                            cuts.append((fx, fy, m))
                            cuts.append((fx + di, fy + dj, m))
                        } else {
                            seed[i] = min(seed[i], Float(dq))
                            seed[o] = min(seed[o], Float(dn))
                        }
                    }
                }
            }
        }
        // Cuts: the inscribed disc of each too-narrow medial cell (plus 1.5 cells) is closed.
        for cut in cuts {
            let px = (Double(cut.fx) + 0.5) / f * grid.cellKm + grid.minX, py = (Double(cut.fy) + 0.5) / f * grid.cellKm + grid.minY
            let r = (cut.km + 1.5 * fineKm) * grid.projection.maxScale(x: px, y: py) / fineKm
            let ri = Int(r.rounded(.up))
            for dy in -ri...ri {
                for dx in -ri...ri where Double(dx * dx + dy * dy) <= r * r {
                    let o = fineIndex(cut.fx + dx, cut.fy + dy)
                    if o >= 0 { flags[o] |= Fine.cut }
                }
            }
        }
        progress?(0.65, "sea surface")

        // Required clearance: seed + κ·distance (κ = ½) by a two-pass chamfer transform
        // through water, twice (Borgefors, "Distance transformations in digital images",
        // CVGIP 34, 1986).
        let kappa = 0.5
        let stepA = Float(kappa * fineKm), stepB = Float(kappa * fineKm * 2.0.squareRoot())
        var rowsOfBlocks = [[Int]](repeating: [], count: h)
        for slot in 0..<slotCoarse.count { rowsOfBlocks[Int(slotCoarse[slot]) / w].append(Int(slotCoarse[slot]) % w) }
        seed.withUnsafeMutableBufferPointer { r in
            flags.withUnsafeBufferPointer { fl in
                @inline(__always) func relax(_ i: Int, _ fx: Int, _ fy: Int, _ neighbours: [(Int, Int, Float)]) {
                    var best = r[i]
                    for (dx, dy, step) in neighbours {
                        let o = fineIndex(fx + dx, fy + dy)
                        if o >= 0 && r[o] + step < best { best = r[o] + step }
                    }
                    r[i] = best
                }
                let forward: [(Int, Int, Float)] = [(-1, 0, stepA), (-1, -1, stepB), (0, -1, stepA), (1, -1, stepB)]
                let backward: [(Int, Int, Float)] = [(1, 0, stepA), (1, 1, stepB), (0, 1, stepA), (-1, 1, stepB)]
                for _ in 0..<2 {
                    for fy in 0..<fh {
                        let cj = fy / factor
                        for ci in rowsOfBlocks[cj] {
                            let base = Int(coarseKind[cj * w + ci]) * block + (fy - cj * factor) * factor
                            for lx in 0..<factor where fl[base + lx] & (Fine.water | Fine.cut) == Fine.water {
                                relax(base + lx, ci * factor + lx, fy, forward)
                            }
                        }
                    }
                    for fy in stride(from: fh - 1, through: 0, by: -1) {
                        let cj = fy / factor
                        for ci in rowsOfBlocks[cj].reversed() {
                            let base = Int(coarseKind[cj * w + ci]) * block + (fy - cj * factor) * factor
                            for lx in stride(from: factor - 1, through: 0, by: -1) where fl[base + lx] & (Fine.water | Fine.cut) == Fine.water {
                                relax(base + lx, ci * factor + lx, fy, backward)
                            }
                        }
                    }
                }
            }
        }
        for i in 0..<fineCount where flags[i] & (Fine.water | Fine.cut) == Fine.water {
            let d = Double(fineD[i])
            let r = Double(seed[i])
            let tolerance = 1.5 * fineKm + 0.15 * r
            let required = min(clearanceKm, r - tolerance)
            if d >= required { flags[i] |= Fine.free }
        }
        fineD = []
        fineSeg = []
        seed = []
        progress?(0.8, "sea surface")

        // Ocean: water connected to the region's edge.
        var coarseFlags = [UInt8](repeating: 0, count: n)
        var lattice = SeaLattice(width: w, height: h, factor: factor, coarseCount: n, coarseKind: coarseKind,
                                 coarseFlags: coarseFlags, slotCoarse: slotCoarse, fineFlags: flags)
        var queue: [Int32] = []
        var seen = [Bool](repeating: false, count: lattice.nodeCount)
        func isEdge(_ node: Int) -> Bool {
            if node < n {
                let i = node % w, j = node / w
                if i == 0 || j == 0 || i == w - 1 || j == h - 1 { return true }
                for (di, dj) in SeaLattice.directions4 where outside[(j + dj) * w + i + di] { return true }
                return false
            }
            let fc = lattice.fineCoordinates(node)
            for (di, dj) in SeaLattice.directions4 {
                let x = fc.fx + di, y = fc.fy + dj
                if x < 0 || y < 0 || x >= fw || y >= fh || outside[(y / factor) * w + x / factor] { return true }
            }
            return false
        }
        for node in 0..<n where coarseKind[node] == SeaLattice.openKind && isEdge(node) {
            seen[node] = true
            queue.append(Int32(node))
        }
        for slot in 0..<slotCoarse.count {
            let c = Int(slotCoarse[slot])
            let i = c % w, j = c / w
            let atEdge = i == 0 || j == 0 || i == w - 1 || j == h - 1 || SeaLattice.directions4.contains { outside[(j + $0.1) * w + i + $0.0] }
            guard atEdge else { continue }
            for local in 0..<block {
                let node = n + slot * block + local
                if lattice.isWater(node) && isEdge(node) && !seen[node] { seen[node] = true; queue.append(Int32(node)) }
            }
        }
        var head = 0
        while head < queue.count {
            let node = Int(queue[head])
            head += 1
            lattice.forEachNeighbour(node, diagonal: false) { m in
                if !seen[m] && lattice.isWater(m) { seen[m] = true; queue.append(Int32(m)) }
            }
        }
        for node in 0..<n where seen[node] { coarseFlags[node] |= Coarse.ocean }
        for slot in 0..<slotCoarse.count {
            var all = true, any = false
            for k in (slot * block)..<((slot + 1) * block) {
                if flags[k] & Fine.free == 0 { all = false }
                if flags[k] & Fine.water != 0 && flags[k] & Fine.cut == 0 { any = true }
            }
            if all { coarseFlags[Int(slotCoarse[slot])] |= Coarse.allFree }
            if !any { coarseFlags[Int(slotCoarse[slot])] |= Coarse.noWater }
        }
        for k in 0..<fineCount where seen[n + k] { flags[k] |= Fine.ocean }
        lattice = SeaLattice(width: w, height: h, factor: factor, coarseCount: n, coarseKind: coarseKind,
                             coarseFlags: coarseFlags, slotCoarse: slotCoarse, fineFlags: flags)
        progress?(0.9, "sea surface")
        return lattice
    }
}

// MARK: Serialisation

extension SeaLattice {
    static let magic: [UInt8] = Array("WATTBIT-SEA-LATTICE\n".utf8)

    /// The lattice as bytes for a cache file: a header (magic, format version, the content
    /// key, dimensions) and the four arrays, little-endian, each 8-byte aligned so that a
    /// mapped file is read in place.
    func serialized(key: String) -> Data {
        var writer = CacheFileWriter(magic: SeaLattice.magic, version: SeaLattice.formatVersion, key: key)
        for v in [width, height, factor, slotCoarse.count] { writer.append(UInt64(v)) }
        writer.append(coarseKind)
        writer.append(coarseFlags)
        writer.append(slotCoarse)
        writer.append(fineFlags)
        writer.append(groupFree)
        return writer.data
    }

    /// Reads what `serialized` wrote, in place; nil when the bytes are not a lattice for
    /// `key` and these dimensions (a stale or foreign file is rebuilt, never trusted).
    init?(serialized data: Data, key: String, width: Int, height: Int, factor: Int) {
        guard var reader = CacheFileReader(data, magic: SeaLattice.magic, version: SeaLattice.formatVersion, key: key),
              reader.u64() == UInt64(width), reader.u64() == UInt64(height), reader.u64() == UInt64(factor),
              let slots = reader.u64(), slots <= UInt64(width * height) else { return nil }
        let n = width * height, s = Int(slots), block = factor * factor
        guard let kind = reader.array(n, of: Int32.self), let flags = reader.array(n, of: UInt8.self),
              let slotCoarse = reader.array(s, of: Int32.self), let fine = reader.array(s * block, of: UInt8.self),
              let groups = reader.array(s, of: UInt64.self), reader.isAtEnd else { return nil }
        // Consistency: slots and kinds must agree, or the file is not trusted.
        let consistent = kind.withUnsafeBufferPointer { kind in
            slotCoarse.withUnsafeBufferPointer { slotCoarse in
                for (slot, c) in slotCoarse.enumerated() {
                    guard c >= 0, Int(c) < n, kind[Int(c)] == Int32(slot) else { return false }
                }
                for k in kind where k >= Int32(s) || k < SeaLattice.openKind { return false }
                return true
            }
        }
        guard consistent else { return nil }
        self.init(width: width, height: height, factor: factor, coarseCount: n, coarseKind: kind,
                  coarseFlags: flags, slotCoarse: slotCoarse, fineFlags: fine, groupFree: groups)
    }
}
