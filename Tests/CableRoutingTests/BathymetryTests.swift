import Foundation
import GeoCore
import Testing
@testable import CableRouting

@Suite struct BathymetryTests {
    static let grid = """
        ncols 4
        nrows 2
        xllcorner 0
        yllcorner -1
        cellsize 1
        NODATA_value -9999
        -10 -150 -3000 -9999
        -8000 -5500 -100 12
        """

    @Test func readsAAIGridRowsNorthToSouthAsElevations() throws {
        let g = try BathymetryGrid(aaigrid: Array(Self.grid.utf8))
        #expect(g.depthMeters(at: Position(0.5, 0.5)) == 10)       // north row, first column
        #expect(g.depthMeters(at: Position(2.5, 0.5)) == 3000)
        #expect(g.depthMeters(at: Position(3.5, 0.5)) == nil)      // NODATA
        #expect(g.depthMeters(at: Position(0.5, -0.5)) == 8000)    // south row
        #expect(g.depthMeters(at: Position(3.5, -0.5)) == -12)     // land above sea level
        #expect(g.depthMeters(at: Position(4.5, 0)) == nil)        // outside
    }

    @Test func malformedGridsNameTheLine() {
        let cases: [(String, String, Int)] = [
            ("ncols 2\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 x\n", "not a number", 6),
            ("ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2 3\n", "expected 4 values", 7),
            ("ncols 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2\n", "ncols and nrows", 5),
            ("ncols 2\nnrows 1\nbogus 3\n", "unknown header", 3),
        ]
        for (text, message, line) in cases {
            do {
                _ = try BathymetryGrid(aaigrid: Array(text.utf8))
                Issue.record("accepted: \(text)")
            } catch let error as BathymetryGrid.ParseError {
                #expect(error.message.contains(message), "\(error)")
                #expect(error.line == line, "\(error)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func depthCostCurveIsTheDocumentedOne() {
        let table: [(Double, Double)] = [(0, 0), (10, 1.0), (20, 0.5), (110, 0.25), (200, 0), (3000, 0),
                                         (4000, 0), (5500, 0.15), (7000, 1.0), (9000, 1.0)]
        for (depth, factor) in table {
            #expect(abs(DepthCost.extraFactor(depthMeters: depth) - factor) < 1e-9, "\(depth) m")
        }
    }

    @Test func aShallowBankIsRoutedAroundWhenTheDetourIsCheaper() throws {
        // A 10 m bank across the direct line from lat -0.5 to 4 (cost ×2); deep water south of it.
        var rows: [String] = []
        for r in 0..<16 {
            let lat = 4 - 0.5 * Double(r) - 0.25
            let row = (0..<16).map { c -> String in
                let lon = 0.5 * Double(c) + 0.25
                return (lon > 3.5 && lon < 4.5 && lat > -0.5) ? "-10" : "-3000"
            }
            rows.append(row.joined(separator: " "))
        }
        let text = "ncols 16\nnrows 16\nxllcorner 0\nyllcorner -4\ncellsize 0.5\n" + rows.joined(separator: "\n")
        let bathymetry = try BathymetryGrid(aaigrid: Array(text.utf8))
        let surface = SeaSurface(land: [], bathymetry: bathymetry,
                                 options: SeaSurfaceOptions(region: SyntheticWorld.region, cellKm: 4, coastClearanceKm: 0, minPassageKm: 1))
        let route = try SyntheticWorld.planOne(surface, from: Position(1, 0), to: Position(7, 0))
        #expect(route.vertices.contains { $0.lat < -0.45 }, "goes round the bank's southern end")
        #expect(route.cost < route.lengthKm * 1.01, "the detour avoids the bank's cost")
    }
}
