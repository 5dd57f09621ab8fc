import Foundation
import Testing
@testable import GeoCore

/// The IX and substation layers used by `wattbit siting` say where they are; GEOS holds
/// them to it: every point lies on Japanese land, inside the prefecture its properties
/// claim (geodata/prefectures.geojson, prepared GEOS geometries as the oracle).
@Suite("Embedded IX sites and substations")
struct SitingGeodataTests {
    struct Layer: Sendable, CustomTestStringConvertible {
        var file: String
        var minimumCount: Int
        var required: [String]
        var testDescription: String { file }
    }

    static let layers = [
        Layer(file: "ix.geojson", minimumCount: 12,
              required: ["id", "name", "name_en", "ix", "operator", "city", "prefecture_code", "prefecture",
                         "source", "accuracy"]),
        Layer(file: "substations.geojson", minimumCount: 40,
              required: ["id", "name", "name_en", "utility", "voltage_kv", "kind", "prefecture_code", "prefecture",
                         "source", "accuracy"]),
    ]

    static func read(_ file: String) throws -> [Feature] {
        try GeoJSONReader.read(path: RepositoryGeodata.directory.appendingPathComponent(file).path).features
    }

    @Test("every point lies on land in the prefecture it claims", arguments: layers)
    func onLandInPrefecture(_ layer: Layer) throws {
        let context = GEOSContext()
        var prefectures: [String: PreparedGeometry] = [:]
        for f in try Self.read("prefectures.geojson") {
            if let code = f[property: "code"]?.stringValue, let g = f.geometry {
                prefectures[code] = try PreparedGeometry(g, context: context)
            }
        }
        #expect(prefectures.count == 47)
        let features = try Self.read(layer.file)
        #expect(features.count >= layer.minimumCount)
        var ids = Set<String>()
        for (i, f) in features.enumerated() {
            let name = f[property: "name_en"]?.stringValue ?? "features[\(i)]"
            for key in layer.required {
                let v = f[property: key]
                #expect(v != nil && v != .null, "\(layer.file) \(name): missing \(key)")
            }
            if let id = f[property: "id"]?.stringValue { #expect(ids.insert(id).inserted, "duplicate id \(id)") }
            guard case .point(let p)? = f.geometry else { Issue.record("\(layer.file) \(name): not a Point"); continue }
            guard let code = f[property: "prefecture_code"]?.stringValue, let pref = prefectures[code] else {
                Issue.record("\(layer.file) \(name): unknown prefecture"); continue
            }
            // Prefectures are Japan's land (GeodataTests proves they tile japan-land's JP parts),
            // so containment in the claimed prefecture is "on land there".
            #expect(try pref.contains(p), "\(layer.file) \(name) at \(p.lon),\(p.lat) is not on land in \(code)")
            let others = try prefectures.filter { $0.key != code }.filter { try $0.value.contains(p) }
            #expect(others.isEmpty, "\(layer.file) \(name) also inside \(others.keys.sorted())")
        }
    }

    @Test("the national IXs are there in both metros, and the regional ones outside them")
    func ixCoverage() throws {
        let features = try Self.read("ix.geojson")
        func has(_ ix: String, in code: String) -> Bool {
            features.contains { $0[property: "ix"]?.stringValue == ix && $0[property: "prefecture_code"]?.stringValue == code }
        }
        for ix in ["JPIX", "JPNAP", "BBIX", "Equinix IX"] {
            #expect(has(ix, in: "13"), "\(ix) Tokyo")
            #expect(has(ix, in: "27"), "\(ix) Osaka")
        }
        let outside = features.filter { !["11", "12", "13", "14", "26", "27", "28"].contains($0[property: "prefecture_code"]?.stringValue ?? "") }
        #expect(outside.count >= 4)
    }

    @Test("substations are 500 or 275 kV, in every mainland grid area")
    func substationVoltages() throws {
        let features = try Self.read("substations.geojson")
        for f in features {
            let kv = f[property: "voltage_kv"]?.doubleValue ?? 0
            #expect(kv == 500 || kv == 275, "\(f[property: "id"]?.stringValue ?? "?"): \(kv) kV")
        }
        let utilities = Set(features.compactMap { $0[property: "utility"]?.stringValue?.split(separator: " ").first.map(String.init) })
        for u in ["Hokkaido", "Tohoku", "TEPCO", "Chubu", "Hokuriku", "Kansai", "Chugoku", "Shikoku", "Kyushu"] {
            #expect(utilities.contains(u), "no substation of \(u)")
        }
    }
}
