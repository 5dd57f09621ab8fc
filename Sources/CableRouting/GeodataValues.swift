import Foundation
import GeoCore

/// Turns WattBit's geodata feature collections into engine values (pure: the caller
/// reads the files). Property names follow geodata/README.md.
public enum CableGeodata {
    /// Land geometries (Polygon / MultiPolygon features; others ignored).
    public static func land(_ collection: FeatureCollection) -> [Geometry] {
        collection.features.compactMap { f in
            switch f.geometry {
            case .polygon?, .multiPolygon?: f.geometry
            default: nil
            }
        }
    }

    /// Landing-concentration zones (`kind: landing-concentration`), named by `zone`
    /// ("boso", "shima"), else `name_en`, else `name`.
    public static func concentrationZones(_ collection: FeatureCollection) -> [ConcentrationZone] {
        collection.features.compactMap { f in
            guard let g = f.geometry, f[property: "kind"]?.stringValue == "landing-concentration" else { return nil }
            let name = f[property: "zone"]?.stringValue ?? f[property: "name_en"]?.stringValue
                ?? f[property: "name"]?.stringValue ?? "concentration zone"
            return ConcentrationZone(name: name, geometry: g)
        }
    }

    /// Soft hazards: `weight` (required), `corridor_km` (lines), `kind`, `name_en`/`name`.
    /// Throws with the feature index when a weight is missing or not a finite number ≥ 0.
    public static func hazards(_ collection: FeatureCollection) throws -> [HazardZone] {
        try collection.features.enumerated().compactMap { index, f in
            guard let g = f.geometry else { return nil }
            guard let weight = f[property: "weight"]?.doubleValue, weight.isFinite, weight >= 0, weight <= 1000 else {
                throw CableRoutingError.invalidRequest("hazards: features[\(index)].properties.weight must be a number from 0 to 1000")
            }
            // Present means used: a corridor that is not a number is an error, not "no corridor".
            var corridor = 0.0
            if let value = f[property: "corridor_km"], !value.isNull {
                guard let number = value.doubleValue, number.isFinite, number >= 0, number <= 500 else {
                    throw CableRoutingError.invalidRequest("hazards: features[\(index)].properties.corridor_km \(String(decoding: JSONText.encode(value), as: UTF8.self)) must be a number from 0 to 500")
                }
                corridor = number
            }
            let name = f[property: "name_en"]?.stringValue ?? f[property: "name"]?.stringValue ?? "hazard \(index)"
            let kind = f[property: "kind"]?.stringValue ?? "hazard"
            return HazardZone(name: name, kind: kind, weight: weight, corridorKm: corridor, geometry: g)
        }
    }

    /// Point features as landings, named by `name_en`, `name`, or `label #k`. Output of
    /// other planners is understood: from `wattbit hubs` only the hub centres
    /// (`role: hub`) count, from `wattbit cable` only `role: landing` points.
    public static func landings(_ collection: FeatureCollection, label: String) -> [Landing] {
        var result: [Landing] = []
        let roles = Set(collection.features.compactMap(\.role))
        let wanted: String? = roles.contains("hub") ? "hub" : (roles.contains("landing") ? "landing" : nil)
        for (index, f) in collection.features.enumerated() {
            if let wanted, f.role != wanted { continue }
            let name = f[property: "name_en"]?.stringValue ?? f[property: "name"]?.stringValue ?? "\(label) #\(index + 1)"
            switch f.geometry {
            case .point(let p)?: result.append(Landing(name: name, position: p))
            case .multiPoint(let ps)?:
                for (k, p) in ps.enumerated() { result.append(Landing(name: ps.count > 1 ? "\(name) \(k + 1)" : name, position: p)) }
            default: continue
            }
        }
        return result
    }

    /// Finds a named point in a collection by `name_en` or `name` (case-insensitive), also
    /// accepting `destination` for international endpoints ("north-america").
    public static func find(_ name: String, in collection: FeatureCollection) -> Landing? {
        let key = name.lowercased()
        for f in collection.features {
            guard case .point(let p)? = f.geometry else { continue }
            let names = ["name_en", "name", "destination"].compactMap { f[property: $0]?.stringValue }
            if names.contains(where: { $0.lowercased() == key || "international:" + $0.lowercased() == key }) {
                return Landing(name: f[property: "name_en"]?.stringValue ?? names[0], position: p)
            }
        }
        return nil
    }

    /// All names in a collection, for "did you mean" messages.
    public static func names(in collection: FeatureCollection) -> [String] {
        collection.features.compactMap { $0[property: "name_en"]?.stringValue ?? $0[property: "name"]?.stringValue }
    }
}
