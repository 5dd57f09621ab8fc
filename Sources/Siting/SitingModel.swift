import GeoCore

/// A point with a value (MW, people, available MW, a factor value).
public struct WeightedPoint: Sendable {
    public var position: Position
    public var value: Double
    public init(_ position: Position, _ value: Double) { self.position = position; self.value = value }
}

/// A polygon (rings of a Polygon or MultiPolygon) with a value and a name.
public struct ValuedPolygon: Sendable {
    public var rings: [[Position]]
    public var value: Double
    public var name: String
    public init(rings: [[Position]], value: Double = 1, name: String = "") {
        self.rings = rings; self.value = value; self.name = name
    }
}

/// Everything the siting engine reads, as values (the executable loads the files).
public struct SitingLayers: Sendable {
    /// Prefectures (JIS X 0401 code "01"…"47" as `name`): Japan's land, and the
    /// prefecture of each cell.
    public var prefectures: [ValuedPolygon]
    /// Power stations with capacity_mw and whether they are decarbonised.
    public var plants: [(position: Position, capacityMW: Double, decarbonised: Bool)]
    public var substations: [Position]
    /// Landing stations outside Boso/Shima.
    public var landings: [Position]
    public var ixs: [Position]
    /// Trench/trough axes (lines) and earthquake source regions (polygons).
    public var hazardLines: [[Position]]
    public var hazardRegions: [ValuedPolygon]
    /// Tokyo and Osaka metro areas (zones.geojson kind metro-area).
    public var metro: [ValuedPolygon]
    /// Optional: grid headroom polygons and points (available_mw).
    public var gridPolygons: [ValuedPolygon] = []
    public var gridPoints: [WeightedPoint] = []
    /// Optional: population points (mesh cell centres with people).
    public var population: [WeightedPoint]? = nil
    /// Optional: user exclusion polygons.
    public var exclusions: [ValuedPolygon] = []
    /// Optional: a user factor layer (polygons or points with the property's value).
    public var factorPolygons: [ValuedPolygon] = []
    public var factorPoints: [WeightedPoint] = []
    public var hasFactor: Bool { !factorPolygons.isEmpty || !factorPoints.isEmpty }
    public var hasGrid: Bool { !gridPolygons.isEmpty || !gridPoints.isEmpty }

    public init(prefectures: [ValuedPolygon], plants: [(position: Position, capacityMW: Double, decarbonised: Bool)],
                substations: [Position], landings: [Position], ixs: [Position], hazardLines: [[Position]],
                hazardRegions: [ValuedPolygon], metro: [ValuedPolygon]) {
        self.prefectures = prefectures; self.plants = plants; self.substations = substations
        self.landings = landings; self.ixs = ixs; self.hazardLines = hazardLines
        self.hazardRegions = hazardRegions; self.metro = metro
    }
}

/// The hard constraints a cell must meet to be eligible; each excluded cell names why.
public enum Constraint: String, CaseIterable, Sendable {
    case metro = "metro"
    case exclude = "exclude"
    case minAvailableMW = "min-available-mw"
    case maxRTTMs = "max-rtt-ms"
    /// This constraint's bit in `ScoredCell.excludedBits` (its position in `allCases`).
    public var bit: UInt8 {
        switch self {
        case .metro: return 1
        case .exclude: return 2
        case .minAvailableMW: return 4
        case .maxRTTMs: return 8
        }
    }
}

/// Parameters of one siting run. Every value a user sets is given to `init`: the engine has
/// no defaults of its own for them (`wattbit siting` declares them). The criteria's weights
/// and value functions start from `SitingDefaults`, which the user's lists override.
public struct SitingOptions: Sendable {
    public var level: MeshCode.Level
    public var functions: [Criterion: ValueFunction]
    public var weights: [Criterion: Double]
    public var decarbonisedRadiusKm: Double
    /// Fiber route factor over the geodesic (shared with hubs and the latency plugin).
    public var routeFactor: Double
    /// Round trip within which population counts as reachable.
    public var populationRTTMs: Double
    public var gridRadiusKm: Double
    public var excludeMetro: Bool
    public var minAvailableMW: Double?
    public var maxRTTMs: Double?
    public var top: Int
    public var minSpacingKm: Double
    public var minScore: Double
    public var sensitivitySamples: Int
    public var sensitivityPool: Int
    public var sensitivityConcentration: Double
    public var seed: UInt64

    public init(level: MeshCode.Level, functions: [Criterion: ValueFunction] = SitingDefaults.functions,
                weights: [Criterion: Double] = SitingDefaults.weights, decarbonisedRadiusKm: Double,
                routeFactor: Double, populationRTTMs: Double, gridRadiusKm: Double, excludeMetro: Bool,
                minAvailableMW: Double?, maxRTTMs: Double?, top: Int, minSpacingKm: Double, minScore: Double,
                sensitivitySamples: Int, sensitivityPool: Int, sensitivityConcentration: Double, seed: UInt64) {
        self.level = level
        self.functions = functions
        self.weights = weights
        self.decarbonisedRadiusKm = decarbonisedRadiusKm
        self.routeFactor = routeFactor
        self.populationRTTMs = populationRTTMs
        self.gridRadiusKm = gridRadiusKm
        self.excludeMetro = excludeMetro
        self.minAvailableMW = minAvailableMW
        self.maxRTTMs = maxRTTMs
        self.top = top
        self.minSpacingKm = minSpacingKm
        self.minScore = minScore
        self.sensitivitySamples = sensitivitySamples
        self.sensitivityPool = sensitivityPool
        self.sensitivityConcentration = sensitivityConcentration
        self.seed = seed
    }

    /// Tokyo (Otemachi) and Osaka (Dojima), the IX cores the RTT criteria measure to.
    public static let tokyo = Position(139.7640, 35.6870)
    public static let osaka = Position(135.4950, 34.6960)
}

/// One evaluated place: raw values, scores and the constraints that exclude it.
public struct Evaluation: Sendable, Equatable {
    /// Raw value per criterion (by `Criterion.index`); NaN when the criterion is inactive.
    public var raw: [Double]
    public var scores: [Double]
    public var total: Double
    public var excluded: [Constraint]
    public var prefecture: String
    public var eligible: Bool { excluded.isEmpty }
    public init(raw: [Double], scores: [Double], total: Double, excluded: [Constraint], prefecture: String) {
        self.raw = raw; self.scores = scores; self.total = total; self.excluded = excluded; self.prefecture = prefecture
    }
}
