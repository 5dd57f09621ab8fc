/// Why a string is not a JIS X 0410 regional mesh code, or a point has none.
public struct MeshCodeError: Error, CustomStringConvertible, Sendable {
    public var code: String
    public var message: String
    public var description: String { "mesh code '\(code)': \(message)" }
}

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
/// All arithmetic is done on integer counts of eighth-level cells (1/960° of latitude,
/// 1/640° of longitude), so codes, bounds and point lookups are exact and consistent.
/// The code space covers lat 0…66.67° N and lon 100…200° E (pp, uu = 00…99).
public struct MeshCode: Hashable, Sendable, CustomStringConvertible {
    public enum Level: Int, Sendable, CaseIterable, Comparable {
        case first = 1, second, third, half, quarter, eighth

        /// Number of digits in a code of this level.
        public var digitCount: Int { [4, 6, 8, 9, 10, 11][rawValue - 1] }
        /// Nominal cell size in km (the name the standard uses, not a measured size).
        public var nominalSizeKm: Double { [80, 10, 1, 0.5, 0.25, 0.125][rawValue - 1] }
        /// Cell size in eighth-level units (the same count in latitude and longitude).
        var units: Int { [640, 80, 8, 4, 2, 1][rawValue - 1] }

        public init?(digitCount: Int) {
            guard let level = Level.allCases.first(where: { $0.digitCount == digitCount }) else { return nil }
            self = level
        }
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    public let code: String
    public let level: Level
    /// South-west corner in eighth-level units: latitude × 960, (longitude − 100) × 640.
    private let southUnits: Int
    private let westUnits: Int

    static let latUnitsPerDegree = 960.0
    static let lonUnitsPerDegree = 640.0
    /// 100 first-level rows and columns.
    static let unitSpan = 100 * 640

    /// Parses and validates a code. O(digits).
    public init(_ code: String) throws {
        let bytes = Array(code.utf8)
        guard let level = Level(digitCount: bytes.count) else {
            throw MeshCodeError(code: code, message: "\(bytes.count) characters; JIS X 0410 codes have "
                                + "4, 6, 8, 9, 10 or 11 digits")
        }
        var digits: [Int] = []
        for (i, b) in bytes.enumerated() {
            guard b >= 0x30, b <= 0x39 else {
                throw MeshCodeError(code: code, message: "character \(i + 1) is not a digit")
            }
            digits.append(Int(b - 0x30))
        }
        var south = (digits[0] * 10 + digits[1]) * 640
        var west = (digits[2] * 10 + digits[3]) * 640
        if level >= .second {
            for (i, name) in [(4, "second-level latitude"), (5, "second-level longitude")] where digits[i] > 7 {
                throw MeshCodeError(code: code, message: "digit \(i + 1) (\(name)) is \(digits[i]); must be 0-7")
            }
            south += digits[4] * 80
            west += digits[5] * 80
        }
        if level >= .third {
            south += digits[6] * 8
            west += digits[7] * 8
        }
        var size = 8
        for i in stride(from: 8, to: digits.count, by: 1) {
            let d = digits[i]
            guard (1...4).contains(d) else {
                let name = ["half", "quarter", "eighth"][i - 8]
                throw MeshCodeError(code: code, message: "digit \(i + 1) (\(name) subdivision) is \(d); must be 1-4")
            }
            size /= 2
            // 1 = SW, 2 = SE, 3 = NW, 4 = NE.
            if d >= 3 { south += size }
            if d == 2 || d == 4 { west += size }
        }
        self.code = code
        self.level = level
        self.southUnits = south
        self.westUnits = west
    }

    /// The cell of `level` containing `p` (cells include their south and west edges).
    /// Points outside the code space (lat 0…66.67, lon 100…200, or non-finite) are clamped
    /// into it; use `init(checkedContaining:level:)` for user input. O(1).
    public init(containing p: Position, level: Level) {
        let lat = p.lat.isFinite ? p.lat : 0, lon = p.lon.isFinite ? p.lon : 100
        let south = Self.units(lat * Self.latUnitsPerDegree)
        let west = Self.units((lon - 100) * Self.lonUnitsPerDegree)
        self.init(southUnits: south, westUnits: west, level: level)
    }

