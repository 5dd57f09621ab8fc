/// A JIS X 0410 standard regional mesh cell (標準地域メッシュ), with the Statistics Bureau's
/// subdivisions (分割地域メッシュ):
///
/// | level   | digits | cell (lat × lon)   | ≈ size  | code                        |
/// |---------|--------|--------------------|---------|-----------------------------|
/// | first   | 4      | 40′ × 1°           | 80 km   | pp uu: pp = ⌊1.5·lat⌋, uu = ⌊lon⌋ − 100 |
/// | second  | 6      | 5′ × 7′30″         | 10 km   | + q v, each 0–7 (8 × 8)     |
/// | third   | 8      | 30″ × 45″          | 1 km    | + r w, each 0–9 (10 × 10)   |
/// | half    | 9      | 15″ × 22.5″        | 500 m   | + 1=SW 2=SE 3=NW 4=NE       |
/// | quarter | 10     | 7.5″ × 11.25″      | 250 m   | + 1–4 likewise              |
/// | eighth  | 11     | 3.75″ × 5.625″     | 125 m   | + 1–4 likewise              |
///
/// A cell is its level and integer (row, column) indices at that level: `row` counts cells
/// northward from latitude 0 and `column` eastward from longitude 100° E, the origin JIS X
/// 0410 uses. Parsing a code straight from bytes costs no allocation, neighbours are ±1,
/// and a grid union of cells is exact integer arithmetic. South and west edges belong to a
/// cell. Codes are accepted on Japan's grid only (first-level pp 30–68, uu 22–53:
/// Okinotorishima 20.4° N to Soya 45.5° N, Yonaguni 122.9° E to Minamitorishima 153.99° E).
public struct MeshCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    public enum Level: Int, Sendable, CaseIterable, Comparable {
        case first = 1, second, third, half, quarter, eighth

        /// Number of digits in a code of this level.
        public var digitCount: Int { [4, 6, 8, 9, 10, 11][rawValue - 1] }
        /// Nominal cell size in km (the name the standard uses, not a measured size).
        public var nominalSizeKm: Double { [80, 10, 1, 0.5, 0.25, 0.125][rawValue - 1] }
        /// The level's name with its nominal size, e.g. "third (1 km)".
        public var name: String {
            ["first (80 km)", "second (10 km)", "third (1 km)", "half (500 m)", "quarter (250 m)",
             "eighth (125 m)"][rawValue - 1]
        }
        /// Rows per degree of latitude.
        public var rowsPerDegree: Double {
            switch self {
            case .first: 1.5
            case .second: 12
            default: 120 * Double(1 << (rawValue - 3))
            }
        }
        /// Columns per degree of longitude.
        public var columnsPerDegree: Double {
            switch self {
            case .first: 1
            case .second: 8
            default: 80 * Double(1 << (rawValue - 3))
            }
        }
        /// Rows and columns of this level inside one first-level mesh.
        public var cellsPerFirstLevel: (rows: Int, columns: Int) {
            switch self {
            case .first: (1, 1)
            case .second: (8, 8)
            default: (80 << (rawValue - 3), 80 << (rawValue - 3))
            }
        }

        public init?(digitCount: Int) {
            guard let level = Level.allCases.first(where: { $0.digitCount == digitCount }) else { return nil }
            self = level
        }
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    public var level: Level
    public var row: Int
    public var column: Int

    public init(level: Level, row: Int, column: Int) {
        self.level = level
        self.row = row
        self.column = column
    }

    /// Inclusive ranges of first-level latitude codes (pp) and longitude codes (uu) of the
    /// grid that covers Japan's territory. Codes outside it are not Japanese meshes.
    public static let firstLevelLatitudeCodes = 30...68
    public static let firstLevelLongitudeCodes = 22...53

    /// Why a string is not a mesh code of Japan's grid.
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

    /// Parses a code from ASCII bytes (no allocation). O(digits).
    public static func parse<C: Collection>(bytes: C) throws(ParseError) -> MeshCode where C.Element == UInt8 {
        let count = bytes.count
        guard let level = Level(digitCount: count) else { throw .length(count) }
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
        if level == .first { return MeshCode(level: .first, row: pp, column: uu) }
        guard digits.4 <= 7 else { throw .digit(position: 4, value: digits.4, allowed: 0...7) }
        guard digits.5 <= 7 else { throw .digit(position: 5, value: digits.5, allowed: 0...7) }
        if level == .second { return MeshCode(level: .second, row: pp * 8 + digits.4, column: uu * 8 + digits.5) }
        var row = pp * 80 + digits.4 * 10 + digits.6
        var column = uu * 80 + digits.5 * 10 + digits.7
        let subdivisions = [digits.8, digits.9, digits.10]
        for k in 0..<(level.rawValue - 3) {
            let d = subdivisions[k]
            guard (1...4).contains(d) else { throw .digit(position: 8 + k, value: d, allowed: 1...4) }
            row = row * 2 + (d - 1) / 2
            column = column * 2 + (d - 1) % 2
        }
        return MeshCode(level: level, row: row, column: column)
    }

    /// Parses and validates a code. O(digits).
    public init(_ code: String) throws(ParseError) {
        self = try MeshCode.parse(bytes: Array(code.utf8))
    }

