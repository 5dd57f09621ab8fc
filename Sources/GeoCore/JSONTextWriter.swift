// Deterministic JSON output shared by the GeoJSON writer and `JSONText.encode`.
//
// Same value in, same bytes out: object members in their stored order, no spaces in the
// compact form, UTF-8 written as is (only `"`, `\` and control characters are escaped),
// integral numbers without ".0", other numbers in the shortest form that reads back to the
// same Double (Swift's `description`, which implements the shortest round-trip algorithm).

/// Plain JSON (manifests, configuration, progress lines) with the same scanner and the same
/// deterministic writer as GeoJSON.
public enum JSONText {
    /// Parses one JSON value (RFC 8259). A leading UTF-8 byte-order mark is skipped.
    /// Errors are `GeoJSONError` with line and column (`source` names the input).
    /// Nesting is limited to 256 levels.
    public static func parse(_ bytes: [UInt8], source: String) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(GeoJSONError) -> JSONValue in
            var scanner = JSONScanner(buffer, at: 0)
            scanner.isFinal = true
            if hasByteOrderMark(buffer) { scanner.pos = 3 }
            scanner.skipWhitespace()
            if scanner.atEnd {
                throw GeoJSONError(kind: .empty, source: source, message: "empty input: expected a JSON value")
            }
            do throws(JSONFailure) {
                let value = try scanner.parseValue()
                scanner.skipWhitespace()
                if !scanner.atEnd {
                    throw scanner.failure(.syntax, "unexpected \(scanner.describeCurrent()) after the end of the JSON value")
                }
                return value
            } catch {
                throw GeoJSONError(error, source: source, buffer: buffer, position: .start)
            }
        }
    }

    /// Compact (no whitespace) or pretty (two-space indent, `"key": value`) JSON. No trailing
    /// newline in either form. Non-finite numbers, which JSON cannot express, become `null`.
    public static func encode(_ value: JSONValue, pretty: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        JSONOutput.appendValue(value, to: &out, pretty: pretty, indent: 0)
        return out
    }
}

func hasByteOrderMark(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
    buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF
}

enum JSONOutput {
    @inline(__always)
    static func append(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(ASCII.quote)
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let byte = utf8[i]
                guard byte < 0x20 || byte == ASCII.quote || byte == ASCII.backslash else { continue }
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                runStart = i + 1
                out.append(ASCII.backslash)
                switch byte {
                case ASCII.quote: out.append(ASCII.quote)
                case ASCII.backslash: out.append(ASCII.backslash)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [UInt8(ascii: "u"), ASCII.zero, ASCII.zero,
                                            hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            if runStart < utf8.count {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
            }
        }
        out.append(ASCII.quote)
    }

    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 {
            out.append(ASCII.minus)
            appendUnsigned(value.magnitude, to: &out)
        } else {
            appendUnsigned(UInt64(value), to: &out)
        }
    }

    static func appendUnsigned(_ value: UInt64, to out: inout [UInt8], minimumDigits: Int = 1) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, no heap
        withUnsafeMutableBytes(of: &digits) { scratch in
            var v = value
            var i = scratch.count
            repeat {
                i -= 1
                scratch[i] = ASCII.zero + UInt8(v % 10)
                v /= 10
            } while v != 0 || scratch.count - i < minimumDigits
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[i...]))
        }
    }

    /// Shortest text that reads back to the same Double; integral values without ".0".
    static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else {
            append("null", to: &out)
            return
        }
        if value.rounded(.towardZero) == value && value.magnitude < 1e16 {
            appendInteger(Int64(value), to: &out)
            return
        }
        out.append(contentsOf: value.description.utf8)
    }

    static let powersOfTen: [Int64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
                                       100_000_000, 1_000_000_000, 10_000_000_000, 100_000_000_000,
                                       1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000,
                                       1_000_000_000_000_000]

    /// Fixed `precision` decimals, trailing zeros trimmed: 139.7671234, 35.5, 140.
    static func appendFixed(_ value: Double, precision: Int, to out: inout [UInt8]) {
        guard value.isFinite else {
            append("null", to: &out)
            return
        }
        let digits = min(max(precision, 0), 15)
        let scale = powersOfTen[digits]
        let scaled = (value * Double(scale)).rounded()
        guard scaled.magnitude < 9.0e15 else {
            appendNumber(value, to: &out)
            return
        }
        var units = Int64(scaled)
        if units == 0 {
            out.append(ASCII.zero)
            return
        }
        if units < 0 {
            out.append(ASCII.minus)
            units = -units
        }
        appendUnsigned(UInt64(units / scale), to: &out)
        var fraction = units % scale
        if fraction != 0 {
            var fractionDigits = digits
            while fraction % 10 == 0 {
                fraction /= 10
                fractionDigits -= 1
            }
            out.append(ASCII.dot)
            appendUnsigned(UInt64(fraction), to: &out, minimumDigits: fractionDigits)
        }
    }

    static func appendNewlineAndIndent(_ indent: Int, to out: inout [UInt8]) {
        out.append(ASCII.newline)
        for _ in 0..<indent { out.append(ASCII.space) }
    }

    static func appendValue(_ value: JSONValue, to out: inout [UInt8], pretty: Bool, indent: Int) {
        switch value {
        case .null: append("null", to: &out)
        case .bool(let flag): flag ? append("true", to: &out) : append("false", to: &out)
        case .number(let number): appendNumber(number, to: &out)
        case .string(let text): appendString(text, to: &out)
        case .array(let elements):
            out.append(ASCII.openBracket)
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(ASCII.comma) }
                if pretty { appendNewlineAndIndent(indent + 2, to: &out) }
                appendValue(element, to: &out, pretty: pretty, indent: indent + 2)
            }
            if pretty && !elements.isEmpty { appendNewlineAndIndent(indent, to: &out) }
            out.append(ASCII.closeBracket)
        case .object(let object):
            appendObject(object, to: &out, pretty: pretty, indent: indent)
        }
    }

    static func appendObject(_ object: JSONObject, to out: inout [UInt8], pretty: Bool = false, indent: Int = 0) {
        out.append(ASCII.openBrace)
        for (i, member) in object.members.enumerated() {
            if i > 0 { out.append(ASCII.comma) }
            if pretty { appendNewlineAndIndent(indent + 2, to: &out) }
            appendString(member.key, to: &out)
            out.append(ASCII.colon)
            if pretty { out.append(ASCII.space) }
            appendValue(member.value, to: &out, pretty: pretty, indent: indent + 2)
        }
        if pretty && !object.isEmpty { appendNewlineAndIndent(indent, to: &out) }
        out.append(ASCII.closeBrace)
    }
}
