#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import GeoCore

/// One input opened exactly once: a regular file, a named pipe, a process substitution
/// (`<(…)`, which the shell passes as `/dev/fd/N`) or stdin (`-`).
///
/// A pipe can be read only once, so a reader that sniffs the format must not open the path
/// again afterwards: `peek` keeps the bytes it reads and `nextChunk`/`readAll` hand them out
/// first. Errors are PlannerErrors naming the flag and path: 66 when the input cannot be
/// opened or read.
public final class InputSource {
    public let path: String
    /// The flag for messages, e.g. `--demand`.
    public let label: String
    /// Size in bytes when the input is a regular file (for progress); nil for pipes.
    public let regularFileSize: Int?
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffered: [UInt8] = []
    private var bufferedStart = 0
    private var atEOF = false

    /// `<stdin>` or the path, as readers name their source.
    public var sourceName: String { path == "-" ? "<stdin>" : path }
    /// `--demand FILE` (or `--demand -`), the prefix of messages about this input.
    public var displayLabel: String { "\(label) \(path)" }

    public init(path: String, label: String) throws {
        self.path = path
        self.label = label
        if path == "-" {
            try PlannerInputs.checkStdin(path, label: label)
            descriptor = 0
            ownsDescriptor = false
        } else {
            try PlannerInvocation.checkReadable(path, flag: label)
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw PlannerError.noInput("\(label) \(path): \(SystemIO.errorText(errno))") }
            descriptor = fd
            ownsDescriptor = true
        }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
            regularFileSize = Int(info.st_size)
        } else {
            regularFileSize = nil
        }
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// The first `count` bytes not yet consumed (fewer at end of input), without consuming
    /// them: the next `nextChunk` or `readAll` returns them again.
    public func peek(_ count: Int) throws -> [UInt8] {
        while buffered.count - bufferedStart < count && !atEOF {
            let chunk = try readFromDescriptor(maximum: max(count - (buffered.count - bufferedStart), 1 << 16))
            if chunk.isEmpty { break }
            if bufferedStart > 0 {
                buffered.removeFirst(bufferedStart)
                bufferedStart = 0
            }
            buffered += chunk
        }
        let end = min(buffered.count, bufferedStart + count)
        return Array(buffered[bufferedStart..<end])
    }

    /// The next bytes of the input, at most `maximum` (buffered bytes first); empty at the end.
    public func nextChunk(maximum: Int = 1 << 20) throws -> [UInt8] {
        if bufferedStart < buffered.count {
            let end = min(buffered.count, bufferedStart + maximum)
            let chunk = Array(buffered[bufferedStart..<end])
            bufferedStart = end
            if bufferedStart == buffered.count {
                buffered = []
                bufferedStart = 0
            }
            return chunk
        }
        return try readFromDescriptor(maximum: maximum)
    }

    /// Everything not yet consumed.
    public func readAll() throws -> [UInt8] {
        var result = Array(buffered[bufferedStart...])
        buffered = []
        bufferedStart = 0
        while true {
            let chunk = try readFromDescriptor(maximum: 1 << 20)
            if chunk.isEmpty { return result }
            result += chunk
        }
    }

    private func readFromDescriptor(maximum: Int) throws -> [UInt8] {
        guard !atEOF, maximum > 0 else { return [] }
        var chunk = [UInt8](repeating: 0, count: maximum)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, maximum) }
            if count > 0 {
                chunk.removeLast(maximum - count)
                return chunk
            }
            if count == 0 {
                atEOF = true
                return []
            }
            if errno == EINTR { continue }
            throw PlannerError.noInput("\(displayLabel): cannot read: \(SystemIO.errorText(errno))")
        }
    }
}

extension PlannerInputs {
    /// Checks one feature of an input against the manifest (geometry type, null geometry,
    /// required properties), for planners that read an input's bytes themselves.
    /// `source` names the file (`<stdin>` for `-`) in the message.
    public func check(_ feature: Feature, index: Int, input name: String, source: String) throws {
        try Self.check(feature, index: index, spec: spec(name), source: source)
    }

    /// Streams the GeoJSON features of an opened input, checking each against the manifest.
    public func forEachFeature(_ name: String, from input: InputSource, _ body: (Int, Feature) throws -> Void) throws {
        let spec = spec(name)
        let bytes = try input.readAll()
        do {
            try GeoJSONReader.forEachFeature(bytes: bytes, source: input.sourceName) { index, feature in
                try Self.check(feature, index: index, spec: spec, source: input.sourceName)
                try body(index, feature)
            }
        } catch let error as GeoJSONError {
            throw Self.plannerError(error, label: flagDisplayName(name))
        }
    }
}
