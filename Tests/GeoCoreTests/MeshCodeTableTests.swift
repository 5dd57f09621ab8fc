import Testing
@testable import GeoCore

/// JIS X 0410: every level parses to the right cell and prints back to the same code.
@Suite("Mesh codes: hand-derived table")
struct MeshCodeTableTests {
    struct Case: Sendable, CustomStringConvertible {
        let code: String
        let level: MeshCode.Level
        let south: Double, west: Double
        var description: String { code }
    }

    // Hand-derived from JIS X 0410: 5339 = Tokyo (lat 53/1.5 = 35.333, lon 139); second-level
    // 45 adds 4×5′ and 5×7.5′; third-level 47 adds 4×30″ and 7×45″; subdivisions 1–4 take
    // the SW/SE/NW/NE quarter.
    static let cases: [Case] = [
        Case(code: "5339", level: .first, south: 53.0 / 1.5, west: 139),
        Case(code: "533945", level: .second, south: 53.0 / 1.5 + 4.0 / 12, west: 139 + 5.0 / 8),
        Case(code: "53394547", level: .third, south: 53.0 / 1.5 + 4.0 / 12 + 4.0 / 120, west: 139 + 5.0 / 8 + 7.0 / 80),
        Case(code: "533945474", level: .half, south: 53.0 / 1.5 + 4.0 / 12 + 4.0 / 120 + 1.0 / 240,
             west: 139 + 5.0 / 8 + 7.0 / 80 + 1.0 / 160),
        Case(code: "5339454712", level: .quarter, south: 53.0 / 1.5 + 4.0 / 12 + 4.0 / 120,
             west: 139 + 5.0 / 8 + 7.0 / 80 + 1.0 / 320),
        Case(code: "53394547123", level: .eighth, south: 53.0 / 1.5 + 4.0 / 12 + 4.0 / 120 + 1.0 / 960,
             west: 139 + 5.0 / 8 + 7.0 / 80 + 1.0 / 320),
        Case(code: "3036", level: .first, south: 20, west: 136),            // Okinotorishima's mesh
        Case(code: "68414799", level: .third, south: 68.0 / 1.5 + 4.0 / 12 + 9.0 / 120, west: 141 + 7.0 / 8 + 9.0 / 80),
    ]

    @Test("parses to the right cell and round-trips", arguments: cases)
    func roundTrip(_ c: Case) throws {
        let cell = try MeshCode(c.code)
        #expect(cell.level == c.level)
        #expect(abs(cell.south - c.south) < 1e-12)
        #expect(abs(cell.west - c.west) < 1e-12)
        #expect(cell.code == c.code)
        // The centre lies in the cell, and the cell containing the centre is this cell.
        #expect(MeshCode(containing: cell.center, level: cell.level) == cell)
    }

    @Test("every level round-trips for thousands of cells across Japan")
    func sweep() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        for level in MeshCode.Level.allCases {
            for _ in 0..<500 {
                let p = Position(122.5 + next() * 31, 20.5 + next() * 25)
                let cell = MeshCode(containing: p, level: level)
                let again = try MeshCode(cell.code)
                #expect(again == cell)
                #expect(cell.bounds.contains(p))
            }
        }
    }

    @Test("neighbours differ by one row or column, across mesh boundaries")
    func neighbours() throws {
        // 53394599 is the NE corner cell of 533945: its east neighbour is 53394690 and its
        // north neighbour is 53395509.
        let cell = try MeshCode("53394599")
        #expect(MeshCode(level: .third, row: cell.row, column: cell.column + 1).code == "53394690")
        #expect(MeshCode(level: .third, row: cell.row + 1, column: cell.column).code == "53395509")
        // Across a first-level boundary: 5339 7 7 9 9 → east 5340 7 0 9 0.
        let corner = try MeshCode("53397799")
        #expect(MeshCode(level: .third, row: corner.row, column: corner.column + 1).code == "53407090")
    }

    @Test("cell areas on the ellipsoid match the geodesic polygon area")
    func area() throws {
        for code in ["53394547", "36225718", "64414277", "533945471"] {
            let cell = try MeshCode(code)
            guard case .polygon(let rings) = cell.polygon else { Issue.record("not a polygon"); continue }
            // Geodesic edges differ from parallels by a negligible amount for 1 km cells.
            #expect(abs(cell.areaKm2 - Geodesic.polygonAreaKm2(rings)) / cell.areaKm2 < 1e-4)
        }
        // A 1 km cell near Tokyo is about 0.925 km × 1.135 km.
        let tokyo = try MeshCode("53394547")
        #expect(abs(tokyo.areaKm2 - 1.05) < 0.02)
    }

    struct Bad: Sendable, CustomStringConvertible {
        let code: String
        let reason: String
        var description: String { code }
    }
    static let bad: [Bad] = [
        Bad(code: "533", reason: "has 3 characters"),
        Bad(code: "53394x47", reason: "not all digits"),
        Bad(code: "1234", reason: "outside Japan"),
        Bad(code: "533985", reason: "digit 5 is 8"),
        Bad(code: "533945475", reason: "digit 9 is 5"),
        Bad(code: "5339454700", reason: "digit 9 is 0"),
        Bad(code: "533945470000", reason: "has 12 characters"),
    ]

    @Test("unknown codes are refused with the reason", arguments: bad)
    func refused(_ b: Bad) {
        #expect(throws: MeshCode.ParseError.self) { try MeshCode(b.code) }
        do {
            _ = try MeshCode(b.code)
        } catch {
            #expect(error.description.contains(b.reason.replacingOccurrences(of: "digit 9 is 0", with: "digit 9 is 0")))
        }
    }
}
