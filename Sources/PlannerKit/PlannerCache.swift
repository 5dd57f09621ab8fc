import Foundation

/// A planner's cache of derived data that is expensive to build and keyed by content (e.g.
/// the cable router's sea lattice): one file per name in `$WATTBIT_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/wattbit`, else `~/.cache/wattbit` (XDG Base Directory Specification).
/// Files are read memory-mapped and written atomically (temporary file in the same
/// directory, then rename), so concurrent planners never see half a file. A missing or
/// unreadable file is simply rebuilt by the caller, which must also validate what it reads.
public struct PlannerCache: Sendable {
    public let directory: URL

    /// nil when no cache directory can be named (no absolute $XDG_CACHE_HOME or $HOME).
    public init?(environment: [String: String]) {
        if let dir = environment["WATTBIT_CACHE_DIR"], !dir.isEmpty {
            directory = URL(fileURLWithPath: dir)
        } else if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            directory = URL(fileURLWithPath: xdg).appendingPathComponent("wattbit")
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            directory = URL(fileURLWithPath: home).appendingPathComponent(".cache/wattbit")
        } else {
            return nil
        }
    }

    public func url(name: String) -> URL { directory.appendingPathComponent(name) }

    /// The file's bytes, memory-mapped, or nil when it is missing or unreadable.
    public func load(name: String) -> Data? {
        try? Data(contentsOf: url(name: name), options: .alwaysMapped)
    }

    /// Writes the file atomically; returns a one-line warning when it cannot (the caller
    /// goes on without a cache).
    public func store(_ data: Data, name: String) -> String? {
        let target = url(name: name)
        let temporary = directory.appendingPathComponent(".\(name).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try data.write(to: temporary)
            guard rename(temporary.path, target.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                return "could not write the cache \(target.path): \(reason)"
            }
            return nil
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            return "could not write the cache in \(directory.path): \(error.localizedDescription)"
        }
    }

    /// Writes each entry (file name, bytes) atomically; returns the first one-line warning.
    public func store(_ entries: [(name: String, data: Data)]) -> String? {
        var first: String?
        for entry in entries {
            if let problem = store(entry.data, name: entry.name), first == nil { first = problem }
        }
        return first
    }
}
