import Foundation
import GeoCore

/// A JIS X 0410 grid square (地域メッシュ) as integer row/column indices at its level.
///
/// The engine works on indices rather than code strings: parsing a code straight from CSV
/// bytes into `(row, column)` costs no allocation, neighbours are ±1, and a grid union of
/// cells (dissolving gaps) is exact integer arithmetic. `row` counts cells northward from
/// latitude 0 and `column` eastward from longitude 100° E, the origin JIS X 0410 uses.
///
/// Levels and cell sizes (latitude × longitude):
/// first 40′ × 1° (≈80 km), second 5′ × 7.5′ (≈10 km), third 30″ × 45″ (≈1 km),
/// half 15″ × 22.5″ (500 m), quarter (250 m), eighth (125 m). The 1/2, 1/4 and 1/8
/// subdivisions append one digit 1–4: 1 = south-west, 2 = south-east, 3 = north-west,
/// 4 = north-east.
public struct MeshCell: Hashable, Sendable, Comparable {
    /// 1 = first … 3 = third (1 km), 4 = half (500 m), 5 = quarter (250 m), 6 = eighth (125 m).
    public var level: Int
    public var row: Int
    public var column: Int

    public init(level: Int, row: Int, column: Int) {
        self.level = level
        self.row = row
        self.column = column
    }

    /// Code length in digits for each level (index = level).
    public static let codeLength = [0, 4, 6, 8, 9, 10, 11]

    /// Rows per degree of latitude and columns per degree of longitude at a level.
    public static func rowsPerDegree(_ level: Int) -> Double {
        switch level {
        case 1: 1.5
        case 2: 12
        default: 120 * Double(1 << (level - 3))
        }
    }
    public static func columnsPerDegree(_ level: Int) -> Double {
        switch level {
        case 1: 1
        case 2: 8
        default: 80 * Double(1 << (level - 3))
        }
    }

    /// Inclusive range of first-level latitude codes (pp) and longitude codes (uu) of the
    /// grid that covers Japan's territory (Okinotorishima 20.4° N to Soya 45.5° N; Yonaguni
    /// 122.9° E to Minamitorishima 153.99° E). Codes outside it are not Japanese meshes.
    public static let firstLevelLatitudeCodes = 30...68
    public static let firstLevelLongitudeCodes = 22...53

    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case length(Int)
        case notDigits
        case outOfJapan(pp: Int, uu: Int)
        case digit(position: Int, value: Int, allowed: ClosedRange<Int>)

