import Foundation
import GeoCore

/// How a demand unit's distance to the network is measured.
public enum DemandMode: String, Sendable, CaseIterable {
    /// From the unit's centroid (a mesh cell's centre, a polygon's area centroid, a point).
    case centroid
    /// From the nearest part of the unit's polygon (0 when the network crosses it).
    case area
}

public struct CoverageOptions: Sendable {
    public var reachKm: Double
    public var demandMode: DemandMode
    public var costPerKmJPY: Double

    /// Every value is the user's (`wattbit gaps` declares the defaults).
    public init(reachKm: Double, demandMode: DemandMode, costPerKmJPY: Double) {
        self.reachKm = reachKm
        self.demandMode = demandMode
        self.costPerKmJPY = costPerKmJPY
    }
}

/// Covered and uncovered demand of one area (a prefecture, a municipality, the nation).
public struct CoverageTally: Sendable, Equatable {
    public var coveredPopulation = 0.0
    public var uncoveredPopulation = 0.0
    public var coveredHouseholds = 0.0
    public var uncoveredHouseholds = 0.0
    public var coveredUnits = 0
    public var uncoveredUnits = 0
    public init() {}

    public var population: Double { coveredPopulation + uncoveredPopulation }
    /// Covered share of the population (1 when there is nobody).
    public var coverageRate: Double { population > 0 ? coveredPopulation / population : 1 }

    mutating func add(covered: Bool, population: Double, households: Double) {
        if covered {
            coveredPopulation += population; coveredHouseholds += households; coveredUnits += 1
        } else {
            uncoveredPopulation += population; uncoveredHouseholds += households; uncoveredUnits += 1
        }
    }
}

/// A dissolved area beyond the network's reach, with the cheapest connection to it.
public struct Gap: Sendable {
    public var geometry: Geometry
    public var population: Double
    public var households: Double
    public var areaKm2: Double
    public var units: Int
    /// Smallest distance from any of its units to the network (geodesic).
    public var nearestNetworkKm: Double
    /// The unit point the connection reaches and the network point it starts from.
    public var unitPoint: Position
    public var networkPoint: Position
    /// The planned connection (network → gap): a straight geodesic line unless replaced by
    /// a routed path (`extensionMethod`), and its length.
    public var extensionPath: [Position]
    public var extensionKm: Double
    public var extensionMethod: String
    public var island: Bool
    public var landMass: String?
    public var prefecture: String?
    public var municipality: String?
    /// Code of the first unit (mesh code or input feature index), a stable tie-breaker.
    public var firstUnit: String

    /// Estimated fiber inside the gap to bring all of it within reach: a line serves a
    /// strip 2·reach wide, so covering an area A takes about A / (2·reach) km of line
    /// (the strip-covering bound; 0 for a single unit or points).
    public var distributionKm: Double

    public func extensionCostJPY(costPerKmJPY: Double) -> Double { extensionKm * costPerKmJPY }
    /// Connection plus distribution: what closing the whole gap costs.
    public func closingCostJPY(costPerKmJPY: Double) -> Double { (extensionKm + distributionKm) * costPerKmJPY }
    public func costPerPersonJPY(costPerKmJPY: Double) -> Double? {
        population > 0 ? closingCostJPY(costPerKmJPY: costPerKmJPY) / population : nil
    }
}

/// Everything the analysis needs besides the demand: values only.
public struct CoverageContext: Sendable {
    public let network: NetworkIndex
    public let options: CoverageOptions
    public let prefectures: RegionLayer?
    public let regions: RegionLayer?
    public let land: RegionLayer?
    /// Land masses (indices into `land`) that hold some part of the network.
    public let networkLandMasses: Set<Int>

    public init(network: NetworkIndex, options: CoverageOptions, prefectures: RegionLayer? = nil,
                regions: RegionLayer? = nil, land: RegionLayer? = nil) {
        self.network = network
        self.options = options
        self.prefectures = prefectures
        self.regions = regions
        self.land = land
        var masses = Set<Int>()
        if let land {
            for s in 0..<network.segmentStart.count {
                if let k = land.locate(network.segmentStart[s]) { masses.insert(k) }
                if let k = land.locate(network.segmentEnd[s]) { masses.insert(k) }
            }
        }
        networkLandMasses = masses
    }
}

