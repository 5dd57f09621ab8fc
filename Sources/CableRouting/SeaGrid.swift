import Foundation
import GeoCore

/// A square grid on the gnomonic plane: `width × height` cells of `cellKm` plane-km,
/// row-major from the south-west corner. Cell centres are the search graph's vertices.
public struct SeaGrid: Sendable, Hashable {
    public let projection: Gnomonic
    public let minX: Double
    public let minY: Double
    public let cellKm: Double
    public let width: Int
    public let height: Int

    public var cellCount: Int { width * height }

    /// The grid covering `region` (lon/lat box) with cells of at most `cellKm` ground-km.
    public init(region: BoundingBox, cellKm: Double) {
        let projection = Gnomonic(center: region.center)
        var box: BoundingBox?
        for p in SeaGrid.boundary(of: region, stepDegrees: 0.25) {
            guard let q = projection.forward(p) else { continue }
            let qp = Position(q.x, q.y)
            if box == nil { box = BoundingBox(minX: qp.x, minY: qp.y, maxX: qp.x, maxY: qp.y) } else { box?.include(qp) }
        }
        let b = box ?? BoundingBox(minX: -cellKm, minY: -cellKm, maxX: cellKm, maxY: cellKm)
        self.projection = projection
        self.cellKm = cellKm
        minX = b.minX - cellKm
        minY = b.minY - cellKm
        width = max(1, Int(((b.maxX + cellKm - minX) / cellKm).rounded(.up)))
        height = max(1, Int(((b.maxY + cellKm - minY) / cellKm).rounded(.up)))
    }

    /// The closed boundary ring of a lon/lat box, sampled every `stepDegrees`, so that
    /// its parallels keep their lon/lat shape after projection.
    static func boundary(of box: BoundingBox, stepDegrees: Double) -> [Position] {
        var ring: [Position] = []
        func edge(_ a: Position, _ b: Position) {
            let n = max(1, Int((max(abs(b.x - a.x), abs(b.y - a.y)) / stepDegrees).rounded(.up)))
            for k in 0..<n {
                let t = Double(k) / Double(n)
                ring.append(Position(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t))
            }
        }
        let sw = Position(box.minX, box.minY), se = Position(box.maxX, box.minY)
        let ne = Position(box.maxX, box.maxY), nw = Position(box.minX, box.maxY)
        edge(sw, se); edge(se, ne); edge(ne, nw); edge(nw, sw)
        ring.append(sw)
        return ring
    }

    // MARK: Coordinates

    /// Continuous grid coordinates (cell units; cell (i, j) spans [i, i+1) × [j, j+1)).
    @inline(__always)
    func gridCoordinates(x: Double, y: Double) -> (gx: Double, gy: Double) {
        ((x - minX) / cellKm, (y - minY) / cellKm)
    }

    public func gridCoordinates(_ p: Position) -> (gx: Double, gy: Double)? {
        guard let q = projection.forward(p) else { return nil }
        return gridCoordinates(x: q.x, y: q.y)
    }

    /// The index of the cell containing `p`, or nil outside the grid.
    public func cell(containing p: Position) -> Int? {
        guard let g = gridCoordinates(p) else { return nil }
        let i = Int(g.gx.rounded(.down)), j = Int(g.gy.rounded(.down))
        guard i >= 0, j >= 0, i < width, j < height else { return nil }
        return j * width + i
    }

    @inline(__always)
    func centerPlane(_ cell: Int) -> (x: Double, y: Double) {
        let i = cell % width, j = cell / width
        return (minX + (Double(i) + 0.5) * cellKm, minY + (Double(j) + 0.5) * cellKm)
    }

    @inline(__always)
    func centerUnit(_ cell: Int) -> SIMD3<Double> {
        let c = centerPlane(cell)
        return projection.unit(x: c.x, y: c.y)
    }

    /// Lon/lat of a cell centre.
    public func center(_ cell: Int) -> Position {
        let c = centerPlane(cell)
        return projection.inverse(x: c.x, y: c.y)
    }

    /// Lon/lat of a point in grid coordinates.
    func position(gx: Double, gy: Double) -> Position {
        projection.inverse(x: minX + gx * cellKm, y: minY + gy * cellKm)
    }

    /// Ground km per grid-cell unit at a cell, at least (the largest scale factor there).
    @inline(__always)
    func groundKmPerCell(atGrid gx: Double, _ gy: Double) -> Double {
        let x = minX + gx * cellKm, y = minY + gy * cellKm
        return cellKm / projection.maxScale(x: x, y: y)
    }

    // MARK: Traversal

