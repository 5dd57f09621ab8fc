// `wattbit-bench cable [--geodata DIR] [--cell-km KM] [--routes-out FILE]`
//
// Whole region (lon 120–155, lat 20–47, GSHHG-high land from geodata/japan-land.geojson,
// zones and hazards as shipped) at the given resolution: times the sea-surface build, then
// each case (one route; three separated routes) and prints one JSON line per measurement:
// {"case":…, "seconds":…, "routes":[{"length_km":…, …}]}. With --routes-out, writes the
// routes of every case as one FeatureCollection for the side-by-side comparison script.
import CableRouting
import Dispatch
import Foundation
import GeoCore

func runCableBench(_ arguments: [String]) throws {
    var geodata = "geodata"
    var cellKm = 2.0
    var routesOut: String?
    var i = 0
    while i < arguments.count {
        switch arguments[i] {
        case "--geodata" where i + 1 < arguments.count: geodata = arguments[i + 1]; i += 2
        case "--cell-km" where i + 1 < arguments.count: cellKm = Double(arguments[i + 1]) ?? 2; i += 2
        case "--routes-out" where i + 1 < arguments.count: routesOut = arguments[i + 1]; i += 2
        default: throw CableBenchUsage("usage: wattbit-bench cable [--geodata DIR] [--cell-km KM] [--routes-out FILE]")
        }
    }
    func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    // CPU seconds of this process: on a shared machine wall time includes other work.
    func cpu() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    func emit(_ object: [String: Any]) {
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            print(String(decoding: data, as: UTF8.self))
        }
    }
    var t = now()
    let land = CableGeodata.land(try GeoJSONReader.read(path: "\(geodata)/japan-land.geojson"))
    let zones = CableGeodata.concentrationZones(try GeoJSONReader.read(path: "\(geodata)/zones.geojson"))
    let hazards = try CableGeodata.hazards(try GeoJSONReader.read(path: "\(geodata)/hazards.geojson"))
    let stations = try GeoJSONReader.read(path: "\(geodata)/landing-stations.geojson")
    let international = try GeoJSONReader.read(path: "\(geodata)/international-endpoints.geojson")
    emit(["case": "read geodata", "seconds": now() - t])

    t = now()
    var c = cpu()
    let surface = SeaSurface(land: land, zones: zones, hazards: hazards,
                             options: SeaSurfaceOptions.cableDefaults(cellKm: cellKm))
    emit(["case": "sea surface", "seconds": now() - t, "cpu_seconds": cpu() - c, "cells": surface.grid.cellCount,
          "sea_cells": surface.seaCellCount, "cell_km": cellKm])

    func end(_ name: String) throws -> RouteEnd {
        // "lon,lat": a point in a bay or harbour (the bay and strait cases).
        let parts = name.split(separator: ",").compactMap { Double($0) }
        if parts.count == 2 { return RouteEnd(label: name, candidates: [Landing(name: name, position: Position(parts[0], parts[1]))]) }
        if let l = CableGeodata.find(name, in: stations) { return RouteEnd(label: name, candidates: [l]) }
        if let l = CableGeodata.find(name, in: international) {
            return RouteEnd(label: name, candidates: [Landing(name: name, position: l.position)], isInternational: true)
        }
        throw CableBenchUsage("unknown endpoint \(name)")
    }
    let router = CableRouter(surface: surface)
    // The same land without hazard weights: pure length, what the peers minimise.
    t = now()
    let plainSurface = SeaSurface(land: land, zones: zones, hazards: [], options: SeaSurfaceOptions.cableDefaults(cellKm: cellKm))
    emit(["case": "sea surface without hazards", "seconds": now() - t])
    let plainRouter = CableRouter(surface: plainSurface)
    // (name, from, to, routes, approach km, concentration zones allowed). The bay and strait
    // cases are rows of the fixture table in Tests/EndToEndTests/CableSurfaceTests.swift.
    let cases: [(String, String, String, Int, Double, Bool)] = [
        ("Ishikari-Kitakyushu x1", "Ishikari", "Kitakyushu", 1, 20, false),
        ("Ishikari-Kitakyushu x3", "Ishikari", "Kitakyushu", 3, 60, false),
        ("Naoetsu-NorthAmerica x1", "Naoetsu", "international:north-america", 1, 20, false),
        ("Kagoshima-SoutheastAsia x1", "Kagoshima", "international:southeast-asia", 1, 20, false),
        ("Tomakomai-Kochi x3", "Tomakomai", "Kochi", 3, 60, false),
        ("Tokyo Bay, Yokohama by Uraga x1", "139.68,35.45", "139.8,34.8", 1, 20, true),
        ("Ise Bay, Nagoya by Irago x1", "136.85,35.0", "137.0,34.3", 1, 20, true),
        ("Osaka Bay, Kobe by Kitan x1", "135.2,34.66", "134.95,34.0", 1, 20, false),
        ("Osaka Bay, Kobe by Akashi x1", "135.2,34.66", "134.6,34.6", 1, 5, false),
        ("Naruto strait x1", "134.6,34.35", "134.7,34.1", 1, 5, false),
        ("Hiroshima Bay x1", "132.45,34.3", "132.2,33.5", 1, 20, false),
        ("Busan harbour x1", "129.05,35.1", "130.35,33.7", 1, 5, false),
    ]
    var features: [Feature] = []
    for (name, from, to, k, approachKm, allowZones) in cases {
        let request = RouteRequest.cableDefaults(from: try end(from), to: try end(to), routes: k, approachKm: approachKm,
                                   allowConcentrationZones: allowZones, allowConcentrationLanding: allowZones)
        t = now()
        c = cpu()
        let plan = try router.plan(request)
        let seconds = now() - t
        let cpuSeconds = cpu() - c
        var single = request
        single.routes = 1
        t = now()
        let plain = try plainRouter.plan(single)
        let plainSeconds = now() - t
        emit(["case": name, "seconds": seconds, "cpu_seconds": cpuSeconds, "approach_km": approachKm,
              "length_only_km": ((plain.routes.first?.lengthKm ?? 0) * 10).rounded() / 10,
              "length_only_seconds": plainSeconds, "routes": plan.routes.map { r in
            ["rank": r.rank, "length_km": (r.lengthKm * 10).rounded() / 10, "cost": (r.cost * 10).rounded() / 10,
             "detour_ratio": (r.detourRatio * 1000).rounded() / 1000,
             "min_separation_km": r.achievedSeparationKm.map { ($0 * 10).rounded() / 10 } ?? -1] as [String: Any]
        }, "warnings": plan.warnings.map(\.description),
               "from": [plan.routes.first?.from.position.lon ?? 0, plan.routes.first?.from.position.lat ?? 0],
               "to": [plan.routes.first?.to.position.lon ?? 0, plan.routes.first?.to.position.lat ?? 0]])
        for r in plan.routes {
            features.append(Feature(geometry: .lineString(r.line), properties: [
                "case": .string(name), "rank": .number(Double(r.rank)), "length_km": .number(r.lengthKm)]))
        }
    }
    if let routesOut {
        let bytes = GeoJSONWriter().encode(FeatureCollection(features))
        try Data(bytes).write(to: URL(fileURLWithPath: routesOut))
    }
}

private struct CableBenchUsage: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
