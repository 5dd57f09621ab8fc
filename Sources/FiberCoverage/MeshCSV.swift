import GeoCore

/// One row of an e-Stat style mesh table.
public struct MeshRecord: Sendable, Equatable {
    public var cell: MeshCode
    public var population: Double
    public var households: Double
    /// 1-based line number in the file.
    public var line: Int
}

/// The parser's settings an error can name; a caller words them its own way (a flag).
public enum MeshCSVField: String, Sendable {
    case populationColumn
}

/// An error in a mesh CSV: what and on which line (1-based).
public struct MeshCSVError: CategorizedError, Equatable {
    public enum Problem: Sendable, Equatable {
        /// The header lacks the population column; `found` are its first columns.
        case noPopulationColumn(column: String, found: [String])
        /// Anything else, worded.
        case invalid(String)
    }
    public var category: ErrorCategory { .badData }
    public var line: Int
    public var problem: Problem
    public init(line: Int, problem: Problem) {
        self.line = line
        self.problem = problem
    }
    public init(line: Int, message: String) {
        self.init(line: line, problem: .invalid(message))
    }
    /// What is wrong, naming the parser's settings by their Swift names.
    public var message: String { message(naming: \.rawValue) }
    /// What is wrong, with `name(field)` for a setting the user can change.
    public func message(naming name: (MeshCSVField) -> String) -> String {
        switch problem {
        case .invalid(let text):
            text
        case .noPopulationColumn(let column, let found):
            "header has no '\(column)' column (found: \(found.joined(separator: ", "))); choose one with \(name(.populationColumn))"
        }
    }
    public var description: String { "line \(line): \(message)" }
}

/// Streaming parser for e-Stat style mesh tables (地域メッシュ統計): a header line with
/// `KEY_CODE` and value columns, optionally a second line of labels (e-Stat's Japanese
/// column names, skipped without decoding, so Shift_JIS files work), then one row per mesh.
///
/// Feed it chunks of bytes of any size; it calls `body` for each complete row. Memory is
/// bounded by the longest line plus the duplicate-check bitmap, which grows with the
/// number of distinct first-level meshes (at most ~180 for Japan), never with row count:
/// 12.5 KB per first-level mesh at 250 m, 50 KB at 125 m.
///
/// Values: decimal numbers; e-Stat's `*` (suppressed for privacy) and `-` (none) count as 0
/// and are tallied in `suppressedValues`. Anything else that is not a non-negative number is
/// an error naming the line. All codes must be of one mesh level (the first row decides).
///
/// Complexity: O(bytes).
public struct MeshCSVParser {
    public let populationColumn: String
    public let householdsColumn: String
    /// The mesh level of the file, known after the first data row.
    public private(set) var level: MeshCode.Level?
    public private(set) var rows = 0
    public private(set) var suppressedValues = 0
    /// Whether the header has a households column.
    public private(set) var hasHouseholds = false

    private var pending: [UInt8] = []
    private var previousEndedWithCR = false
    private var lineNumber = 0
    private var keyIndex = -1
    private var populationIndex = -1
    private var householdsIndex = -1
    private var headerSeen = false
    private var seen: [Int: [UInt64]] = [:]
    private var currentBucket = -1
    private var currentWords: [UInt64] = []

    /// The column names are the caller's (`wattbit gaps --population-column`); e-Stat's
    /// own tables use other names, so there is no default here.
    public init(populationColumn: String, householdsColumn: String) {
        self.populationColumn = populationColumn
        self.householdsColumn = householdsColumn
    }

    /// The longest line accepted. e-Stat rows are under 200 bytes; a line longer than this
    /// is not a mesh table (a binary file, a file without line ends), and is refused before
    /// it can fill memory.
    public static let maximumLineBytes = 1 << 16
    /// The largest population or household count of one cell.
    public static let maximumValue = 1e10

    /// Parses every complete line in `chunk`; keeps a trailing partial line for the next call.
    /// Lines end with LF, CRLF or a lone CR (old spreadsheet exports).
    public mutating func feed(_ chunk: some Collection<UInt8>, _ body: (MeshRecord) throws -> Void) throws {
        pending.append(contentsOf: chunk)
        var start = 0
        let count = pending.count
        var consumed = 0
        var skipLineFeed = previousEndedWithCR
        try pending.withUnsafeBufferPointer { buffer in
            var i = 0
            while i < count {
                let byte = buffer[i]
                if byte == 10 && skipLineFeed && i == start {
                    // The LF of a CRLF whose CR ended the previous line.
                    start = i + 1
                    skipLineFeed = false
                } else if byte == 10 || byte == 13 {
                    try handleLine(UnsafeBufferPointer(rebasing: buffer[start..<i]), body)
                    start = i + 1
                    skipLineFeed = byte == 13
                } else {
                    skipLineFeed = false
                }
                i += 1
            }
            consumed = start
        }
        previousEndedWithCR = skipLineFeed && consumed == count
        if consumed > 0 { pending.removeFirst(consumed) }
        if pending.count > Self.maximumLineBytes {
            throw MeshCSVError(line: lineNumber + 1, message: "line is longer than \(Self.maximumLineBytes) bytes without a line end; not a mesh CSV table")
        }
    }

