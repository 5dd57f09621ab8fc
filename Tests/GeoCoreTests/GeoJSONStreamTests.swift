import Foundation
import Testing
@testable import GeoCore

/// Streaming: RFC 8142 sequences, newline-delimited features, FeatureCollections read in
/// chunks of any size with bounded memory, and robustness against mutated input.
@Suite final class GeoJSONStreamTests {
    /// Directories made by `temporaryFile`, removed when the test's suite instance ends.
    private var temporaryDirectories: [URL] = []
    deinit {
        for directory in temporaryDirectories { try? FileManager.default.removeItem(at: directory) }
    }

    func temporaryFile(_ bytes: [UInt8], name: String = "input.geojson") throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("wattbit-geojson-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        temporaryDirectories.append(directory)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Mesh-like features with Japanese names, awkward numbers and `null` values placed so
    /// that chunk boundaries fall inside every kind of token.
    func sampleFeatures(_ count: Int) -> [Feature] {
        (0..<count).map { i in
            // Whole units of 1e-7 degree, so the 7-decimal writer reproduces them exactly.
            let lonUnits = 1_390_000_000 + (i % 40) * 125_000
            let latUnits = 350_000_000 + (i / 40) * 83_333
            func position(_ x: Int, _ y: Int) -> Position { Position(Double(x) / 1e7, Double(y) / 1e7) }
            let ring = [position(lonUnits, latUnits), position(lonUnits + 125_000, latUnits),
                        position(lonUnits + 125_000, latUnits + 83_333), position(lonUnits, latUnits + 83_333),
                        position(lonUnits, latUnits)]
            return Feature(id: i % 3 == 0 ? .number(Double(i)) : .string("mesh-\(i)"),
                           geometry: i % 5 == 4 ? nil : .polygon([ring]),
                           properties: ["name": .string("千代田区\(i)"), "population": .number(Double(i * 37)),
                                        "share": .number(Double(i) / 7), "note": i % 2 == 0 ? .null : .string("a \"quoted\"\nline"),
                                        "fiber": .bool(i % 3 == 0)])
        }
    }

    @Test func sequencesAndCollectionsReadTheSameFeaturesInAnyChunkSize() throws {
        let features = sampleFeatures(60)
        let collection = GeoJSONWriter().encode(FeatureCollection(features))
        let sequence = GeoJSONWriter(format: .sequence).encode(FeatureCollection(features))
        // Newline-delimited (no RS), as `jq -c` writes.
        let newlineDelimited = features.flatMap { GeoJSONWriter().encode(feature: $0) }
        for (label, bytes) in [("collection", collection), ("RS sequence", sequence), ("newline-delimited", newlineDelimited)] {
            let path = try temporaryFile(bytes)
            for chunkSize in [1, 3, 64, 1000, 1 << 20] {
                var streamed: [Feature] = []
                var indices: [Int] = []
                let input = try GeoJSONInput(path: path, chunkSize: chunkSize)
                _ = try GeoJSONStreamParser(input: input).run { index, feature in
                    indices.append(index)
                    streamed.append(feature)
                }
                #expect(streamed == features, "\(label), chunk \(chunkSize)")
                #expect(indices == Array(0..<features.count), "\(label): indices are 0-based and in order")
            }
            #expect(try GeoJSONReader.read(path: path).features == features, "\(label)")
        }
    }

    @Test func streamingKeepsMemoryBoundedByTheLargestFeature() throws {
        let features = sampleFeatures(4000)
        let bytes = GeoJSONWriter().encode(FeatureCollection(features))
        #expect(bytes.count > 1_000_000)
        let path = try temporaryFile(bytes)
        let input = try GeoJSONInput(path: path, chunkSize: 16 * 1024)
        var count = 0
        _ = try GeoJSONStreamParser(input: input).run { _, _ in count += 1 }
        #expect(count == 4000)
        // A chunk plus at most a feature's worth of carry-over: far below the file size.
        #expect(input.peakBufferCount < (2 * 16 * 1024 + 1024), "file is \(bytes.count) bytes")
    }

    @Test func aFeatureLargerThanTheChunkIsReadInLinearTime() throws {
        // One 200k-position LineString read in 4 KB chunks: each retry reads at least as much
        // again, so the total work stays linear instead of quadratic.
        let line: [Position] = (0..<200_000).map { (k: Int) -> Position in
            let lonUnits: Int = 1_300_000_000 + k * 100
            let latUnits: Int = 330_000_000 + (k % 100) * 1000
            return Position(Double(lonUnits) / 1e7, Double(latUnits) / 1e7)
        }
        let bytes = GeoJSONWriter(format: .sequence).encode(feature: Feature(geometry: .lineString(line)))
        let path = try temporaryFile(bytes)
        let input = try GeoJSONInput(path: path, chunkSize: 4096)
        var read: [Feature] = []
        _ = try GeoJSONStreamParser(input: input).run { _, feature in read.append(feature) }
        #expect(read.first?.geometry == .lineString(line))
        #expect(input.peakBufferCount < (4 * bytes.count))
    }

    @Test func sequenceWithCollectionRecordsAndBlankLines() throws {
        let text = "\u{1E}{\"type\":\"Point\",\"coordinates\":[139.7,35.6]}\n\n\u{1E}\n"
            + "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"a\":1}}]}\n"
        let read = try GeoJSONReader.read(bytes: Array(text.utf8), source: "mixed")
        #expect(read.features.count == 2)
        #expect(read.features[0].geometry == .point(Position(139.7, 35.6)))
        #expect(read.features[0].properties == nil)
        #expect(read.features[1][property: "a"] == 1)
    }

    @Test func manyMembersStayLinearAndDuplicatesAreStillFound() throws {
        // 30,000 foreign members and 30,000 properties: duplicate checks switch to hashing,
        // so this reads in linear time and still catches the repeated name at the end.
        let names = (0..<30_000).map { "m\($0)" }
        let foreign = names.map { "\"\($0)\":1" }.joined(separator: ",")
        let properties = "{" + foreign + "}"
        let good = "{\"type\":\"Feature\",\"geometry\":null,\"properties\":\(properties),\(foreign)}"
        let feature = try GeoJSONReader.read(bytes: Array(good.utf8), source: "wide").features[0]
        #expect(feature.foreignMembers.count == 30_000)
        #expect(feature.properties?.count == 30_000)
        for bad in ["{\"type\":\"Feature\",\"geometry\":null,\(foreign),\"m17\":2}",
                    "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\(foreign),\"m17\":2}}"] {
            if let error = #expect(throws: (any Error).self, performing: { try GeoJSONReader.read(bytes: Array(bad.utf8), source: "wide") }) {
                #expect((error as? GeoJSONError)?.message == "duplicate member \"m17\"")
            }
        }
    }

