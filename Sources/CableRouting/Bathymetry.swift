import GeoCore

/// A depth grid in ESRI ASCII grid form (as written by `gdal_translate -of AAIGrid`):
/// header `ncols`, `nrows`, `xllcorner|xllcenter`, `yllcorner|yllcenter`, `cellsize`
/// (or `dx`/`dy`), optional `NODATA_value`, then rows from north to south. Values are
/// elevations in metres (negative below sea level, as GEBCO) or positive depths; which one
/// is decided once, when the grid is read (see `depthConvention`).
///
/// Every number is checked where it is read: decimal only (no hexadecimal, `nan`, `inf`
/// or bytes after a NUL), finite, and in range — the grid lies within −180…180° longitude
/// and −90…90° latitude, cells are 1e-6° to 10° across, values are within ±20,000 m unless
/// they are the declared NODATA value. So no later arithmetic on a grid can overflow.
///
/// Cost: reading is O(bytes) in one pass over the bytes (no per-token allocation);
/// `value(at:)` and `depthMeters(at:)` are O(1).
public struct BathymetryGrid: Sendable {
    public enum DepthConvention: Sendable { case elevation, positiveDepth }
    public let columns: Int
    public let rows: Int
    /// Lon/lat of the south-west corner of the south-west cell.
    public let west: Double
    public let south: Double
    public let cellDegreesX: Double
    public let cellDegreesY: Double
    /// Mostly negative values (GEBCO, ETOPO) are elevations, otherwise positive depths;
    /// counted once over the data values when the grid is read.
    public let depthConvention: DepthConvention
    let values: [Float]   // row 0 = northernmost
    let noData: Float?

    /// Limits checked when a grid is read.
    public static let maximumAbsoluteValueMeters: Float = 20_000
    public static let cellDegreesRange = 1e-6...10.0
    public static let maximumValues = 400_000_000

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses AAIGrid text. Throws `ParseError` naming the line for a malformed or
    /// out-of-range header, a value that is not a decimal number or out of range, or a
    /// wrong number of values. O(bytes).
    public init(aaigrid bytes: [UInt8]) throws {
        let parsed = try bytes.withUnsafeBufferPointer { buffer in
            var parser = AAIGridParser(bytes: buffer)
            return try parser.parse()
        }
        columns = parsed.columns
        rows = parsed.rows
        west = parsed.west
        south = parsed.south
        cellDegreesX = parsed.dx
        cellDegreesY = parsed.dy
        values = parsed.values
        noData = parsed.noData
        depthConvention = parsed.negative >= parsed.positive ? .elevation : .positiveDepth
    }

    /// The grid value at a lon/lat position, or nil outside the grid or on NODATA. O(1).
    public func value(at p: Position) -> Float? {
        let x = (p.lon - west) / cellDegreesX
        let y = (p.lat - south) / cellDegreesY
        // Compared as doubles first: an Int conversion of a non-finite value would trap.
        guard x >= 0, x < Double(columns), y >= 0, y < Double(rows) else { return nil }
        let c = Int(x), rFromSouth = Int(y)
        let v = values[(rows - 1 - rFromSouth) * columns + c]
        if let noData, v == noData { return nil }
        return v
    }

    /// Depth below sea level (m, positive) at `p`, after the grid's `depthConvention`. O(1).
    public func depthMeters(at p: Position) -> Double? {
        guard let v = value(at: p) else { return nil }
        return depthConvention == .elevation ? Double(-v) : Double(v)
    }
}

