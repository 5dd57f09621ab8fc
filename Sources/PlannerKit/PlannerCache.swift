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

    /// The file's bytes, memory-mapped, or nil when it is missing or unreadable. A file
    /// that is read is marked as used (its modification time becomes now), so pruning keeps it.
    public func load(name: String) -> Data? {
        let target = url(name: name)
        guard let data = try? Data(contentsOf: target, options: .alwaysMapped) else { return nil }
        _ = utimes(target.path, nil)
        return data
    }

    /// How many files of one family (a name with its content key left out, e.g.
    /// `cable-sea-*.lattice`) are kept: a new file removes the least recently used beyond
    /// this, so changed land, options or a new cache format do not fill the disk.
    public static let keptPerFamily = 4

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
            prune(keeping: name)
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

    /// The family of a cache file name: everything but its content key, which is the last
    /// `-`-separated part before the extension (`cable-sea-<key>.lattice` → `cable-sea-`, `.lattice`).
    static func family(of name: String) -> (prefix: Substring, suffix: Substring)? {
        guard let dash = name.lastIndex(of: "-"), let dot = name.lastIndex(of: "."), dash < dot else { return nil }
        return (name[...dash], name[dot...])
    }

    /// Removes the least recently used files of `name`'s family beyond `keptPerFamily`
    /// (never `name` itself; files that cannot be removed are left).
    func prune(keeping name: String) {
        guard let family = PlannerCache.family(of: name),
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        var members: [(name: String, modified: Date)] = []
        for other in names where other != name && !other.hasPrefix(".") {
            guard let f = PlannerCache.family(of: other), f.prefix == family.prefix, f.suffix == family.suffix,
                  let attributes = try? FileManager.default.attributesOfItem(atPath: url(name: other).path),
                  let modified = attributes[.modificationDate] as? Date else { continue }
            members.append((other, modified))
        }
        members.sort { $0.modified != $1.modified ? $0.modified > $1.modified : $0.name < $1.name }
        for old in members.dropFirst(max(0, PlannerCache.keptPerFamily - 1)) {
            try? FileManager.default.removeItem(at: url(name: old.name))
        }
    }
}
