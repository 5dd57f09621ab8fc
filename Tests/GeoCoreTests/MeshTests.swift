import Foundation
import Testing
@testable import GeoCore

@Suite struct MeshTests {
    /// Codes at levels 1–6 (first … eighth). Tokyo Station's 3rd-level mesh 53394611 is the
    /// Statistics Bureau's usual example; Tokyo Tower's 53393599 is the example in the
    /// `jismesh` README. All rows were cross-checked with `jismesh` 2.x from PyPI
    /// (`jismesh.utils.to_meshcode(lat, lon, level)`), an independent implementation.
    static let landmarks: [(name: String, point: Position, codes: [String])] = [
        ("Tokyo Station", Position(139.767125, 35.681236),
         ["5339", "533946", "53394611", "533946113", "5339461132", "53394611323"]),
        ("Tokyo Tower", Position(139.745433, 35.658581),
         ["5339", "533935", "53393599", "533935992", "5339359921", "53393599212"]),
        ("Sapporo Clock Tower", Position(141.353650, 43.062562),
         ["6441", "644142", "64414278", "644142783", "6441427832", "64414278321"]),
        ("Naha City Hall", Position(127.680932, 26.212401),
         ["3927", "392725", "39272554", "392725541", "3927255414", "39272554144"]),
        ("Osaka Castle", Position(135.526201, 34.687315),
         ["5235", "523504", "52350422", "523504221", "5235042213", "52350422133"]),
    ]

    @Test func landmarksAtEveryLevel() throws {
        for landmark in Self.landmarks {
            for (level, expected) in zip(MeshCode.Level.allCases, landmark.codes) {
                let cell = MeshCode(containing: landmark.point, level: level)
                #expect(cell.code == expected, "\(landmark.name) \(level)")
                #expect(cell.level == level)
                #expect(cell.bounds.contains(landmark.point), "\(landmark.name) \(level)")
                let parsed = try MeshCode(expected)
                #expect(parsed.level == level)
                #expect(parsed.bounds == cell.bounds, "\(landmark.name) \(level)")
            }
        }
    }

    @Test func cellSizesFollowTheStandard() throws {
        // Exact sizes in degrees: 40′×1°, 5′×7.5′, 30″×45″, then halves.
        let expected: [(MeshCode.Level, lat: Double, lon: Double)] = [
            (.first, 40.0 / 60, 1), (.second, 5.0 / 60, 7.5 / 60), (.third, 30.0 / 3600, 45.0 / 3600),
            (.half, 15.0 / 3600, 22.5 / 3600), (.quarter, 7.5 / 3600, 11.25 / 3600),
            (.eighth, 3.75 / 3600, 5.625 / 3600),
        ]
        for (level, lat, lon) in expected {
            let b = MeshCode(containing: Position(139.767125, 35.681236), level: level).bounds
            #expect(abs(b.height - lat) <= 1e-12, "\(level)")
            #expect(abs(b.width - lon) <= 1e-12, "\(level)")
        }
        // First-level 5339: lat 53/1.5 = 35°20′ to 36°, lon 139° to 140°.
        let first = try MeshCode("5339").bounds
        #expect(abs(first.minY - (53.0 / 1.5)) <= 1e-12)
        #expect(abs(first.maxY - 36) <= 1e-12)
        #expect(abs(first.minX - 139) <= 1e-12)
        #expect(abs(first.maxX - 140) <= 1e-12)
    }

    @Test func subdivisionDigitsAreSWSENWNE() throws {
        let parent = try MeshCode("53394611").bounds
        let quadrants: [(digit: String, north: Bool, east: Bool)] = [
            ("1", false, false), ("2", false, true), ("3", true, false), ("4", true, true),
        ]
        for q in quadrants {
            let b = try MeshCode("53394611" + q.digit).bounds
            #expect(abs(b.minY - (q.north ? parent.center.lat : parent.minY)) <= 1e-12, "\(q.digit)")
            #expect(abs(b.minX - (q.east ? parent.center.lon : parent.minX)) <= 1e-12, "\(q.digit)")
            // Same rule one and two levels further down.
            let quarter = try MeshCode("533946114" + q.digit).bounds
            let half = try MeshCode("533946114").bounds
            #expect(abs(quarter.minY - (q.north ? half.center.lat : half.minY)) <= 1e-12)
            #expect(abs(quarter.minX - (q.east ? half.center.lon : half.minX)) <= 1e-12)
        }
        #expect(try MeshCode("53394611").children.map(\.code) == ["533946111", "533946112", "533946113", "533946114"])
        #expect(try MeshCode("5339").children.count == 64)
        #expect(try MeshCode("533946").children.count == 100)
        #expect(try MeshCode("53394611323").children == [])
        #expect(try MeshCode("53394611323").ancestor(at: .third)?.code == "53394611")
        #expect(try MeshCode("53394611323").ancestor(at: .first)?.code == "5339")
        #expect(try MeshCode("5339").ancestor(at: .second) == nil)
    }

