import FiberCoverage
import PlannerKit

/// `--demand-mode centroid|area`: the engine's modes are the choices.
extension DemandMode: ParameterChoice {}

/// How `--plan` chooses.
enum PlanMethod: String, ParameterChoice {
    case exact, greedy
}

/// How island connections are measured.
enum IslandRoutingMode: String, ParameterChoice {
    case auto
    case straightLine = "straight-line"
}

/// Every parameter of `wattbit gaps`, declared once: the manifest lists `all`, the planner
/// reads values through these keys.
enum GapsParameter {
    static let reachKm = Parameter<Double>(
        "reach_km", unit: "km", default: 2, in: 0...100,
        help: "Distance from the network within which a unit counts as served")
    static let demandMode = Parameter<DemandMode>(
        "demand_mode", default: .centroid,
        help: "Measure from each unit's centroid, or from the nearest part of its area")
    static let populationColumn = Parameter<String>(
        "population_column", default: "population", help: "CSV column (or GeoJSON property) holding the population")
    static let householdsColumn = Parameter<String>(
        "households_column", default: "households",
        help: "CSV column (or GeoJSON property) holding households; optional in the data")
    static let costPerKmJPY = Parameter<Double>(
        "cost_per_km_jpy", unit: "JPY/km", default: 5_000_000, in: 0...1e12, help: "Construction cost of new fiber per km")
    static let budgetJPY = Parameter<Double?>("budget_jpy", unit: "JPY", in: 0...1e16, help: "Budget for --plan")
    static let plan = Parameter<Bool>(
        "plan", default: false, help: "Choose gaps to connect within --budget-jpy and output the extensions")
    static let planMethod = Parameter<PlanMethod>(
        "plan_method", default: .exact,
        help: "--plan: exact = integer programme (CBC) with shared extensions (a gap may connect from another planned gap), started from greedy; greedy = modified greedy over independent costs")
    static let planTimeLimit = Parameter<Double>(
        "plan_time_limit", unit: "s", default: 30, in: 0...86400,
        help: "--plan: time for the exact plan; when it stops the solver, the plan reports its proven gap")
    static let summary = Parameter<String?>(
        "summary", help: "Write covered/uncovered population by prefecture, region and nation to this CSV file")
    static let islandRouting = Parameter<IslandRoutingMode>(
        "island_routing", default: .auto,
        help: "Island connections: route over sea with the cable router (auto), or straight lines")
    static let islandRoutes = Parameter<Int>(
        "island_routes", default: 10, in: 0...10000,
        help: "Route at most this many island connections (the most populous island gaps) over sea; the rest stay straight lines")

    /// In manifest (and `--help`) order.
    static let all: [any ParameterDeclaration] = [
        reachKm, demandMode, populationColumn, householdsColumn, costPerKmJPY, budgetJPY, plan, planMethod,
        planTimeLimit, summary, islandRouting, islandRoutes,
    ]
}
