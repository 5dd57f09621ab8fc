// `wattbit-bench cable-batch [--geodata DIR] [--pairs N] [--threads T] [--pairs-out FILE]`
//
// Many routes over one sea surface (`CableRouter.planBatch`, what `wattbit cable --pairs`
// and `--matrix` run): N seeded pairs (SplitMix64, seed 10) from the landing stations outside
// Boso and Shima to those stations and the international exits, routed with the planner's
// defaults. Prints one JSON line: {"case":"batch", "pairs":N, "routed":…, "seconds":…,
// "cpu_seconds":…, "surface_seconds":…}. With --pairs-out, writes the pairs and WattBit's
// lengths as JSON lines for the side-by-side script (tools/bench/cable/batch.py).
import CableRouting
import Dispatch
import Foundation
import GeoCore

func runCableBatchBench(_ arguments: [String]) throws {
    var geodata = "geodata"
    var count = 1000
    var threads = ProcessInfo.processInfo.activeProcessorCount
    var pairsOut: String?
    var i = 0
    while i < arguments.count {
        switch arguments[i] {
        case "--geodata" where i + 1 < arguments.count: geodata = arguments[i + 1]; i += 2
        case "--pairs" where i + 1 < arguments.count: count = Int(arguments[i + 1]) ?? 1000; i += 2
        case "--threads" where i + 1 < arguments.count: threads = Int(arguments[i + 1]) ?? threads; i += 2
        case "--pairs-out" where i + 1 < arguments.count: pairsOut = arguments[i + 1]; i += 2
        default: throw BenchUsage("usage: wattbit-bench cable-batch [--geodata DIR] [--pairs N] [--threads T] [--pairs-out FILE]")
        }
    }
    func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    func cpu() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    let land = CableGeodata.land(try GeoJSONReader.read(path: "\(geodata)/japan-land.geojson"))
    let zones = CableGeodata.concentrationZones(try GeoJSONReader.read(path: "\(geodata)/zones.geojson"))
    let hazards = try CableGeodata.hazards(try GeoJSONReader.read(path: "\(geodata)/hazards.geojson"))
    let stations = try GeoJSONReader.read(path: "\(geodata)/landing-stations.geojson")
    let international = try GeoJSONReader.read(path: "\(geodata)/international-endpoints.geojson")

    var domestic: [RouteEnd] = []
    for f in stations.features where f[property: "zone"]?.stringValue == "other" {
        guard case .point(let p)? = f.geometry, let name = f[property: "name_en"]?.stringValue else { continue }
        domestic.append(RouteEnd(label: name, candidates: [Landing(name: name, position: p)]))
    }
    var exits: [RouteEnd] = []
    for f in international.features {
        guard case .point(let p)? = f.geometry, let name = f[property: "name"]?.stringValue else { continue }
        exits.append(RouteEnd(label: name, candidates: [Landing(name: name, position: p)], isInternational: true))
    }
    let targets = domestic + exits
    var rng = SplitMix64(seed: 10)
    var pairs: [RoutePair] = []
    while pairs.count < count {
        let a = domestic[Int(rng.next() % UInt64(domestic.count))]
        let b = targets[Int(rng.next() % UInt64(targets.count))]
        if a.label == b.label { continue }
        pairs.append(RoutePair(from: a, to: b))
    }

    var t = now()
    var c = cpu()
    let surface = SeaSurface(land: land, zones: zones, hazards: hazards, options: SeaSurfaceOptions.cableDefaults(cellKm: 2))
    let surfaceSeconds = now() - t
    let template = RouteRequest.cableDefaults(from: pairs[0].from, to: pairs[0].to)
    t = now()
    c = cpu()
    let outcomes = CableRouter(surface: surface).planBatch(pairs, template: template, concurrency: threads)
    let seconds = now() - t
    let cpuSeconds = cpu() - c
    let routed = outcomes.filter { $0.route != nil }.count
    let distinct = Set(pairs.map { [$0.from.label, $0.to.label].sorted() }).count
    let object: [String: Any] = ["case": "batch", "pairs": pairs.count, "distinct": distinct, "routed": routed, "threads": threads,
                                 "seconds": seconds, "cpu_seconds": cpuSeconds, "surface_seconds": surfaceSeconds]
    if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
        print(String(decoding: data, as: UTF8.self))
    }
    if let pairsOut {
        var text = ""
        for o in outcomes {
            let a = o.pair.from.candidates[0].position, b = o.pair.to.candidates[0].position
            let row: [String: Any] = ["from": [a.lon, a.lat], "to": [b.lon, b.lat], "from_name": o.pair.from.label,
                                      "to_name": o.pair.to.label, "length_km": o.route?.lengthKm ?? -1]
            if let data = try? JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]) {
                text += String(decoding: data, as: UTF8.self) + "\n"
            }
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: pairsOut))
    }
}

// `wattbit-bench cable-replan [--geodata DIR]`: K separated routes, greedy and after
// `CableRouter.replan` (pairwise rip-up and re-route), on the cable benchmark's K-route
// cases plus a candidate-set case; one JSON line per case with both totals and times.
func runCableReplanBench(_ arguments: [String]) throws {
    var geodata = "geodata"
    if arguments.count == 2, arguments[0] == "--geodata" { geodata = arguments[1] } else if !arguments.isEmpty {
        throw BenchUsage("usage: wattbit-bench cable-replan [--geodata DIR]")
    }
    func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
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
    let cases: [(String, [String], [String], Int, Double, Bool)] = [
        ("Ishikari-Kitakyushu x3", ["Ishikari"], ["Kitakyushu"], 3, 60, false),
        ("Tomakomai-Kochi x3", ["Tomakomai"], ["Kochi"], 3, 60, false),
        ("Japan Sea candidates-Korea x3 distinct", ["Niigata", "Naoetsu", "Tsuruga", "Matsue"], ["international:korea"], 3, 20, true),
    ]
    for (name, from, to, k, approach, distinct) in cases {
        var request = RouteRequest.cableDefaults(from: try end(from), to: try end(to), routes: k, approachKm: approach)
        request.distinctLandings = distinct
        var t = now()
        let greedy = try router.plan(request)
        let greedySeconds = now() - t
        t = now()
        let better = router.replan(greedy, request: request)
        let replanSeconds = now() - t
        let object: [String: Any] = [
            "case": name, "routes": greedy.routes.count, "greedy_total_cost": (better.greedyCost * 10).rounded() / 10,
            "replanned_total_cost": (better.cost * 10).rounded() / 10, "moves_tried": better.tried, "moves_kept": better.kept,
            "greedy_seconds": greedySeconds, "replan_seconds": replanSeconds,
            "min_separation_km": better.plan.routes.compactMap(\.achievedSeparationKm).min() ?? -1,
        ]
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
