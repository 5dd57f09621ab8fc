import HubClustering
import PlannerKit

/// `--exact auto|on|off`: the engine's modes are the choices.
extension HubExactMode: ParameterChoice {}

/// Every parameter of `wattbit hubs`, declared once: the manifest lists `all`, the planner
/// reads values through these keys.
enum HubsParameter {
    static let minHubMW = Parameter<Double>(
        "min_hub_mw", unit: "MW", default: 1000, in: 1...1e7, help: "Floor: every hub holds at least this capacity")
    static let maxRTTMs = Parameter<Double>(
        "max_rtt_ms", unit: "ms", default: 1, in: 0.01...100,
        help: "Round-trip latency budget from any member to its hub centre")
    static let maxRadiusKm = Parameter<Double?>(
        "max_radius_km", unit: "km", in: 0.1...5000, help: "Geodesic radius from the hub centre instead of --max-rtt-ms")
    static let routeFactor = Parameter<Double>(
        "route_factor", default: 1.5, in: 1...5, help: "Fiber route length over geodesic distance (for RTT)")
    static let excludeMetro = Parameter<Bool>(
        "exclude_metro", default: true, help: "No hub centre in the Tokyo or Osaka area (zones kind metro-area)")
    static let allowMetroMembers = Parameter<Bool>(
        "allow_metro_members", default: false,
        help: "Metro-area sites may join a hub centred outside (with --exclude-metro)")
    static let powerRadiusKm = Parameter<Double>(
        "power_radius_km", unit: "km", default: 50, in: 0...1000, help: "Radius for power generation near a hub centre")
    static let restarts = Parameter<Int>(
        "restarts", default: 0, in: 0...10000, help: "Constructions with perturbed seed orders (0 = automatic by size)")
    static let exact = Parameter<HubExactMode>(
        "exact", default: .auto,
        help: "Solve the integer programme with CBC: auto = every independent part of at most --exact-max-sites sites, on = every part, off = heuristic only, with its exact neighbourhood repair (bounds are reported in every mode)")
    /// The part size up to which `auto` solves exactly (measured: docs/planners/hubs.md).
    static let exactMaxSites = Parameter<Int>(
        "exact_max_sites", default: 200, in: 0...100000,
        help: "With --exact auto, the largest part (sites that share candidate centres) solved exactly")
    static let exactTimeLimit = Parameter<Double>(
        "exact_time_limit", unit: "s", default: 10, in: 0...86400,
        help: "Time for all exact solves and LP bounds together; parts not reached keep the heuristic's answer and report their gap")
    static let repairTimeLimit = Parameter<Double>(
        "repair_time_limit", unit: "s", default: 10, in: 0...86400,
        help: "Time for the exact neighbourhood repair of the heuristic's hubs (adjacent hubs and the sites around them re-packed by CBC, kept when that adds a hub) in parts not solved exactly; 0 = off")
    static let seed = Parameter<Int>("seed", default: 1, in: 0...1e15, help: "Seed of the deterministic search")
    static let weightPower = Parameter<Double>(
        "weight_power", default: 0.25, in: 0...100, help: "Weight of the decarbonised-power score")
    static let weightHeadroom = Parameter<Double>(
        "weight_headroom", default: 0.10, in: 0...100, help: "Weight of the generation-headroom score")
    static let weightCables = Parameter<Double>(
        "weight_cables", default: 0.15, in: 0...100, help: "Weight of the landing-station score")
    static let weightLatency = Parameter<Double>(
        "weight_latency", default: 0.15, in: 0...100, help: "Weight of the RTT-to-Tokyo/Osaka score")
    static let weightHazard = Parameter<Double>(
        "weight_hazard", default: 0.20, in: 0...100, help: "Weight of the earthquake-source distance score")
    static let weightSubsidy = Parameter<Double>(
        "weight_subsidy", default: 0.15, in: 0...100, help: "Weight of the outside-metro (DC subsidy 1/2) score")

    /// In manifest (and `--help`) order.
    static let all: [any ParameterDeclaration] = [
        minHubMW, maxRTTMs, maxRadiusKm, routeFactor, excludeMetro, allowMetroMembers, powerRadiusKm, restarts, exact,
        exactMaxSites, exactTimeLimit, repairTimeLimit, seed, weightPower, weightHeadroom, weightCables, weightLatency,
        weightHazard, weightSubsidy,
    ]
}
