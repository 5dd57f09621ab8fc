import Foundation
import GeoCore

/// Unassigned capacity binned on a lon/lat grid, for an O(cells) upper bound on the capacity
/// still available within a radius of a point. Seeds whose bound is below the floor are
/// skipped without a neighbour query, which keeps construction near-linear on dense inputs.
struct CapacityGrid {
    let minLon: Double, minLat: Double
    let cellLon: Double, cellLat: Double
    let nx: Int, ny: Int
    var mw: [Double]

    /// Cells about `radiusKm / 2` across, coarsened so there are at most ~1 million.
    init(points: [Position], radiusKm: Double) {
        var box = BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
        if let first = points.first { box = BoundingBox(minX: first.x, minY: first.y, maxX: first.x, maxY: first.y) }
        for p in points { box.include(p) }
        var cellLat = max(radiusKm / 2 / 111.0, 1e-4)
        var cellLon = cellLat
        while ((box.width / cellLon) + 1) * ((box.height / cellLat) + 1) > 1_000_000 { cellLat *= 2; cellLon *= 2 }
        self.minLon = box.minX
        self.minLat = box.minY
        self.cellLon = cellLon
        self.cellLat = cellLat
        nx = Int(box.width / cellLon) + 1
        ny = Int(box.height / cellLat) + 1
        mw = Array(repeating: 0, count: nx * ny)
    }

    func cell(_ p: Position) -> Int {
        let ix = min(nx - 1, max(0, Int((p.x - minLon) / cellLon)))
        let iy = min(ny - 1, max(0, Int((p.y - minLat) / cellLat)))
        return iy * nx + ix
    }

    mutating func add(_ p: Position, _ deltaMW: Double) { mw[cell(p)] += deltaMW }

    /// Σ capacity over the cells meeting the lon/lat box that contains the geodesic circle of
    /// `radiusKm` around `p` (a degree of latitude is ≥ 110.5 km; a degree of longitude at
    /// latitude φ is ≥ 111.3 cos φ km on GRS80, taken at the box's most poleward latitude).
    func upperBound(around p: Position, radiusKm: Double) -> Double {
        let latHalf = radiusKm / 110.5
        let poleward = min(89.9, abs(p.y) + latHalf)
        let lonHalf = min(180, radiusKm / (111.3 * cos(poleward * .pi / 180)))
        let x0 = max(0, Int(floor((p.x - lonHalf - minLon) / cellLon)))
        let x1 = min(nx - 1, Int(floor((p.x + lonHalf - minLon) / cellLon)))
        let y0 = max(0, Int(floor((p.y - latHalf - minLat) / cellLat)))
        let y1 = min(ny - 1, Int(floor((p.y + latHalf - minLat) / cellLat)))
        guard x0 <= x1, y0 <= y1 else { return 0 }
        var total = 0.0
        for iy in y0...y1 {
            let row = iy * nx
            for ix in x0...x1 { total += mw[row + ix] }
        }
        return total
    }
}
