import Foundation
import Testing
@testable import GeoCore

@Suite struct GeoJSONRoundTripTests {
    @Test func featureCollectionRoundTripsWithJapaneseNamesAndForeignMembers() throws {
        let text = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","id":"hub-1","geometry":{"type":"Point","coordinates":[139.7671234,35.681236]},"properties":{"name":"東京駅","capacity_mw":1200,"share":0.25,"tags":["dc",null,true]},"role":"hub"},
        {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[139,35],[140,35],[140,36],[139,35]]]},"properties":null}
        ],"name":"demo"}

        """
        let collection = try GeoJSONReader.read(bytes: Array(text.utf8), source: "demo.geojson")
        #expect(collection.features.count == 2)
        #expect(collection.features[0].id == .string("hub-1"))
        #expect(collection.features[0][property: "name"] == .string("東京駅"))
        #expect(collection.features[0].foreignMembers["role"] == .string("hub"))
        #expect(collection.features[0].geometry == .point(Position(139.7671234, 35.681236)))
        #expect(collection.features[1].properties == nil)
        #expect(collection.foreignMembers["name"] == .string("demo"))
        let written = GeoJSONWriter().encode(collection)
        #expect(String(decoding: written, as: UTF8.self) == text)
    }

    @Test func sequenceRoundTrip() throws {
        let features = [
            Feature(id: .number(7), geometry: .lineString([Position(139.1, 35.2), Position(139.3, 35.4)]),
                    properties: ["role": "route", "length_km": 12.5]),
            Feature(geometry: nil, properties: [:]),
        ]
        let writer = GeoJSONWriter(format: .sequence)
        let bytes = writer.encode(FeatureCollection(features))
        #expect(bytes.first == 0x1E)
        let back = try GeoJSONReader.read(bytes: bytes, source: "seq")
        #expect(back.features == features)
        #expect(writer.encode(back) == bytes)
    }

    @Test func jsonTextRoundTrip() throws {
        let value: JSONValue = ["name": "wattbit-cable", "n": 3, "x": 0.1, "list": [1, 2.5, "ア"], "nested": ["a": nil]]
        let compact = JSONText.encode(value)
        #expect(String(decoding: compact, as: UTF8.self) == #"{"name":"wattbit-cable","n":3,"x":0.1,"list":[1,2.5,"ア"],"nested":{"a":null}}"#)
        #expect(try JSONText.parse(compact, source: "m") == value)
        #expect(try JSONText.parse(JSONText.encode(value, pretty: true), source: "m") == value)
        #expect(try JSONText.parse(Array("42".utf8), source: "m") == 42)
    }
}