    /// Whether `p` lies on Japan's grid (first-level codes 30–68 × 22–53).
    public static func covers(_ p: Position) -> Bool {
        guard p.lat.isFinite, p.lon.isFinite else { return false }
        let pp = (p.lat * 1.5).rounded(.down), uu = (p.lon - 100).rounded(.down)
        return pp >= Double(firstLevelLatitudeCodes.lowerBound) && pp <= Double(firstLevelLatitudeCodes.upperBound)
            && uu >= Double(firstLevelLongitudeCodes.lowerBound) && uu <= Double(firstLevelLongitudeCodes.upperBound)
    }

    /// The cell of `level` containing `p` (south and west edges inclusive). Points off
    /// Japan's grid, or non-finite, are clamped onto it, so the result always has a valid
    /// code; use `init(checkedContaining:level:)` for user input. O(1).
    public init(containing p: Position, level: Level) {
        let lat = p.lat.isFinite ? p.lat : 0, lon = p.lon.isFinite ? p.lon : 0
        let rows = level.rowsPerDegree, columns = level.columnsPerDegree
        let (rowsPer, columnsPer) = level.cellsPerFirstLevel
        let minRow = Double(MeshCode.firstLevelLatitudeCodes.lowerBound * rowsPer)
        let maxRow = Double((MeshCode.firstLevelLatitudeCodes.upperBound + 1) * rowsPer - 1)
        let minColumn = Double(MeshCode.firstLevelLongitudeCodes.lowerBound * columnsPer)
        let maxColumn = Double((MeshCode.firstLevelLongitudeCodes.upperBound + 1) * columnsPer - 1)
        self.level = level
        row = Int(min(max((lat * rows).rounded(.down), minRow), maxRow))
        column = Int(min(max(((lon - 100) * columns).rounded(.down), minColumn), maxColumn))
    }

    /// As `init(containing:level:)`, but throws for points off Japan's grid.
    public init(checkedContaining p: Position, level: Level) throws(ParseError) {
        guard MeshCode.covers(p) else {
            let pp = p.lat.isFinite ? Int(max(min((p.lat * 1.5).rounded(.down), 999), -999)) : -1
            let uu = p.lon.isFinite ? Int(max(min((p.lon - 100).rounded(.down), 999), -999)) : -1
            throw .outOfJapan(pp: pp, uu: uu)
        }
        self.init(containing: p, level: level)
    }

    /// The JIS X 0410 code.
    public var code: String {
        var out: [UInt8] = []
        out.reserveCapacity(11)
        func append2(_ v: Int) { out.append(UInt8(48 + v / 10)); out.append(UInt8(48 + v % 10)) }
        switch level {
        case .first:
            append2(row); append2(column)
        case .second:
            append2(row / 8); append2(column / 8)
            out.append(UInt8(48 + row % 8)); out.append(UInt8(48 + column % 8))
        default:
            let shift = level.rawValue - 3
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

    public var description: String { code }

    public var south: Double { Double(row) / level.rowsPerDegree }
    public var north: Double { Double(row + 1) / level.rowsPerDegree }
    public var west: Double { 100 + Double(column) / level.columnsPerDegree }
    public var east: Double { 100 + Double(column + 1) / level.columnsPerDegree }
    public var center: Position {
        Position(100 + (Double(column) + 0.5) / level.columnsPerDegree, (Double(row) + 0.5) / level.rowsPerDegree)
    }
    /// lon/lat degrees; south and west edges belong to the cell.
    public var bounds: BoundingBox { BoundingBox(minX: west, minY: south, maxX: east, maxY: north) }
    /// The cell as a closed counter-clockwise ring (RFC 7946 §3.1.6): SW, SE, NE, NW, SW.
    public var polygon: Geometry {
        .polygon([[Position(west, south), Position(east, south), Position(east, north),
                   Position(west, north), Position(west, south)]])
    }
    /// Area on the GRS80 ellipsoid (exact for a latitude/longitude quadrangle).
    public var areaKm2: Double { Ellipsoid.quadrangleAreaKm2(south: south, north: north, west: west, east: east) }

    /// The first-level mesh that holds this cell, as pp·100 + uu.
    public var firstLevelKey: Int {
        switch level {
        case .first: row * 100 + column
        case .second: (row / 8) * 100 + column / 8
        default: ((row >> (level.rawValue - 3)) / 80) * 100 + (column >> (level.rawValue - 3)) / 80
        }
    }

    /// The enclosing cell at a coarser (or the same) level; nil for a finer level.
    public func ancestor(at coarser: Level) -> MeshCode? {
        guard coarser <= level else { return nil }
        var r = row, c = column, l = level
        while l > coarser {
            switch l {
            case .second: r /= 8; c /= 8
            case .third: r /= 10; c /= 10
            default: r >>= 1; c >>= 1
            }
            l = Level(rawValue: l.rawValue - 1) ?? .first
        }
        return MeshCode(level: coarser, row: r, column: c)
    }

    /// The cells one level finer, in code order; empty for an eighth-level cell.
    public var children: [MeshCode] {
        guard let finer = Level(rawValue: level.rawValue + 1) else { return [] }
        let n = switch finer { case .second: 8; case .third: 10; default: 2 }
        var out: [MeshCode] = []
        out.reserveCapacity(n * n)
        for dr in 0..<n { for dc in 0..<n { out.append(MeshCode(level: finer, row: row * n + dr, column: column * n + dc)) } }
        return out.sorted { $0.code < $1.code }
    }

    public static func < (a: MeshCode, b: MeshCode) -> Bool {
        (a.level.rawValue, a.row, a.column) < (b.level.rawValue, b.row, b.column)
    }
}