    /// Parses the last line if it had no newline, and checks that the file had a header.
    public mutating func finish(_ body: (MeshRecord) throws -> Void) throws {
        if !pending.isEmpty {
            let rest = pending
            pending = []
            try rest.withUnsafeBufferPointer { try handleLine($0, body) }
        }
        if !headerSeen {
            throw MeshCSVError(line: max(lineNumber, 1), message: "empty file: expected a header line with KEY_CODE")
        }
    }

    private mutating func handleLine(_ raw: UnsafeBufferPointer<UInt8>, _ body: (MeshRecord) throws -> Void) throws {
        lineNumber += 1
        if raw.count > Self.maximumLineBytes {
            throw MeshCSVError(line: lineNumber, message: "line is longer than \(Self.maximumLineBytes) bytes; not a mesh CSV table")
        }
        let end = raw.count
        var begin = 0
        if lineNumber == 1 && end >= 2 && ((raw[0] == 0xFF && raw[1] == 0xFE) || (raw[0] == 0xFE && raw[1] == 0xFF)) {
            throw MeshCSVError(line: 1, message: "the file is UTF-16; save it as UTF-8 (or Shift_JIS with an ASCII header line)")
        }
        if lineNumber == 1 && end >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF { begin = 3 }
        let line = UnsafeBufferPointer(rebasing: raw[begin..<end])
        if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 44 }) { return }   // blank line
        if !headerSeen {
            // The header names columns; it must be text. (e-Stat's second, Japanese label
            // line may be Shift_JIS: it is skipped below without decoding.)
            guard line.allSatisfy({ $0 != 0 }), String(validating: line, as: UTF8.self) != nil else {
                throw MeshCSVError(line: lineNumber, message: "header line is not UTF-8 text; expected KEY_CODE and value column names")
            }
            try readHeader(MeshCSVParser.split(line).map { MeshCSVParser.text(line, $0) })
            return
        }
        // Data rows: pick out the three wanted fields in one pass, no allocation.
        let fields = MeshCSVParser.pick(line, keyIndex, populationIndex, householdsIndex)
        guard let keyRange = fields.key else {
            throw MeshCSVError(line: lineNumber, message: "row has \(fields.count) fields; KEY_CODE is column \(keyIndex + 1)")
        }
        let key = UnsafeBufferPointer(rebasing: line[keyRange])
        // e-Stat files carry a second header line of (Japanese) labels: skip it.
        if rows == 0 && level == nil && !key.contains(where: { $0 >= 48 && $0 <= 57 }) {
            return
        }
        let cell: MeshCode
        do {
            cell = try MeshCode.parse(bytes: key)
        } catch {
            throw MeshCSVError(line: lineNumber, message: "unknown mesh code '\(MeshCSVParser.text(line, keyRange))': \(error)")
        }
        if let level, level != cell.level {
            throw MeshCSVError(line: lineNumber, message: "mesh code \(cell.code) is level \(cell.level.name) but earlier rows are \(level.name); one file holds one mesh level")
        }
        level = cell.level
        try markSeen(cell)
        guard let populationRange = fields.population else {
            throw MeshCSVError(line: lineNumber, message: "row has \(fields.count) fields; '\(populationColumn)' is column \(populationIndex + 1)")
        }
        let population = try value(line, populationRange, column: populationColumn)
        var households = 0.0
        if let householdsRange = fields.households {
            households = try value(line, householdsRange, column: householdsColumn)
        }
        rows += 1
        try body(MeshRecord(cell: cell, population: population, households: households, line: lineNumber))
    }

    private mutating func readHeader(_ names: [String]) throws {
        headerSeen = true
        let trimmed = names.map { $0.trimmingSpaces }
        guard let key = trimmed.firstIndex(of: "KEY_CODE") else {
            throw MeshCSVError(line: lineNumber, message: "header has no KEY_CODE column (found: \(trimmed.prefix(8).joined(separator: ", ")))")
        }
        keyIndex = key
        guard let population = trimmed.firstIndex(of: populationColumn) else {
            throw MeshCSVError(line: lineNumber, problem: .noPopulationColumn(column: populationColumn, found: Array(trimmed.prefix(8))))
        }
        populationIndex = population
        if let households = trimmed.firstIndex(of: householdsColumn) {
            householdsIndex = households
            hasHouseholds = true
        }
    }

    private mutating func markSeen(_ cell: MeshCode) throws {
        let (rowsPer, columnsPer) = cell.level.cellsPerFirstLevel
        let bucket = cell.firstLevelKey
        let localRow = cell.row - (bucket / 100) * rowsPer
        let localColumn = cell.column - (bucket % 100) * columnsPer
        let bit = localRow * columnsPer + localColumn
        if bucket != currentBucket {
            // Rows usually come sorted by code, so the bucket rarely changes; moving the
            // bitmap out of the dictionary keeps the update in place (no copy-on-write).
            if currentBucket >= 0 { seen[currentBucket] = currentWords }
            currentWords = seen.removeValue(forKey: bucket)
                ?? [UInt64](repeating: 0, count: (rowsPer * columnsPer + 63) / 64)
            currentBucket = bucket
        }
        let mask = UInt64(1) << UInt64(bit & 63)
        if currentWords[bit >> 6] & mask != 0 {
            throw MeshCSVError(line: lineNumber, message: "duplicate mesh code \(cell.code)")
        }
        currentWords[bit >> 6] |= mask
    }

    private func value(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, column: String) throws -> Double {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi && line[lo] == 32 { lo += 1 }
        while hi > lo && line[hi - 1] == 32 { hi -= 1 }
        if hi - lo == 1 && (line[lo] == 42 || line[lo] == 45) { return 0 }  // "*" or "-"
        if let v = MeshCSVParser.parseNumber(UnsafeBufferPointer(rebasing: line[lo..<hi])), v >= 0, v.isFinite {
            // Bounded at the boundary so that no sum of values can overflow or lose meaning.
            guard v <= Self.maximumValue else {
                throw MeshCSVError(line: lineNumber, message: "\(column) \(MeshCSVParser.text(line, lo..<hi)) is larger than 1e10 (more than the world's population in one cell)")
            }
            return v
        }
        let shown = MeshCSVParser.text(line, lo..<hi)
        throw MeshCSVError(line: lineNumber, message: "\(column) '\(shown)' is not a non-negative number")
    }

    /// The ranges of three fields (by index; -1 = not wanted) and the field count.
    @inline(__always)
    static func pick(_ line: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int, _ c: Int)
        -> (key: Range<Int>?, population: Range<Int>?, households: Range<Int>?, count: Int) {
        var key: Range<Int>?, population: Range<Int>?, households: Range<Int>?
        var index = 0, start = 0
        var inQuotes = false
        var i = 0
        let n = line.count
        while i <= n {
            if i < n {
                let byte = line[i]
                if byte == 34 { inQuotes.toggle(); i += 1; continue }
                if byte != 44 || inQuotes { i += 1; continue }
            }
            let r = unquote(line, start..<i)
            if index == a { key = r } else if index == b { population = r }
            if index == c { households = r }
            index += 1
            start = i + 1
            i += 1
        }
        return (key, population, households, index)
    }

    /// Field ranges of one CSV line; double quotes around a field are dropped.
    static func split(_ line: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var fields: [Range<Int>] = []
        fields.reserveCapacity(8)
        var start = 0
        var inQuotes = false
        for i in 0..<line.count {
            let byte = line[i]
            if byte == 34 { inQuotes.toggle() }
            else if byte == 44 && !inQuotes {
                fields.append(unquote(line, start..<i))
                start = i + 1
            }
        }
        fields.append(unquote(line, start..<line.count))
        return fields
    }

    private static func unquote(_ line: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int> {
        if r.count >= 2 && line[r.lowerBound] == 34 && line[r.upperBound - 1] == 34 {
            return (r.lowerBound + 1)..<(r.upperBound - 1)
        }
        return r
    }

    static func text(_ line: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        let clipped = r.clamped(to: 0..<line.count)
        var s = String(decoding: UnsafeBufferPointer(rebasing: line[clipped.lowerBound..<min(clipped.upperBound, clipped.lowerBound + 40)]), as: UTF8.self)
        if clipped.count > 40 { s += "…" }
        return s
    }

    /// Plain decimal numbers (digits, one point) fast; anything else via `Double(String)`
    /// (exponents), rejecting hex, "inf" and "nan".
    static func parseNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        if bytes.isEmpty { return nil }
        var integer: UInt64 = 0
        var digits = 0
        var fraction = 0.0
        var scale = 0.1
        var seenPoint = false
        var simple = true
        for byte in bytes {
            if byte >= 48 && byte <= 57 {
                digits += 1
                if seenPoint {
                    fraction += Double(byte - 48) * scale
                    scale *= 0.1
                } else {
                    if digits > 18 { simple = false; break }
                    integer = integer * 10 + UInt64(byte - 48)
                }
            } else if byte == 46 && !seenPoint {
                seenPoint = true
            } else {
                simple = false
                break
            }
        }
        if simple { return digits > 0 ? Double(integer) + fraction : nil }
        guard bytes.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 101 || $0 == 69 || $0 == 43 || $0 == 45 }) else { return nil }
        return Double(String(decoding: bytes, as: UTF8.self))
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\"" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\"" { s.removeLast() }
        return String(s)
    }
}
