import Foundation
import FiberCoverage
import GeoCore
import HubClustering

/// `wattbit-bench hubs-exact --family tight|towns --sites N [--seed S] [--exact auto|on|off]
///                            [--time-limit S] [--csv FILE]`
///
/// One instance of the hub problem, solved with the integer programme on or off; prints one
/// JSON line: hubs, the proven upper bound, whether the count and the whole objective are
/// proven optimal, the gap, solver and wall seconds. `tight`: all sites in one 1 ms RTT
/// neighbourhood (±0.8° × ±0.5°) whose total capacity is k GW + 2–25 % of a hub, k ≈ N / 6
/// (the packing of issue 14, where the heuristic can be a hub short); `towns`: the
/// clustered sites of `wattbit-bench hubs`. `--csv` writes lon,lat,mw for the Python peers.
func runHubsExactBench(_ arguments: [String]) throws {
    var family = "tight", count = 20, seed: UInt64 = 1, mode = HubExactMode.on, timeLimit = 60.0
    var repairLimit = HubClusteringOptions.hubsDefaults().repairTimeLimitSeconds
    var csvPath: String? = nil
    var k = 0
    func value() throws -> String {
        k += 1
        guard k < arguments.count else { throw BenchUsage("missing value after \(arguments[k - 1])") }
        return arguments[k]
    }
    while k < arguments.count {
        switch arguments[k] {
        case "--family": family = try value()
        case "--sites": count = Int(try value()) ?? count
        case "--seed": seed = UInt64(try value()) ?? seed
        case "--exact":
            let text = try value()
            guard let m = HubExactMode(rawValue: text) else { throw BenchUsage("--exact: auto, on or off, not \(text)") }
            mode = m
        case "--time-limit": timeLimit = Double(try value()) ?? timeLimit
        case "--repair-time-limit": repairLimit = Double(try value()) ?? repairLimit
        case "--csv": csvPath = try value()
        default: throw BenchUsage("unknown argument \(arguments[k])")
        }
        k += 1
    }
    let sites: [HubSite]
    switch family {
    case "tight": sites = tightSites(count: count, seed: seed)
    case "towns": sites = benchSites(count: count, seed: seed)
    default: throw BenchUsage("--family: tight or towns, not \(family)")
    }
    if let csvPath {
        var text = "lon,lat,mw\n"
        for s in sites { text += "\(s.position.lon),\(s.position.lat),\(s.capacityMW)\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: csvPath))
    }
    let options = HubClusteringOptions.hubsDefaults(minHubMW: 1000, maxRadiusKm: FiberLatency.radiusKm(rttMs: 1.0, routeFactor: 1.5),
                                       exact: mode, exactSiteLimit: Int.max, exactTimeLimitSeconds: timeLimit,
                                       repairTimeLimitSeconds: repairLimit)
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try HubClustering.solve(sites: sites, options: options)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    var valid = true
    for hub in result.hubs where hub.totalMW < 1000 - 1e-6 || hub.maxDistanceKm > options.maxRadiusKm + 1e-9 { valid = false }
    let o = result.optimality, r = result.repair
    let engine = mode == .off && repairLimit <= 0 ? "off-norepair" : mode.rawValue
    print(String(format: #"{"bench":"hubs-exact","engine":"wattbit-exact-%@","family":"%@","sites":%d,"seed":%llu,"hubs":%d,"hubs_upper_bound":%d,"count_proven":%@,"optimal":%@,"gap":%.6f,"assigned_mw":%.1f,"cost_mw_km":%.1f,"parts":%d,"exact_parts":%d,"solver_seconds":%.3f,"repair_windows":%d,"repair_solves":%d,"repair_hubs_gained":%d,"repair_seconds":%.3f,"repair_budget_exhausted":%@,"seconds":%.3f,"valid":%@}"#,
                 engine, family, count, seed, result.hubs.count, o.hubsUpperBound, o.hubCountOptimal ? "true" : "false",
                 o.optimal ? "true" : "false", o.hubCountGap, result.objective.assignedMW, result.objective.costMWKm,
                 o.parts, o.exactParts, o.solverSeconds, r.windows, r.solves, r.hubsGained, r.seconds,
                 r.budgetExhausted ? "true" : "false", seconds, valid ? "true" : "false"))
}

/// Sites of one tight 1 ms neighbourhood (the instances of issue 14, scaled by N).
func tightSites(count: Int, seed: UInt64) -> [HubSite] {
    var state = seed &* 0x2545_F491_4F6C_DD1D &+ 7
    func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) * 0x1.0p-53
    }
    let hubs = max(2, Int((Double(count) / 6).rounded()))
    let centre = Position(141.2 + next(), 42.8 + 0.6 * next())
    var positions: [Position] = []
    var raw: [Double] = []
    for _ in 0..<count {
        positions.append(Position(centre.lon + (next() - 0.5) * 1.6, centre.lat + (next() - 0.5) * 1.0))
        raw.append(40 + 400 * next() * next())
    }
    let scale = (Double(hubs) + 0.02 + 0.23 * next()) * 1000 / raw.reduce(0, +)
    return zip(positions, raw).map { HubSite(position: $0, capacityMW: ($1 * scale).rounded()) }
}

