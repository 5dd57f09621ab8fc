import Foundation
import GeoCore
import PlannerKit
#if canImport(Glibc)
import Glibc
#endif

/// One planner file in `wattbit list`.
public struct ListRow: Sendable, Equatable {
    public var name: String
    public var version: String
    public var summary: String
    public var path: String
    public var status: String      // ok, shadowed, broken
    public var reason: String

    public init(name: String, version: String, summary: String, path: String, status: String, reason: String) {
        self.name = name; self.version = version; self.summary = summary
        self.path = path; self.status = status; self.reason = reason
    }

    public var json: JSONValue {
        var object = JSONObject()
        object["name"] = .string(name)
        object["version"] = version.isEmpty ? .null : .string(version)
        object["summary"] = summary.isEmpty ? .null : .string(summary)
        object["path"] = .string(path)
        object["status"] = .string(status)
        object["reason"] = reason.isEmpty ? .null : .string(reason)
        return .object(object)
    }

    /// The `wattbit list` table: usable planners (shadowed ones under their winner), then
    /// the broken ones with the reason.
    public static func table(_ rows: [ListRow], searched: [String]) -> String {
        var lines: [String] = []
        let usable = rows.filter { $0.status != "broken" }
        let broken = rows.filter { $0.status == "broken" }
        let nameWidth = max(6, (rows.map(\.name.count).max() ?? 0) + 2)
        let versionWidth = max(9, (rows.map(\.version.count).max() ?? 0) + 2)
        if usable.isEmpty {
            lines.append("No planners found. Searched: \(searched.joined(separator: ":"))")
        } else {
            lines.append("NAME".padding(nameWidth) + "VERSION".padding(versionWidth) + "SUMMARY".padding(58) + "PATH")
            for row in usable {
                if row.status == "shadowed" {
                    lines.append("  shadowed: " + row.path + " (also wattbit-\(row.name); hidden by the one above)")
                } else {
                    lines.append(row.name.padding(nameWidth) + row.version.padding(versionWidth)
                                 + row.summary.truncated(56).padding(58) + row.path)
                }
            }
        }
        if !broken.isEmpty {
            lines.append("")
            lines.append("Broken (found, but cannot be used):")
            for row in broken {
                lines.append("  " + row.name.padding(nameWidth) + row.path + ": " + row.reason)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func collect(_ discovery: PluginDiscovery) -> [ListRow] {
        let resolutions = discovery.resolveAll()
        // Describe every executable candidate at once: one slow plugin (describe may take
        // up to its 10 s limit) does not hold up the others.
        let candidates = resolutions.flatMap { [$0.winner].compactMap { $0 } + $0.shadowed }
        let results = DescribeResults(count: candidates.count)
        HostSignals.prepare()
        DispatchQueue.concurrentPerform(iterations: candidates.count) { index in
            do {
                results.set(index, .success(try PlannerHost.describe(candidates[index])))
            } catch let error as PlannerError {
                results.set(index, .failure(error))
            } catch {
                results.set(index, .failure(PlannerError(.software, "\(error)")))
            }
        }
        var rows: [ListRow] = []
        var next = 0
        for resolution in resolutions {
            var winnerListed = false
            for candidate in [resolution.winner].compactMap({ $0 }) + resolution.shadowed {
                defer { next += 1 }
                switch results.get(next) {
                case .success(let manifest)?:
                    rows.append(ListRow(name: resolution.name, version: manifest.version, summary: manifest.summary,
                                        path: candidate.path, status: winnerListed ? "shadowed" : "ok", reason: ""))
                    winnerListed = true
                case .failure(let error)?:
                    let reason = error.message.replacingPrefix(PlannerHost.label(candidate, nil) + ": ", with: "")
                    rows.append(ListRow(name: resolution.name, version: "", summary: "", path: candidate.path,
                                        status: "broken", reason: reason))
                case nil:
                    break
                }
            }
            for candidate in resolution.notExecutable {
                rows.append(ListRow(name: resolution.name, version: "", summary: "", path: candidate.path,
                                    status: "broken", reason: "not executable (chmod +x \(candidate.path))"))
            }
        }
        return rows
    }
}

/// Manifests (or why not) by candidate index, filled in concurrently.
final class DescribeResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<Manifest, PlannerError>?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ result: Result<Manifest, PlannerError>) {
        lock.lock(); defer { lock.unlock() }
        results[index] = result
    }
    func get(_ index: Int) -> Result<Manifest, PlannerError>? {
        lock.lock(); defer { lock.unlock() }
        return index < results.count ? results[index] : nil
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
    func truncated(_ width: Int) -> String {
        count <= width ? self : String(prefix(width - 1)) + "…"
    }
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
