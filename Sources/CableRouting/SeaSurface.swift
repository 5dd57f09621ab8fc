import Foundation
import GeoCore

/// A soft hazard: crossing it multiplies the per-km cost by (1 + Σ weights crossed).
/// Polygons apply inside; lines (trench and trough axes) apply within `corridorKm`.
public struct HazardZone: Sendable, Hashable {
    public var name: String
    /// Reporting class, e.g. "trench", "trough", "earthquake-source".
    public var kind: String
    public var weight: Double
    public var corridorKm: Double
    public var geometry: Geometry

    public init(name: String, kind: String, weight: Double, corridorKm: Double = 0, geometry: Geometry) {
        self.name = name
        self.kind = kind
        self.weight = weight
        self.corridorKm = corridorKm
        self.geometry = geometry
    }
}

/// A landing-concentration zone (Boso, Shima): routes neither land in nor pass through
/// it unless the request allows it.
public struct ConcentrationZone: Sendable, Hashable {
    public var name: String
    public var geometry: Geometry
    public init(name: String, geometry: Geometry) {
        self.name = name
        self.geometry = geometry
    }
}

/// How the sea surface is discretised.
public struct SeaSurfaceOptions: Sendable, Hashable {
    /// The planning region (lon/lat). Default: lon 120–155, lat 20–47.
    public var region: BoundingBox
    /// Coarse cell size on the gnomonic plane (offshore); ground cells are never larger.
    /// Near the coast cells are refined to about 0.125 km (`SeaLattice`).
    public var cellKm: Double
    /// Minimum distance from the coast outside landing approaches (narrower inside passages,
    /// down to half the passage width).
    public var coastClearanceKm: Double
    /// Passages narrower than this are closed.
    public var minPassageKm: Double

    public static let japanRegion = BoundingBox(minX: 120, minY: 20, maxX: 155, maxY: 47)

    public init(region: BoundingBox = SeaSurfaceOptions.japanRegion, cellKm: Double = 2,
                coastClearanceKm: Double = 2, minPassageKm: Double = 1) {
        self.region = region
        self.cellKm = cellKm
        self.coastClearanceKm = coastClearanceKm
        self.minPassageKm = minPassageKm
    }
}

/// The sea surface: the nested sea lattice (land, clearance, passages, ocean connectivity),
/// plus per coarse cell the concentration zone and the cost multiplier. Immutable and
/// shareable; queries copy what they change.
public struct SeaSurface: Sendable {
    public let options: SeaSurfaceOptions
    public let grid: SeaGrid
    let lattice: SeaLattice
    /// 0 = none, k = `zones[k - 1]` (coarse cells).
    let zoneIndex: [UInt8]
    /// Cost multiplier per coarse cell: 1 + Σ hazard weights + depth factor.
    let multiplier: [Float]
    public let zones: [ConcentrationZone]
    public let hazards: [HazardZone]
    public let land: LandIndex
    /// The content key of the lattice (land, region, cell size, clearance, passage width).
    public let latticeKey: String
    /// True when the lattice was built now rather than taken from `cachedLattice`.
    public let latticeWasBuilt: Bool

    /// Builds the lattice (or takes it from `cachedLattice`, bytes of `latticeData()` for
    /// the same key; anything else is ignored and rebuilt), then rasterises zones, hazards
    /// and an optional depth grid on the coarse cells.
    /// Building is O(coastline · (reach / fine cell)² + cells): about a second for Japan
    /// at 2 km in release; taking it from the cache is a copy.
    public init(land: [Geometry], zones: [ConcentrationZone] = [], hazards: [HazardZone] = [],
                bathymetry: BathymetryGrid? = nil, options: SeaSurfaceOptions = SeaSurfaceOptions(),
                cachedLattice: Data? = nil, progress: ProgressCallback? = nil) {
        self.options = options
        let grid = SeaGrid(region: options.region, cellKm: options.cellKm)
        self.grid = grid
        self.zones = zones
        self.hazards = hazards
        progress?(0, "sea surface")
        let landIndex = LandIndex(land: land)
        self.land = landIndex
        let key = SeaSurface.latticeKey(land: land, options: options)
        latticeKey = key
        let factor = SeaLattice.factor(cellKm: options.cellKm)
        if let cachedLattice, let cached = SeaLattice(serialized: cachedLattice, key: key, width: grid.width,
                                                      height: grid.height, factor: factor) {
            lattice = cached
            latticeWasBuilt = false
        } else {
            lattice = SeaLattice.build(grid: grid, region: options.region, land: landIndex,
                                       clearanceKm: options.coastClearanceKm, minPassageKm: options.minPassageKm,
                                       progress: progress)
            latticeWasBuilt = true
        }
        let count = grid.cellCount

        var zoneIndex = [UInt8](repeating: 0, count: count)
        for (k, zone) in zones.prefix(255).enumerated() {
            SeaSurface.forEachPolygon(zone.geometry) { rings in
                grid.rasterize(polygon: rings, includeBoundary: true) { zoneIndex[$0] = UInt8(k + 1) }
            }
        }

        var multiplier = [Float](repeating: 1, count: count)
        var stamp = [Int32](repeating: -1, count: count)
        for (k, hazard) in hazards.enumerated() where hazard.weight != 0 {
            let weight = Float(hazard.weight)
            let mark: (Int) -> Void = { cell in
                if stamp[cell] != Int32(k) {
                    stamp[cell] = Int32(k)
                    multiplier[cell] += weight
                }
            }
            SeaSurface.forEachPolygon(hazard.geometry) { rings in
                grid.rasterize(polygon: rings, includeBoundary: false, mark)
            }
            if hazard.corridorKm > 0 {
                SeaSurface.forEachLine(hazard.geometry) { line in
                    // Discs every corridor/10 cover the corridor to within 0.5 % of its width.
                    for p in Geodesic.densify(line, maxSegmentKm: max(0.5, grid.cellKm / 2, hazard.corridorKm / 10)) {
                        grid.cells(within: hazard.corridorKm, of: p, skip: { stamp[$0] == Int32(k) }) { cell, _ in mark(cell) }
                    }
                }
            }
        }
        progress?(0.95, "sea surface")

        if let bathymetry {
            let kinds = lattice.coarseKind
            for cell in 0..<count where kinds[cell] != SeaLattice.blockedKind {
                if let d = bathymetry.depthMeters(at: grid.center(cell)) {
                    multiplier[cell] += Float(DepthCost.extraFactor(depthMeters: d))
                }
            }
        }
        self.zoneIndex = zoneIndex
        self.multiplier = multiplier
        progress?(1, "sea surface")
    }

