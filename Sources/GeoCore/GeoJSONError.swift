#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A GeoJSON or JSON input problem, naming the place: file, line:column, JSON path.
///
/// `description` is the one line a user sees:
/// `routes.geojson:12:5: features[3].geometry.coordinates[0][3]: longitude 191.2 out of range`.
public struct GeoJSONError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// The file does not exist.
        case fileNotFound
        /// The file exists but cannot be read (permissions, a directory, an I/O error).
        case unreadable
        /// Not valid JSON (RFC 8259), including NaN/Infinity and too-deep nesting.
        case syntax
        /// Valid JSON that is not valid GeoJSON (RFC 7946): missing or wrong members, rings
        /// not closed, positions of the wrong shape.
        case structure
        /// Well-formed but unacceptable values: coordinates out of range, an unsupported `crs`.
        case value
        /// Nothing but whitespace.
        case empty
    }

    public var kind: Kind
    /// File path, or "<stdin>".
    public var source: String
    /// 1-based line of the offending token, when known.
    public var line: Int?
    /// 1-based column in Unicode scalars, when known.
    public var column: Int?
    /// e.g. "features[1832].geometry.coordinates[0][3]".
    public var jsonPath: String?
    /// e.g. "longitude 191.2 out of range".
    public var message: String

    public init(kind: Kind, source: String, line: Int? = nil, column: Int? = nil,
                jsonPath: String? = nil, message: String) {
        self.kind = kind
        self.source = source
        self.line = line
        self.column = column
        self.jsonPath = jsonPath
        self.message = message
    }

    public var description: String {
        var text = source
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        text += ": "
        if let jsonPath, !jsonPath.isEmpty { text += jsonPath + ": " }
        return text + message
    }

    /// The sysexits(3) status a command should exit with: 66 (EX_NOINPUT) when the input
    /// cannot be opened, 65 (EX_DATAERR) for bad content.
    public var exitCode: Int32 {
        switch kind {
        case .fileNotFound, .unreadable: 66
        case .syntax, .structure, .value, .empty: 65
        }
    }
}

/// Where a scanned buffer starts in its file (streams drop what they have consumed).
struct TextPosition: Sendable {
    var line: Int
    var column: Int
    static let start = TextPosition(line: 1, column: 1)

    /// The position after `bytes`, starting from `self`. Newlines are found with `memchr`
    /// (vectorised in libc); columns are counted only on the last line.
    func advanced(over bytes: UnsafeBufferPointer<UInt8>) -> TextPosition {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return self }
        var newlines = 0
        var lastNewline = -1
        var offset = 0
        while offset < bytes.count,
              let hit = memchr(base + offset, Int32(ASCII.newline), bytes.count - offset) {
            let index = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
            newlines += 1
            lastNewline = index
            offset = index + 1
        }
        var scalars = 0
        for i in (lastNewline + 1)..<bytes.count where bytes[i] & 0xC0 != 0x80 { scalars += 1 }
        return newlines == 0
            ? TextPosition(line: line, column: column + scalars)
            : TextPosition(line: line + newlines, column: 1 + scalars)
    }
}

extension GeoJSONError {
    init(_ failure: JSONFailure, source: String, buffer: UnsafeBufferPointer<UInt8>, position: TextPosition) {
        let kind: Kind
        switch failure.kind {
        case .syntax, .truncated, .depth: kind = .syntax
        case .structure: kind = .structure
        case .value: kind = .value
        }
        let (line, column, sawNewline) = lineAndColumn(in: buffer, offset: failure.offset)
        let path = renderJSONPath(failure.path)
        self.init(kind: kind, source: source,
                  line: position.line + line - 1,
                  column: sawNewline ? column : position.column + column - 1,
                  jsonPath: path.isEmpty ? nil : path,
                  message: failure.message)
    }
}
