import Foundation
import Testing
@testable import GeoCore

/// The writer's formatting rules, each a fact a user would check in the output file.
@Suite struct GeoJSONWriterTests {
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func coordinatesUseFixedPrecisionWithTrailingZerosTrimmed() throws {
        let writer = GeoJSONWriter()
        #expect(text(writer.encode(geometry: .point(Position(139.76712345678, 35.6812)))) == "{\"type\":\"Point\",\"coordinates\":[139.7671235,35.6812]}\n")
        #expect(text(writer.encode(geometry: .point(Position(-0.00000001, 180, 12.5)))) == "{\"type\":\"Point\",\"coordinates\":[0,180,12.5]}\n", "no negative zero, no .0")
        #expect(text(GeoJSONWriter(precision: 2).encode(geometry: .point(Position(139.999, -35.004)))) == "{\"type\":\"Point\",\"coordinates\":[140,-35]}\n")
        #expect(text(GeoJSONWriter(precision: 0).encode(geometry: .point(Position(139.5, 35.4)))) == "{\"type\":\"Point\",\"coordinates\":[140,35]}\n")
    }

    @Test func propertyNumbersAreShortestRoundTripAndIntegralWithoutFraction() throws {
        let values: [Double] = [0.1 + 0.2, 1e21, 5e-324, 12, -7, 1234567.25, 0.000123, 2.5e-8, 9007199254740993]
        let feature = Feature(geometry: nil, properties: JSONObject(values.enumerated().map {
            JSONObject.Member(key: "v\($0.offset)", value: .number($0.element))
        }))
        let written = text(GeoJSONWriter().encode(feature: feature))
        #expect(written == "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"v0\":0.30000000000000004,\"v1\":1e+21,\"v2\":5e-324,\"v3\":12,\"v4\":-7,\"v5\":1234567.25,\"v6\":0.000123,\"v7\":2.5e-08,\"v8\":9007199254740992}}\n")
        let back = try GeoJSONReader.read(bytes: Array(written.utf8), source: "t").features[0]
        for (i, value) in values.enumerated() {
            #expect(back[property: "v\(i)"]?.doubleValue == value, "v\(i) reads back exactly")
        }
    }

    @Test func japaneseTextIsWrittenAsUTF8AndOnlyControlCharactersAreEscaped() throws {
        let feature = Feature(geometry: nil, properties: ["name": "千葉県南房総市", "note": "a\"b\\c\nd\u{01}/é"])
        #expect(text(GeoJSONWriter().encode(feature: feature)) == "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"name\":\"千葉県南房総市\",\"note\":\"a\\\"b\\\\c\\nd\\u0001/é\"}}\n")
    }

    @Test func memberOrderIsFixedWhateverTheInputOrder() throws {
        let input = """
        {"properties":{"b":1,"a":2},"geometry":{"coordinates":[139.7,35.6],"type":"Point"},"extra":true,"bbox":[139.7,35.6,139.7,35.6],"id":5,"type":"Feature"}
        """
        let feature = try GeoJSONReader.read(bytes: Array(input.utf8), source: "t").features[0]
        #expect(text(GeoJSONWriter().encode(feature: feature)) == "{\"type\":\"Feature\",\"id\":5,\"bbox\":[139.7,35.6,139.7,35.6],\"geometry\":{\"type\":\"Point\",\"coordinates\":[139.7,35.6]},\"properties\":{\"b\":1,\"a\":2},\"extra\":true}\n", "type, id, bbox, geometry, properties, then foreign members; property order kept")
    }

    @Test func sequenceRecordsAreRSJSONLineFeed() throws {
        let writer = GeoJSONWriter(format: .sequence)
        let bytes = writer.encode(feature: Feature(geometry: .point(Position(139, 35)), properties: nil))
        #expect(bytes.first == 0x1E)
        #expect(bytes.last == 0x0A)
        #expect((bytes.filter { $0 == 0x0A }.count) == 1)
        let collection = FeatureCollection([Feature(geometry: nil), Feature(geometry: nil)], bbox: [0, 0, 1, 1],
                                           foreignMembers: ["name": "x"])
        #expect(text(writer.encode(collection)) == "\u{1E}{\"type\":\"Feature\",\"geometry\":null,\"properties\":{}}\n\u{1E}{\"type\":\"Feature\",\"geometry\":null,\"properties\":{}}\n")
    }

