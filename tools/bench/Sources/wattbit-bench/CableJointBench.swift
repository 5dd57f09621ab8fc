import CableRouting
import Foundation
import GeoCore

// `wattbit-bench cable-joint [--geodata DIR] [--repeats N] [--seeds N] [--penalty F] [--case TEXT]`: K separated routes
// chosen greedily (`CableRouter.plan`) and jointly (`CableRouter.planJoint`: candidates on
// the sea surface, selection by CBC), side by side on real cases over the embedded geodata.
// One JSON line per case (totals of length and cost, candidates, optimality, gap, seconds:
// medians over N repeats), then one summary line with the medians over the cases.
func runCableJointBench(_ arguments: [String]) throws {
    var geodata = "geodata"
    var repeats = 1
    var seeds = JointOptions.cableDefaults.seeds
    var penalty = JointOptions.cableDefaults.penaltyFactor
    var only: String?
    var k = 0
    while k < arguments.count {
        guard k + 1 < arguments.count else { throw BenchUsage("usage: wattbit-bench cable-joint [--geodata DIR] [--repeats N] [--seeds N] [--penalty F] [--case TEXT]") }
        switch arguments[k] {
        case "--geodata": geodata = arguments[k + 1]
        case "--repeats": repeats = max(1, Int(arguments[k + 1]) ?? 1)
        case "--seeds": seeds = max(0, Int(arguments[k + 1]) ?? seeds)
        case "--penalty": penalty = Double(arguments[k + 1]) ?? penalty
        case "--case": only = arguments[k + 1]
        default: throw BenchUsage("usage: wattbit-bench cable-joint [--geodata DIR] [--repeats N] [--seeds N] [--penalty F] [--case TEXT]")
        }
        k += 2
    }
    func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? .nan : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
    }
    func round(_ x: Double, _ digits: Int) -> Double {
        let scale = pow(10, Double(digits))
        return (x * scale).rounded() / scale
    }
    let land = CableGeodata.land(try GeoJSONReader.read(path: "\(geodata)/japan-land.geojson"))
    let zones = CableGeodata.concentrationZones(try GeoJSONReader.read(path: "\(geodata)/zones.geojson"))
    let hazards = try CableGeodata.hazards(try GeoJSONReader.read(path: "\(geodata)/hazards.geojson"))
    let stations = try GeoJSONReader.read(path: "\(geodata)/landing-stations.geojson")
    let international = try GeoJSONReader.read(path: "\(geodata)/international-endpoints.geojson")
    func end(_ names: [String]) throws -> RouteEnd {
        var candidates: [Landing] = []
        var isInternational = false
        for name in names {
            if let l = CableGeodata.find(name, in: stations) { candidates.append(l); continue }
            if let l = CableGeodata.find(name, in: international) { candidates.append(l); isInternational = true; continue }
            throw BenchUsage("unknown endpoint \(name)")
        }
        return RouteEnd(label: names.joined(separator: ","), candidates: candidates, isInternational: isInternational)
    }
    let router = CableRouter(surface: SeaSurface(land: land, zones: zones, hazards: hazards, options: SeaSurfaceOptions.cableDefaults(cellKm: 2)))
    // name, from, to, K, approach (what `wattbit cable` widens to for these), distinct landings
    let cases: [(String, [String], [String], Int, Double, Bool)] = [
        ("Ishikari-Kitakyushu x2", ["Ishikari"], ["Kitakyushu"], 2, 40, false),
        ("Ishikari-Kitakyushu x3", ["Ishikari"], ["Kitakyushu"], 3, 60, false),
        ("Sendai-Tomakomai x2", ["Sendai"], ["Tomakomai"], 2, 40, false),
        ("Kagoshima-Southeast Asia x3", ["Kagoshima"], ["international:southeast-asia"], 3, 40, false),
        ("Kitaibaraki-Kochi x3", ["Kitaibaraki"], ["Kochi"], 3, 60, false),
        ("Tomakomai-Kochi x3", ["Tomakomai"], ["Kochi"], 3, 60, false),
        ("Japan Sea candidates-Korea x3 distinct", ["Niigata", "Naoetsu", "Tsuruga", "Matsue"], ["international:korea"], 3, 20, true),
    ]
    var gains: [Double] = [], ratios: [Double] = [], gaps: [Double] = []
    var optimalCount = 0
    for (name, from, to, k, approach, distinct) in cases where only.map({ name.contains($0) }) ?? true {
        var request = RouteRequest.cableDefaults(from: try end(from), to: try end(to), routes: k, approachKm: approach)
        request.distinctLandings = distinct
        var greedyTimes: [Double] = [], jointTimes: [Double] = []
        var last: JointPlan?
        for _ in 0..<repeats {
            var t = now()
            let greedy = try router.plan(request)
            greedyTimes.append(now() - t)
            t = now()
            var options = JointOptions(seeds: seeds, penaltyFactor: penalty, timeLimitSeconds: JointOptions.cableDefaults.timeLimitSeconds)
            options.concurrency = ProcessInfo.processInfo.activeProcessorCount
            last = router.planJoint(request, greedy: greedy, options: options)
            // The joint time includes the greedy pass it starts from, as `wattbit cable` runs it.
            jointTimes.append(now() - t + greedyTimes[greedyTimes.count - 1])
        }
        guard let joint = last else { continue }
        let gain = joint.improvement ?? 0
        gains.append(gain)
        ratios.append(median(jointTimes) / max(1e-9, median(greedyTimes)))
        if let gap = joint.gap { gaps.append(gap) }
        if joint.optimal == true { optimalCount += 1 }
        let object: [String: Any] = [
            "case": name, "routes_greedy": joint.greedyRoutes, "routes_joint": joint.plan.routes.count,
            "greedy_total_cost": round(joint.greedyCost, 1), "joint_total_cost": round(joint.cost, 1),
            "greedy_total_km": round(joint.greedyLengthKm, 1), "joint_total_km": round(joint.lengthKm, 1),
            "improvement_pct": round(100 * gain, 2), "candidates": joint.candidates, "conflicts": joint.conflicts,
            "selection": joint.method.rawValue, "optimal": joint.optimal ?? false, "gap": joint.gap ?? -1,
            "bound": round(joint.bound ?? -1, 1), "fallback": joint.fallbackReason ?? "",
            "greedy_seconds": round(median(greedyTimes), 2), "joint_seconds": round(median(jointTimes), 2),
            "repeats": repeats,
        ]
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            print(String(decoding: data, as: UTF8.self))
        }
    }
    let summary: [String: Any] = [
        "summary": "cable-joint", "cases": cases.count, "seeds": seeds, "penalty": penalty,
        "median_improvement_pct": round(100 * median(gains), 2), "max_improvement_pct": round(100 * (gains.max() ?? 0), 2),
        "cases_improved": gains.filter { $0 > 1e-6 }.count, "cases_proven_optimal": optimalCount,
        "median_time_ratio_joint_over_greedy": round(median(ratios), 2),
    ]
    if let data = try? JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]) {
        print(String(decoding: data, as: UTF8.self))
    }
}

