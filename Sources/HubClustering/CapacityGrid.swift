import Foundation
import GeoCore

/// Unassigned capacity binned on a lon/lat grid (GeoCore's `GridFrame`), for an O(cells)
/// upper bound on the capacity still available within a radius of a point. Seeds whose
/// bound is below the floor are skipped without a neighbour query, which keeps
/// construction near-linear on dense inputs.
struct CapacityGrid {
    let frame: GridFrame
    var mw: [Double]

    /// Cells about `radiusKm / 2` across, coarsened so there are at most ~1 million.
    init(points: [Position], radiusKm: Double) {
        var box = BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
        if let first = points.first { box = BoundingBox(minX: first.x, minY: first.y, maxX: first.x, maxY: first.y) }
        for p in points { box.include(p) }
        let cell = max(radiusKm * 1000 / 2 / Ellipsoid.minimumMetresPerDegreeLatitude, 1e-4)
        frame = GridFrame(covering: box, dLon: cell, dLat: cell, maxCells: 1_000_000)
        mw = Array(repeating: 0, count: frame.cellCount)
    }

    mutating func add(_ p: Position, _ deltaMW: Double) { mw[frame.cell(p)] += deltaMW }

    /// Σ capacity over the cells meeting the lon/lat box that contains the geodesic circle of
    /// `radiusKm` around `p`: the latitude span uses the fewest metres a degree of latitude
    /// has anywhere, the longitude span the GRS80 scale at the box's most poleward latitude.
    func upperBound(around p: Position, radiusKm: Double) -> Double {
        let latHalf = radiusKm * 1000 / Ellipsoid.minimumMetresPerDegreeLatitude
        let poleward = min(89.9, abs(p.y) + latHalf)
        let lonHalf = min(180, radiusKm * 1000 / Ellipsoid.metresPerDegree(latitude: poleward).lon)
        let box = BoundingBox(minX: p.x - lonHalf, minY: p.y - latHalf, maxX: p.x + lonHalf, maxY: p.y + latHalf)
        guard let (rows, columns) = frame.cells(meeting: box) else { return 0 }
        var total = 0.0
        for iy in rows {
            let row = iy * frame.columns
            for ix in columns { total += mw[row + ix] }
        }
        return total
    }
}