/// The answer: gaps ranked by cost per person, and tallies for the summary.
public struct CoverageResult: Sendable {
    public var gaps: [Gap]
    public var national: CoverageTally
    public var byPrefecture: [(name: String, tally: CoverageTally)]
    public var byRegion: [(name: String, tally: CoverageTally)]
    /// Demand rows read (mesh cells or features) and zero-population units skipped in gaps.
    public var unitsRead: Int
    public var meshLevel: MeshCode.Level?
}

/// Streaming coverage of mesh cells: `add` classifies each cell as it is read and keeps
/// only the uncovered ones (plus fixed-size tallies), so memory grows with the gaps, never
/// with the number of covered cells. `finish` dissolves the uncovered cells by grid union.
///
/// Complexity: `add` O(k) for the k network segments near the cell; `finish` O(u) for u
/// uncovered cells plus O(b·k) nearest-network searches for the b boundary cells of gaps.
public struct MeshCoverage: Sendable {
    public let context: CoverageContext
    private var tallies: [CoverageTally]          // prefectures + 1 (outside any)
    private var regionTallies: [CoverageTally]    // regions + 1
    private var national = CoverageTally()
    // Uncovered cells, packed: (row, column) key and values — 24 bytes a cell.
    private var uncoveredKeys: [UInt64] = []
    private var uncoveredPopulation: [Float64] = []
    private var uncoveredHouseholds: [Float64] = []
    private var rows = 0
    private var level: MeshCode.Level?
    public init(context: CoverageContext) {
        self.context = context
        tallies = [CoverageTally](repeating: CoverageTally(), count: (context.prefectures?.names.count ?? 0) + 1)
        regionTallies = [CoverageTally](repeating: CoverageTally(), count: (context.regions?.names.count ?? 0) + 1)
    }

    /// Whether a cell is within reach, by the configured demand mode.
    public func isCovered(_ cell: MeshCode) -> Bool {
        switch context.options.demandMode {
        case .centroid: context.network.covers(cell.center)
        case .area:
            context.network.covers(polygon: [[Position(cell.west, cell.south), Position(cell.east, cell.south),
                                              Position(cell.east, cell.north), Position(cell.west, cell.north),
                                              Position(cell.west, cell.south)]])
        }
    }

    public mutating func add(_ record: MeshRecord) {
        rows += 1
        level = record.cell.level
        let covered = isCovered(record.cell)
        let centre = record.cell.center
        national.add(covered: covered, population: record.population, households: record.households)
        if let prefectures = context.prefectures {
            let k = prefectures.locate(centre) ?? prefectures.names.count
            tallies[k].add(covered: covered, population: record.population, households: record.households)
        }
        if let regions = context.regions {
            let k = regions.locate(centre) ?? regions.names.count
            regionTallies[k].add(covered: covered, population: record.population, households: record.households)
        }
        if !covered && (record.population > 0 || record.households > 0) {
            uncoveredKeys.append(GridDissolve.key(record.cell.row, record.cell.column))
            uncoveredPopulation.append(record.population)
            uncoveredHouseholds.append(record.households)
        }
    }

    public var uncoveredCount: Int { uncoveredKeys.count }

    private func cell(_ i: Int, level: MeshCode.Level) -> MeshCode {
        MeshCode(level: level, row: GridDissolve.row(uncoveredKeys[i]), column: GridDissolve.column(uncoveredKeys[i]))
    }

    /// Dissolves the uncovered cells into gaps and measures each gap's connection.
    public func finish(progress: ProgressCallback? = nil) -> CoverageResult {
        var gaps: [Gap] = []
        if let level {
            var done = 0
            GridDissolve.forEachComponent(keys: uncoveredKeys) { component in
                done += component.members.count
                if gaps.count % 256 == 0 { progress?(Double(done) / Double(max(uncoveredKeys.count, 1)), "gaps") }
                gaps.append(gap(component, level: level))
            }
        }
        rank(&gaps, costPerKmJPY: context.options.costPerKmJPY)
        progress?(1, "gaps")
        return CoverageResult(
            gaps: gaps, national: national,
            byPrefecture: named(tallies, context.prefectures?.names),
            byRegion: named(regionTallies, context.regions?.names),
            unitsRead: rows, meshLevel: level)
    }

