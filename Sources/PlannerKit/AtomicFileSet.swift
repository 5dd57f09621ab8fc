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
        var descriptor: Int32? = nil
    }
    private var staged: [Staged] = []
    private static let counter = AtomicCounter()

    public init() { TemporaryFileRegistry.prepare() }

    deinit { abandon() }

    /// The descriptor that `-o /dev/stdout` (and `/dev/fd/1`, `/proc/self/fd/1`) means: a
    /// planner points fd 1 at stderr while it runs and keeps the real stdout elsewhere.
    public var standardOutputDescriptor: Int32 = 1

    /// Where a path given to `-o` really leads.
    enum OutputTarget: Equatable {
        /// A regular file (existing or not) at the end of any symlinks: written atomically
        /// beside that target, so `-o link` replaces the file the link points to, not the link.
        case file(String)
        /// A descriptor this process already has (`/dev/stdout`, `/dev/fd/N`,
        /// `/proc/self/fd/N`): written in place, like `-`.
        case descriptor(Int32)
        /// A FIFO or device: opened and written in place.
        case special(String)
        case directory(String)

        /// Follows symlinks one hop at a time (at most 40, as the kernel does), stopping at
        /// a descriptor path before its "magic" link is read.
        static func resolve(_ path: String) -> OutputTarget {
            var current = path
            for _ in 0..<40 {
                if let fd = descriptorNumber(current) { return .descriptor(fd) }
                var info = stat()
                guard lstat(current, &info) == 0 else { return .file(current) }
                switch info.st_mode & S_IFMT {
                case S_IFLNK:
                    var buffer = [CChar](repeating: 0, count: 4096)
                    let count = readlink(current, &buffer, buffer.count - 1)
                    guard count > 0 else { return .file(current) }
                    let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    current = target.hasPrefix("/") ? target : AtomicFileSet.directoryName(of: current) + "/" + target
                case S_IFREG: return .file(current)
                case S_IFDIR: return .directory(current)
                default: return .special(current)
                }
            }
            return .file(current)   // a symlink loop: open reports ELOOP
        }

        static func descriptorNumber(_ path: String) -> Int32? {
            switch path {
            case "/dev/stdout": return 1
            case "/dev/stderr": return 2
            default: break
            }
            let prefixes = ["/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/", "/proc/\(getpid())/fd/"]
            for prefix in prefixes where path.hasPrefix(prefix) {
                let rest = path.dropFirst(prefix.count)
                guard !rest.isEmpty, rest.allSatisfy(\.isNumber), let fd = Int32(rest) else { return nil }
                return fd
            }
            return nil
        }
    }

    /// Writes `contents` to a temporary file beside `path` (beside the file a symlink leads
    /// to). Throws a 73 error naming the path.
    public func stage(path: String, contents: [UInt8]) throws {
        let target: String
        switch OutputTarget.resolve(path) {
        case .directory:
            throw PlannerError(.cannotCreate, "cannot write \(path): is a directory")
        case .descriptor(let fd):
            // Written in place once every regular file has been staged.
            let actual = fd == 1 ? standardOutputDescriptor : fd
            guard fcntl(actual, F_GETFD) >= 0 else {
                throw PlannerError(.cannotCreate, "cannot write \(path): descriptor \(fd) is not open")
            }
            staged.append(Staged(target: path, temporary: "", slot: nil, descriptor: actual))
            pendingSpecial[path] = contents
            return
        case .special:
            // Device files and FIFOs (a named pipe) cannot be renamed over: write in place.
            staged.append(Staged(target: path, temporary: "", slot: nil))
            pendingSpecial[path] = contents
            return
        case .file(let resolved):
            target = resolved
        }
        let directory = Self.directoryName(of: target)
        let base = Self.baseName(of: target)
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
        staged.append(Staged(target: target, temporary: temporary, slot: slot))
        // A file replaced through a symlink keeps its permission bits.
        var existing = stat()
        if stat(target, &existing) == 0 { fchmod(fd, existing.st_mode & 0o7777) }
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
            if file.temporary.isEmpty, let fd = file.descriptor {
                if let code = SystemIO.writeAll(fd: fd, pendingSpecial[file.target] ?? []) {
                    throw PlannerError(.cannotCreate, "cannot write \(file.target): \(SystemIO.errorText(code))")
                }
                continue
            }
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
