import Foundation
import GeoCore

/// A depth grid in ESRI ASCII grid form (as written by `gdal_translate -of AAIGrid`):
/// header `ncols`, `nrows`, `xllcorner|xllcenter`, `yllcorner|yllcenter`, `cellsize`
/// (or `dx`/`dy`), optional `NODATA_value`, then rows from north to south. Values are
/// elevations in metres (negative below sea level, as GEBCO) or positive depths; see
/// `depthConvention`.
public struct BathymetryGrid: Sendable {
    public enum DepthConvention: Sendable { case elevation, positiveDepth }
    public let columns: Int
    public let rows: Int
    /// Lon/lat of the south-west corner of the south-west cell.
    public let west: Double
    public let south: Double
    public let cellDegreesX: Double
    public let cellDegreesY: Double
    let values: [Float]   // row 0 = northernmost
    let noData: Float?

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses AAIGrid text. Throws `ParseError` naming the line for a malformed header,
    /// a non-numeric value or a wrong number of values. O(bytes).
    public init(aaigrid bytes: [UInt8]) throws {
        var header: [String: Double] = [:]
        var centerX = false, centerY = false
        var values: [Float] = []
        var line = 1
        var index = 0
        let n = bytes.count
        var expected = 0
        // Tokenise by whitespace, tracking line numbers.
        func nextToken() -> (String, Int)? {
            while index < n, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
                if bytes[index] == 0x0A { line += 1 }
                index += 1
            }
            guard index < n else { return nil }
            let start = index
            while index < n, !(bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D) {
                index += 1
            }
            return (String(decoding: bytes[start..<index], as: UTF8.self), line)
        }
        var pending: (String, Int)?
        while let (token, tokenLine) = nextToken() {
            let key = token.lowercased()
            if let first = key.unicodeScalars.first, CharacterSet.letters.contains(first) {
                guard let (valueText, valueLine) = nextToken(), let value = Double(valueText) else {
                    throw ParseError(line: tokenLine, message: "header \(token) has no numeric value")
                }
                _ = valueLine
                switch key {
                case "xllcenter": centerX = true; header["xll"] = value
                case "xllcorner": header["xll"] = value
                case "yllcenter": centerY = true; header["yll"] = value
                case "yllcorner": header["yll"] = value
                case "ncols", "nrows", "cellsize", "dx", "dy", "nodata_value": header[key] = value
                default: throw ParseError(line: tokenLine, message: "unknown header \(token)")
                }
            } else {
                pending = (token, tokenLine)
                break
            }
        }
        guard let cols = header["ncols"], let rowsValue = header["nrows"], cols >= 1, rowsValue >= 1,
              cols.rounded() == cols, rowsValue.rounded() == rowsValue, cols * rowsValue < 4e8 else {
            throw ParseError(line: line, message: "header needs positive integer ncols and nrows")
        }
        let dx = header["cellsize"] ?? header["dx"], dy = header["cellsize"] ?? header["dy"]
        guard let dx, let dy, dx > 0, dy > 0, let xll = header["xll"], let yll = header["yll"] else {
            throw ParseError(line: line, message: "header needs xllcorner/xllcenter, yllcorner/yllcenter and cellsize")
        }
        columns = Int(cols)
        rows = Int(rowsValue)
        cellDegreesX = dx
        cellDegreesY = dy
        west = centerX ? xll - dx / 2 : xll
        south = centerY ? yll - dy / 2 : yll
        noData = header["nodata_value"].map { Float($0) }
        expected = columns * rows
        values.reserveCapacity(expected)
        var token = pending
        while let (text, tokenLine) = token {
            guard let v = Float(text), v.isFinite else {
                throw ParseError(line: tokenLine, message: "value \"\(text)\" is not a number")
            }
            guard values.count < expected else {
                throw ParseError(line: tokenLine, message: "more than ncols × nrows = \(expected) values")
            }
            values.append(v)
            token = nextToken()
        }
        guard values.count == expected else {
            throw ParseError(line: line, message: "expected \(expected) values (ncols × nrows), found \(values.count)")
        }
        self.values = values
    }

    /// The grid value at a lon/lat position, or nil outside the grid or on NODATA.
    public func value(at p: Position) -> Float? {
        let c = Int(((p.lon - west) / cellDegreesX).rounded(.down))
        let rFromSouth = Int(((p.lat - south) / cellDegreesY).rounded(.down))
        guard c >= 0, c < columns, rFromSouth >= 0, rFromSouth < rows else { return nil }
        let v = values[(rows - 1 - rFromSouth) * columns + c]
        if let noData, v == noData { return nil }
        return v
    }

    /// Depth below sea level (m, positive) at `p`. Grids whose values are mostly negative
    /// are read as elevations (GEBCO, ETOPO); otherwise as positive depths.
    public func depthMeters(at p: Position) -> Double? {
        guard let v = value(at: p) else { return nil }
        return isElevation ? Double(-v) : Double(v)
    }

    var isElevation: Bool {
        var negative = 0, positive = 0
        for v in values where noData == nil || v != noData! {
            if v < 0 { negative += 1 } else if v > 0 { positive += 1 }
        }
        return negative >= positive
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