    /// Visits every cell a straight grid segment touches (a supercover: at an exact corner
    /// crossing both side cells are visited), in order, with the parameter interval
    /// [t0, t1] ⊂ [0, 1] the segment spends in it. Amanatides & Woo, "A Fast Voxel
    /// Traversal Algorithm for Ray Tracing", Eurographics 1987. Stops early and returns
    /// false when `body` returns false. Cells off the grid are reported as -1.
    /// O(cells crossed).
    @inline(__always)
    func traverse(_ gx0: Double, _ gy0: Double, _ gx1: Double, _ gy1: Double,
                  _ body: (_ cell: Int, _ t0: Double, _ t1: Double) -> Bool) -> Bool {
        SeaGrid.supercover(gx0, gy0, gx1, gy1, width: width, height: height, body)
    }

    /// The traversal of `traverse` on any `width × height` lattice of unit cells (also used
    /// inside a refined cell of the sea lattice). Cells off the lattice are reported as -1.
    @inline(__always)
    static func supercover(_ gx0: Double, _ gy0: Double, _ gx1: Double, _ gy1: Double, width w: Int, height h: Int,
                           _ body: (_ cell: Int, _ t0: Double, _ t1: Double) -> Bool) -> Bool {
        supercover(gx0, gy0, gx1, gy1, width: w, height: h, skipRadius: { _, _, _ in 0 }, body)
    }

    /// `supercover` that crosses a uniform square in one step: when `skipRadius(i, j, cell)`
    /// is r > 0, every cell within r of (i, j) is alike for `body`, which is then called
    /// once for the whole stretch the segment spends in that square (reported as cell
    /// (i, j)); the walk resumes at the square's edge, corner rule included
    /// (`UniformSquares`).
    @inline(__always)
    static func supercover(_ gx0: Double, _ gy0: Double, _ gx1: Double, _ gy1: Double, width w: Int, height h: Int,
                           skipRadius: (_ i: Int, _ j: Int, _ cell: Int) -> Int,
                           _ body: (_ cell: Int, _ t0: Double, _ t1: Double) -> Bool) -> Bool {
        var i = Int(gx0.rounded(.down)), j = Int(gy0.rounded(.down))
        let iEnd = Int(gx1.rounded(.down)), jEnd = Int(gy1.rounded(.down))
        let dx = gx1 - gx0, dy = gy1 - gy0
        let stepX = dx > 0 ? 1 : -1, stepY = dy > 0 ? 1 : -1
        let tDeltaX = dx != 0 ? 1 / abs(dx) : .infinity
        let tDeltaY = dy != 0 ? 1 / abs(dy) : .infinity
        var tMaxX = dx > 0 ? (Double(i + 1) - gx0) / dx : (dx < 0 ? (gx0 - Double(i)) / -dx : .infinity)
        var tMaxY = dy > 0 ? (Double(j + 1) - gy0) / dy : (dy < 0 ? (gy0 - Double(j)) / -dy : .infinity)
        var t = 0.0
        @inline(__always) func index(_ a: Int, _ b: Int) -> Int {
            (a >= 0 && b >= 0 && a < w && b < h) ? b * w + a : -1
        }
        var remaining = abs(iEnd - i) + abs(jEnd - j) + 2
        while true {
            if i == iEnd && j == jEnd {
                return body(index(i, j), t, 1)
            }
            let cell = index(i, j)
            if cell >= 0, case let r = skipRadius(i, j, cell), r > 0 {
                // Leave the square [i − r, i + r] × [j − r, j + r] where the segment does.
                let exitX = dx > 0 ? (Double(i + r + 1) - gx0) / dx : (dx < 0 ? (Double(i - r) - gx0) / dx : .infinity)
                let exitY = dy > 0 ? (Double(j + r + 1) - gy0) / dy : (dy < 0 ? (Double(j - r) - gy0) / dy : .infinity)
                let exit = min(exitX, exitY)
                if exit >= 1 { return body(cell, t, 1) }
                if exit > t {
                    if !body(cell, t, exit) { return false }
                    t = exit
                    // Resume in the square's edge cell that holds the exit point, so the next
                    // step leaves the square (through a corner when it exits at one).
                    i = min(max(Int((gx0 + dx * exit).rounded(.down)), i - r), i + r)
                    j = min(max(Int((gy0 + dy * exit).rounded(.down)), j - r), j + r)
                    tMaxX = dx > 0 ? (Double(i + 1) - gx0) / dx : (dx < 0 ? (Double(i) - gx0) / dx : .infinity)
                    tMaxY = dy > 0 ? (Double(j + 1) - gy0) / dy : (dy < 0 ? (Double(j) - gy0) / dy : .infinity)
                    remaining = abs(iEnd - i) + abs(jEnd - j) + 2
                    if i == iEnd && j == jEnd { return body(index(i, j), t, 1) }
                }
            }
            let next = min(tMaxX, tMaxY, 1)
            if !body(index(i, j), t, next) { return false }
            if next >= 1 { return true }
            remaining -= 1
            if remaining < 0 { return true }
            if abs(tMaxX - tMaxY) < 1e-12 {
                // Through a corner: the two side cells are touched at one point.
                if !body(index(i + stepX, j), next, next) { return false }
                if !body(index(i, j + stepY), next, next) { return false }
                i += stepX; j += stepY
                t = next
                tMaxX += tDeltaX; tMaxY += tDeltaY
                remaining -= 1
            } else if tMaxX < tMaxY {
                i += stepX; t = tMaxX; tMaxX += tDeltaX
            } else {
                j += stepY; t = tMaxY; tMaxY += tDeltaY
            }
        }
    }