    private func gap(_ component: GridDissolve.Component, level: MeshCode.Level) -> Gap {
        var population = 0.0, households = 0.0, area = 0.0
        var representative = component.members[0]
        for i in component.members {
            population += uncoveredPopulation[i]
            households += uncoveredHouseholds[i]
            area += cell(i, level: level).areaKm2
            if uncoveredPopulation[i] > uncoveredPopulation[representative] { representative = i }
        }
        // The nearest cell to any outside point is on the gap's boundary (a neighbour one
        // step towards the point would otherwise be nearer), so only boundary cells are measured.
        var best: (cell: Int, point: Position, km: Double)?
        for i in component.boundary {
            guard let near = context.network.nearest(to: cell(i, level: level).center) else { continue }
            if let b = best, b.km <= near.distanceKm { continue }
            best = (i, near.point, near.distanceKm)
        }
        let rings = GridDissolve.polygon(component.rings, level: level)
        let nearestCell = cell(best?.cell ?? representative, level: level)
        let unitPoint = nearestCell.center
        let networkPoint = best?.point ?? unitPoint
        let km = best?.km ?? 0
        var gap = Gap(
            geometry: .polygon(rings), population: population, households: households,
            areaKm2: area, units: component.members.count, nearestNetworkKm: km,
            unitPoint: unitPoint, networkPoint: networkPoint,
            extensionPath: [networkPoint, unitPoint], extensionKm: km,
            extensionMethod: "straight-line", island: false, landMass: nil,
            prefecture: nil, municipality: nil, firstUnit: cell(component.members[0], level: level).code,
            distributionKm: component.members.count > 1 ? area / (2 * max(context.options.reachKm, 0.1)) : 0)
        // Land mass of the connection end; fall back to the most populous cell.
        locate(&gap, unitPoint: unitPoint, representative: cell(representative, level: level).center)
        return gap
    }

    private func locate(_ gap: inout Gap, unitPoint: Position, representative: Position) {
        if let land = context.land {
            if let k = land.locate(unitPoint) ?? land.locate(representative) {
                gap.landMass = land.names[k]
                gap.island = !context.networkLandMasses.contains(k)
            }
        }
        if let prefectures = context.prefectures, let k = prefectures.locate(representative) ?? prefectures.locate(unitPoint) {
            gap.prefecture = prefectures.names[k]
        }
        if let regions = context.regions, let k = regions.locate(representative) ?? regions.locate(unitPoint) {
            gap.municipality = regions.names[k]
        }
    }
}

func named(_ tallies: [CoverageTally], _ names: [String]?) -> [(name: String, tally: CoverageTally)] {
    guard let names else { return [] }
    var out: [(name: String, tally: CoverageTally)] = []
    for (k, name) in names.enumerated() where tallies[k].coveredUnits + tallies[k].uncoveredUnits > 0 {
        out.append((name, tallies[k]))
    }
    if let outside = tallies.last, outside.coveredUnits + outside.uncoveredUnits > 0 {
        out.append(("(outside)", outside))
    }
    return out
}

/// Ranks gaps by cost per person (cheapest first), then by population (largest first),
/// then by first unit, so the order is total and deterministic.
public func rank(_ gaps: inout [Gap], costPerKmJPY: Double) {
    gaps.sort { a, b in
        let ca = a.costPerPersonJPY(costPerKmJPY: costPerKmJPY) ?? .infinity
        let cb = b.costPerPersonJPY(costPerKmJPY: costPerKmJPY) ?? .infinity
        if ca != cb { return ca < cb }
        if a.population != b.population { return a.population > b.population }
        return a.firstUnit < b.firstUnit
    }
}
