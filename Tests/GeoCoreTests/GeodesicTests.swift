import Foundation
import Testing
@testable import GeoCore

/// Reference values were computed with GeographicLib 2.1 (Python package `geographiclib`
/// from PyPI, `Geodesic(6378137, 1/298.257222101)`, i.e. GRS80) and pasted here; GeographicLib
/// is accurate to 15 nm, so agreement to 1 mm checks our bridge, argument order and units.
@Suite struct GeodesicTests {
    struct InverseCase {
        let name: String
        let a: Position, b: Position
        let meters: Double, azimuth1: Double, azimuth2: Double
    }

    static let inverseCases: [InverseCase] = [
        .init(name: "JFK to LHR", a: Position(-73.7781, 40.6413), b: Position(-0.4543, 51.47),
              meters: 5_554_908.790590, azimuth1: 51.381647859, azimuth2: 107.982829056),
        .init(name: "JFK to SIN (the geodesic.h documentation example)",
              a: Position(-73.78, 40.64), b: Position(103.99, 1.36),
              meters: 15_347_512.940468, azimuth1: 3.305773478, azimuth2: 177.487840208),
        .init(name: "Tokyo Station to Shin-Osaka Station",
              a: Position(139.767125, 35.681236), b: Position(135.500107, 34.73348),
              meters: 402_479.878071, azimuth1: -103.905444164, azimuth2: -106.366386102),
        .init(name: "Wakkanai to Naha", a: Position(141.6731, 45.4156), b: Position(127.6809, 26.2124),
              meters: 2_469_382.338872, azimuth1: -144.905384423, azimuth2: -153.236586620),
        .init(name: "across the antimeridian", a: Position(179.5, -16.0), b: Position(-179.5, -17.0),
              meters: 153_768.337366, azimuth1: 136.168467891, azimuth2: 135.884435017),
        .init(name: "nearly antipodal on the equator", a: Position(0, 0), b: Position(179.5, 0.5),
              meters: 19_936_288.578833, azimuth1: 25.671872805, azimuth2: 154.327085533),
        .init(name: "about one metre east at Tokyo",
              a: Position(139.767125, 35.681236), b: Position(139.76713604, 35.681236),
              meters: 0.999398, azimuth1: 89.999996780, azimuth2: 90.000003220),
    ]

    @Test func inverseMatchesGeographicLibToOneMillimetre() throws {
        for c in Self.inverseCases {
            let r = Geodesic.inverse(c.a, c.b)
            #expect(abs(r.distanceMeters - c.meters) <= 0.001, "\(c.name)")
            #expect(abs(r.azimuth1 - c.azimuth1) <= 1e-8, "\(c.name)")
            #expect(abs(r.azimuth2 - c.azimuth2) <= 1e-8, "\(c.name)")
            #expect(abs(Geodesic.distanceKm(c.a, c.b) - (c.meters / 1000)) <= 1e-6, "\(c.name)")
            // Symmetric: the way back is as long.
            #expect(abs(Geodesic.inverse(c.b, c.a).distanceMeters - c.meters) <= 0.001, "\(c.name)")
        }
    }

    @Test func directMatchesGeographicLib() throws {
        let cases: [(String, Position, Double, Double, Position)] = [
            ("100 km north-east of Tokyo Station", Position(139.767125, 35.681236), 45, 100_000,
             Position(140.554518042396, 36.315937391667)),
            ("10 000 km north-east of JFK", Position(-73.78, 40.64), 45, 10_000_000,
             Position(49.052487092387, 32.621100463927)),
            ("2 500 km south-west of Kii", Position(135.0, 34.0), -120, 2_500_000,
             Position(114.262782503755, 20.947278323710)),
        ]
        for (name, from, azimuth, meters, expected) in cases {
            let p = Geodesic.direct(from: from, azimuthDegrees: azimuth, distanceMeters: meters)
            // 1e-9 degrees is about 0.1 mm.
            #expect(abs(p.lon - expected.lon) <= 1e-9, "\(name)")
            #expect(abs(p.lat - expected.lat) <= 1e-9, "\(name)")
            // And the inverse brings us back the same distance.
            #expect(abs(Geodesic.inverse(from, p).distanceMeters - meters) <= 0.001, "\(name)")
        }
    }