    @Test func roundTripOnRandomPointsAtEveryLevel() throws {
        var rng = SplitMix64(seed: 410)
        for _ in 0..<2000 {
            let p = Position(Double.random(in: 122...154, using: &rng), Double.random(in: 20...46, using: &rng))
            var previous: MeshCode?
            for level in MeshCode.Level.allCases {
                let cell = MeshCode(containing: p, level: level)
                #expect(cell.code.count == level.digitCount)
                #expect(cell.bounds.contains(p))
                let parsed = try MeshCode(cell.code)
                #expect(parsed == cell)
                #expect(MeshCode(containing: parsed.center, level: level) == cell)
                // Each code extends its parent's code.
                if let previous { #expect(cell.code.hasPrefix(previous.code)) }
                previous = cell
            }
        }
    }

    @Test func cornersBelongToTheNorthEastCell() throws {
        // South and west edges belong to a cell: 35°20′N 139°E is the SW corner of 5339.
        #expect(MeshCode(containing: Position(139, 53.0 / 1.5 + 1e-12), level: .third).code == "53390000")
        // 35°30′N is the south edge of second-level row 2 (35°20′ + 2 × 5′), 139°45′E of column 6.
        #expect(MeshCode(containing: Position(139.75, 35.5), level: .third).code == "53392600")
    }

    @Test func polygonIsClosedAndCounterClockwise() throws {
        guard case .polygon(let rings) = try MeshCode("533946113").polygon else { Issue.record("not a polygon"); return }
        #expect(rings.count == 1)
        let ring = rings[0]
        #expect(ring.count == 5)
        #expect(ring.first == ring.last)
        var twiceArea = 0.0
        for i in 0..<(ring.count - 1) { twiceArea += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y }
        #expect(twiceArea > 0, "counter-clockwise")
        // A 3rd-level mesh is roughly 1 km square at Tokyo.
        let third = try MeshCode("53394611")
        guard case .polygon(let r3) = third.polygon else { Issue.record("not a polygon"); return }
        #expect(abs(Geodesic.polygonAreaKm2(r3) - 1.06) <= 0.03)
    }

    @Test func invalidCodesAreRejectedWithAReason() throws {
        let bad: [(code: String, reason: String)] = [
            ("", "has 0 characters"),
            ("533", "has 3 characters"),
            ("53394", "has 5 characters"),
            ("5339461", "has 7 characters"),
            ("533946113231", "has 12 characters"),
            ("5339a611", "is not all digits"),
            ("５３３９", "has 12 characters"),
            (" 5339461", "is not all digits"),
            ("533986", "digit 5 is 8; it must be 0–7"),
            ("533948", "digit 6 is 8; it must be 0–7"),
            ("53399611", "digit 5 is 9; it must be 0–7"),
            ("533946110", "digit 9 is 0; it must be 1–4"),
            ("533946115", "digit 9 is 5; it must be 1–4"),
            ("5339461139", "digit 10 is 9; it must be 1–4"),
            ("53394611320", "digit 11 is 0; it must be 1–4"),
            ("0000", "first-level mesh 00 is outside Japan's grid"),
        ]
        for c in bad {
            if let error = #expect(throws: (any Error).self, "\(c.code)", performing: { try MeshCode(c.code) }) {
                guard let e = error as? MeshCode.ParseError else { Issue.record("\(error)"); continue }
                #expect(e.description.contains(c.reason), "\(c.code): \(e.description)")
            }
        }
    }

    @Test func pointsOffJapansGrid() throws {
        for p in [Position(99.9, 35), Position(139, -0.1), Position(.nan, 35), Position(200, 35), Position(139, 66.7),
                  Position(121.9, 35), Position(139, 19.9)] {
            #expect(!MeshCode.covers(p), "\(p)")
            #expect(throws: (any Error).self) { try MeshCode(checkedContaining: p, level: .third) }
            // The unchecked initialiser still yields a valid code (clamped), never a trap.
            #expect(throws: Never.self) { try MeshCode(MeshCode(containing: p, level: .third).code) }
        }
        #expect(MeshCode.covers(Position(139.767125, 35.681236)))
    }
}
