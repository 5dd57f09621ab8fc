// A byte-level JSON scanner (RFC 8259) over UTF-8 bytes.
//
// Foundation's JSONSerialization/JSONDecoder are slow on Linux and know nothing of where a
// value sits in the file; this scanner works directly on the bytes, builds `JSONValue`s
// (objects keep document order) and reports failures as byte offsets, which the readers turn
// into line:column only when something goes wrong. Numbers use Clinger's fast path
// (W. D. Clinger, "How to Read Floating Point Numbers Accurately", PLDI 1990): a decimal
// mantissa below 2^53 with a power of ten up to 22 converts exactly with one IEEE operation;
// everything else falls back to the C library's correctly rounded `strtod`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One step of a JSON path (`features[3].geometry`).
enum JSONPathComponent: Sendable {
    case key(String)
    case index(Int)
}

/// Renders path components (outermost first) as `features[3].geometry.coordinates[0][2]`.
func renderJSONPath(_ components: [JSONPathComponent]) -> String {
    // Very deep paths (hostile nesting) keep their head and tail.
    if components.count > 16 {
        return renderJSONPath(Array(components.prefix(8))) + "…(\(components.count - 12) more)…"
            + renderJSONPath(Array(components.suffix(4)))
    }
    var text = ""
    for component in components {
        switch component {
        case .index(let index):
            text += "[\(index)]"
        case .key(let key):
            let plain = !key.isEmpty && key.utf8.allSatisfy { byte in
                (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
                    || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == 0x2D
            }
            if plain {
                if !text.isEmpty { text += "." }
                text += key
            } else {
                var quoted: [UInt8] = []
                JSONOutput.appendString(key, to: &quoted)
                text += "[" + String(decoding: quoted, as: UTF8.self) + "]"
            }
        }
    }
    return text
}

/// A failure at a byte offset of the scanned buffer; the reader adds file, line and column.
struct JSONFailure: Error {
    enum Kind { case syntax, structure, value, truncated, depth }
    var kind: Kind
    var offset: Int
    var message: String
    /// Path components collected while unwinding: innermost first.
    var reversedPath: [JSONPathComponent] = []

    mutating func within(_ component: JSONPathComponent) {
        reversedPath.append(component)
    }
    var path: [JSONPathComponent] { reversedPath.reversed() }
}

enum ASCII {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let lowerE = UInt8(ascii: "e")
    static let upperE = UInt8(ascii: "E")
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let recordSeparator: UInt8 = 0x1E
}

/// Exact powers of ten representable as Doubles (10^0 … 10^22), for the fast path.
private let exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var pos: Int
    /// Nesting of arrays and objects; bounded so hostile input cannot exhaust the stack.
    var depth = 0
    static let maxDepth = 256
    /// True when nothing follows the buffer, so a number may end exactly at its end.
    var isFinal = false
    /// Reused while reading a list of positions (positions never nest).
    var positionScratch: [Position] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, at pos: Int) {
        self.bytes = bytes
        self.pos = pos
    }

    @inline(__always) var atEnd: Bool { pos >= bytes.count }
    @inline(__always) var current: UInt8 { bytes[pos] }

    @inline(__always) mutating func skipWhitespace() {
        while pos < bytes.count {
            let byte = bytes[pos]
            if byte == ASCII.space || byte == ASCII.newline || byte == ASCII.carriageReturn
                || byte == ASCII.tab {
                pos &+= 1
            } else {
                return
            }
        }
    }

    // MARK: failures

    func failure(_ kind: JSONFailure.Kind, _ message: String, at offset: Int? = nil) -> JSONFailure {
        JSONFailure(kind: kind, offset: offset ?? pos, message: message)
    }

    /// Running off the end: more input may follow in a stream; the reader decides.
    func truncated(_ context: String) -> JSONFailure {
        JSONFailure(kind: .truncated, offset: bytes.count, message: "unexpected end of input \(context)")
    }

    func hasPrefix(_ literal: StaticString, at offset: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        let start = literal.utf8Start
        for i in 0..<count where bytes[offset + i] != start[i] { return false }
        return true
    }

    /// What sits at the current position, for messages: `'x'`, `end of input`, …
    func describeCurrent() -> String {
        guard pos < bytes.count else { return "end of input" }
        if hasPrefix("null", at: pos) { return "null" }
        if hasPrefix("true", at: pos) { return "true" }
        if hasPrefix("false", at: pos) { return "false" }
        return JSONScanner.describe(byte: bytes[pos])
    }

    static func describe(byte: UInt8) -> String {
        switch byte {
        case ASCII.recordSeparator: return "a record separator (RS, 0x1E)"
        case ASCII.quote: return "a string"
        case ASCII.openBracket: return "an array"
        case ASCII.openBrace: return "an object"
        case ASCII.minus, ASCII.zero...ASCII.nine: return "a number"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        case 0xEF: return "a byte-order mark or non-ASCII text"
        case 0x80...0xFF: return "non-ASCII text"
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            return "control byte 0x\(hex.count == 1 ? "0" + hex : hex)"
        }
    }

    /// A clear failure for a token that is not where a value should be, naming NaN and
    /// Infinity (which some writers emit and JSON forbids).
    func unexpected(expected: String) -> JSONFailure {
        guard pos < bytes.count else { return truncated("(expected \(expected))") }
        for (token, name) in [("NaN", "NaN"), ("-NaN", "NaN"), ("nan", "NaN"), ("Infinity", "Infinity"),
                              ("-Infinity", "-Infinity"), ("inf", "Infinity"), ("-inf", "-Infinity")] {
            var matches = pos + token.utf8.count <= bytes.count
            if matches {
                for (i, byte) in token.utf8.enumerated() where bytes[pos + i] != byte {
                    matches = false
                    break
                }
            }
            if matches {
                return failure(.syntax, "\(name) is not a valid JSON number; GeoJSON numbers must be finite")
            }
        }
        return failure(.syntax, "expected \(expected) but found \(describeCurrent())")
    }

    // MARK: values

    mutating func parseValue() throws(JSONFailure) -> JSONValue {
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("(expected a value)") }
        switch bytes[pos] {
        case ASCII.openBrace: return .object(try parseObject())
        case ASCII.openBracket: return .array(try parseArray())
        case ASCII.quote: return .string(try parseString())
        case UInt8(ascii: "t"):
            try parseLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try parseLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            if hasPrefix("nan", at: pos) { throw unexpected(expected: "a value") }
            try parseLiteral("null")
            return .null
        case ASCII.minus, ASCII.zero...ASCII.nine:
            return .number(try parseNumber())
        default:
            throw unexpected(expected: "a value")
        }
    }

    mutating func parseLiteral(_ literal: StaticString) throws(JSONFailure) {
        let count = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        for i in 0..<count {
            guard pos + i < bytes.count else { throw truncated("in '\(literal)'") }
            if bytes[pos + i] != start[i] {
                throw failure(.syntax, "invalid literal; expected '\(literal)'")
            }
        }
        pos += count
    }

    mutating func enter() throws(JSONFailure) {
        depth += 1
        if depth > JSONScanner.maxDepth {
            throw failure(.depth, "nesting deeper than \(JSONScanner.maxDepth) levels")
        }
    }

    mutating func parseArray() throws(JSONFailure) -> [JSONValue] {
        try enter()
        pos += 1  // '['
        var elements: [JSONValue] = []
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("in an array") }
        if bytes[pos] == ASCII.closeBracket {
            pos += 1
            depth -= 1
            return elements
        }
        while true {
            do {
                elements.append(try parseValue())
            } catch {
                var failure = error
                failure.within(.index(elements.count))
                throw failure
            }
            if try endOfElement(closing: ASCII.closeBracket, what: "array") { break }
        }
        depth -= 1
        return elements
    }

    /// After an element: consumes `,` (and checks no `]`/`}` follows it) or the closing byte.
    /// Returns true when the closing byte was consumed.
    @inline(__always)
    mutating func endOfElement(closing: UInt8, what: StaticString) throws(JSONFailure) -> Bool {
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("in an \(what)") }
        let byte = bytes[pos]
        if byte == closing {
            pos += 1
            return true
        }
        guard byte == ASCII.comma else {
            let close = closing == ASCII.closeBracket ? "']'" : "'}'"
            throw failure(.syntax, "expected ',' or \(close) in an \(what) but found \(describeCurrent())")
        }
        pos += 1
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("in an \(what)") }
        if bytes[pos] == closing {
            throw failure(.syntax, "trailing comma in an \(what)", at: pos)
        }
        return false
    }

    mutating func parseObject() throws(JSONFailure) -> JSONObject {
        try enter()
        pos += 1  // '{'
        var members: [JSONObject.Member] = []
        var seen: Set<String>? = nil
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("in an object") }
        if bytes[pos] == ASCII.closeBrace {
            pos += 1
            depth -= 1
            return JSONObject(members)
        }
        members.reserveCapacity(8)  // one allocation for a typical properties object
        while true {
            let keyOffset = pos
            let key = try parseMemberName()
            // RFC 8259 §4: names SHOULD be unique; a duplicate is almost always a bug
            // upstream, and silently keeping one of the two would be a wrong answer.
            var duplicate = false
            if members.count < 16 {
                let length = key.utf8.count
                // Comparing lengths first skips most String comparisons outright.
                for member in members where member.key.utf8.count == length && member.key == key {
                    duplicate = true
                    break
                }
            } else {
                if seen == nil { seen = Set(members.map(\.key)) }
                duplicate = !(seen!.insert(key).inserted)
            }
            if duplicate {
                var failure = failure(.structure, "duplicate member \"\(key)\"", at: keyOffset)
                failure.within(.key(key))
                throw failure
            }
            do {
                members.append(JSONObject.Member(key: key, value: try parseValue()))
            } catch {
                var failure = error
                failure.within(.key(key))
                throw failure
            }
            if try endOfElement(closing: ASCII.closeBrace, what: "object") { break }
        }
        depth -= 1
        return JSONObject(members)
    }

    /// `"name"` and the following `:`; leaves the position at the value.
    mutating func parseMemberName() throws(JSONFailure) -> String {
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("in an object") }
        guard bytes[pos] == ASCII.quote else {
            throw failure(.syntax, "expected a member name in double quotes but found \(describeCurrent())")
        }
        let key = try parseString()
        skipWhitespace()
        guard pos < bytes.count else { throw truncated("in an object") }
        guard bytes[pos] == ASCII.colon else {
            throw failure(.syntax, "expected ':' after member name \"\(key)\" but found \(describeCurrent())")
        }
        pos += 1
        return key
    }

    // MARK: strings

    mutating func parseString() throws(JSONFailure) -> String {
        pos += 1  // opening quote
        let start = pos
        var nonASCII = false
        while pos < bytes.count {
            let byte = bytes[pos]
            if byte == ASCII.quote {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<pos])
                pos += 1
                if !nonASCII { return String(decoding: raw, as: UTF8.self) }
                guard let text = String(validating: raw, as: UTF8.self) else {
                    throw invalidUTF8(in: start..<(pos - 1))
                }
                return text
            }
            if byte == ASCII.backslash { return try parseEscapedString(from: start) }
            if byte == ASCII.recordSeparator {
                throw failure(.syntax, "unterminated string: a record separator (RS) starts the next record")
            }
            if byte < 0x20 { throw controlCharacterFailure(byte) }
            if byte >= 0x80 { nonASCII = true }
            pos += 1
        }
        throw truncated("inside a string")
    }

    func controlCharacterFailure(_ byte: UInt8) -> JSONFailure {
        if byte == ASCII.newline || byte == ASCII.carriageReturn {
            return failure(.syntax, "unterminated string: line break inside a string (escape it as \\n)")
        }
        let hex = String(byte, radix: 16, uppercase: true)
        return failure(.syntax, "unescaped control character 0x\(hex.count == 1 ? "0" + hex : hex) inside a string (escape it, e.g. \\t or \\u00\(hex.count == 1 ? "0" + hex : hex))")
    }

    func invalidUTF8(in range: Range<Int>) -> JSONFailure {
        // Point at the first offending byte.
        var offset = range.lowerBound
        while offset < range.upperBound {
            let lead = bytes[offset]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            if length == 0 || offset + length > range.upperBound { break }
            let piece = UnsafeBufferPointer(rebasing: bytes[offset..<(offset + length)])
            if String(validating: piece, as: UTF8.self) == nil { break }
            offset += length
        }
        return failure(.syntax, "invalid UTF-8 in a string (GeoJSON text must be UTF-8)", at: offset)
    }

    private mutating func parseEscapedString(from start: Int) throws(JSONFailure) -> String {
        var buffer: [UInt8] = Array(UnsafeBufferPointer(rebasing: bytes[start..<pos]))
        var nonASCII = buffer.contains { $0 >= 0x80 }
        while pos < bytes.count {
            let byte = bytes[pos]
            if byte == ASCII.quote {
                pos += 1
                if nonASCII {
                    guard let text = String(validating: buffer, as: UTF8.self) else {
                        throw failure(.syntax, "invalid UTF-8 in a string (GeoJSON text must be UTF-8)", at: start)
                    }
                    return text
                }
                return String(decoding: buffer, as: UTF8.self)
            }
            if byte < 0x20 { throw controlCharacterFailure(byte) }
            if byte != ASCII.backslash {
                if byte >= 0x80 { nonASCII = true }
                buffer.append(byte)
                pos += 1
                continue
            }
            guard pos + 1 < bytes.count else { throw truncated("inside a string") }
            let escape = bytes[pos + 1]
            switch escape {
            case ASCII.quote: buffer.append(ASCII.quote)
            case ASCII.backslash: buffer.append(ASCII.backslash)
            case ASCII.slash: buffer.append(ASCII.slash)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                let escapeOffset = pos
                var scalar = try parseHex4(at: pos + 2)
                pos += 6
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard pos + 1 < bytes.count else { throw truncated("inside a string") }
                    guard bytes[pos] == ASCII.backslash, bytes[pos + 1] == UInt8(ascii: "u") else {
                        throw failure(.syntax, "unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string", at: escapeOffset)
                    }
                    let low = try parseHex4(at: pos + 2)
                    guard low >= 0xDC00 && low < 0xE000 else {
                        throw failure(.syntax, "unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string", at: escapeOffset)
                    }
                    pos += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw failure(.syntax, "unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string", at: escapeOffset)
                }
                if scalar >= 0x80 { nonASCII = true }
                // UTF-8 encoding of the scalar (surrogates were combined or rejected above).
                if scalar < 0x80 {
                    buffer.append(UInt8(scalar))
                } else if scalar < 0x800 {
                    buffer.append(UInt8(0xC0 | (scalar >> 6)))
                    buffer.append(UInt8(0x80 | (scalar & 0x3F)))
                } else if scalar < 0x10000 {
                    buffer.append(UInt8(0xE0 | (scalar >> 12)))
                    buffer.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                    buffer.append(UInt8(0x80 | (scalar & 0x3F)))
                } else {
                    buffer.append(UInt8(0xF0 | (scalar >> 18)))
                    buffer.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
                    buffer.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                    buffer.append(UInt8(0x80 | (scalar & 0x3F)))
                }
                continue
            default:
                throw failure(.syntax, "invalid escape '\\\(Character(Unicode.Scalar(escape)))' in a string")
            }
            pos += 2
        }
        throw truncated("inside a string")
    }

    private func parseHex4(at offset: Int) throws(JSONFailure) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw truncated("inside a string") }
        var value: UInt32 = 0
        for i in 0..<4 {
            let byte = bytes[offset + i]
            let digit: UInt32
            switch byte {
            case ASCII.zero...ASCII.nine: digit = UInt32(byte - ASCII.zero)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default:
                throw failure(.syntax, "invalid \\u escape: expected 4 hex digits", at: offset - 2)
            }
            value = value << 4 | digit
        }
        return value
    }

    // MARK: numbers

    /// A JSON number (RFC 8259 §6). The position is at '-' or a digit.
    mutating func parseNumber() throws(JSONFailure) -> Double {
        let start = pos
        var negative = false
        if bytes[pos] == ASCII.minus {
            negative = true
            pos += 1
            guard pos < bytes.count else { throw truncated("in a number") }
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var exact = true
        let first = bytes[pos]
        if first == ASCII.zero {
            pos += 1
            if pos < bytes.count, bytes[pos] >= ASCII.zero && bytes[pos] <= ASCII.nine {
                throw failure(.syntax, "numbers must not have leading zeros", at: start)
            }
        } else if first > ASCII.zero && first <= ASCII.nine {
            while pos < bytes.count {
                let digit = bytes[pos] &- ASCII.zero
                if digit > 9 { break }
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    significantDigits += 1
                } else {
                    exponent += 1
                    if digit != 0 { exact = false }
                }
                pos += 1
            }
        } else {
            throw unexpected(expected: "a number")
        }
        if pos < bytes.count && bytes[pos] == ASCII.dot {
            pos += 1
            guard pos < bytes.count else { throw truncated("in a number") }
            guard bytes[pos] &- ASCII.zero <= 9 else {
                throw failure(.syntax, "expected a digit after '.' in a number")
            }
            while pos < bytes.count {
                let digit = bytes[pos] &- ASCII.zero
                if digit > 9 { break }
                if mantissa == 0 && digit == 0 {
                    exponent -= 1
                } else if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    significantDigits += 1
                    exponent -= 1
                } else if digit != 0 {
                    exact = false
                }
                pos += 1
            }
        }
        if pos < bytes.count && (bytes[pos] == ASCII.lowerE || bytes[pos] == ASCII.upperE) {
            pos += 1
            guard pos < bytes.count else { throw truncated("in a number") }
            var exponentNegative = false
            if bytes[pos] == ASCII.minus || bytes[pos] == ASCII.plus {
                exponentNegative = bytes[pos] == ASCII.minus
                pos += 1
                guard pos < bytes.count else { throw truncated("in a number") }
            }
            guard bytes[pos] &- ASCII.zero <= 9 else {
                throw failure(.syntax, "expected a digit in the exponent of a number")
            }
            var explicit = 0
            while pos < bytes.count {
                let digit = bytes[pos] &- ASCII.zero
                if digit > 9 { break }
                if explicit < 100_000 { explicit = explicit * 10 + Int(digit) }
                pos += 1
            }
            exponent += exponentNegative ? -explicit : explicit
        }
        // A number that runs to the end of the buffer may continue in the next chunk.
        if pos >= bytes.count && !isFinal { throw truncated("in a number") }
        var value: Double
        if mantissa == 0 {
            value = 0
        } else if exact && mantissa <= (1 << 53) && exponent >= -22 && exponent <= 22 {
            value = Double(mantissa)
            if exponent < 0 {
                value /= exactPowersOfTen[-exponent]
            } else {
                value *= exactPowersOfTen[exponent]
            }
        } else {
            value = strtodFallback(start..<pos)
            if negative { value = -value }
            guard value.isFinite else {
                throw failure(.value, "number \(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)) is too large for a double", at: start)
            }
            return value
        }
        return negative ? -value : value
    }

    /// Correctly rounded conversion for the rare numbers the fast path cannot do exactly.
    private func strtodFallback(_ range: Range<Int>) -> Double {
        var text = [CChar](repeating: 0, count: range.count + 1)
        var start = range.lowerBound
        if bytes[start] == ASCII.minus { start += 1 }
        for i in start..<range.upperBound { text[i - start] = CChar(bitPattern: bytes[i]) }
        return text.withUnsafeBufferPointer { strtod($0.baseAddress!, nil) }
    }
}

/// Number of lines and the column (in Unicode scalars, 1-based) at a byte offset.
func lineAndColumn(in bytes: UnsafeBufferPointer<UInt8>, offset: Int) -> (line: Int, column: Int, sawNewline: Bool) {
    let end = min(max(offset, 0), bytes.count)
    var line = 1
    var column = 1
    var sawNewline = false
    var i = 0
    while i < end {
        let byte = bytes[i]
        if byte == ASCII.newline {
            line += 1
            column = 1
            sawNewline = true
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
        i += 1
    }
    return (line, column, sawNewline)
}