    @Test func densifyKeepsVerticesAndFollowsTheGeodesic() throws {
        let jfk = Position(-73.7781, 40.6413), lhr = Position(-0.4543, 51.47)
        let dense = Geodesic.densify([jfk, lhr], maxSegmentKm: 1000)
        // 5554.9 km in pieces of at most 1000 km: 6 equal pieces, 7 points.
        #expect(dense.count == 7)
        #expect(dense.first == jfk)
        #expect(dense.last == lhr)
        for i in 1..<dense.count {
            #expect(Geodesic.distanceKm(dense[i - 1], dense[i]) <= 1000)
            #expect(abs(Geodesic.distanceKm(dense[i - 1], dense[i]) - (5554.908790590 / 6)) <= 1e-6)
        }
        // Points lie on the geodesic: the 1/3 and 1/2 points as computed by GeographicLib's
        // InverseLine().Position().
        #expect(abs(dense[2].lon - -53.696346086891) <= 1e-9)
        #expect(abs(dense[2].lat - 49.448944748494) <= 1e-9)
        #expect(abs(dense[3].lon - -41.290338699954) <= 1e-9)
        #expect(abs(dense[3].lat - 52.237521802315) <= 1e-9)
        #expect(abs(Geodesic.lengthKm(dense) - 5554.908790590) <= 1e-6)
        let midpoint = Geodesic.interpolate(jfk, lhr, fraction: 0.5)
        #expect(abs(midpoint.lon - -41.290338699954) <= 1e-9)
        #expect(abs(midpoint.lat - 52.237521802315) <= 1e-9)
    }

    @Test func densifyEdgeCases() throws {
        let line = [Position(139, 35, 12), Position(139.001, 35)]
        // Short segments and bad limits leave the line alone (altitude kept).
        #expect(Geodesic.densify(line, maxSegmentKm: 10) == line)
        #expect(Geodesic.densify(line, maxSegmentKm: 0) == line)
        #expect(Geodesic.densify(line, maxSegmentKm: -1) == line)
        #expect(Geodesic.densify(line, maxSegmentKm: .nan) == line)
        #expect(Geodesic.densify([], maxSegmentKm: 1) == [])
        #expect(Geodesic.densify([line[0]], maxSegmentKm: 1) == [line[0]])
        // Repeated vertices produce no extra points.
        #expect(Geodesic.densify([line[0], line[0]], maxSegmentKm: 1).count == 2)
    }

    @Test func lengthOfMultiSegmentLine() throws {
        let tokyo = Position(139.767125, 35.681236), osaka = Position(135.500107, 34.73348)
        #expect(abs(Geodesic.lengthKm([tokyo, osaka, tokyo]) - (2 * 402.479878071)) <= 1e-6)
        #expect(Geodesic.lengthKm([tokyo]) == 0)
        #expect(Geodesic.lengthKm([]) == 0)
    }

    @Test func polygonAreaMatchesGeographicLib() throws {
        // GeographicLib PolygonArea, GRS80: 1°×1° cell 139–140 E, 35–36 N.
        let square = [Position(139, 35), Position(140, 35), Position(140, 36), Position(139, 36), Position(139, 35)]
        #expect(abs(Geodesic.polygonAreaKm2([square]) - 10066.272985516) <= 1e-6)
        // Orientation does not matter; open rings are accepted.
        #expect(abs(Geodesic.polygonAreaKm2([Array(square.reversed())]) - 10066.272985516) <= 1e-6)
        #expect(abs(Geodesic.polygonAreaKm2([Array(square.dropLast())]) - 10066.272985516) <= 1e-6)
        // A box around Japan, 122.9–146 E, 24–46 N.
        let japan = [Position(122.9, 24), Position(146, 24), Position(146, 46), Position(122.9, 46), Position(122.9, 24)]
        #expect(abs(Geodesic.polygonAreaKm2([japan]) - 5_116_242.490542240) <= 1e-3)
        // A hole is subtracted.
        #expect(abs(Geodesic.polygonAreaKm2([japan, square]) - (5_116_242.490542240 - 10066.272985516)) <= 1e-3)
        #expect(Geodesic.polygonAreaKm2([]) == 0)
        #expect(Geodesic.polygonAreaKm2([[Position(139, 35), Position(140, 35)]]) == 0)
    }
}
