#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PlannerKit

/// Reading the demand file in chunks: a mesh CSV of several million cells (250 m mesh for
/// Japan) is never held whole.
enum DemandSource {
    static let chunkBytes = 1 << 20

    /// CSV when the name ends in .csv, or (stdin / other names) when the first
    /// non-blank byte cannot start GeoJSON (`{`, `[` or RS).
    static func isCSV(path: String) throws -> Bool {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return true }
        if lower.hasSuffix(".geojson") || lower.hasSuffix(".json") || lower.hasSuffix(".geojsonl")
            || lower.hasSuffix(".geojsons") { return false }
        if path == "-" {
            // Peek without consuming: remember the first chunk for `stream`.
            let first = try readChunk(fd: 0, label: "--demand -")
            StdinPeek.shared.set(first)
            return !startsLikeJSON(first)
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PlannerError.noInput("--demand \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        return !startsLikeJSON(try readChunk(fd: fd, label: "--demand \(path)"))
    }

    static func startsLikeJSON(_ bytes: [UInt8]) -> Bool {
        var i = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        guard i < bytes.count else { return false }
        return bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "[") || bytes[i] == 0x1E
    }

    static func readChunk(fd: Int32, label: String) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: chunkBytes)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunkBytes) }
            if n >= 0 { return Array(buffer[0..<n]) }
            if errno == EINTR { continue }
            throw PlannerError.noInput("\(label): \(String(cString: strerror(errno)))")
        }
    }

    /// Calls `body` with consecutive chunks of the file (or stdin), reporting progress by
    /// bytes when the size is known.
    static func stream(path: String, label: String, progress: ProgressReporter,
                       _ body: ([UInt8]) throws -> Void) throws {
        let fd: Int32
        if path == "-" {
            fd = 0
            if let first = StdinPeek.shared.take() { try body(first) }
        } else {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw PlannerError.noInput("\(label): \(String(cString: strerror(errno)))") }
        }
        defer { if fd != 0 { close(fd) } }
        var info = stat()
        let size = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Double(info.st_size) : 0
        var done = 0.0
        while true {
            let chunk = try readChunk(fd: fd, label: label)
            if chunk.isEmpty { break }
            try body(chunk)
            done += Double(chunk.count)
            if size > 0 { progress.update(min(done / size, 1), stage: "demand") }
        }
    }
}

/// The first chunk of stdin read to detect the format, handed back to the reader.
final class StdinPeek: @unchecked Sendable {
    static let shared = StdinPeek()
    private var bytes: [UInt8]?
    private let lock = NSLockLike()
    func set(_ b: [UInt8]) { lock.locked { bytes = b } }
    func take() -> [UInt8]? { lock.locked { defer { bytes = nil }; return bytes } }
}

/// A pthread mutex (Foundation-free).
final class NSLockLike: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
