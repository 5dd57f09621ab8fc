import GeoCore
import PlannerKit
import Siting

/// `--mesh-level`: the cell size, by its name.
enum SitingMeshLevel: String, ParameterChoice {
    case km1 = "1km"
    case m500 = "500m"
    case m250 = "250m"

    var level: MeshCode.Level {
        switch self {
        case .km1: .third
        case .m500: .half
        case .m250: .quarter
        }
    }
}

/// Every parameter of `wattbit siting`, declared once: the manifest lists `all`, the planner
/// reads values through these keys and words engine errors with their flags.
enum SitingParameter {
    static let meshLevel = Parameter<SitingMeshLevel>(
        "mesh_level", default: .km1, help: "Cell size: JIS X 0410 third level (1 km), half (500 m) or quarter (250 m)")
    static let weights = Parameter<String?>(
        "weights",
        help: "Weights by criterion, NAME=W,… (others keep their defaults: substation_km, decarbonised_mw, grid_mw 2; the rest 1)")
    static let thresholds = Parameter<String?>(
        "thresholds",
        help: "Value functions by criterion, NAME=BEST:WORST (linear, 1 at BEST, 0 at WORST) or NAME=step:T")
    static let decarbonisedRadiusKm = Parameter<Double>(
        "decarbonised_radius_km", unit: "km", default: 100, in: 1...1000, help: "Radius for decarbonised MW")
    static let routeFactor = Parameter<Double>(
        "route_factor", default: 1.5, in: 1...5, help: "Fiber route length over the geodesic, for RTTs")
    static let populationRTTMs = Parameter<Double>(
        "population_rtt_ms", unit: "ms", default: 2, in: 0.01...100, help: "Round trip within which people count as reachable")
    static let gridRadiusKm = Parameter<Double>(
        "grid_radius_km", unit: "km", default: 20, in: 0...500, help: "A grid-capacity point serves cells within this distance")
    static let factor = Parameter<String?>(
        "factor",
        help: "A user criterion FILE:PROPERTY (Polygons or Points with a numeric PROPERTY; scored linearly 0 at the layer's minimum to 1 at its maximum unless --thresholds factor=…)")
    static let excludeMetro = Parameter<Bool>(
        "exclude_metro", default: true,
        help: "Exclude the Tokyo and Osaka metro areas (outside them DCs get the 1/2 subsidy)")
    static let minAvailableMW = Parameter<Double?>(
        "min_available_mw", unit: "MW", in: 0...1e6, help: "Exclude cells with less grid headroom (needs --grid-capacity)")
    static let maxRTTMs = Parameter<Double?>(
        "max_rtt_ms", unit: "ms", in: 0...1000, help: "Exclude cells whose RTT to the nearer of Tokyo and Osaka exceeds this")
    static let top = Parameter<Int>("top", default: 10, in: 0...10000, help: "Number of sites")
    static let minSpacingKm = Parameter<Double>(
        "min_spacing_km", unit: "km", default: 50, in: 0...3000, help: "Sites at least this far apart (geodesic)")
    static let minScore = Parameter<Double>(
        "min_score", default: 0.6, in: 0...1, help: "Cells at or above this score form candidate areas")
    static let sensitivity = Parameter<Int>(
        "sensitivity", default: 0, in: 0...1_000_000, help: "Dirichlet weight samples for rank stability (0 = off)")
    static let sensitivityPool = Parameter<Int>(
        "sensitivity_pool", default: 1000, in: 1...1_000_000, help: "Best cells re-ranked per sample")
    static let concentration = Parameter<Double>(
        "concentration", default: 50, in: 0.01...1e6,
        help: "Dirichlet concentration: larger = weights closer to the given ones")
    static let seed = Parameter<Int>("seed", default: 1, in: 0...1_000_000_000, help: "Random seed for --sensitivity")
    static let sitesOnly = Parameter<Bool>(
        "sites_only", default: false,
        help: "Output only the site points (for wattbit hubs --fixed-hubs -, wattbit cable --from -, wattbit latency --sites -)")
    static let withCells = Parameter<Bool>("with_cells", default: false, help: "Also output every scored cell (role cell)")
    static let tile = Parameter<String?>(
        "tile",
        help: "Only these JIS X 0410 first-level meshes (4 digits, comma-separated, e.g. 5339 or 5339,5340); see --list-tiles")
    static let cellsOnly = Parameter<Bool>(
        "cells_only", default: false,
        help: "Output only the scored cells, as an RFC 8142 sequence (for --from-cells)")
    static let listTiles = Parameter<Bool>(
        "list_tiles", default: false,
        help: "Print the first-level meshes that hold Japanese land, one per line, and stop")
    static let explain = Parameter<String?>(
        "explain", help: "LON,LAT: print why this place scores as it does (stderr) and output it as role explain")
    static let summary = Parameter<String?>(
        "summary", help: "Write a per-prefecture CSV (cells, exclusions, scores, sites) to this file")

    /// In manifest (and `--help`) order.
    static let all: [any ParameterDeclaration] = [
        meshLevel, weights, thresholds, decarbonisedRadiusKm, routeFactor, populationRTTMs, gridRadiusKm, factor,
        excludeMetro, minAvailableMW, maxRTTMs, top, minSpacingKm, minScore, sensitivity, sensitivityPool,
        concentration, seed, sitesOnly, withCells, tile, cellsOnly, listTiles, explain, summary,
    ]

    /// The flag or input that sets an engine option, for wording the engine's errors.
    static func flag(_ field: SitingOptionField) -> String {
        switch field {
        case .weights: weights.flag
        case .thresholds: thresholds.flag
        case .minAvailableMW: minAvailableMW.flag
        case .gridCapacity: flagDisplayName("grid_capacity")  // an input layer, not a parameter
        }
    }
}
