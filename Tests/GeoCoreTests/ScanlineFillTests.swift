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

    /// The documented edge rule as a GEOS oracle: a centre c counts as the point just east
    /// and a hair north of it, GEOS `contains`(c.x + ε, c.y + δ) with δ ≪ ε. On polygons
    /// whose vertices lie on the half-unit lattice no boundary passes within 10⁻³ of a
    /// centre without touching it, so ε = 10⁻⁶, δ = 10⁻⁹ decide every touching centre the
    /// way the rule says and leave every other centre's answer alone.
    static func oracle(_ prepared: PreparedGeometry, _ grid: RegularGrid) throws -> Set<Int> {
        var cells = Set<Int>()
        for r in 0..<grid.rows {
            for c in 0..<grid.columns {
                let p = grid.centre(row: r, column: c)
                if try prepared.contains(Position(p.x + 1e-6, p.y + 1e-9)) { cells.insert(r * grid.columns + c) }
            }
        }
        return cells
    }

    struct EdgeCase: CustomTestStringConvertible, Sendable {
        let name: String
        let geometry: Geometry
        var testDescription: String { name }
    }

    /// Centres on vertices, on west/east/south/north edges, on slanted edges, on a spike
    /// and in a notch, holes whose boundary runs through centres, and touching parts.
    static let edgeCases: [EdgeCase] = [
        EdgeCase(name: "square with every side on centre lines",
                 geometry: .polygon([[Position(1.5, 1.5), Position(5.5, 1.5), Position(5.5, 5.5), Position(1.5, 5.5), Position(1.5, 1.5)]])),
        EdgeCase(name: "diamond with vertices on centres",
                 geometry: .polygon([[Position(4.5, 0.5), Position(8.5, 4.5), Position(4.5, 8.5), Position(0.5, 4.5), Position(4.5, 0.5)]])),
        EdgeCase(name: "triangle, apex and base on centres",
                 geometry: .polygon([[Position(0.5, 0.5), Position(9.5, 0.5), Position(5.5, 7.5), Position(0.5, 0.5)]])),
        EdgeCase(name: "downward spike vertex on a centre",
                 geometry: .polygon([[Position(0, 9), Position(4.5, 2.5), Position(9, 9), Position(0, 9)]])),
        EdgeCase(name: "upward notch vertex on a centre",
                 geometry: .polygon([[Position(0, 0), Position(9, 0), Position(9, 9), Position(4.5, 3.5), Position(0, 9), Position(0, 0)]])),
        EdgeCase(name: "hole whose sides lie on centre lines",
                 geometry: .polygon([[Position(0, 0), Position(10, 0), Position(10, 10), Position(0, 10), Position(0, 0)],
                                     [Position(2.5, 2.5), Position(2.5, 6.5), Position(6.5, 6.5), Position(6.5, 2.5), Position(2.5, 2.5)]])),
        EdgeCase(name: "diamond hole with vertices on centres",
                 geometry: .polygon([[Position(0, 0), Position(10, 0), Position(10, 10), Position(0, 10), Position(0, 0)],
                                     [Position(5.5, 1.5), Position(8.5, 5.5), Position(5.5, 8.5), Position(2.5, 5.5), Position(5.5, 1.5)]])),
        EdgeCase(name: "multipolygon, parts touching at a vertex on a centre",
                 geometry: .multiPolygon([[[Position(0.5, 0.5), Position(4.5, 0.5), Position(4.5, 4.5), Position(0.5, 4.5), Position(0.5, 0.5)]],
                                          [[Position(4.5, 4.5), Position(8.5, 6.5), Position(6.5, 8.5), Position(4.5, 4.5)]],
                                          [[Position(1.5, 6.5), Position(3.5, 9.5), Position(0.5, 9.5), Position(1.5, 6.5)]]])),
        EdgeCase(name: "polygon larger than the grid (clipped rows and columns)",
                 geometry: .polygon([[Position(-3, 2.5), Position(7.5, -4), Position(14, 6.5), Position(3.5, 14), Position(-3, 2.5)]])),
    ]

    @Test("the edge rule on centres that touch the boundary agrees with GEOS, row by row", arguments: edgeCases)
    func edgeRule(_ c: EdgeCase) throws {
        let geos = GEOSContext()
        #expect(try geos.isValid(c.geometry).valid, "the row's geometry is not valid for GEOS")
        let grid = RegularGrid(west: 0, south: 0, stepLon: 1, stepLat: 1, columns: 10, rows: 10)
        let rings = try #require(ScanlineFill.rings(of: c.geometry))
        let fast = Self.inside(rings, grid)
        let expected = try Self.oracle(try PreparedGeometry(c.geometry, context: geos), grid)
        #expect(fast == expected, "cells differ: \(fast.symmetricDifference(expected).sorted())")
        #expect(!expected.isEmpty)
    }

    @Test("random lattice polygons with holes and multipolygons agree with GEOS, centres on vertices and edges included")
    func latticeAgainstGEOS() throws {
        let geos = GEOSContext()
        var random = SplitMix64(seed: 11)
        let grid = RegularGrid(west: 0, south: 0, stepLon: 1, stepLat: 1, columns: 24, rows: 24)
        func star(_ cx: Double, _ cy: Double, _ rMin: Double, _ rMax: Double, _ n: Int) -> [Position] {
            var ring: [Position] = []
            for k in 0..<n {
                let a = Double(k) / Double(n) * 2 * .pi
                let r = Double.random(in: rMin...rMax, using: &random)
                // Snap to the half-unit lattice, where half the values are centre coordinates.
                let p = Position(((cx + r * cos(a)) * 2).rounded() / 2, ((cy + r * sin(a)) * 2).rounded() / 2)
                if ring.last != p { ring.append(p) }
            }
            ring.append(ring[0])
            return ring
        }
        var checked = 0, touching = 0
        for trial in 0..<150 {
            let geometry: Geometry
            if trial % 3 == 2 {
                geometry = .multiPolygon([[star(6, 12, 2, 5.5, 9)], [star(18, 8, 2, 5.5, 11), Array(star(18, 8, 1, 1.5, 4).reversed())]])
            } else {
                let cx = Double.random(in: 8...16, using: &random), cy = Double.random(in: 8...16, using: &random)
                geometry = .polygon([star(cx, cy, 6, 12, Int.random(in: 5...30, using: &random)),
                                     Array(star(cx, cy, 1.5, 4, Int.random(in: 3...8, using: &random)).reversed())])
            }
            guard try geos.isValid(geometry).valid, let rings = ScanlineFill.rings(of: geometry) else { continue }
            let prepared = try PreparedGeometry(geometry, context: geos)
            let fast = Self.inside(rings, grid)
            let expected = try Self.oracle(prepared, grid)
            #expect(fast == expected, "trial \(trial): cells differ: \(fast.symmetricDifference(expected).sorted())")
            for r in 0..<grid.rows { for c in 0..<grid.columns {
                let p = grid.centre(row: r, column: c)
                if try prepared.contains(p) != prepared.contains(Position(p.x + 1e-6, p.y + 1e-9)) { touching += 1 }
            } }
            checked += 1
        }
        #expect(checked >= 100, "too few valid random polygons: \(checked)")
        #expect(touching > 100, "the random polygons should put many centres on their boundaries: \(touching)")
    }

    @Test("random lon/lat polygons with holes and multipolygons on a 1 km mesh grid agree with GEOS point-in-polygon")
    func lonLatAgainstGEOS() throws {
        let geos = GEOSContext()
        var random = SplitMix64(seed: 2026)
        let grid = try MeshCode("5339").grid(level: .third)
        func star(_ centre: Position, _ rMin: Double, _ rMax: Double, _ n: Int) -> [Position] {
            var ring = (0..<n).map { k -> Position in
                let a = Double(k) / Double(n) * 2 * .pi
                let r = Double.random(in: rMin...rMax, using: &random)
                return Position(centre.x + r * cos(a) * 1.5, centre.y + r * sin(a))
            }
            ring.append(ring[0])
            return ring
        }
        var checked = 0
        for trial in 0..<30 {
            // Parts reach past the tile's edges (clipped rows and columns); the second part
            // lies east of the first, disjoint from it.
            let c1 = Position(Double.random(in: 139.1...139.3, using: &random), Double.random(in: 35.5...35.8, using: &random))
            let outer = star(c1, 0.1, 0.25, Int.random(in: 5...60, using: &random))
            let hole = Array(star(c1, 0.02, 0.06, 9).reversed())
            let geometry: Geometry = trial % 2 == 0 ? .polygon([outer, hole])
                : .multiPolygon([[outer, hole], [star(Position(c1.x + 0.55, c1.y - 0.2), 0.05, 0.1, 13)]])
            guard try geos.isValid(geometry).valid, let rings = ScanlineFill.rings(of: geometry) else { continue }
            let prepared = try PreparedGeometry(geometry, context: geos)
            var expected = Set<Int>()
            for r in 0..<grid.rows { for c in 0..<grid.columns where try prepared.contains(grid.centre(row: r, column: c)) {
                expected.insert(r * grid.columns + c)
            } }
            let fast = Self.inside(rings, grid)
            #expect(fast == expected, "trial \(trial): \(fast.symmetricDifference(expected).count) cells differ")
            checked += 1
        }
        #expect(checked >= 25)
    }

    @Test("every inside cell is reported once, runs in row order and west to east")
    func runsAreDisjoint() {
        let grid = RegularGrid(west: 0, south: 0, stepLon: 1, stepLat: 1, columns: 10, rows: 10)
        let rings = [[Position(0.5, 0.5), Position(9.5, 0.5), Position(9.5, 9.5), Position(0.5, 9.5), Position(0.5, 0.5)],
                     [Position(3, 3), Position(3, 7), Position(7, 7), Position(7, 3), Position(3, 3)]]
        var last = (row: -1, end: 0)
        var total = 0
        ScanlineFill.fill(rings: rings, grid: grid) { row, first, end in
            #expect(row > last.row || (row == last.row && first >= last.end))
            last = (row, end); total += end - first
        }
        #expect(total == Self.inside(rings, grid).count)
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
