import CableRouting
import PlannerKit

/// How `--routes K ≥ 2` are chosen.
enum RouteSelection: String, ParameterChoice {
    case joint, greedy
}

/// Every parameter of `wattbit cable`, declared once: the manifest lists `all`, the planner
/// reads values through these keys and words engine errors with their flags.
enum CableParameter {
    static let from = Parameter<String?>(
        "from",
        help: "Start: landing-station name (name or name_en), lon,lat, an international exit (international:north-america), or a GeoJSON file of candidate points (- = stdin)")
    static let to = Parameter<String?>("to", help: "End, in the same forms as --from")
    static let via = Parameter<String?>(
        "via",
        help: "Comma-separated stops for one route through all of them in order (without --from/--to, the first and last stops are the ends)")
    static let ring = Parameter<Bool>(
        "ring", default: false,
        help: "Close the --via chain back to its first stop (a cable around Japan); each leg and the ring total are reported")
    static let replan = Parameter<Bool>(
        "replan", default: false,
        help: "After the greedy pass, re-plan pairs of routes in the other order with the rest fixed and keep a pair when the total cost falls (up to 2·K·(K−1) more single-route plans)")
    static let routes = Parameter<Int>("routes", default: 1, in: 1...10, help: "Number of mutually separated routes")
    static let select = Parameter<RouteSelection>(
        "select", default: .joint,
        help: "How --routes K ≥ 2 are chosen: joint = the least total cost over diverse candidate routes (CBC; reports optimal, objective, bound, gap and the gain over greedy; never worse than greedy), greedy = best first, then the best that keeps clear (faster)")
    static let candidates = Parameter<Int>(
        "candidates", default: 4, in: 0...50,
        help: "With --select joint: alternative first routes (the best of each landing pair greedy left unused, then routes shifted off the earlier ones by the penalty method), each completed greedily to K routes; each costs about K route searches")
    static let selectTimeLimit = Parameter<Double>(
        "select_time_limit", unit: "s", default: 10, in: 0.1...86400,
        help: "With --select joint: CBC's limit for the selection; when it stops the solver, the best selection found (never worse than greedy) and its proven gap are reported")
    static let minSeparationKm = Parameter<Double>(
        "min_separation_km", unit: "km", default: 30, in: 0...500,
        help: "Minimum distance between any two routes outside the approaches")
    static let minSeparationExistingKm = Parameter<Double>(
        "min_separation_existing_km", unit: "km", default: 0, in: 0...500,
        help: "With --existing: minimum distance from every existing cable outside the approaches (0 = measure only)")
    static let approachKm = Parameter<Double>(
        "approach_km", unit: "km", default: 20, in: 0...300,
        help: "Radius around each landing inside which separation and coast clearance do not apply; when not given and --routes K do not fit out of a landing's bay, widened to 40, 60, 80, then 100 km")
    static let coastClearanceKm = Parameter<Double>(
        "coast_clearance_km", unit: "km", default: 2, in: 0...50,
        help: "Minimum distance from the coast outside the approaches")
    static let minPassageKm = Parameter<Double>(
        "min_passage_km", unit: "km", default: 1, in: 0.2...50,
        help: "Straits and channels narrower than this are closed (Kanmon, about 0.46 km wide, opens at 0.4)")
    static let snapKm = Parameter<Double>(
        "snap_km", unit: "km", default: 10, in: 0...200,
        help: "A landing on land (or in a lake) moves to the nearest shore of the sea within this distance, else it is refused")
    static let allowConcentrationZones = Parameter<Bool>(
        "allow_concentration_zones", default: false,
        help: "Let routes pass through (not land in) the Boso and Shima zones")
    static let allowConcentrationLanding = Parameter<Bool>(
        "allow_concentration_landing", default: false,
        help: "Let routes land in the Boso and Shima zones (no subsidy then)")
    static let distinctLandings = Parameter<Bool>(
        "distinct_landings", default: false,
        help: "With candidate sets, each route lands at stations no other route uses")
    static let ignoreHazards = Parameter<Bool>(
        "ignore_hazards", default: false, help: "Plan on length alone, without the soft hazard weights")
    static let costPerKmUSD = Parameter<Double>(
        "cost_per_km_usd", unit: "USD", default: 30_000, in: 0...10_000_000,
        help: "Installed cost per km for est_cost_usd")
    static let cellKm = Parameter<Double>(
        "cell_km", unit: "km", default: 2, in: 0.5...20,
        help: "Sea-surface grid cell; 2 km keeps routes within 1 % of the continuous optimum (memory: about 0.15 GB at 2 km, 1.4 GB at 0.5 km)")
    static let displaySegmentKm = Parameter<Double>(
        "display_segment_km", unit: "km", default: 10, in: 0.1...1000,
        help: "Maximum segment length of the output lines (geodesic densification)")
    static let matrix = Parameter<Bool>(
        "matrix", default: false,
        help: "Route every --from candidate to every --to candidate (one route per pair, one sea surface); with --format geojsonseq, one GeoJSON line per pair")
    static let matrixCSV = Parameter<String?>(
        "matrix_csv",
        help: "With --matrix or --pairs, also write one CSV row per pair (pair, from, to, length_km, cost, one_way_latency_ms, est_cost_usd, status, error) to this file")

    /// In manifest (and `--help`) order.
    static let all: [any ParameterDeclaration] = [
        from, to, via, ring, replan, routes, select, candidates, selectTimeLimit, minSeparationKm,
        minSeparationExistingKm, approachKm, coastClearanceKm, minPassageKm, snapKm, allowConcentrationZones,
        allowConcentrationLanding, distinctLandings, ignoreHazards, costPerKmUSD, cellKm, displaySegmentKm,
        matrix, matrixCSV,
    ]
}

extension CableParameter {
    /// The flag that sets a request field, for wording the engine's errors and warnings.
    static func flag(_ field: RouteRequestField) -> String {
        switch field {
        case .routes: routes.flag
        case .via: via.flag
        case .snapKm: snapKm.flag
        case .approachKm: approachKm.flag
        case .allowConcentrationLanding: allowConcentrationLanding.flag
        case .distinctLandings: distinctLandings.flag
        case .avoid: flagDisplayName("avoid")  // an input file, not a parameter
        }
    }
}

extension CableRoutingError {
    /// The engine's message with the command line's flag names.
    var cliMessage: String { message(naming: CableParameter.flag) }
}

extension RouteWarning {
    /// The engine's warning with the command line's flag names.
    var cliMessage: String { message(naming: CableParameter.flag) }
}
