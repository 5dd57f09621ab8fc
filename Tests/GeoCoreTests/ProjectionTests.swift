import Foundation
import Testing
@testable import GeoCore
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ProjectionTests {
    struct PublishedCase {
        let name: String
        let from: String, to: String
        let input: Position
        let expected: Position
        let tolerance: Double   // in target units
    }

    static let tokyoStation = Position(139.767125, 35.681236)

    /// Sources are named per row. "pyproj" rows were computed with pyproj 3.7.2 / PROJ 9.5.1
    /// (`Transformer.from_crs(a, b, always_xy=True)`), an independent newer PROJ build.
    static let cases: [PublishedCase] = [
        // EPSG Guidance Note 7-2, §3.2.3.2 Popular Visualisation Pseudo-Mercator worked example:
        // 24°22'54.433"N, 100°20'00.000"W -> E -11 169 055.58 m, N 2 800 000.00 m.
        PublishedCase(name: "Pseudo-Mercator, EPSG GN 7-2", from: "EPSG:4326", to: "EPSG:3857",
                      input: Position(-(100 + 20.0 / 60), 24 + 22.0 / 60 + 54.433 / 3600),
                      expected: Position(-11_169_055.58, 2_800_000.00), tolerance: 0.01),
        // EPSG Guidance Note 7-2, §3.5.3.1 Transverse Mercator worked example (OSGB 1936 /
        // British National Grid): 50°30'N, 0°30'E -> E 577 274.99 m, N 69 740.49 m.
        PublishedCase(name: "Transverse Mercator, EPSG GN 7-2", from: "EPSG:4277", to: "EPSG:27700",
                      input: Position(0.5, 50.5), expected: Position(577_274.99, 69_740.49), tolerance: 0.01),
        // Zone IX origin is 36°N 139°50'E with no false origin (MLIT notice No. 9, 2002).
        PublishedCase(name: "JGD2011 zone IX origin", from: "EPSG:6668", to: "EPSG:6677",
                      input: Position(139 + 50.0 / 60, 36), expected: Position(0, 0), tolerance: 1e-6),
        PublishedCase(name: "Tokyo Station in zone IX (pyproj)", from: "EPSG:6668", to: "EPSG:6677",
                      input: tokyoStation, expected: Position(-5992.9196, -35363.2377), tolerance: 1e-3),
        PublishedCase(name: "Tokyo Station in Web Mercator (pyproj)", from: "EPSG:6668", to: "EPSG:3857",
                      input: tokyoStation, expected: Position(15_558_805.1846, 4_256_848.1202), tolerance: 1e-3),
        PublishedCase(name: "Tokyo Station in JGD2011 / UTM 54N (pyproj)", from: "EPSG:6668", to: "EPSG:6691",
                      input: tokyoStation, expected: Position(388_435.6871, 3_949_293.9780), tolerance: 1e-3),
        PublishedCase(name: "Tokyo Station in WGS 84 / UTM 54N (pyproj)", from: "OGC:CRS84", to: "EPSG:32654",
                      input: tokyoStation, expected: Position(388_435.6871, 3_949_293.9781), tolerance: 1e-3),
        PublishedCase(name: "Sapporo in zone XII (pyproj)", from: "EPSG:6668", to: "EPSG:6680",
                      input: Position(141.3544, 43.0621), expected: Position(-72_947.4137, -103_803.8752), tolerance: 1e-3),
    ]

    @Test func publishedCoordinatesAndRoundTrips() throws {
        for c in Self.cases {
            let t = try CoordinateTransform(from: c.from, to: c.to)
            let p = t.forward(c.input)
            #expect(abs(p.x - c.expected.x) <= c.tolerance, "\(c.name + " easting")")
            #expect(abs(p.y - c.expected.y) <= c.tolerance, "\(c.name + " northing")")
            let back = t.inverse(p)
            #expect(abs(back.lon - c.input.lon) <= 1e-9, "\(c.name + " inverse lon")")
            #expect(abs(back.lat - c.input.lat) <= 1e-9, "\(c.name + " inverse lat")")
        }
    }

    @Test func zoneIXNorthingIsScaledMeridianArc() throws {
        // On the central meridian a Transverse Mercator northing is k0 × the meridian arc from
        // the origin latitude; the arc is the geodesic along the meridian. Ties PROJ to geodesic.h.
        let t = try CoordinateTransform(from: "EPSG:6668", to: "EPSG:6677")
        let lon0 = 139 + 50.0 / 60
        let p = t.forward(Position(lon0, 37))
        let arc = Geodesic.inverse(Position(lon0, 36), Position(lon0, 37)).distanceMeters
        #expect(abs(p.x - 0) <= 1e-6)
        #expect(abs(p.y - (0.9999 * arc)) <= 1e-4)
    }

    @Test func bulkEqualsSinglePointAndKeepsAltitude() throws {
        let t = try CoordinateTransform(from: "EPSG:6668", to: "EPSG:6677")
        var points: [Position] = []
        for i in 0..<50 {
            let step = Double(i)
            let altitude: Double? = i % 2 == 0 ? step : nil
            points.append(Position(139 + step * 0.03, 35 + step * 0.02, altitude))
        }
        let bulk = t.forward(points)
        #expect(bulk.count == points.count)
        for (p, b) in zip(points, bulk) {
            let single = t.forward(p)
            #expect(abs(b.x - single.x) <= 1e-9)
            #expect(abs(b.y - single.y) <= 1e-9)
            #expect(b.z == p.z)
        }
        let back = t.inverse(bulk)
        for (p, b) in zip(points, back) {
            #expect(abs(b.lon - p.lon) <= 1e-9)
            #expect(abs(b.lat - p.lat) <= 1e-9)
        }
        #expect(t.forward([]) == [])
    }

    @Test func projStringsAndLonLatOrder() throws {
        // EPSG:4326 is latitude-first in EPSG; on our side it is lon,lat.
        let t = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:6668")
        let p = t.forward(Self.tokyoStation)
        #expect(abs(p.lon - Self.tokyoStation.lon) <= 1e-7)
        #expect(abs(p.lat - Self.tokyoStation.lat) <= 1e-7)
        // A PROJ string without +type=crs is accepted.
        let aeqd = try CoordinateTransform(from: "EPSG:6668", to: "+proj=aeqd +lat_0=35.681236 +lon_0=139.767125 +ellps=GRS80")
        let centre = aeqd.forward(Self.tokyoStation)
        #expect(abs(centre.x - 0) <= 1e-6)
        #expect(abs(centre.y - 0) <= 1e-6)
        // Azimuthal equidistant: distance from the centre is the geodesic distance.
        let osaka = Position(135.500107, 34.73348)
        let q = aeqd.forward(osaka)
        #expect(abs((q.x * q.x + q.y * q.y).squareRoot() - 402_479.878071) <= 0.001)
    }

    @Test func unknownCRSIsAClearError() throws {
        let bad: [(from: String, to: String, mentions: String)] = [
            ("EPSG:999999", "EPSG:6668", "source CRS 'EPSG:999999'"),
            ("EPSG:6668", "EPSG:12345678", "target CRS 'EPSG:12345678'"),
            ("", "EPSG:6668", "source CRS ''"),
            ("EPSG:6668", "+proj=nonsense", "target CRS '+proj=nonsense'"),
        ]
        for c in bad {
            if let error = #expect(throws: (any Error).self, performing: { try CoordinateTransform(from: c.from, to: c.to) }) {
                guard let e = error as? ProjectionError else { Issue.record("\(error)"); continue }
                #expect(e.kind == .unknownCRS)
                #expect(e.description.contains(c.mentions), "\(e.description)")
                #expect(!e.description.contains("\n"), "one line: \(e.description)")
            }
        }
    }

    // A missing proj.db (PROJ_DATA) is checked in a child process by the end-to-end
    // ProjDatabaseTests: PROJ_DATA is process-wide, and tests here run in parallel.

    @Test func localMetricCRSChoice() throws {
        let cases: [(name: String, box: BoundingBox, expected: String)] = [
            ("central Tokyo -> zone IX", BoundingBox(minX: 139.6, minY: 35.6, maxX: 139.9, maxY: 35.8), "EPSG:6677"),
            ("Osaka city -> zone VI", BoundingBox(minX: 135.4, minY: 34.6, maxX: 135.6, maxY: 34.75), "EPSG:6674"),
            ("Sapporo -> zone XII", BoundingBox(minX: 141.2, minY: 43.0, maxX: 141.5, maxY: 43.1), "EPSG:6680"),
            ("Naha -> zone XV", BoundingBox(minX: 127.65, minY: 26.18, maxX: 127.72, maxY: 26.25), "EPSG:6683"),
            ("Kanto + Tohoku coast -> UTM 54N", BoundingBox(minX: 139.0, minY: 35.0, maxX: 142.0, maxY: 40.0), "EPSG:6691"),
            ("Kyushu + Shikoku -> UTM 52N", BoundingBox(minX: 129.5, minY: 31.0, maxX: 132.9, maxY: 34.0), "EPSG:6689"),
            ("Singapore -> WGS 84 UTM 48N", BoundingBox(minX: 103.6, minY: 1.2, maxX: 104.0, maxY: 1.5), "EPSG:32648"),
            ("Sydney -> WGS 84 UTM 56S", BoundingBox(minX: 150.9, minY: -34.0, maxX: 151.3, maxY: -33.7), "EPSG:32756"),
            ("all Japan -> aeqd at centre", BoundingBox(minX: 122.9, minY: 24.0, maxX: 146.0, maxY: 46.0),
             "+proj=aeqd +lat_0=35.0 +lon_0=134.45 +ellps=GRS80 +units=m +no_defs +type=crs"),
        ]
        for c in cases {
            let definition = LocalMetricCRS.definition(for: c.box)
            #expect(definition == c.expected, "\(c.name)")
            // Every answer is usable by PROJ and metric near the box centre: 1 km east of the
            // centre is 1 km away in the projected plane within 0.2 %.
            let t = try CoordinateTransform(from: "EPSG:6668", to: definition)
            let a = t.forward(c.box.center)
            let b = t.forward(Geodesic.direct(from: c.box.center, azimuthDegrees: 90, distanceMeters: 1000))
            let planar = ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
            #expect(abs(planar - 1000) <= 2, "\(c.name)")
        }
    }
}
