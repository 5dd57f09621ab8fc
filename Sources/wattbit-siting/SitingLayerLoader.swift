import Foundation
import FiberCoverage
import GeoCore
import PlannerKit
import Siting

/// Loads the embedded geodata and the user's layers into the engine's value types.
enum SitingLayerLoader {
    /// An embedded geodata file (PlannerKit's one lookup: $WATTBIT_GEODATA, then beside the
    /// executable, then the install's share directory).
    static func embedded(_ name: String) throws -> [Feature] {
        try EmbeddedGeodata.features(name).features
    }

    nonisolated(unsafe) static var prefectureNames: [String: String] = [:]
    /// How an input is named in an error: its path, or `--NAME <stdin>` for `-`.
    static func label(_ inputs: PlannerInputs, _ name: String) -> String {
        let flag = "--" + String(name.map { $0 == "_" ? "-" : $0 })
        guard let path = inputs.path(name) else { return flag }
        return path == "-" ? "\(flag) <stdin>" : path
    }

    static func prefectureName(_ code: String) -> String {
        if prefectureNames.isEmpty, let features = try? embedded("prefectures.geojson") {
            for f in features {
                if let c = f[property: "code"]?.stringValue { prefectureNames[c] = f[property: "name"]?.stringValue ?? "" }
            }
        }
        return prefectureNames[code] ?? ""
    }

    static func point(_ f: Feature) -> Position? {
        if case .point(let p)? = f.geometry { return p }
        return nil
    }

    static func polygon(_ f: Feature, value: Double = 1, name: String = "") -> ValuedPolygon? {
        guard let g = f.geometry, let rings = ScanlineFill.rings(of: g) else { return nil }
        return ValuedPolygon(rings: rings, value: value, name: name)
    }

    /// A Point itself; a polygon's vertex mean of its largest outer ring, moved to the ring's
    /// area centroid (shoelace) — the place a candidate polygon is measured from.
    static func representativePoint(_ g: Geometry) -> Position? {
        switch g {
        case .point(let p): return p
        case .polygon(let rings): return rings.first.flatMap(centroid)
        case .multiPolygon(let parts):
            return parts.compactMap { $0.first }.max { abs(signedArea($0)) < abs(signedArea($1)) }.flatMap(centroid)
        default: return nil
        }
    }

    static func signedArea(_ ring: [Position]) -> Double {
        var a = 0.0
        for i in ring.indices { let p = ring[i], q = ring[(i + 1) % ring.count]; a += p.lon * q.lat - q.lon * p.lat }
        return a / 2
    }

    static func centroid(_ ring: [Position]) -> Position? {
        let a = signedArea(ring)
        guard ring.count >= 3, a != 0 else { return ring.first }
        var x = 0.0, y = 0.0
        for i in ring.indices {
            let p = ring[i], q = ring[(i + 1) % ring.count]
            let cross = p.lon * q.lat - q.lon * p.lat
            x += (p.lon + q.lon) * cross; y += (p.lat + q.lat) * cross
        }
        return Position(x / (6 * a), y / (6 * a))
    }