    // MARK: Rasterisation

    /// Projects a lon/lat ring to grid coordinates, first splitting edges longer than
    /// 0.05° so that long lon/lat-straight edges (zone boxes) keep their shape.
    func gridRing(_ ring: [Position]) -> [(Double, Double)] {
        var out: [(Double, Double)] = []
        out.reserveCapacity(ring.count)
        var previous: Position?
        for p in ring {
            if let a = previous {
                let span = max(abs(p.x - a.x), abs(p.y - a.y))
                if span > 0.05 {
                    let n = Int((span / 0.05).rounded(.up))
                    for k in 1..<n {
                        let t = Double(k) / Double(n)
                        if let g = gridCoordinates(Position(a.x + (p.x - a.x) * t, a.y + (p.y - a.y) * t)) {
                            out.append(g)
                        }
                    }
                }
            }
            if let g = gridCoordinates(p) { out.append(g) }
            previous = p
        }
        return out
    }

    /// The grid as a `RegularGrid` in grid coordinates (unit cells, origin at the south-west
    /// corner), subdivided `factor` times per side: the frame `ScanlineFill` fills when
    /// given rings in grid coordinates scaled by `factor`.
    func unitGrid(factor: Int = 1) -> RegularGrid {
        RegularGrid(west: 0, south: 0, stepLon: 1, stepLat: 1, columns: width * factor, rows: height * factor)
    }

    /// Calls `body` for each cell whose centre lies inside the polygon (GeoCore's
    /// `ScanlineFill`: even–odd over its rings, its edge rule on the gnomonic plane) and,
    /// when `includeBoundary`, for each cell its boundary touches. Cells may be reported
    /// more than once. O(vertices + rows spanned + crossings · log + cells covered).
    func rasterize(polygon rings: [[Position]], includeBoundary: Bool, _ body: (Int) -> Void) {
        let gridRings = rings.map { gridRing($0) }.filter { $0.count >= 2 }
        let planeRings = gridRings.map { $0.map { Position($0.0, $0.1) } }
        let w = width
        ScanlineFill.fill(rings: planeRings, grid: unitGrid()) { row, first, end in
            let base = row * w
            for i in first..<end { body(base + i) }
        }
        if includeBoundary {
            for g in gridRings {
                for k in 1..<g.count {
                    _ = traverse(g[k - 1].0, g[k - 1].1, g[k].0, g[k].1) { cell, _, _ in
                        if cell >= 0 { body(cell) }
                        return true
                    }
                }
            }
        }
    }

    /// Calls `body` for each cell whose centre is within `radiusKm` ground-km of `p`
    /// (great-circle distance on the search sphere). Cells for which `skip` is true are
    /// not measured (a union of overlapping discs measures each cell once).
    func cells(within radiusKm: Double, of p: Position, skip: ((Int) -> Bool)? = nil, _ body: (Int, Double) -> Void) {
        guard let g = gridCoordinates(p) else { return }
        let u = Gnomonic.unitVector(p)
        let scale = projection.maxScale(x: minX + g.gx * cellKm, y: minY + g.gy * cellKm)
        let r = radiusKm * scale * 1.05 / cellKm + 1
        let i0 = max(0, Int((g.gx - r).rounded(.down))), i1 = min(width - 1, Int((g.gx + r).rounded(.up)))
        let j0 = max(0, Int((g.gy - r).rounded(.down))), j1 = min(height - 1, Int((g.gy + r).rounded(.up)))
        guard i0 <= i1, j0 <= j1 else { return }
        // Within the radius ⟺ the unit vectors' dot product ≥ cos(radius / R); the arc
        // (atan2) is computed only for the cells inside, with a hair of slack for rounding.
        let cosLimit = cos(min(.pi, radiusKm / Gnomonic.earthRadiusKm)) - 1e-12
        for j in j0...j1 {
            for i in i0...i1 {
                let cell = j * width + i
                if let skip, skip(cell) { continue }
                let v = centerUnit(cell)
                guard (u * v).sum() >= cosLimit else { continue }
                let d = Gnomonic.arcKm(u, v)
                if d <= radiusKm { body(cell, d) }
            }
        }
    }
}
