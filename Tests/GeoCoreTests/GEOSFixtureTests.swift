import Foundation
import XCTest
@testable import GeoCore

/// Runs every case of Fixtures/geos/cases.json (GEOS XML-suite style: WKT inputs, an
/// operation, the expected result).
final class GEOSFixtureTests: XCTestCase {
    struct Case: Decodable {
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
    }
    struct Suite: Decodable { var cases: [Case] }

    func testFixtureCases() throws {
        let url = try XCTUnwrap(Bundle.module.resourceURL?.appendingPathComponent("Fixtures/geos/cases.json"))
        let suite = try JSONDecoder().decode(Suite.self, from: Data(contentsOf: url))
        XCTAssertGreaterThanOrEqual(suite.cases.count, 20)
        let context = GEOSContext()
        for c in suite.cases {
            do { try run(c, context) } catch { XCTFail("\(c.name): \(error)") }
        }
    }

    private func run(_ c: Case, _ context: GEOSContext) throws {
        let a = try context.geometry(wkt: c.a)
        let b = try c.b.map { try context.geometry(wkt: $0) }
        func second() throws -> Geometry { try XCTUnwrap(b, "\(c.name): needs b") }
        let result: Geometry?
        switch c.op {
        case "intersection": result = try context.intersection(a, second())
        case "union": result = try context.union(a, second())
        case "difference": result = try context.difference(a, second())
        case "unaryUnion": result = try context.unaryUnion(a)
        case "buffer":
            result = try context.buffer(a, distance: XCTUnwrap(c.distance), quadrantSegments: c.quadrantSegments ?? 8)
        case "convexHull": result = try context.convexHull(a)
        case "makeValid": result = try context.makeValid(a)
        case "simplify": result = try context.simplify(a, tolerance: XCTUnwrap(c.tolerance))
        case "simplifyDP": result = try context.simplify(a, tolerance: XCTUnwrap(c.tolerance), preserveTopology: false)
        case "polygonize":
            guard case .multiLineString(let lines) = a else { return XCTFail("\(c.name): a must be a MULTILINESTRING") }
            result = try context.polygonize(lines.map { .lineString($0) })
        case "area": result = nil; try expectValue(c, try context.area(a))
        case "length": result = nil; try expectValue(c, try context.length(a))
        case "distance": result = nil; try expectValue(c, try context.distance(a, second()))
        case "intersects":
            result = nil
            XCTAssertEqual(try context.intersects(a, second()), c.expectedBool, c.name)
        case "isValid":
            result = nil
            let verdict = try context.isValid(a)
            XCTAssertEqual(verdict.valid, c.expectedBool, c.name)
            if let reason = c.expectedReason {
                XCTAssertTrue(verdict.reason?.hasPrefix(reason) == true, "\(c.name): \(verdict.reason ?? "nil")")
            }
        default:
            return XCTFail("\(c.name): unknown op \(c.op)")
        }
        guard let result else { return }
        let got = try context.wkt(result)
        if let expected = c.expected {
            let want = try context.geometry(wkt: expected)
            XCTAssertEqual(result.typeName, want.typeName, "\(c.name): \(got)")
            if want.boundingBox == nil {
                XCTAssertNil(result.boundingBox, "\(c.name): expected empty, got \(got)")
            } else {
                XCTAssertTrue(try context.equalsTopologically(result, want), "\(c.name): got \(got)")
            }
        }
        if let area = c.expectedArea {
            XCTAssertEqual(try context.area(result), area, accuracy: 1e-9, c.name)
        }
    }

    private func expectValue(_ c: Case, _ value: Double) throws {
        XCTAssertEqual(value, try XCTUnwrap(c.expectedValue, c.name), accuracy: 1e-9, c.name)
    }
}