    static func load(_ inputs: PlannerInputs, _ parameters: PlannerParameters, options: inout SitingOptions,
                     progress: ProgressReporter) throws -> SitingLayers {
        let prefectures = try embedded("prefectures.geojson").compactMap { f -> ValuedPolygon? in
            guard let code = f[property: "code"]?.stringValue else { return nil }
            return polygon(f, name: code)
        }
        let plants = try embedded("power-plants.geojson").compactMap { f -> (position: Position, capacityMW: Double, decarbonised: Bool)? in
            guard let p = point(f) else { return nil }
            return (p, f[property: "capacity_mw"]?.doubleValue ?? 0, f[property: "decarbonised"]?.boolValue ?? false)
        }
        let substations = try embedded("substations.geojson").compactMap(point)
        let landings = try embedded("landing-stations.geojson").filter { $0[property: "zone"]?.stringValue == "other" }.compactMap(point)
        let ixs = try embedded("ix.geojson").compactMap(point)
        var hazardLines: [[Position]] = [], hazardRegions: [ValuedPolygon] = []
        for f in try embedded("hazards.geojson") {
            switch f.geometry {
            case .lineString(let line)?: hazardLines.append(line)
            case .multiLineString(let lines)?: hazardLines += lines
            case .polygon?, .multiPolygon?: if let p = polygon(f) { hazardRegions.append(p) }
            default: break
            }
        }
        let metro = try embedded("zones.geojson").filter { $0[property: "kind"]?.stringValue == "metro-area" }.compactMap { polygon($0) }
        var layers = SitingLayers(prefectures: prefectures, plants: plants, substations: substations, landings: landings,
                                  ixs: ixs, hazardLines: hazardLines, hazardRegions: hazardRegions, metro: metro)

        if inputs.isProvided("grid_capacity") {
            let label = label(inputs, "grid_capacity")
            for (i, f) in (try inputs.features("grid_capacity")?.features ?? []).enumerated() {
                guard let mw = f[property: "available_mw"]?.doubleValue, mw.isFinite, mw >= 0 else {
                    throw PlannerError.data("\(label): features[\(i)].properties.available_mw is not a number ≥ 0")
                }
                if let p = point(f) { layers.gridPoints.append(WeightedPoint(p, mw)) }
                else if let poly = polygon(f, value: mw) { layers.gridPolygons.append(poly) }
            }
        }
        if inputs.isProvided("exclude") {
            layers.exclusions = try (inputs.features("exclude")?.features ?? []).compactMap { polygon($0) }
        }
        if let spec = parameters[SitingParameter.factor] {
            guard let colon = spec.lastIndex(of: ":"), colon != spec.startIndex, spec.index(after: colon) != spec.endIndex else {
                throw PlannerError.usage("--factor '\(spec)': expected FILE:PROPERTY")
            }
            let path = String(spec[..<colon]), key = String(spec[spec.index(after: colon)...])
            let features: [Feature]
            do { features = try GeoJSONReader.read(path: path).features } catch let e as GeoJSONError {
                throw PlannerMain.exitError(e)
            }
            var lo = Double.infinity, hi = -Double.infinity
            for (i, f) in features.enumerated() {
                guard let v = f[property: key]?.doubleValue, v.isFinite else {
                    throw PlannerError.data("--factor \(path): features[\(i)].properties.\(key) is not a number")
                }
                lo = min(lo, v); hi = max(hi, v)
                if let p = point(f) { layers.factorPoints.append(WeightedPoint(p, v)) }
                else if let poly = polygon(f, value: v) { layers.factorPolygons.append(poly) }
            }
            if !parameters.isSet(SitingParameter.thresholds) || !(parameters[SitingParameter.thresholds] ?? "").contains("factor=") {
                if lo < hi { options.functions[.factor] = .linear(best: hi, worst: lo) }
            }
        }
        if let path = inputs.path("population") {
            // e-Stat's converted tables as wattbit gaps reads them by default.
            var parser = MeshCSVParser(populationColumn: "population", householdsColumn: "households")
            var points: [WeightedPoint] = []
            let bytes = try inputs.bytes("population") ?? []
            do {
                try parser.feed(bytes) { r in
                    let c = r.cell
                    points.append(WeightedPoint(Position((c.west + c.east) / 2, (c.south + c.north) / 2), r.population))
                }
                try parser.finish { r in
                    let c = r.cell
                    points.append(WeightedPoint(Position((c.west + c.east) / 2, (c.south + c.north) / 2), r.population))
                }
            } catch let e as MeshCSVError {
                // siting has no column option: the column must be called population.
                let message = e.message(naming: { _ in "a column named population" })
                throw PlannerError.data("--population \(path == "-" ? "<stdin>" : path):\(e.line): \(message)")
            }
            layers.population = points
        }
        return layers
    }
}
