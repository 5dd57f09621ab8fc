import PlannerKit

/// Reading the demand input in chunks: a mesh CSV of several million cells (250 m mesh for
/// Japan) is never held whole. The input is opened once (a pipe or process substitution
/// can be read only once): the format is sniffed from its first bytes, which the reader
/// then consumes.
enum DemandSource {
    static let chunkBytes = 1 << 20

    /// CSV when the name ends in .csv; GeoJSON when it ends in .geojson/.json/…; otherwise
    /// (stdin, pipes, other names) CSV when the first non-blank byte cannot start GeoJSON
    /// (`{`, `[` or RS).
    static func isCSV(_ input: InputSource) throws -> Bool {
        let lower = input.path.lowercased()
        if lower.hasSuffix(".csv") { return true }
        if lower.hasSuffix(".geojson") || lower.hasSuffix(".json") || lower.hasSuffix(".geojsonl")
            || lower.hasSuffix(".geojsons") { return false }
        // Enough to pass a BOM and leading blank lines in any realistic file.
        return !startsLikeJSON(try input.peek(4096))
    }

    static func startsLikeJSON(_ bytes: [UInt8]) -> Bool {
        var i = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        guard i < bytes.count else { return false }
        return bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "[") || bytes[i] == 0x1E
    }

    /// Calls `body` with consecutive chunks of the input, reporting progress by bytes when
    /// the size is known.
    static func stream(_ input: InputSource, progress: ProgressReporter, _ body: ([UInt8]) throws -> Void) throws {
        let size = Double(input.regularFileSize ?? 0)
        var done = 0.0
        while true {
            let chunk = try input.nextChunk(maximum: chunkBytes)
            if chunk.isEmpty { break }
            try body(chunk)
            done += Double(chunk.count)
            if size > 0 { progress.update(min(done / size, 1), stage: "demand") }
        }
    }
}
