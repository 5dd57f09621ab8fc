#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Paths of temporary files being written, kept where a signal handler can reach them
/// without allocating: a fixed block of C strings. A SIGINT/SIGTERM handler unlinks every
/// registered temp file before it exits, so an interrupt never leaves a partial file.
enum TemporaryFileRegistry {
    static let slotCount = 16
    static let slotSize = 4096
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<CChar> = {
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: slotCount * slotSize)
        pointer.initialize(repeating: 0, count: slotCount * slotSize)
        return pointer
    }()

    /// Forces the lazy global into existence before a signal handler may touch it.
    static func prepare() { _ = slots }

    static func register(_ path: String) -> Int? {
        let bytes = Array(path.utf8)
        guard bytes.count < slotSize else { return nil }
        for slot in 0..<slotCount where slots[slot * slotSize] == 0 {
            let base = slots + slot * slotSize
            for (offset, byte) in bytes.enumerated() { base[offset] = CChar(bitPattern: byte) }
            base[bytes.count] = 0
            return slot
        }
        return nil
    }

    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        slots[slot * slotSize] = 0
    }

    /// Async-signal-safe: only `unlink` on pre-built C strings.
    static func unlinkAll() {
        for slot in 0..<slotCount where slots[slot * slotSize] != 0 {
            unlink(slots + slot * slotSize)
        }
    }
}

/// Writes a set of files atomically: each goes to a temporary file in its target
/// directory, is flushed with `fsync`, and only when every file has been written are they
/// renamed into place. A failure or interrupt removes the temporaries; the targets are
/// either the old files or complete new ones, never half-written.
public final class AtomicFileSet {
    private struct Staged {
        var target: String
        var temporary: String
        var slot: Int?
    }
    private var staged: [Staged] = []
    private static let counter = AtomicCounter()

    public init() { TemporaryFileRegistry.prepare() }

    deinit { abandon() }

    /// Writes `contents` to a temporary file beside `path`. Throws a 73 error naming the path.
    public func stage(path: String, contents: [UInt8]) throws {
        // Device files and FIFOs (-o /dev/stdout, a named pipe) cannot be renamed over:
        // write them in place, once every regular file has been staged.
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            if (info.st_mode & S_IFMT) == S_IFDIR {
                throw PlannerError(.cannotCreate, "cannot write \(path): is a directory")
            }
            staged.append(Staged(target: path, temporary: "", slot: nil))
            pendingSpecial[path] = contents
            return
        }
        let directory = Self.directoryName(of: path)
        let base = Self.baseName(of: path)
        let temporary = "\(directory)/.\(base).tmp-\(getpid())-\(Self.counter.next())"
        let slot = TemporaryFileRegistry.register(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            let code = errno
            TemporaryFileRegistry.unregister(slot)
            if code == ENOENT {
                throw PlannerError(.cannotCreate, "cannot write \(path): directory \(directory) does not exist")
            }
            throw PlannerError(.cannotCreate, "cannot write \(path): \(SystemIO.errorText(code))")
        }
        staged.append(Staged(target: path, temporary: temporary, slot: slot))
        if let code = SystemIO.writeAll(fd: fd, contents) {
            close(fd)
            throw PlannerError(.cannotCreate, "cannot write \(path): \(SystemIO.errorText(code))")
        }
        if fsync(fd) != 0 && errno != EINVAL {
            let code = errno
            close(fd)
            throw PlannerError(.cannotCreate, "cannot write \(path): \(SystemIO.errorText(code))")
        }
        if close(fd) != 0 {
            throw PlannerError(.cannotCreate, "cannot write \(path): \(SystemIO.errorText(errno))")
        }
    }

    private var pendingSpecial: [String: [UInt8]] = [:]

    /// Renames every staged file into place.
    public func commit() throws {
        for (index, file) in staged.enumerated() {
            if file.temporary.isEmpty {
                let fd = open(file.target, O_WRONLY | O_CLOEXEC)
                guard fd >= 0 else {
                    throw PlannerError(.cannotCreate, "cannot write \(file.target): \(SystemIO.errorText(errno))")
                }
                defer { close(fd) }
                if let code = SystemIO.writeAll(fd: fd, pendingSpecial[file.target] ?? []) {
                    throw PlannerError(.cannotCreate, "cannot write \(file.target): \(SystemIO.errorText(code))")
                }
                continue
            }
            guard rename(file.temporary, file.target) == 0 else {
                throw PlannerError(.cannotCreate, "cannot write \(file.target): \(SystemIO.errorText(errno))")
            }
            TemporaryFileRegistry.unregister(file.slot)
            staged[index].temporary = ""
            staged[index].slot = nil
            pendingSpecial[file.target] = nil
        }
        staged.removeAll()
    }

    /// Removes every temporary file not yet renamed.
    public func abandon() {
        for file in staged where !file.temporary.isEmpty {
            unlink(file.temporary)
            TemporaryFileRegistry.unregister(file.slot)
        }
        staged.removeAll()
    }

    package static func directoryName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }

    package static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

/// A process-wide counter for unique temporary names.
final class AtomicCounter: @unchecked Sendable {
    private var value = 0
    private var lock = pthread_mutex_t()
    init() { pthread_mutex_init(&lock, nil) }
    func next() -> Int {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        value += 1
        return value
    }
}
