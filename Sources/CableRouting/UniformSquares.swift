import Foundation

/// Empty-space skipping for line of sight on the coarse lattice.
///
/// Per coarse cell, the radius r (in cells) of the largest square centred on it whose
/// cells are all open search water with one cost multiplier. A segment that enters such a
/// cell crosses the whole square in one step: nothing inside can block it and the cost
/// integral is the length times the one multiplier. This is the "proximity clouds"
/// acceleration of grid ray traversal (D. Cohen & Z. Sheffer, "Proximity clouds — an
/// acceleration technique for 3D grid traversal", The Visual Computer 11, 1994), with the
/// chessboard distance transform of Rosenfeld & Pfaltz (J. ACM 13, 1966), which two raster
/// passes compute exactly. Offshore, a long line-of-sight check falls from one step per
/// 2 km cell to a few steps per hundred kilometres.
struct UniformSquares: Sendable {
    /// Per coarse cell: the square's radius, 0 when the cell is not inside one.
    let radius: FlatArray<UInt8>

    /// A cell breaks uniformity when it is not open search water, or when an open
    /// 8-neighbour has another multiplier. Every square of cells that are not breaks is
    /// 4-connected open water, so its multiplier is one value.
    init(lattice: SeaLattice, multiplier: FlatArray<Float>) {
        let w = lattice.width, h = lattice.height
        var distance = [UInt8](repeating: 0, count: w * h)
        lattice.coarseKind.withUnsafeBufferPointer { kinds in
            lattice.coarseFlags.withUnsafeBufferPointer { flags in
                multiplier.withUnsafeBufferPointer { m in
                    @inline(__always) func open(_ c: Int) -> Bool {
                        let k = kinds[c]
                        return k == SeaLattice.openKind || (k >= 0 && flags[c] & SeaLattice.Coarse.allFree != 0)
                    }
                    for j in 1..<max(1, h - 1) {
                        for i in 1..<max(1, w - 1) {
                            let c = j * w + i
                            guard open(c) else { continue }
                            let value = m[c]
                            @inline(__always) func differs(_ n: Int) -> Bool { open(n) && m[n] != value }
                            if differs(c - w - 1) || differs(c - w) || differs(c - w + 1) || differs(c - 1)
                                || differs(c + 1) || differs(c + w - 1) || differs(c + w) || differs(c + w + 1) { continue }
                            distance[c] = .max
                        }
                    }
                }
            }
        }
        // Chessboard distance to the nearest break (cells off the grid are breaks), as two
        // raster passes over the 8-neighbourhood; the radius is that distance minus one.
        distance.withUnsafeMutableBufferPointer { d in
            @inline(__always) func at(_ i: Int, _ j: Int) -> UInt8 {
                (i >= 0 && j >= 0 && i < w && j < h) ? d[j * w + i] : 0
            }
            for j in 0..<h {
                for i in 0..<w where d[j * w + i] != 0 {
                    let nearest = min(at(i - 1, j), at(i - 1, j - 1), at(i, j - 1), at(i + 1, j - 1))
                    d[j * w + i] = min(d[j * w + i], nearest == .max ? .max : nearest + 1)
                }
            }
            for j in stride(from: h - 1, through: 0, by: -1) {
                for i in stride(from: w - 1, through: 0, by: -1) where d[j * w + i] != 0 {
                    let nearest = min(at(i + 1, j), at(i + 1, j + 1), at(i, j + 1), at(i - 1, j + 1))
                    d[j * w + i] = min(d[j * w + i], nearest == .max ? .max : nearest + 1)
                }
            }
            for c in 0..<d.count where d[c] != 0 { d[c] = min(d[c], UInt8.max - 1) - 1 }
        }
        radius = FlatArray(distance)
    }

    private init(radius: FlatArray<UInt8>) { self.radius = radius }

    // MARK: Cache file

    static let formatVersion: UInt64 = 1
    static let magic: [UInt8] = Array("WATTBIT-SEA-SQUARES\n".utf8)