    /// The lattice as bytes for a cache file (see `init(cachedLattice:)`).
    public func latticeData() -> Data { lattice.serialized(key: latticeKey) }

    /// A content key for the lattice: 128 bits of FNV-1a over the format version, the
    /// options that shape it and every land vertex, as hex. Equal land and options give
    /// equal keys; any changed vertex or option gives another.
    public static func latticeKey(land: [Geometry], options: SeaSurfaceOptions) -> String {
        var h1: UInt64 = 0xcbf2_9ce4_8422_2325, h2: UInt64 = 0x8422_2325_cbf2_9ce4 ^ 0x9e37_79b9_7f4a_7c15
        @inline(__always) func mix(_ v: UInt64) {
            var x = v
            for _ in 0..<8 {
                let byte = x & 0xff
                h1 = (h1 ^ byte) &* 0x0000_0100_0000_01b3
                h2 = (h2 ^ (byte &+ 0x5b)) &* 0x0000_0100_0000_01b3
                x >>= 8
            }
        }
        mix(SeaLattice.formatVersion)
        for v in [options.region.minX, options.region.minY, options.region.maxX, options.region.maxY,
                  options.cellKm, options.coastClearanceKm, options.minPassageKm] { mix(v.bitPattern) }
        func visit(_ g: Geometry) {
            switch g {
            case .polygon(let rings):
                mix(0x5047)
                for ring in rings {
                    mix(UInt64(ring.count))
                    for p in ring { mix(p.x.bitPattern); mix(p.y.bitPattern) }
                }
            case .multiPolygon(let ps): ps.forEach { visit(.polygon($0)) }
            case .geometryCollection(let gs): gs.forEach(visit)
            default: break
            }
        }
        land.forEach(visit)
        return String(format: "%016llx%016llx", h1, h2)
    }

    static func forEachPolygon(_ g: Geometry, _ body: ([[Position]]) -> Void) {
        switch g {
        case .polygon(let rings): body(rings)
        case .multiPolygon(let ps): ps.forEach(body)
        case .geometryCollection(let gs): gs.forEach { forEachPolygon($0, body) }
        default: break
        }
    }

    static func forEachLine(_ g: Geometry, _ body: ([Position]) -> Void) {
        switch g {
        case .lineString(let line): body(line)
        case .multiLineString(let lines): lines.forEach(body)
        case .geometryCollection(let gs): gs.forEach { forEachLine($0, body) }
        default: break
        }
    }

    // MARK: Queries

    /// Whether a coarse cell is all land or outside the region.
    public func isBlocked(cell: Int) -> Bool { lattice.coarseKind[cell] == SeaLattice.blockedKind }
    /// Whether a coarse cell is refined into fine cells (it lies near the coast).
    public func isRefined(cell: Int) -> Bool { lattice.coarseKind[cell] >= 0 }
    /// The concentration zone a cell lies in, if any.
    public func zone(cell: Int) -> ConcentrationZone? {
        let k = Int(zoneIndex[cell])
        return k == 0 ? nil : zones[k - 1]
    }
    /// The concentration zone containing a position (exact polygon test), if any.
    public func zone(containing p: Position) -> ConcentrationZone? {
        zones.first { SeaSurface.geometry($0.geometry, contains: p) }
    }
    public func costMultiplier(cell: Int) -> Double { Double(multiplier[cell]) }

    /// Number of lattice cells (coarse and fine) that are water.
    public var seaCellCount: Int {
        var count = 0
        for n in 0..<lattice.nodeCount where lattice.isWater(n) { count += 1 }
        return count
    }
    /// Number of fine cells (memory: one byte each).
    public var fineCellCount: Int { lattice.fineFlags.count }
    /// Fine cell size in plane km.
    public var fineCellKm: Double { grid.cellKm / Double(lattice.factor) }

    /// Whether `p` lies in water connected to the open ocean (at the fine resolution).
    public func isOceanWater(_ p: Position) -> Bool {
        guard let g = grid.gridCoordinates(p) else { return false }
        let n = lattice.node(gx: g.gx, gy: g.gy)
        return n >= 0 && lattice.isOcean(n)
    }

    static func geometry(_ g: Geometry, contains p: Position) -> Bool {
        var inside = false
        forEachPolygon(g) { rings in
            if inside { return }
            var crossing = false
            for ring in rings where ring.count >= 2 {
                var j = ring.count - 1
                for i in 0..<ring.count {
                    let a = ring[i], b = ring[j]
                    if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                        crossing.toggle()
                    }
                    j = i
                }
            }
            if crossing { inside = true }
        }
        return inside
    }
}
