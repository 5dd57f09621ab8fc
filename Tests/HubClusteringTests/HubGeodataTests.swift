import Foundation
import GeoCore
import Testing
@testable import HubClustering

/// The embedded DC sites and power plants say where they are; these tests hold them to it.
@Suite("Embedded DC sites and power plants")
struct HubGeodataTests {
    static let geodata: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("geodata")
    }()

    static func read(_ name: String) throws -> [Feature] {
        try GeoJSONReader.read(path: geodata.appendingPathComponent(name).path).features
    }

    struct Area {
        var polygons: [[[Position]]]
        var box: BoundingBox
        func contains(_ p: Position) -> Bool { box.contains(p) && Planar.contains(polygons: polygons, p) }
    }

    static func area(_ geometry: Geometry?) -> Area? {
        guard let geometry, let box = geometry.boundingBox else { return nil }
        switch geometry {
        case .polygon(let rings): return Area(polygons: [rings], box: box)
        case .multiPolygon(let polygons): return Area(polygons: polygons, box: box)
        default: return nil
        }
    }

    static let prefectures: [String: Area] = {
        var result: [String: Area] = [:]
        for f in (try? read("prefectures.geojson")) ?? [] {
            if let code = f[property: "code"]?.stringValue, let a = area(f.geometry) { result[code] = a }
        }
        return result
    }()

    static let japanLand: [Area] = ((try? read("japan-land.geojson")) ?? [])
        .filter { $0[property: "country"]?.stringValue == "JP" }
        .compactMap { area($0.geometry) }

    struct Layer: Sendable, CustomTestStringConvertible {
        var file: String
        var minimumCount: Int
        var required: [String]
        var testDescription: String { file }
    }

    static let layers = [
        Layer(file: "dc-sites.geojson", minimumCount: 80,
              required: ["name", "name_en", "operator", "prefecture_code", "prefecture", "status", "capacity_mw",
                         "capacity_estimate", "source", "accuracy"]),
        Layer(file: "power-plants.geojson", minimumCount: 80,
              required: ["name", "name_en", "prefecture_code", "prefecture", "fuel", "capacity_mw", "decarbonised",
                         "source", "accuracy"]),
    ]

    @Test("every point lies on Japanese land in the prefecture it claims", arguments: layers)
    func onLandInPrefecture(_ layer: Layer) throws {
        #expect(Self.prefectures.count == 47, "prefectures.geojson holds the 47 prefectures")
        #expect(!Self.japanLand.isEmpty)
        let features = try Self.read(layer.file)
        #expect(features.count >= layer.minimumCount)
        for (i, f) in features.enumerated() {
            let name = f[property: "name_en"]?.stringValue ?? "features[\(i)]"
            guard case .point(let p)? = f.geometry else { Issue.record("\(layer.file) \(name): not a Point"); continue }
            for key in layer.required {
                let v = f[property: key]
                #expect(v != nil && v != .null, "\(layer.file) \(name): missing \(key)")
            }
            let mw = f[property: "capacity_mw"]?.doubleValue ?? -1
            #expect(mw >= 0, "\(layer.file) \(name): capacity_mw \(mw)")
            guard let code = f[property: "prefecture_code"]?.stringValue, let pref = Self.prefectures[code] else {
                Issue.record("\(layer.file) \(name): unknown prefecture"); continue
            }
            #expect(pref.contains(p), "\(layer.file) \(name) at \(p.lon),\(p.lat) is not in prefecture \(code)")
            #expect(Self.japanLand.contains { $0.contains(p) }, "\(layer.file) \(name) at \(p.lon),\(p.lat) is not on land")
        }
    }

    @Test("DC sites cover every region with all three statuses")
    func dcCoverage() throws {
        let features = try Self.read("dc-sites.geojson")
        let regions: [(String, ClosedRange<Int>)] = [
            ("Hokkaido", 1...1), ("Tohoku", 2...7), ("Kanto", 8...14), ("Chubu", 15...23), ("Kansai", 24...30),
            ("Chugoku", 31...35), ("Shikoku", 36...39), ("Kyushu", 40...46), ("Okinawa", 47...47),
        ]
        let codes = features.compactMap { $0[property: "prefecture_code"]?.stringValue.flatMap { Int($0) } }
        for (region, range) in regions {
            #expect(codes.contains { range.contains($0) }, "no DC site in \(region)")
        }
        let statuses = Set(features.compactMap { $0[property: "status"]?.stringValue })
        #expect(statuses == ["existing", "announced", "candidate"])
    }

    @Test("every nuclear station is there, and decarbonised follows the fuel")
    func powerPlants() throws {
        let features = try Self.read("power-plants.geojson")
        let names = Set(features.compactMap { $0[property: "name_en"]?.stringValue })
        for station in ["Tomari", "Ohma", "Higashidori", "Onagawa", "Fukushima Daiichi", "Fukushima Daini", "Tokai",
                        "Kashiwazaki-Kariwa", "Shika", "Tsuruga", "Mihama", "Ohi", "Takahama", "Hamaoka", "Shimane",
                        "Ikata", "Genkai", "Sendai Nuclear"] {
            #expect(names.contains { $0.contains(station) }, "missing nuclear station \(station)")
        }
        for f in features {
            let fuel = f[property: "fuel"]?.stringValue ?? ""
            let clean = !["coal", "lng", "oil"].contains(fuel)
            #expect(f[property: "decarbonised"]?.boolValue == clean, "\(f[property: "name_en"]?.stringValue ?? "?")")
        }
    }
}