    /// The squares follow from the lattice and the cost rasters, so their key is made of
    /// both keys.
    static func key(latticeKey: String, costKey: String) -> String {
        var hasher = ContentHasher()
        hasher.mix(formatVersion)
        for byte in (latticeKey + "/" + costKey).utf8 { hasher.mix(UInt64(byte)) }
        return hasher.hex
    }

    static func entryName(_ key: String) -> String { "cable-squares-\(key).raster" }

    /// Cache bytes: cell count, a checksum of the radii, the radii. A wrong radius would
    /// let line of sight skip over land, so unlike the other sections these are checked
    /// word by word when read (2 MB for Japan at 2 km).
    func serialized(key: String) -> Data {
        var writer = CacheFileWriter(magic: Self.magic, version: Self.formatVersion, key: key)
        writer.append(UInt64(radius.count))
        writer.append(Self.checksum(radius))
        writer.append(radius)
        return writer.data
    }

    /// Reads what `serialized` wrote, in place; nil unless the key, the cell count and the
    /// checksum all match.
    init?(serialized data: Data, key: String, count: Int) {
        guard var reader = CacheFileReader(data, magic: Self.magic, version: Self.formatVersion, key: key),
              reader.u64() == UInt64(count), let sum = reader.u64(),
              let radius = reader.array(count, of: UInt8.self), reader.isAtEnd,
              Self.checksum(radius) == sum else { return nil }
        self.radius = radius
    }

    static func checksum(_ values: FlatArray<UInt8>) -> UInt64 {
        var hasher = ContentHasher()
        values.withUnsafeBufferPointer { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            let words = raw.count / 8
            for k in 0..<words { hasher.mix(raw.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self)) }
            for k in (words * 8)..<raw.count { hasher.mix(UInt64(raw[k])) }
        }
        return hasher.first
    }

    /// Side, in coarse cells, of the tiles in which a query's blocked cells are summarised.
    static let tileSide = 4

    /// For one query's blocked cells: per tile, the chessboard distance in tiles to the
    /// nearest tile holding a blocked cell (0 for such a tile), or nil when nothing is
    /// blocked. A cell in a tile at distance D ≥ 1 has no blocked cell within
    /// (D − 1) · side cells plus its own margin inside its tile.
    static func blockedTileDistance(blocked: [Bool], width w: Int, height h: Int) -> [UInt8]? {
        let side = tileSide
        let tw = (w + side - 1) / side, th = (h + side - 1) / side
        var tiles = [UInt8](repeating: .max, count: tw * th)
        var any = false
        blocked.withUnsafeBufferPointer { b in
            for j in 0..<h {
                let row = j * w, tileRow = (j / side) * tw
                for i in 0..<w where b[row + i] {
                    tiles[tileRow + i / side] = 0
                    any = true
                }
            }
        }
        guard any else { return nil }
        for j in 0..<th {
            for i in 0..<tw where tiles[j * tw + i] != 0 {
                var nearest = UInt8.max
                for (a, b) in [(i - 1, j), (i - 1, j - 1), (i, j - 1), (i + 1, j - 1)] where a >= 0 && b >= 0 && a < tw {
                    nearest = min(nearest, tiles[b * tw + a])
                }
                tiles[j * tw + i] = min(tiles[j * tw + i], nearest == .max ? .max : nearest + 1)
            }
        }
        for j in stride(from: th - 1, through: 0, by: -1) {
            for i in stride(from: tw - 1, through: 0, by: -1) where tiles[j * tw + i] != 0 {
                var nearest = UInt8.max
                for (a, b) in [(i + 1, j), (i + 1, j + 1), (i, j + 1), (i - 1, j + 1)] where a >= 0 && a < tw && b < th {
                    nearest = min(nearest, tiles[b * tw + a])
                }
                tiles[j * tw + i] = min(tiles[j * tw + i], nearest == .max ? .max : nearest + 1)
            }
        }
        return tiles
    }
}