    @Test func errorsFromTheCallerPassThroughUnchanged() throws {
        struct Stop: Error {}
        let path = try temporaryFile(GeoJSONWriter().encode(FeatureCollection(sampleFeatures(10))))
        var seen = 0
        if let error = #expect(throws: (any Error).self, performing: { try GeoJSONReader.forEachFeature(path: path) { index, _ in
            seen = index
            if index == 3 { throw Stop() }
        } }) { #expect(error is Stop) }
        #expect(seen == 3)
    }

    @Test func missingAndUnreadableFilesAreNamed() throws {
        if let error = #expect(throws: (any Error).self, performing: { try GeoJSONReader.read(path: "/nonexistent/routes.geojson") }) {
            let error = error as? GeoJSONError
            #expect(error?.kind == .fileNotFound)
            #expect(error?.exitCode == 66)
            #expect(error?.description == "/nonexistent/routes.geojson: cannot open: No such file or directory")
        }
        if let error = #expect(throws: (any Error).self, performing: { try GeoJSONReader.read(path: FileManager.default.temporaryDirectory.path) }) {
            #expect((error as? GeoJSONError)?.kind == .unreadable)
        }
    }

    @Test func errorLinesAndColumnsAreTheSameInAnyChunkSize() throws {
        let features = sampleFeatures(60)
        let text = String(decoding: GeoJSONWriter().encode(FeatureCollection(features)), as: UTF8.self)
        // Break feature 57: swap its first position into lat,lon order.
        let broken = text.replacingOccurrences(of: "[[[139.2125,35.0083333]", with: "[[[35.0083333,139.2125]")
        #expect(text.contains("[[[139.2125,35.0083333]"))
        #expect(broken != text)
        let path = try temporaryFile(Array(broken.utf8), name: "mesh.geojson")
        var messages = Set<String>()
        for chunkSize in [1, 7, 100, 1 << 20] {
            do {
                _ = try GeoJSONStreamParser(input: try GeoJSONInput(path: path, chunkSize: chunkSize)).run { _, _ in }
                Issue.record("must be rejected")
            } catch let error as GeoJSONError {
                messages.insert(error.description)
                #expect(error.line == 59, "line of feature 57 (after the header line)")
                #expect(error.jsonPath == "features[57].geometry.coordinates[0][0]")
                #expect(error.message.contains("looks like lat,lon"), "\(error.message)")
            }
        }
        #expect(messages.count == 1, "\(messages)")
    }

    /// Truncations at every offset and deterministic random mutations of real documents
    /// must each either read or fail with a GeoJSONError pointing inside the input — never
    /// crash, hang or throw anything else.
    @Test func mutatedInputNeverCrashes() throws {
        let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        var seeds: [[UInt8]] = [GeoJSONWriter().encode(FeatureCollection(sampleFeatures(3))),
                                GeoJSONWriter(format: .sequence).encode(FeatureCollection(sampleFeatures(2)))]
        for name in ["1.5-featurecollection.geojson", "A6-multipolygon.geojson", "A7-geometrycollection.geojson"] {
            seeds.append(Array(try Data(contentsOf: fixtures.appendingPathComponent("rfc7946/in/" + name))))
        }
        var generator = SplitMix64(seed: 7946)
        let alphabet = Array("{}[],:\"\\ -.0123456789eE\u{1E}\nnulltruefalseNaN".utf8) + [0x00, 0xE6, 0x9D, 0xB1, 0xFF]
        var checked = 0
        for seed in seeds {
            var cases: [[UInt8]] = (0..<seed.count).map { Array(seed[0..<$0]) }
            for _ in 0..<600 {
                var mutated = seed
                for _ in 0..<(1 + Int(generator.next() % 3)) {
                    let at = Int(generator.next() % UInt64(mutated.count))
                    let byte = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                    switch generator.next() % 3 {
                    case 0: mutated[at] = byte
                    case 1: mutated.insert(byte, at: at)
                    default: mutated.remove(at: at)
                    }
                    if mutated.isEmpty { mutated = [byte] }
                }
                cases.append(mutated)
            }
            for bytes in cases {
                do {
                    let collection = try GeoJSONReader.read(bytes: bytes, source: "fuzz")
                    // Whatever was accepted must write and read back to the same value.
                    let again = try GeoJSONReader.read(bytes: GeoJSONWriter(precision: 15).encode(collection), source: "again")
                    #expect(again.features.count == collection.features.count)
                } catch let error as GeoJSONError {
                    let lines = bytes.filter { $0 == 0x0A }.count + 1
                    if let line = error.line { #expect((1...lines).contains(line), "\(error.description)") }
                    #expect(!error.message.isEmpty)
                }
                _ = try? JSONText.parse(bytes, source: "fuzz")
                checked += 1
            }
        }
        #expect(checked > 3000)
    }
}