    @Test func emptyCollectionAndCollectionMembers() throws {
        #expect(text(GeoJSONWriter().encode(FeatureCollection())) == "{\"type\":\"FeatureCollection\",\"features\":[]}\n")
        let collection = FeatureCollection([], bbox: [139, 35, 140, 36], foreignMembers: ["name": "mesh", "type": "ignored"])
        #expect(text(GeoJSONWriter().encode(collection)) == "{\"type\":\"FeatureCollection\",\"bbox\":[139,35,140,36],\"features\":[],\"name\":\"mesh\"}\n", "a foreign member may not override type")
    }

    @Test func nonFiniteNumbersBecomeNullRatherThanInvalidJSON() throws {
        let bytes = GeoJSONWriter().encode(feature: Feature(geometry: nil, properties: ["x": .number(.nan), "y": .number(.infinity)]))
        #expect(text(bytes) == "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"x\":null,\"y\":null}}\n")
        #expect(throws: Never.self) { try JSONText.parse(bytes, source: "t") }
    }

    @Test func sameInputGivesByteIdenticalOutput() throws {
        let input = """
        {"type":"FeatureCollection","features":[{"type":"Feature","id":"a","geometry":{"type":"MultiPolygon","coordinates":[[[[139.123456789,35.1],[139.2,35.1],[139.2,35.2],[139.123456789,35.1]]]]},"properties":{"名前":"東京","z":[1,{"k":null}]}}]}
        """
        let first = GeoJSONWriter().encode(try GeoJSONReader.read(bytes: Array(input.utf8), source: "t"))
        let second = GeoJSONWriter().encode(try GeoJSONReader.read(bytes: first, source: "t"))
        #expect(first == second)
        #expect(String(decoding: first, as: UTF8.self).contains("[139.1234568,35.1]"))
    }

    @Test func jsonTextPrettyAndErrors() throws {
        let value: JSONValue = ["name": "hubs", "parameters": [["min": 0, "max": 1.5]], "empty": [:], "list": []]
        #expect(text(JSONText.encode(value, pretty: true)) == """
        {
          "name": "hubs",
          "parameters": [
            {
              "min": 0,
              "max": 1.5
            }
          ],
          "empty": {},
          "list": []
        }
        """)
        if let error = #expect(throws: (any Error).self, performing: { try JSONText.parse(Array("{\"a\":1,}".utf8), source: "manifest.json") }) {
            #expect((error as? GeoJSONError)?.description == "manifest.json:1:8: trailing comma in an object")
        }
        if let error = #expect(throws: (any Error).self, performing: { try JSONText.parse(Array("{\"a\":1} {}".utf8), source: "m.json") }) {
            #expect((error as? GeoJSONError)?.description == "m.json:1:9: unexpected an object after the end of the JSON value")
        }
        if let error = #expect(throws: (any Error).self, performing: { try JSONText.parse([], source: "m.json") }) {
            #expect((error as? GeoJSONError)?.kind == .empty)
        }
    }

    @Test func escapedTextIsDecodedAndWrittenBackAsPlainUTF8() throws {
        let input = #"{"a":"\u6771\u4eac","b":"\ud83d\ude00","c":"\u00e9\/\t\u0041"}"#
        let value = try JSONText.parse(Array(input.utf8), source: "t")
        #expect(value == ["a": "東京", "b": "😀", "c": "é/\tA"])
        #expect(text(JSONText.encode(value)) == #"{"a":"東京","b":"😀","c":"é/\tA"}"#)
    }

    @Test func legacyCRSForWGS84AndJGD2011IsAcceptedAndKept() throws {
        for name in ["urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::6668"] {
            let input = "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"\(name)\"}},\"features\":[]}"
            let collection = try GeoJSONReader.read(bytes: Array(input.utf8), source: "t")
            #expect(collection.foreignMembers["crs"]?.objectValue?["properties"]?.objectValue?["name"] == .string(name))
        }
    }

    @Test func missingPropertiesReadAsNullAndByteOrderMarkIsSkipped() throws {
        let input = "\u{FEFF}{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[139,35]}}"
        let feature = try GeoJSONReader.read(bytes: Array(input.utf8), source: "t").features[0]
        #expect(feature.properties == nil)
        #expect(text(GeoJSONWriter().encode(feature: feature)).contains("\"properties\":null"))
    }
}
