import GeoCore
import Testing
@testable import MapRendering

/// The placement machinery against brute force: box counts by summed-area table equal a
/// direct count, the legend lands on an empty corner when there is one, placed labels
/// never overlap.
@Suite struct PlacementTests {
    @Test func summedAreaCountsEqualBruteForce() {
        var grid = OccupancyGrid(widthPx: 200, heightPx: 120, cellPx: 2)
        grid.markPolyline([PixelPoint(x: 5, y: 5), PixelPoint(x: 190, y: 100), PixelPoint(x: 20, y: 110)], halfWidthPx: 1.5)
        grid.fillRings([[PixelPoint(x: 100, y: 10), PixelPoint(x: 150, y: 10), PixelPoint(x: 150, y: 60),
                         PixelPoint(x: 100, y: 60), PixelPoint(x: 100, y: 10)]])
        grid.prepare()
        var rng = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let x0 = Double(rng.next() % 200), y0 = Double(rng.next() % 120)
            let box = PixelBox(minX: x0, minY: y0, maxX: x0 + Double(rng.next() % 80), maxY: y0 + Double(rng.next() % 60))
            var brute = 0
            for r in 0..<grid.rows {
                for c in 0..<grid.columns where grid.cells[r * grid.columns + c] != 0 {
                    let cr = Int(min(max(box.minY / 2, -1), Double(grid.rows))), cr1 = Int(min(max(box.maxY / 2, -1), Double(grid.rows)))
                    let cc = Int(min(max(box.minX / 2, -1), Double(grid.columns))), cc1 = Int(min(max(box.maxX / 2, -1), Double(grid.columns)))
                    if r >= cr && r <= cr1 && c >= cc && c <= cc1 { brute += 1 }
                }
            }
            #expect(grid.occupied(box) == brute)
        }
        // The filled square's interior is occupied, the space beside it is not.
        #expect(grid.occupied(PixelBox(minX: 110, minY: 20, maxX: 140, maxY: 50)) == 16 * 16)
        #expect(grid.occupied(PixelBox(minX: 160, minY: 10, maxX: 170, maxY: 20)) == 0)
    }

    @Test func legendGoesToTheEmptiestCorner() {
        var grid = OccupancyGrid(widthPx: 400, heightPx: 300)
        // Something in the bottom-left corner and the top-left: bottom-right is empty.
        grid.markBox(minX: 0, minY: 200, maxX: 150, maxY: 300)
        grid.markBox(minX: 0, minY: 0, maxX: 150, maxY: 100)
        grid.prepare()
        let box = Placement.legend(size: (100, 80), canvas: (400, 300), occupancy: grid, reserved: [])
        #expect(box == PixelBox(x: 290, y: 210, width: 100, height: 80))
        #expect(grid.occupied(box) == 0)
    }

    @Test func labelsAroundOnePointDoNotOverlap() {
        var grid = OccupancyGrid(widthPx: 600, heightPx: 400)
        grid.prepare()
        let labels = (0..<12).map { k in
            Placement.Label(anchor: PixelPoint(x: 300 + Double(k % 3) * 6, y: 200 + Double(k / 3) * 5), clearancePx: 4,
                            text: "Data centre number \(k)", priority: Double(k))
        }
        let placed = Placement.labels(labels, occupancy: grid, reserved: [], canvas: (600, 400))
        #expect(placed.count >= 8)
        // The most important labels are the ones kept.
        #expect(placed.contains { $0.text == "Data centre number 11" })
        for i in placed.indices {
            for j in placed.indices where j > i {
                #expect(!placed[i].box.intersects(placed[j].box), "\(placed[i].text) / \(placed[j].text)")
            }
        }
    }
}