// `wattbit-bench cable-joint-mip [--sizes 25,50,…] [--routes 3,5,10] [--density 0.4] [--seeds N]
// [--time-limit S]`: the selection model alone (`JointRouteSelection`) on random conflict
// graphs of growing size, to find the candidate-set size at which CBC stops proving the
// optimum quickly. Costs are route-like (1,000–3,000, near-ties) and conflicts random at the
// density of the real cases (0.3–0.5 of all pairs). One JSON line per size and K with
// medians over the seeds.
func runCableJointMIPBench(_ arguments: [String]) throws {
    var sizes = [25, 50, 100, 200, 400, 800]
    var ks = [3, 5, 10]
    var density = 0.4
    var seeds = 3
    var timeLimit = 10.0
    let usage = "usage: wattbit-bench cable-joint-mip [--sizes 25,50,…] [--routes 3,5,10] [--density D] [--seeds N] [--time-limit S]"
    var k = 0
    while k < arguments.count {
        guard k + 1 < arguments.count else { throw BenchUsage(usage) }
        let value = arguments[k + 1]
        switch arguments[k] {
        case "--sizes": sizes = value.split(separator: ",").compactMap { Int($0) }
        case "--routes": ks = value.split(separator: ",").compactMap { Int($0) }
        case "--density": density = Double(value) ?? density
        case "--seeds": seeds = max(1, Int(value) ?? seeds)
        case "--time-limit": timeLimit = Double(value) ?? timeLimit
        default: throw BenchUsage(usage)
        }
        k += 2
    }
    func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? .nan : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
    }
    for n in sizes {
        for routes in ks where routes <= n {
            var seconds: [Double] = [], gaps: [Double] = []
            var optimal = 0, failed = 0
            for seed in 0..<seeds {
                var rng = SplitMix64(seed: UInt64(n * 1000 + routes * 10 + seed))
                let costs = (0..<n).map { _ in 1000 + 2000 * rng.unit() }
                var conflicts: [(Int, Int)] = []
                for a in 0..<n { for b in (a + 1)..<n where rng.unit() < density { conflicts.append((a, b)) } }
                let t = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
                let outcome = JointRouteSelection.select(costs: costs, conflicts: conflicts, count: routes,
                                                         limits: .init(timeSeconds: timeLimit, relativeGap: 1e-9, absoluteGap: 1e-6))
                seconds.append(Double(DispatchTime.now().uptimeNanoseconds) / 1e9 - t)
                switch outcome {
                case .selected(let answer):
                    if answer.optimal { optimal += 1 }
                    gaps.append(answer.gap)
                case .infeasible: break
                case .failed: failed += 1
                }
            }
            let object: [String: Any] = [
                "candidates": n, "routes": routes, "density": density, "instances": seeds,
                "median_seconds": (median(seconds) * 1000).rounded() / 1000, "max_seconds": ((seconds.max() ?? 0) * 1000).rounded() / 1000,
                "proven_optimal": optimal, "no_selection_in_limit": failed,
                "median_gap": gaps.isEmpty ? -1 : (median(gaps) * 1e6).rounded() / 1e6,
                "time_limit": timeLimit,
            ]
            if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
                print(String(decoding: data, as: UTF8.self))
            }
        }
    }
}