    /// As `init(containing:level:)`, but throws for points outside the JIS X 0410 code space.
    public init(checkedContaining p: Position, level: Level) throws {
        guard MeshCode.covers(p) else {
            throw MeshCodeError(code: "", message: "point (\(p.lon), \(p.lat)) lies outside the JIS X 0410 "
                                + "code space (lon 100-200, lat 0-66.67)")
        }
        self.init(containing: p, level: level)
    }

    /// Whether `p` lies in the code space (lat 0…66.67, lon 100…200).
    public static func covers(_ p: Position) -> Bool {
        p.lat.isFinite && p.lon.isFinite && p.lat >= 0 && p.lon >= 100
            && p.lat * latUnitsPerDegree < Double(unitSpan) && (p.lon - 100) * lonUnitsPerDegree < Double(unitSpan)
    }

    private static func units(_ value: Double) -> Int {
        Int(min(max(value.rounded(.down), 0), Double(unitSpan - 1)))
    }

    private init(southUnits: Int, westUnits: Int, level: Level) {
        let size = level.units
        let south = southUnits - southUnits % size
        let west = westUnits - westUnits % size
        var code = ""
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        code += two(south / 640) + two(west / 640)
        if level >= .second { code += "\(south % 640 / 80)\(west % 640 / 80)" }
        if level >= .third { code += "\(south % 80 / 8)\(west % 80 / 8)" }
        var step = 4
        for _ in stride(from: Level.half.rawValue, through: level.rawValue, by: 1) {
            let north = south % (2 * step) / step, east = west % (2 * step) / step
            code += "\(1 + east + 2 * north)"
            step /= 2
        }
        self.code = code
        self.level = level
        self.southUnits = south
        self.westUnits = west
    }

    /// lon/lat degrees; south and west edges belong to the cell.
    public var bounds: BoundingBox {
        let size = Double(level.units)
        return BoundingBox(minX: 100 + Double(westUnits) / Self.lonUnitsPerDegree,
                           minY: Double(southUnits) / Self.latUnitsPerDegree,
                           maxX: 100 + (Double(westUnits) + size) / Self.lonUnitsPerDegree,
                           maxY: (Double(southUnits) + size) / Self.latUnitsPerDegree)
    }

    public var center: Position {
        let half = Double(level.units) / 2
        return Position(100 + (Double(westUnits) + half) / Self.lonUnitsPerDegree,
                        (Double(southUnits) + half) / Self.latUnitsPerDegree)
    }

    /// The cell as a closed counter-clockwise ring (RFC 7946 §3.1.6): SW, SE, NE, NW, SW.
    public var polygon: Geometry {
        let b = bounds
        return .polygon([[Position(b.minX, b.minY), Position(b.maxX, b.minY), Position(b.maxX, b.maxY),
                          Position(b.minX, b.maxY), Position(b.minX, b.minY)]])
    }

    /// The enclosing cell at a coarser (or the same) level; nil for a finer level.
    public func ancestor(at coarser: Level) -> MeshCode? {
        guard coarser <= level else { return nil }
        return MeshCode(southUnits: southUnits, westUnits: westUnits, level: coarser)
    }

    /// The cells one level finer, in code order; empty for an eighth-level cell.
    public var children: [MeshCode] {
        guard let finer = Level(rawValue: level.rawValue + 1) else { return [] }
        let n = level.units / finer.units, size = finer.units
        var out: [MeshCode] = []
        out.reserveCapacity(n * n)
        for row in 0..<n {
            for column in 0..<n {
                out.append(MeshCode(southUnits: southUnits + row * size, westUnits: westUnits + column * size,
                                    level: finer))
            }
        }
        return out.sorted { $0.code < $1.code }
    }

    public var description: String { code }

    public static func == (a: MeshCode, b: MeshCode) -> Bool { a.code == b.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
