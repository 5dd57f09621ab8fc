import Foundation
import Testing
@testable import GeoCore

/// Table-driven GeoJSON fixtures:
/// - `Fixtures/rfc7946/in/*.geojson`: the examples of RFC 7946 as printed there; reading one
///   and writing it must give `Fixtures/rfc7946/out/` byte for byte, and the output must be a
///   fixed point (read → write gives the same bytes again).
/// - `Fixtures/bad/NAME.geojson` (or `.geojsons` for sequences) with `NAME.expected`: the one
///   error line a user sees.
/// Set WATTBIT_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change, then
/// review the diff.
@Suite struct GeoJSONFixtureTests {
    static let fixtures: URL = {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    }()
    static let sourceFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let updateGolden = ProcessInfo.processInfo.environment["WATTBIT_UPDATE_GOLDEN"] == "1"

    func files(in directory: String, extensions: Set<String>) throws -> [URL] {
        let url = Self.fixtures.appendingPathComponent(directory)
        return try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
            .filter { extensions.contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Writes what was read in the form it came in: collection, feature or geometry.
    func rewrite(_ bytes: [UInt8], source: String) throws -> [UInt8] {
        let collection = try GeoJSONReader.read(bytes: bytes, source: source)
        let top = try JSONText.parse(bytes, source: source).objectValue?["type"]?.stringValue
        let writer = GeoJSONWriter()
        switch top {
        case "FeatureCollection": return writer.encode(collection)
        case "Feature": return writer.encode(feature: collection.features[0])
        default:
            #expect(collection.features.count == 1, "\(source)")
            #expect(collection.features[0].properties == nil, "a bare geometry reads as a feature with null properties")
            return writer.encode(geometry: try #require(collection.features[0].geometry))
        }
    }

    @Test func rfC7946ExamplesRoundTripByteIdentically() throws {
        let inputs = try files(in: "rfc7946/in", extensions: ["geojson"])
        #expect(inputs.count >= 12)
        for input in inputs {
            let name = input.lastPathComponent
            let written = try rewrite(Array(try Data(contentsOf: input)), source: name)
            let goldenPath = "rfc7946/out/" + name
            if Self.updateGolden {
                try Data(written).write(to: Self.sourceFixtures.appendingPathComponent(goldenPath))
                continue
            }
            let golden = Array(try Data(contentsOf: Self.fixtures.appendingPathComponent(goldenPath)))
            #expect(String(decoding: written, as: UTF8.self) == String(decoding: golden, as: UTF8.self), "\(name)")
            // write → read → write is a fixed point.
            #expect(try rewrite(written, source: name) == written, "\(name)")
        }
    }

    /// RS-delimited (pretty records) and newline-delimited sequences are written as RFC 8142
    /// sequences, byte-identical to the goldens and a fixed point of read → write.
    @Test func sequencesRoundTripByteIdentically() throws {
        let inputs = try files(in: "rfc8142/in", extensions: ["geojsons"])
        #expect(inputs.count == 2)
        let writer = GeoJSONWriter(format: .sequence)
        for input in inputs {
            let name = input.lastPathComponent
            let collection = try GeoJSONReader.read(path: input.path)
            let written = writer.encode(collection)
            let goldenPath = "rfc8142/out/" + name
            if Self.updateGolden {
                try Data(written).write(to: Self.sourceFixtures.appendingPathComponent(goldenPath))
                continue
            }
            let golden = Array(try Data(contentsOf: Self.fixtures.appendingPathComponent(goldenPath)))
            #expect(String(decoding: written, as: UTF8.self) == String(decoding: golden, as: UTF8.self), "\(name)")
            #expect(writer.encode(try GeoJSONReader.read(bytes: written, source: name)) == written, "\(name)")
            #expect((written.filter { $0 == 0x1E }.count) == collection.features.count, "one RS per record")
        }
        let stations = try GeoJSONReader.read(path: Self.fixtures.appendingPathComponent("rfc8142/in/landing-stations.geojsons").path)
        #expect((stations.features.map { $0[property: "zone"]?.stringValue }) == ["boso", "shima", "other"])
        #expect(stations.features[1][property: "cables"] == ["JUPITER", "SJC2"])
    }

    @Test func rfC7946ExamplesReadAsTheRFCDescribes() throws {
        func read(_ name: String) throws -> FeatureCollection {
            let url = Self.fixtures.appendingPathComponent("rfc7946/in/" + name)
            return try GeoJSONReader.read(path: url.path)
        }
        guard case .polygon(let rings) = try read("A3-polygon-with-hole.geojson").features[0].geometry else {
            Issue.record("A.3 is a Polygon"); return
        }
        #expect(rings.count == 2, "exterior ring and one hole")
        #expect(rings[1][0] == Position(100.8, 0.8))
        guard case .multiPolygon(let polygons) = try read("A6-multipolygon.geojson").features[0].geometry else {
            Issue.record("A.6 is a MultiPolygon"); return
        }
        #expect(polygons.map(\.count) == [1, 2])
        guard case .geometryCollection(let members) = try read("A7-geometrycollection.geojson").features[0].geometry else {
            Issue.record("A.7 is a GeometryCollection"); return
        }
        #expect(members.map(\.typeName) == ["Point", "LineString"])
        let example = try read("1.5-featurecollection.geojson")
        #expect(example.features.count == 3)
        #expect(example.features[1][property: "prop1"] == .number(0))
        #expect(example.features[2][property: "prop1"] == .object(["this": "that"]))
        let bboxed = try read("5-bbox-featurecollection.geojson")
        #expect(bboxed.bbox == [100, 0, 105, 1])
        #expect(bboxed.features[0].bbox == [-10, -10, 10, 10])
        let foreign = try read("6.1-foreign-members.geojson").features[0]
        #expect(foreign.id == .string("f1"))
        #expect(foreign.foreignMembers["title"] == .string("Example Feature"))
    }

    @Test func badInputsFailWithTheExpectedErrorLine() throws {
        let inputs = try files(in: "bad", extensions: ["geojson", "geojsons", "json"])
        #expect(inputs.count >= 30)
        for input in inputs {
            let name = input.lastPathComponent
            let expectedURL = input.deletingPathExtension().appendingPathExtension("expected")
            var actual = "no error"
            var kind: GeoJSONError.Kind?
            do {
                _ = try GeoJSONReader.read(bytes: Array(try Data(contentsOf: input)), source: name)
            } catch let error as GeoJSONError {
                actual = error.description
                kind = error.kind
            }
            if Self.updateGolden {
                try Data((actual + "\n").utf8).write(
                    to: Self.sourceFixtures.appendingPathComponent("bad/" + expectedURL.lastPathComponent))
                continue
            }
            let expected = try String(contentsOf: expectedURL, encoding: .utf8)
                .trimmingCharacters(in: .newlines)
            #expect(actual == expected, "\(name)")
            #expect(kind != nil, "\(name) must be rejected")
            // The same error when the file is streamed in small chunks.
            var streamed = "no error"
            do {
                try GeoJSONStreamParser(input: try GeoJSONInput(path: input.path, chunkSize: 5)).run { _, _ in }
                    .ignore()
            } catch let error as GeoJSONError {
                streamed = error.description.replacingOccurrences(of: input.path, with: name)
            }
            #expect(streamed == expected, "\(name), streamed in 5-byte chunks")
        }
    }
}

private extension GeoJSONHeader {
    func ignore() {}
}