/// `wattbit-bench gaps-plan --gaps N [--seed S] [--layout strung|scattered]
///                           [--budget-share F] [--time-limit S]`
///
/// One budgeted plan over N generated gaps, exact (shared extensions, CBC) and greedy
/// (independent costs, Khuller–Moss–Naor); prints one JSON line with the people each
/// reaches, the proven bound, the gap of each against the better bound, and seconds.
/// `strung`: gaps in rows leading away from the network (valleys, coasts), where sharing
/// pays; `scattered`: uniform. Own extensions 2–30 km, distribution 0–4 km, ¥5 M per km,
/// links to the 32 nearest gaps when shorter than the target's own extension (as
/// `wattbit gaps` offers them); the budget is F × the cost of closing every gap alone.
func runGapsPlanBench(_ arguments: [String]) throws {
    var count = 200, seed: UInt64 = 1, layout = "strung", share = 0.3, timeLimit = 30.0
    var k = 0
    func value() throws -> String {
        k += 1
        guard k < arguments.count else { throw BenchUsage("missing value after \(arguments[k - 1])") }
        return arguments[k]
    }
    while k < arguments.count {
        switch arguments[k] {
        case "--gaps": count = Int(try value()) ?? count
        case "--seed": seed = UInt64(try value()) ?? seed
        case "--layout": layout = try value()
        case "--budget-share": share = Double(try value()) ?? share
        case "--time-limit": timeLimit = Double(try value()) ?? timeLimit
        default: throw BenchUsage("unknown argument \(arguments[k])")
        }
        k += 1
    }
    guard layout == "strung" || layout == "scattered" else { throw BenchUsage("--layout: strung or scattered, not \(layout)") }
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    func unit() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    let costPerKm = 5e6
    var points: [(x: Double, y: Double)] = []
    var gaps: [SharedExtensionPlan.Gap] = []
    let side = 40 * Double(count).squareRoot()
    while gaps.count < count {
        // A row of 2–8 gaps leading away from the network, or one scattered gap.
        let base = (x: side * unit(), y: side * unit())
        let length = layout == "strung" ? 2 + Int(unit() * 7) : 1
        var own = 2 + 6 * unit()
        for step in 0..<length where gaps.count < count {
            let p = (x: base.x + Double(step) * (2 + 4 * unit()), y: base.y + 2 * unit())
            if step > 0 { own += 2 + 4 * unit() }
            points.append(p)
            let extensionKm = layout == "strung" ? min(30, own) : 2 + 28 * unit()
            gaps.append(SharedExtensionPlan.Gap(population: (10 + 990 * unit() * unit()).rounded(),
                                                extensionJPY: extensionKm * costPerKm,
                                                distributionJPY: (4 * unit()).rounded() * costPerKm))
        }
    }
    // Links: the 32 nearest gaps, when shorter than the target's own extension.
    var links: [SharedExtensionPlan.Link] = []
    for g in 0..<count {
        var near: [(h: Int, km: Double)] = []
        for h in 0..<count where h != g {
            let dx = points[h].x - points[g].x, dy = points[h].y - points[g].y
            near.append((h, (dx * dx + dy * dy).squareRoot()))
        }
        near.sort { $0.km != $1.km ? $0.km < $1.km : $0.h < $1.h }
        for n in near.prefix(32) where n.km * costPerKm < gaps[g].extensionJPY {
            links.append(SharedExtensionPlan.Link(from: n.h, to: g, costJPY: n.km * costPerKm))
        }
    }
    let total = gaps.reduce(0) { $0 + $1.extensionJPY + $1.distributionJPY }
    let budget = (share * total / 1e6).rounded() * 1e6
    var start = DispatchTime.now().uptimeNanoseconds
    let greedy = SharedExtensionPlan.plan(gaps, links: links, budgetJPY: budget, timeSeconds: 0, useSolver: false)
    let greedySeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    start = DispatchTime.now().uptimeNanoseconds
    let exact = SharedExtensionPlan.plan(gaps, links: links, budgetJPY: budget, timeSeconds: timeLimit)
    let exactSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let bound = min(exact.boundPopulation, greedy.boundPopulation)
    func gap(_ people: Double) -> Double { bound > 0 ? max(0, bound - people) / bound : 0 }
    print(String(format: #"{"bench":"gaps-plan","layout":"%@","gaps":%d,"links":%d,"seed":%llu,"budget_share":%.2f,"exact_people":%.0f,"exact_optimal":%@,"exact_gap":%.6f,"exact_cost_jpy":%.0f,"exact_shared":%d,"exact_seconds":%.3f,"greedy_people":%.0f,"greedy_gap":%.6f,"greedy_cost_jpy":%.0f,"greedy_seconds":%.4f,"bound_people":%.1f,"exact_over_greedy":%.6f}"#,
                 layout, count, links.count, seed, share, exact.population, exact.optimal ? "true" : "false", gap(exact.population),
                 exact.costJPY, exact.parent.count, exactSeconds, greedy.population, gap(greedy.population), greedy.costJPY,
                 greedySeconds, bound, greedy.population > 0 ? exact.population / greedy.population : 1))
}
