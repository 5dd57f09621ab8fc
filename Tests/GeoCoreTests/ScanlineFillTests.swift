import Foundation
import Testing
@testable import GeoCore

/// ScanlineFill against GEOS (prepared `contains` per cell centre) as the oracle.
@Suite("Scanline fill of mesh grids")
struct ScanlineFillTests {
    static func inside(_ rings: [[Position]], _ grid: RegularGrid) -> Set<Int> {
        var cells = Set<Int>()
        ScanlineFill.fill(rings: rings, grid: grid) { row, c0, c1 in
            for c in c0..<c1 { cells.insert(row * grid.columns + c) }
        }
        return cells
    }

    @Test("cell centres inside real prefectures (islands, lakes, coasts) equal GEOS point-in-polygon")
    func prefecturesAgainstGEOS() throws {
        let context = GEOSContext()
        let prefectures = try GeoJSONReader.read(path: RepositoryGeodata.directory.appendingPathComponent("prefectures.geojson").path).features
        // Tiles over Tokyo bay, Lake Biwa (Shiga), the Seto Inland Sea and Okinawa.
        let cases: [(String, String)] = [("5339", "13"), ("5339", "12"), ("5235", "25"), ("5133", "34"), ("5133", "37"),
                                         ("3927", "47"), ("6441", "01")]
        for (tileCode, prefCode) in cases {
            guard let f = prefectures.first(where: { $0[property: "code"]?.stringValue == prefCode }), let g = f.geometry,
                  let rings = ScanlineFill.rings(of: g) else { Issue.record("no prefecture \(prefCode)"); continue }
            let prepared = try PreparedGeometry(g, context: context)
            let grid = try MeshCode(tileCode).grid(level: .third)
            let fast = Self.inside(rings, grid)
            var oracle = Set<Int>()
            for r in 0..<grid.rows { for c in 0..<grid.columns where try prepared.contains(grid.centre(row: r, column: c)) {
                oracle.insert(r * grid.columns + c)
            } }
            #expect(fast == oracle, "tile \(tileCode), prefecture \(prefCode): \(fast.symmetricDifference(oracle).count) cells differ")
        }
    }

    @Test("holes, multipolygons, unclosed rings and degenerate grids")
    func shapes() {
        let grid = RegularGrid(west: 0, south: 0, stepLon: 1, stepLat: 1, columns: 10, rows: 10)
        let outer = [Position(1, 1), Position(9, 1), Position(9, 9), Position(1, 9), Position(1, 1)]
        let hole = [Position(3, 3), Position(3, 7), Position(7, 7), Position(7, 3), Position(3, 3)]
        // Centres 1.5…8.5 inside the outer square: 8 × 8 = 64; hole centres 3.5…6.5: 16.
        #expect(Self.inside([outer], grid).count == 64)
        #expect(Self.inside([outer, hole], grid).count == 48)
        #expect(Self.inside([Array(outer.dropLast())], grid).count == 64)
        let far = [Position(20, 20), Position(30, 20), Position(30, 30), Position(20, 20)]
        #expect(Self.inside([outer, far], grid).count == 64)
        #expect(Self.inside([outer], RegularGrid(west: 0, south: 0, stepLon: 1, stepLat: 1, columns: 0, rows: 10)).isEmpty)
    }

    @Test("a first-level mesh grid's cells are the JIS X 0410 cells of that level")
    func meshGrid() throws {
        for (level, n) in [(MeshCode.Level.third, 80), (.half, 160), (.quarter, 320)] {
            let tile = try MeshCode("5339")
            let grid = tile.grid(level: level)
            #expect(grid.rows == n && grid.columns == n)
            for (r, c) in [(0, 0), (n - 1, n - 1), (17, 42)] {
                let code = MeshCode(containing: grid.centre(row: r, column: c), level: level)
                #expect(code.ancestor(at: .first)?.code == "5339")
                let (row, column) = (code.row, code.column)
                #expect(row == 53 * n + r && column == 39 * n + c)
            }
        }
    }
}