        public var description: String {
            switch self {
            case .length(let n):
                "has \(n) characters; JIS X 0410 codes have 4, 6, 8, 9, 10 or 11 digits"
            case .notDigits: "is not all digits"
            case .outOfJapan(let pp, let uu):
                "first-level mesh \(pp)\(uu) is outside Japan's grid (latitude code 30–68, longitude code 22–53)"
            case .digit(let position, let value, let allowed):
                "digit \(position + 1) is \(value); it must be \(allowed.lowerBound)–\(allowed.upperBound)"
            }
        }
    }

    /// Parses a code from ASCII bytes (no allocation). Throws `ParseError` saying why a code
    /// is unknown.
    public static func parse<C: Collection>(bytes: C) throws(ParseError) -> MeshCell where C.Element == UInt8 {
        let count = bytes.count
        var level = 0
        switch count {
        case 4: level = 1
        case 6: level = 2
        case 8: level = 3
        case 9: level = 4
        case 10: level = 5
        case 11: level = 6
        default: throw .length(count)
        }
        var digits = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var i = 0
        for byte in bytes {
            guard byte >= 48 && byte <= 57 else { throw .notDigits }
            let d = Int(byte - 48)
            switch i {
            case 0: digits.0 = d
            case 1: digits.1 = d
            case 2: digits.2 = d
            case 3: digits.3 = d
            case 4: digits.4 = d
            case 5: digits.5 = d
            case 6: digits.6 = d
            case 7: digits.7 = d
            case 8: digits.8 = d
            case 9: digits.9 = d
            default: digits.10 = d
            }
            i += 1
        }
        let pp = digits.0 * 10 + digits.1
        let uu = digits.2 * 10 + digits.3
        guard firstLevelLatitudeCodes.contains(pp), firstLevelLongitudeCodes.contains(uu) else {
            throw .outOfJapan(pp: pp, uu: uu)
        }
        if level == 1 { return MeshCell(level: 1, row: pp, column: uu) }
        guard digits.4 <= 7 else { throw .digit(position: 4, value: digits.4, allowed: 0...7) }
        guard digits.5 <= 7 else { throw .digit(position: 5, value: digits.5, allowed: 0...7) }
        if level == 2 { return MeshCell(level: 2, row: pp * 8 + digits.4, column: uu * 8 + digits.5) }
        var row = pp * 80 + digits.4 * 10 + digits.6
        var column = uu * 80 + digits.5 * 10 + digits.7
        let subdivisions = [digits.8, digits.9, digits.10]
        for k in 0..<(level - 3) {
            let d = subdivisions[k]
            guard (1...4).contains(d) else { throw .digit(position: 8 + k, value: d, allowed: 1...4) }
            row = row * 2 + (d - 1) / 2
            column = column * 2 + (d - 1) % 2
        }
        return MeshCell(level: level, row: row, column: column)
    }

    public init(code: String) throws(ParseError) {
        self = try MeshCell.parse(bytes: Array(code.utf8))
    }

    /// The cell at `level` that contains a lon/lat position (south and west edges inclusive).
    public init(containing p: Position, level: Int) {
        self.level = level
        row = Int((p.lat * MeshCell.rowsPerDegree(level)).rounded(.down))
        column = Int(((p.lon - 100) * MeshCell.columnsPerDegree(level)).rounded(.down))
    }

    /// The JIS X 0410 code.
    public var code: String {
        var out: [UInt8] = []
        out.reserveCapacity(11)
        func append2(_ v: Int) { out.append(UInt8(48 + v / 10)); out.append(UInt8(48 + v % 10)) }
        switch level {
        case 1:
            append2(row); append2(column)
        case 2:
            append2(row / 8); append2(column / 8)
            out.append(UInt8(48 + row % 8)); out.append(UInt8(48 + column % 8))
        default:
            let shift = level - 3
            let r3 = row >> shift, c3 = column >> shift
            append2(r3 / 80); append2(c3 / 80)
            out.append(UInt8(48 + (r3 % 80) / 10)); out.append(UInt8(48 + (c3 % 80) / 10))
            out.append(UInt8(48 + r3 % 10)); out.append(UInt8(48 + c3 % 10))
            var k = shift - 1
            while k >= 0 {
                let rb = (row >> k) & 1, cb = (column >> k) & 1
                out.append(UInt8(48 + 1 + rb * 2 + cb))
                k -= 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var south: Double { Double(row) / MeshCell.rowsPerDegree(level) }
    public var north: Double { Double(row + 1) / MeshCell.rowsPerDegree(level) }
    public var west: Double { 100 + Double(column) / MeshCell.columnsPerDegree(level) }
    public var east: Double { 100 + Double(column + 1) / MeshCell.columnsPerDegree(level) }
    public var center: Position {
        Position(100 + (Double(column) + 0.5) / MeshCell.columnsPerDegree(level),
                 (Double(row) + 0.5) / MeshCell.rowsPerDegree(level))
    }
    public var bounds: BoundingBox { BoundingBox(minX: west, minY: south, maxX: east, maxY: north) }
    /// Closed counter-clockwise ring (RFC 7946 §3.1.6 right-hand rule).
    public var polygon: Geometry {
        .polygon([[Position(west, south), Position(east, south), Position(east, north),
                   Position(west, north), Position(west, south)]])
    }
    /// Area on the GRS80 ellipsoid (exact for a latitude/longitude quadrangle).
    public var areaKm2: Double { Ellipsoid.quadrangleAreaKm2(south: south, north: north, west: west, east: east) }

    /// The first-level mesh that holds this cell (its duplicate-check bucket).
    public var firstLevelKey: Int {
        switch level {
        case 1: row * 100 + column
        case 2: (row / 8) * 100 + column / 8
        default: ((row >> (level - 3)) / 80) * 100 + (column >> (level - 3)) / 80
        }
    }
    /// Rows and columns of this level inside one first-level mesh.
    public static func cellsPerFirstLevel(_ level: Int) -> (rows: Int, columns: Int) {
        switch level {
        case 1: (1, 1)
        case 2: (8, 8)
        default: (80 << (level - 3), 80 << (level - 3))
        }
    }

    public static func < (a: MeshCell, b: MeshCell) -> Bool {
        (a.level, a.row, a.column) < (b.level, b.row, b.column)
    }
}

/// GRS80 constants and closed-form measures used where a full geodesic is not needed.
public enum Ellipsoid {
    public static let a = 6_378_137.0
    public static let f = 1 / 298.257222101
    public static let e2 = f * (2 - f)
    static let e = e2.squareRoot()

    /// Area of the quadrangle between two parallels and two meridians on the ellipsoid:
    /// A = b²·Δλ/2 · [g(φ₂) − g(φ₁)], g(φ) = sinφ/(1−e²sin²φ) + artanh(e·sinφ)/e.
    public static func quadrangleAreaKm2(south: Double, north: Double, west: Double, east: Double) -> Double {
        func g(_ latDeg: Double) -> Double {
            let s = sin(latDeg * .pi / 180)
            return s / (1 - e2 * s * s) + 0.5 / e * log((1 + e * s) / (1 - e * s))
        }
        let b2 = a * a * (1 - e2)
        let dLon = (east - west) * .pi / 180
        return b2 * dLon / 2 * (g(north) - g(south)) / 1e6
    }

    /// Metres per degree of latitude (meridional radius M) and of longitude (N·cosφ) at a
    /// latitude: the local tangent-plane scale used for nearby distances.
    public static func metresPerDegree(latitude: Double) -> (lat: Double, lon: Double) {
        let phi = latitude * .pi / 180
        let s = sin(phi)
        let w = (1 - e2 * s * s).squareRoot()
        let n = a / w
        let m = a * (1 - e2) / (w * w * w)
        return (m * .pi / 180, n * cos(phi) * .pi / 180)
    }
}

