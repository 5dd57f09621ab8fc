import GeoCore
import Testing
@testable import FiberCoverage

/// Grid-union dissolve: exact, valid, and conserving every person.
@Suite("Grid dissolve")
struct DissolveTests {
    /// A deterministic scatter of 250 m cells with holes, pinch points and islands of cells.
    static func scatter(_ n: Int, seed: UInt64) -> [MeshCode] {
        var state = seed
        var seen = Set<MeshCode>()
        var cells: [MeshCode] = []
        let base = MeshCode(containing: Position(139.5, 35.5), level: .quarter)
        while cells.count < n {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let r = Int((state >> 33) % 40), c = Int((state >> 13) % 40)
            let cell = MeshCode(level: .quarter, row: base.row + r, column: base.column + c)
            if seen.insert(cell).inserted { cells.append(cell) }
        }
        return cells
    }

    @Test("components are maximal, rings valid, areas exact", arguments: [(300, UInt64(1)), (800, 7), (1200, 42)])
    func components(_ n: Int, _ seed: UInt64) throws {
        let cells = Self.scatter(n, seed: seed)
        let components = GridDissolve.components(cells)
        var owner: [MeshCode: Int] = [:]
        for (k, component) in components.enumerated() { for i in component.members { owner[cells[i]] = k } }
        #expect(owner.count == cells.count)   // every cell in exactly one gap
        // Maximal: edge neighbours are always in the same component.
        for cell in cells {
            for (dr, dc) in [(0, 1), (1, 0)] {
                if let other = owner[MeshCode(level: .quarter, row: cell.row + dr, column: cell.column + dc)] {
                    #expect(other == owner[cell])
                }
            }
        }
        let geos = GEOSContext()
        for component in components {
            let rings = GridDissolve.polygon(component.rings, level: .quarter)
            let polygon = Geometry.polygon(rings)
            let validity = try geos.isValid(polygon)
            #expect(validity.valid, "\(validity.reason ?? "")")
            // Planar area in degrees² equals the number of cells × cell area exactly.
            let cellDeg2 = (1 / MeshCode.Level.quarter.rowsPerDegree) * (1 / MeshCode.Level.quarter.columnsPerDegree)
            #expect(abs(try geos.area(polygon) - Double(component.members.count) * cellDeg2) < 1e-12)
            // Exterior counter-clockwise (RFC 7946 §3.1.6), holes clockwise.
            for (k, ring) in rings.enumerated() {
                var twice = 0.0
                for i in 1..<ring.count { twice += ring[i - 1].x * ring[i].y - ring[i].x * ring[i - 1].y }
                #expect(k == 0 ? twice > 0 : twice < 0)
            }
            // The union of the member cells is the polygon.
            let members = try geos.unaryUnion(.multiPolygon(component.members.map { i -> [[Position]] in
                guard case .polygon(let r) = cells[i].polygon else { return [] }
                return r
            }))
            #expect(try geos.equalsTopologically(members, polygon))
        }
    }

    @Test("a ring of cells makes one polygon with one hole; corner-touching cells stay apart")
    func shapes() {
        // 3×3 ring (hole in the middle).
        var ring: [MeshCode] = []
        for r in 0..<3 { for c in 0..<3 where !(r == 1 && c == 1) { ring.append(MeshCode(level: .third, row: 4000 + r, column: 3000 + c)) } }
        let one = GridDissolve.components(ring)
        #expect(one.count == 1)
        #expect(one.first?.rings.count == 2)
        #expect(one.first?.rings.first?.count == 5)       // a square: 4 corners + closing point
        // Diagonal neighbours only: two components.
        let diagonal = [MeshCode(level: .third, row: 10, column: 10), MeshCode(level: .third, row: 11, column: 11)]
        #expect(GridDissolve.components(diagonal).count == 2)
    }
}