/// One pass over AAIGrid bytes: whitespace-separated tokens, header keys then values.
private struct AAIGridParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var line = 1

    struct Result {
        var columns: Int, rows: Int, west: Double, south: Double, dx: Double, dy: Double
        var values: [Float], noData: Float?, negative: Int, positive: Int
    }

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    typealias ParseError = BathymetryGrid.ParseError

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// Skips whitespace, counting line ends (LF, CRLF or a lone CR); returns the token's range.
    mutating func nextToken() throws -> Range<Int>? {
        let n = bytes.count
        while index < n, Self.isSpace(bytes[index]) {
            if bytes[index] == 0x0A || (bytes[index] == 0x0D && (index + 1 == n || bytes[index + 1] != 0x0A)) { line += 1 }
            index += 1
        }
        guard index < n else { return nil }
        let start = index
        while index < n, !Self.isSpace(bytes[index]) {
            if bytes[index] == 0 { throw ParseError(line: line, message: "NUL byte in the grid; not an ESRI ASCII grid") }
            index += 1
        }
        return start..<index
    }

    func text(_ r: Range<Int>) -> String {
        var s = String(decoding: UnsafeBufferPointer(rebasing: bytes[r.lowerBound..<min(r.upperBound, r.lowerBound + 40)]), as: UTF8.self)
        if r.count > 40 { s += "…" }
        return s
    }

    /// A decimal number: `[+-]digits[.digits][e[+-]digits]` (or `.digits`). Hexadecimal,
    /// `nan`, `inf` and anything else are refused (nil). Common short values take an exact
    /// fast path (Clinger 1990); the rest go through the standard library's correctly
    /// rounded conversion.
    func decimal(_ r: Range<Int>) -> Double? {
        var i = r.lowerBound
        let end = r.upperBound
        var negative = false
        if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-"); i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0, digits = 0, scale = 0
        while i < end, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            if significant < 19 { mantissa = mantissa * 10 + UInt64(bytes[i] - 0x30); if mantissa > 0 { significant += 1 } } else { scale += 1 }
            digits += 1; i += 1
        }
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                if significant < 19 { mantissa = mantissa * 10 + UInt64(bytes[i] - 0x30); scale -= 1; if mantissa > 0 { significant += 1 } }
                digits += 1; i += 1
            }
        }
        guard digits > 0 else { return nil }
        var exponent = 0
        if i < end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                expNegative = bytes[i] == UInt8(ascii: "-"); i += 1
            }
            var expDigits = 0
            while i < end, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[i] - 0x30) }
                expDigits += 1; i += 1
            }
            guard expDigits > 0 else { return nil }
            if expNegative { exponent = -exponent }
        }
        guard i == end else { return nil }
        let power = scale + exponent
        if significant <= 15, abs(power) <= 22 {
            let m = Double(mantissa)
            let value = power >= 0 ? m * Self.powersOfTen[power] : m / Self.powersOfTen[-power]
            return negative ? -value : value
        }
        return Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self))
    }

    static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { r, _ in r * 10 } }

    mutating func parse() throws -> Result {
        var header: [String: (value: Double, line: Int)] = [:]
        var centerX = false, centerY = false
        var first: Range<Int>?
        while let token = try nextToken() {
            let lead = bytes[token.lowerBound]
            let isLetter = (lead >= 0x41 && lead <= 0x5A) || (lead >= 0x61 && lead <= 0x7A)
            guard isLetter else { first = token; break }
            let name = text(token)
            let tokenLine = line
            guard let valueRange = try nextToken() else {
                throw ParseError(line: tokenLine, message: "header \(name) has no value")
            }
            guard let value = decimal(valueRange) else {
                throw ParseError(line: tokenLine, message: "header \(name) \"\(text(valueRange))\" is not a number (decimal notation expected)")
            }
            guard value.isFinite else {
                throw ParseError(line: tokenLine, message: "header \(name) \(text(valueRange)) is not finite")
            }
            var key = name.lowercased()
            switch key {
            case "xllcenter": centerX = true; key = "xll"
            case "xllcorner": key = "xll"
            case "yllcenter": centerY = true; key = "yll"
            case "yllcorner": key = "yll"
            case "ncols", "nrows", "cellsize", "dx", "dy", "nodata_value": break
            default: throw ParseError(line: tokenLine, message: "unknown header \(name)")
            }
            guard header[key] == nil else {
                throw ParseError(line: tokenLine, message: "header \(name) given twice")
            }
            header[key] = (value, tokenLine)
        }
        let headerEnd = line
        guard let colsEntry = header["ncols"], let rowsEntry = header["nrows"] else {
            throw ParseError(line: headerEnd, message: "header needs positive integer ncols and nrows")
        }
        let cols = colsEntry.value, rowsValue = rowsEntry.value
        for entry in [colsEntry, rowsEntry] where entry.value < 1 || entry.value > 1e6 || entry.value.rounded() != entry.value {
            throw ParseError(line: entry.line, message: "ncols and nrows must be integers from 1 to 1000000 (found \(entry.value))")
        }
        guard cols * rowsValue <= Double(BathymetryGrid.maximumValues) else {
            throw ParseError(line: rowsEntry.line, message: "ncols × nrows is more than \(BathymetryGrid.maximumValues) values")
        }
        let dxEntry = header["cellsize"] ?? header["dx"], dyEntry = header["cellsize"] ?? header["dy"]
        guard let dxEntry, let dyEntry, let xll = header["xll"], let yll = header["yll"] else {
            throw ParseError(line: headerEnd, message: "header needs xllcorner/xllcenter, yllcorner/yllcenter and cellsize")
        }
        let dx = dxEntry.value, dy = dyEntry.value
        for (entry, name) in [(dxEntry, "cellsize"), (dyEntry, "cellsize")] where !BathymetryGrid.cellDegreesRange.contains(entry.value) {
            throw ParseError(line: entry.line, message: "\(name) \(entry.value) must be from 1e-06 to 10 degrees")
        }
        let columns = Int(cols), rows = Int(rowsValue)
        let west = centerX ? xll.value - dx / 2 : xll.value
        let south = centerY ? yll.value - dy / 2 : yll.value
        let east = west + Double(columns) * dx, north = south + Double(rows) * dy
        // A little slack for corners written with rounding (-180.0000001).
        let slackX = dx * 1e-3, slackY = dy * 1e-3
        guard west >= -180 - slackX, east <= 180 + slackX else {
            throw ParseError(line: xll.line, message: "grid spans longitude \(west) to \(east); it must lie within -180 to 180 degrees")
        }
        guard south >= -90 - slackY, north <= 90 + slackY else {
            throw ParseError(line: yll.line, message: "grid spans latitude \(south) to \(north); it must lie within -90 to 90 degrees")
        }
        var noData: Float?
        if let entry = header["nodata_value"] {
            guard abs(entry.value) <= Double(Float.greatestFiniteMagnitude) else {
                throw ParseError(line: entry.line, message: "NODATA_value \(entry.value) is beyond single precision")
            }
            noData = Float(entry.value)
        }

        let expected = columns * rows
        var values = [Float]()
        values.reserveCapacity(expected)
        var negative = 0, positive = 0
        let limit = BathymetryGrid.maximumAbsoluteValueMeters
        var token = first
        while let r = token {
            guard let d = decimal(r) else {
                throw ParseError(line: line, message: "value \"\(text(r))\" is not a number (decimal notation expected)")
            }
            guard values.count < expected else {
                throw ParseError(line: line, message: "more than ncols × nrows = \(expected) values")
            }
            let v = Float(d)
            if let noData, v == noData {
                values.append(v)
            } else {
                guard v.isFinite, abs(v) <= limit else {
                    throw ParseError(line: line, message: "value \(text(r)) is outside ±20000 m (declare NODATA_value if it marks missing data)")
                }
                if v < 0 { negative += 1 } else if v > 0 { positive += 1 }
                values.append(v)
            }
            token = try nextToken()
        }
        guard values.count == expected else {
            throw ParseError(line: line, message: "expected \(expected) values (ncols × nrows), found \(values.count)")
        }
        return Result(columns: columns, rows: rows, west: west, south: south, dx: dx, dy: dy,
                      values: values, noData: noData, negative: negative, positive: positive)
    }
}

/// The depth cost curve: an extra cost factor added to the per-km multiplier.
///
/// - Shallower than 20 m: +1.0 — surf zone and harbour approaches, anchors and trawling;
///   cable needs heavy armour and burial (ICPC recommendations; cable-protection practice).
/// - 20–200 m (continental shelf): +0.5 falling linearly to 0 — still trawled, buried.
/// - 200–4000 m: 0 — lightweight cable on the sea floor, the cheapest regime.
/// - 4000–7000 m: rising linearly to +0.3 — longer lay, harder repair.
/// - Deeper than 7000 m (hadal trenches): +1.0 — beyond most repair ships' grapnel reach.
/// Land or NODATA adds nothing (land is handled by the land mask).
public enum DepthCost {
    public static func extraFactor(depthMeters d: Double) -> Double {
        if d <= 0 { return 0 }
        if d < 20 { return 1.0 }
        if d < 200 { return 0.5 * (200 - d) / 180 }
        if d < 4000 { return 0 }
        if d < 7000 { return 0.3 * (d - 4000) / 3000 }
        return 1.0
    }
}
