import Foundation
import Testing
@testable import GeoCore

/// Runs every case of Fixtures/geos/cases.json (GEOS XML-suite style: WKT inputs, an
/// operation, the expected result). A case that states no expectation fails: a fixture
/// that checks nothing would pass forever.
@Suite("GEOS fixture cases")
struct GEOSFixtureTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var op: String
        var a: String
        var b: String?
        var distance: Double?
        var quadrantSegments: Int?
        var tolerance: Double?
        var expected: String?
        var expectedArea: Double?
        var expectedValue: Double?
        var expectedBool: Bool?
        var expectedReason: String?
        var testDescription: String { name }
    }
    struct CaseFile: Decodable { var cases: [Case] }

    static let cases: [Case] = {
        guard let url = Bundle.module.resourceURL?.appendingPathComponent("Fixtures/geos/cases.json"),
              let data = try? Data(contentsOf: url),
              let file = try? JSONDecoder().decode(CaseFile.self, from: data) else { return [] }
        return file.cases
    }()

    @Test("the case file loads and has cases")
    func loads() {
        #expect(Self.cases.count >= 20)
    }

    @Test("each case", arguments: cases)
    func run(_ c: Case) throws {
        let context = GEOSContext()
        let a = try context.geometry(wkt: c.a)
        let b = try c.b.map { try context.geometry(wkt: $0) }
        func second() throws -> Geometry { try #require(b, "\(c.name): needs b") }
        let result: Geometry?
        switch c.op {
        case "intersection": result = try context.intersection(a, second())
        case "union": result = try context.union(a, second())
        case "difference": result = try context.difference(a, second())
        case "unaryUnion": result = try context.unaryUnion(a)
        case "buffer":
            result = try context.buffer(a, distance: #require(c.distance), quadrantSegments: c.quadrantSegments ?? 8)
        case "convexHull": result = try context.convexHull(a)
        case "makeValid": result = try context.makeValid(a)
        case "simplify": result = try context.simplify(a, tolerance: #require(c.tolerance))
        case "simplifyDP": result = try context.simplify(a, tolerance: #require(c.tolerance), preserveTopology: false)
        case "polygonize":
            guard case .multiLineString(let lines) = a else { Issue.record("\(c.name): a must be a MULTILINESTRING"); return }
            result = try context.polygonize(lines.map { .lineString($0) })
        case "area": result = nil; try expectValue(c, try context.area(a))
        case "length": result = nil; try expectValue(c, try context.length(a))
        case "distance": result = nil; try expectValue(c, try context.distance(a, second()))
        case "intersects":
            result = nil
            let expected = try #require(c.expectedBool, "\(c.name): no expectedBool")
            #expect(try context.intersects(a, second()) == expected, "\(c.name)")
        case "isValid":
            result = nil
            let expected = try #require(c.expectedBool, "\(c.name): no expectedBool")
            let verdict = try context.isValid(a)
            #expect(verdict.valid == expected, "\(c.name)")
            if let reason = c.expectedReason {
                #expect(verdict.reason?.hasPrefix(reason) == true, "\(c.name): \(verdict.reason ?? "nil")")
            }
        default:
            Issue.record("\(c.name): unknown op \(c.op)")
            return
        }
        guard let result else { return }
        #expect(c.expected != nil || c.expectedArea != nil, "\(c.name): the case states no expectation (expected or expectedArea)")
        let got = try context.wkt(result)
        if let expected = c.expected {
            let want = try context.geometry(wkt: expected)
            #expect(result.typeName == want.typeName, "\(c.name): \(got)")
            if want.boundingBox == nil {
                #expect(result.boundingBox == nil, "\(c.name): expected empty, got \(got)")
            } else {
                #expect(try context.equalsTopologically(result, want), "\(c.name): got \(got)")
            }
        }
        if let area = c.expectedArea {
            #expect(abs(try context.area(result) - area) <= 1e-9, "\(c.name)")
        }
    }

    private func expectValue(_ c: Case, _ value: Double) throws {
        let expected = try #require(c.expectedValue, "\(c.name): no expectedValue")
        #expect(abs(value - expected) <= 1e-9, "\(c.name): \(value)")
    }
}
