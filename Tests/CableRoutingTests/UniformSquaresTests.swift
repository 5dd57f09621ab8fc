import Foundation
import GeoCore
import Testing
@testable import CableRouting

/// Line of sight that crosses uniform squares whole must see exactly what the cell-by-cell
/// traversal sees: the same blocked segments, the same cost and the same dearest cell.
@Suite struct UniformSquaresTests {
    /// Islands with a clearance band and two hazards, so squares end at land, at
    /// multiplier steps and at the grid's edge.
    static func world() -> SeaSurface {
        SyntheticWorld.surface(land: land(), hazards: hazards(), clearanceKm: 2)
    }

    static func land() -> [Geometry] {
        [SyntheticWorld.disc(center: Position(2, 0), radiusKm: 60),
         SyntheticWorld.disc(center: Position(5.5, 1.5), radiusKm: 25),
         Geometry.polygon([SyntheticWorld.box(6.2, -3.0, 6.6, -1.0)])]
    }

    static func hazards() -> [HazardZone] {
        let hazards = [HazardZone(name: "band", kind: "trench", weight: 2, geometry: .polygon([SyntheticWorld.box(3.5, -4, 4.0, 4)])),
                       HazardZone(name: "fault", kind: "fault", weight: 1, corridorKm: 20,
                                  geometry: .lineString([Position(0.5, -3), Position(7.5, 3)]))]
        return hazards
    }

    /// Random blocked cells in a few clumps, as separation corridors and zones make them.
    static func blocked(count: Int, width: Int, height: Int, seed: UInt64) -> [Bool] {
        var rng = SplitMix64(seed: seed)
        var mask = [Bool](repeating: false, count: count)
        for _ in 0..<6 {
            let ci = Int(rng.next() % UInt64(width)), cj = Int(rng.next() % UInt64(height))
            let r = 1 + Int(rng.next() % 6)
            for j in max(0, cj - r)...min(height - 1, cj + r) {
                for i in max(0, ci - r)...min(width - 1, ci + r) { mask[j * width + i] = true }
            }
        }
        return mask
    }

    @Test(arguments: [false, true])
    func skippingSeesWhatTheCellByCellTraversalSees(withBlockedCells: Bool) throws {
        let surface = Self.world()
        let router = CableRouter(surface: surface)
        let grid = surface.grid
        let blocked = withBlockedCells
            ? Self.blocked(count: grid.cellCount, width: grid.width, height: grid.height, seed: 7)
            : [Bool](repeating: false, count: grid.cellCount)
        let fast = router.search(blocked: blocked, approaches: [])
        #expect(fast.skipping != nil)
        let plain = RouteSearch(grid: fast.grid, lattice: fast.lattice, multiplier: fast.multiplier, blocked: blocked,
                                approaches: [], minMultiplier: fast.minMultiplier, skipping: nil)
        var rng = SplitMix64(seed: withBlockedCells ? 11 : 5)
        func coordinate(_ limit: Int) -> Double {
            // Cell centres (exact corner crossings on diagonals) and arbitrary points.
            let whole = Double(rng.next() % UInt64(limit))
            return rng.next() % 3 == 0 ? whole + 0.5 : whole + Double(rng.next() % 1_000_000) / 1_000_000
        }
        var clear = 0, skipped = 0
        for _ in 0..<4000 {
            let ax = coordinate(grid.width), ay = coordinate(grid.height)
            let bx = coordinate(grid.width), by = coordinate(grid.height)
            let expected = plain.segment(ax, ay, bx, by)
            let seen = fast.segment(ax, ay, bx, by)
            #expect((expected == nil) == (seen == nil), "segment (\(ax), \(ay)) → (\(bx), \(by))")
            guard let expected, let seen else { continue }
            clear += 1
            #expect(abs(seen.cost - expected.cost) <= 1e-9 * max(1, expected.cost))
            #expect(seen.maxMultiplier == expected.maxMultiplier)
            if surface.uniformSquares.radius[Int(ay) * grid.width + Int(ax)] > 0 { skipped += 1 }
        }
        // The table must exercise both outcomes and real skipping.
        #expect(clear > 400 && clear < 3900, "\(clear) clear segments of 4000")
        #expect(skipped > 100)
    }

    /// Every square the radii promise is open water of one multiplier (brute force).
    @Test func everySquareIsOpenWaterOfOneMultiplier() {
        let surface = Self.world()
        let lattice = surface.lattice, w = lattice.width, h = lattice.height
        let radius = surface.uniformSquares.radius
        var checked = 0, largest = 0
        for c in stride(from: 0, to: w * h, by: 7) where radius[c] > 0 {
            let r = Int(radius[c]), i = c % w, j = c / w
            largest = max(largest, r)
            let m = surface.multiplier[c]
            var uniform = i - r >= 0 && j - r >= 0 && i + r < w && j + r < h
            if uniform {
                for b in (j - r)...(j + r) {
                    for a in (i - r)...(i + r) where !lattice.isSearchCoarse(b * w + a) || surface.multiplier[b * w + a] != m {
                        uniform = false
                    }
                }
            }
            #expect(uniform, "cell (\(i), \(j)) radius \(r)")
            checked += 1
        }
        #expect(checked > 1000)
        #expect(largest >= 10, "open water far from land and hazards forms large squares")
    }

    @Test func theSquaresAreCachedAndCheckedWhenRead() throws {
        let surface = Self.world()
        let entries = Dictionary(uniqueKeysWithValues: surface.cacheEntries().map { ($0.name, $0.data) })
        let name = UniformSquares.entryName(surface.squaresKey)
        #expect(entries[name] != nil)
        let options = surface.options
        let reused = SeaSurface(land: Self.land(), hazards: surface.hazards, options: options, cached: { entries[$0] })
        #expect(reused.builtSquares == nil, "the same lattice and costs reuse the squares")
        #expect(reused.uniformSquares.radius.array == surface.uniformSquares.radius.array)
        // One flipped radius is caught by the checksum and the squares are computed again.
        var damaged = entries
        if var bytes = damaged[name] {
            bytes[bytes.count - 1000] ^= 0x40
            damaged[name] = bytes
        }
        let rebuilt = SeaSurface(land: Self.land(), hazards: surface.hazards, options: options, cached: { damaged[$0] })
        #expect(rebuilt.builtSquares != nil)
        #expect(rebuilt.uniformSquares.radius.array == surface.uniformSquares.radius.array)
    }
}
