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

    public init(region: BoundingBox = SeaSurfaceOptions.japanRegion, cellKm: Double,
                coastClearanceKm: Double, minPassageKm: Double) {
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
    let zoneIndex: FlatArray<UInt8>
    /// Cost multiplier per coarse cell: 1 + Σ hazard weights + depth factor.
    let multiplier: FlatArray<Float>
    /// The smallest multiplier (the search's estimate per km).
    let minMultiplier: Double
    /// Open water of one multiplier, for crossing it in one line-of-sight step.
    let uniformSquares: UniformSquares
    public let zones: [ConcentrationZone]
    public let hazards: [HazardZone]
    public let land: LandIndex
    /// The content key of the lattice (land, region, cell size, clearance, passage width).
    public let latticeKey: String
    /// The content key of the cost rasters (region, cell size, zones, hazards).
    public let costKey: String
    /// True when the lattice was built now rather than taken from the cache.
    public let latticeWasBuilt: Bool
    /// True when the zone and hazard rasters were built now rather than taken from the cache.
    public var costsWereBuilt: Bool { builtCosts != nil }
    /// The rasters built now, as cache bytes (taken before any depth grid is applied).
    let builtCosts: Data?
    /// The content key of the uniform squares (lattice and cost keys together).
    let squaresKey: String
    /// The uniform squares computed now, as cache bytes (none with a depth grid).
    let builtSquares: Data?

    /// Builds the lattice and rasterises zones and hazards on the coarse cells, taking
    /// either from `cached` when it holds bytes for the same content (`cacheEntries` names
    /// and writes them; anything stale or damaged is ignored and rebuilt). An optional depth
    /// grid is applied on top. Building is about a second for Japan at 2 km in release
    /// (O(coastline · (reach / fine cell)² + cells)); taking it from the cache is a copy.
    public init(land: [Geometry], zones: [ConcentrationZone] = [], hazards: [HazardZone] = [],
                bathymetry: BathymetryGrid? = nil, options: SeaSurfaceOptions,
                cached: (_ name: String) -> Data? = { _ in nil }, progress: ProgressCallback? = nil) {
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
        let costKey = SeaSurface.costKey(zones: zones, hazards: hazards, options: options)
        self.costKey = costKey
        let factor = SeaLattice.factor(cellKm: options.cellKm)
        if let bytes = cached(SeaSurface.latticeEntryName(key)),
           let lattice = SeaLattice(serialized: bytes, key: key, width: grid.width, height: grid.height, factor: factor) {
            self.lattice = lattice
            latticeWasBuilt = false
        } else {
            lattice = SeaLattice.build(grid: grid, region: options.region, land: landIndex,
                                       clearanceKm: options.coastClearanceKm, minPassageKm: options.minPassageKm,
                                       progress: progress)
            latticeWasBuilt = true
        }
        var multiplier: FlatArray<Float>
        var minMultiplier: Float
        if let bytes = cached(SeaSurface.costEntryName(costKey)),
           let costs = SeaSurface.costs(serialized: bytes, key: costKey, count: grid.cellCount) {
            (multiplier, zoneIndex, minMultiplier) = costs
            builtCosts = nil
        } else {
            let rasters = SeaSurface.rasterizeCosts(grid: grid, zones: zones, hazards: hazards)
            multiplier = FlatArray(rasters.multiplier)
            zoneIndex = FlatArray(rasters.zoneIndex)
            minMultiplier = rasters.multiplier.min() ?? 1
            builtCosts = SeaSurface.costsSerialized(multiplier: multiplier, zoneIndex: zoneIndex, key: costKey)
        }
        progress?(0.95, "sea surface")

        if let bathymetry {
            let kinds = lattice.coarseKind
            var withDepth = multiplier.array
            for cell in 0..<grid.cellCount where kinds[cell] != SeaLattice.blockedKind {
                if let d = bathymetry.depthMeters(at: grid.center(cell)) {
                    withDepth[cell] += Float(DepthCost.extraFactor(depthMeters: d))
                }
            }
            multiplier = FlatArray(withDepth)
            minMultiplier = withDepth.min() ?? 1
        }
        self.multiplier = multiplier
        self.minMultiplier = Double(min(1, minMultiplier))
        // With a depth grid the multipliers are this run's own, so are the squares.
        let squaresKey = UniformSquares.key(latticeKey: key, costKey: costKey)
        if bathymetry == nil, let bytes = cached(UniformSquares.entryName(squaresKey)),
           let squares = UniformSquares(serialized: bytes, key: squaresKey, count: grid.cellCount) {
            uniformSquares = squares
            builtSquares = nil
        } else {
            uniformSquares = UniformSquares(lattice: lattice, multiplier: multiplier)
            builtSquares = bathymetry == nil ? uniformSquares.serialized(key: squaresKey) : nil
        }
        self.squaresKey = squaresKey
        progress?(1, "sea surface")
    }

    /// Per coarse cell: 1 + Σ weights of the hazards it lies in (polygons) or near (lines
    /// with a corridor), and the index of its concentration zone (0 = none).
    static func rasterizeCosts(grid: SeaGrid, zones: [ConcentrationZone], hazards: [HazardZone]) -> (multiplier: [Float], zoneIndex: [UInt8]) {
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
        return (multiplier, zoneIndex)
    }

    /// The cache entries (file name, bytes) of the parts built now; what was taken from the
    /// cache is not written again.
    public func cacheEntries() -> [(name: String, data: Data)] {
        var entries: [(name: String, data: Data)] = []
        if latticeWasBuilt { entries.append((SeaSurface.latticeEntryName(latticeKey), lattice.serialized(key: latticeKey))) }
        if let builtCosts { entries.append((SeaSurface.costEntryName(costKey), builtCosts)) }
        if let builtSquares { entries.append((UniformSquares.entryName(squaresKey), builtSquares)) }
        return entries
    }

    static func latticeEntryName(_ key: String) -> String { "cable-sea-\(key).lattice" }
    static func costEntryName(_ key: String) -> String { "cable-costs-\(key).raster" }

    /// A content key for the lattice: 128 bits over the format version, the options that
    /// shape it and every land vertex, as hex. Equal land and options give equal keys; any
    /// changed vertex or option gives another.
    public static func latticeKey(land: [Geometry], options: SeaSurfaceOptions) -> String {
        var hasher = ContentHasher()
        hasher.mix(SeaLattice.formatVersion)
        for v in [options.region.minX, options.region.minY, options.region.maxX, options.region.maxY,
                  options.cellKm, options.coastClearanceKm, options.minPassageKm] { hasher.mix(v) }
        land.forEach { hasher.mix($0) }
        return hasher.hex
    }

    /// A content key for the cost rasters: the region, the cell size, and every zone and
    /// hazard in order (their weights, corridors and vertices).
    public static func costKey(zones: [ConcentrationZone], hazards: [HazardZone], options: SeaSurfaceOptions) -> String {
        var hasher = ContentHasher()
        hasher.mix(SeaSurface.costFormatVersion)
        for v in [options.region.minX, options.region.minY, options.region.maxX, options.region.maxY, options.cellKm] {
            hasher.mix(v)
        }
        hasher.mix(UInt64(zones.count))
        zones.forEach { hasher.mix($0.geometry) }
        hasher.mix(UInt64(hazards.count))
        for hazard in hazards {
            hasher.mix(hazard.weight)
            hasher.mix(hazard.corridorKm)
            hasher.mix(hazard.geometry)
        }
        return hasher.hex
    }

    static let costFormatVersion: UInt64 = 2
    static let costMagic: [UInt8] = Array("WATTBIT-SEA-COSTS\n".utf8)

    /// The cost rasters as bytes: magic, version, key, cell count, multipliers, zone indices
    /// (8-byte aligned, read in place from a mapped file).
    static func costsSerialized(multiplier: FlatArray<Float>, zoneIndex: FlatArray<UInt8>, key: String) -> Data {
        var writer = CacheFileWriter(magic: costMagic, version: costFormatVersion, key: key)
        writer.append(UInt64(multiplier.count))
        writer.append(multiplier)
        writer.append(zoneIndex)
        return writer.data
    }

    /// Reads what `costsSerialized` wrote, in place, with the smallest multiplier; nil when
    /// the bytes are not for `key` and this many cells, or hold a multiplier that is not
    /// finite and ≥ 1.
    static func costs(serialized data: Data, key: String, count: Int)
        -> (multiplier: FlatArray<Float>, zoneIndex: FlatArray<UInt8>, minMultiplier: Float)? {
        guard var reader = CacheFileReader(data, magic: costMagic, version: costFormatVersion, key: key),
              reader.u64() == UInt64(count), let multiplier = reader.array(count, of: Float.self),
              let zoneIndex = reader.array(count, of: UInt8.self), reader.isAtEnd else { return nil }
        let smallest = multiplier.withUnsafeBufferPointer { values -> Float? in
            var smallest = Float.infinity
            for v in values {
                guard v.isFinite && v >= 1 else { return nil }
                smallest = min(smallest, v)
            }
            return smallest
        }
        guard let smallest else { return nil }
        return (multiplier, zoneIndex, count == 0 ? 1 : smallest)
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

    /// Whether `p` lies in some polygon of `g` (GeoCore's ring containment and edge rule).
    static func geometry(_ g: Geometry, contains p: Position) -> Bool {
        var inside = false
        forEachPolygon(g) { rings in
            if !inside && Planar.contains(rings: rings, p) { inside = true }
        }
        return inside
    }
}

/// A 128-bit content hash for cache keys: two independent 64-bit lanes, one word at a time
/// (multiply, then xor-shift, as in the finalisers of MurmurHash3 and SplitMix64). Not
/// cryptographic: it names cache files, which are validated again when read.
struct ContentHasher {
    private var a: UInt64 = 0x9e37_79b9_7f4a_7c15
    private var b: UInt64 = 0xc2b2_ae3d_27d4_eb4f

    mutating func mix(_ v: UInt64) {
        a = (a ^ v) &* 0xff51_afd7_ed55_8ccd
        a ^= a >> 33
        b = (b ^ (v &+ 0x632b_e59b_d9b4_e019)) &* 0xc4ce_b9fe_1a85_ec53
        b ^= b >> 29
    }

    mutating func mix(_ v: Double) { mix(v.bitPattern) }

    mutating func mix(_ g: Geometry) {
        switch g {
        case .point(let p):
            mix(UInt64(0x5054)); mix(p.x); mix(p.y)
        case .multiPoint(let ps):
            mix(UInt64(0x4d54)); mix(UInt64(ps.count))
            for p in ps { mix(p.x); mix(p.y) }
        case .lineString(let ps):
            mix(UInt64(0x4c53)); mix(UInt64(ps.count))
            for p in ps { mix(p.x); mix(p.y) }
        case .multiLineString(let lines):
            mix(UInt64(0x4d4c)); lines.forEach { mix(.lineString($0)) }
        case .polygon(let rings):
            mix(UInt64(0x5047))
            for ring in rings {
                mix(UInt64(ring.count))
                for p in ring { mix(p.x); mix(p.y) }
            }
        case .multiPolygon(let ps):
            mix(UInt64(0x4d50)); ps.forEach { mix(.polygon($0)) }
        case .geometryCollection(let gs):
            mix(UInt64(0x4743)); gs.forEach { mix($0) }
        }
    }

    var hex: String { String(format: "%016llx%016llx", a, b) }
    /// One 64-bit lane, for a checksum.
    var first: UInt64 { a }
}
