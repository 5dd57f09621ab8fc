import Foundation
import Testing
@testable import PlannerKit

/// The planner cache keeps a few files per family and drops the least recently used, so a
/// changed land file or a new cache format never fills the disk, while what is in use stays.
@Suite struct PlannerCacheTests {
    static func directory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wattbit-cache-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func age(_ url: URL, secondsAgo: Double) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -secondsAgo)], ofItemAtPath: url.path)
    }

    @Test func familiesLeaveOutTheContentKey() {
        #expect(PlannerCache.family(of: "cable-sea-0123abcd.lattice").map { "\($0.prefix)*\($0.suffix)" } == "cable-sea-*.lattice")
        #expect(PlannerCache.family(of: "cable-costs-ff.raster").map { "\($0.prefix)*\($0.suffix)" } == "cable-costs-*.raster")
        #expect(PlannerCache.family(of: "nokey") == nil)
    }

    @Test func aNewFileRemovesTheLeastRecentlyUsedOfItsFamilyOnly() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let cache = PlannerCache(environment: ["WATTBIT_CACHE_DIR": dir.path]) else { Issue.record("no cache"); return }
        // Five lattices of different ages (k0 oldest) and one file of another family.
        for k in 0..<5 {
            try Data([UInt8(k)]).write(to: cache.url(name: "cable-sea-k\(k).lattice"))
            try Self.age(cache.url(name: "cable-sea-k\(k).lattice"), secondsAgo: Double(1000 - k * 100))
        }
        try Data([9]).write(to: cache.url(name: "cable-costs-c0.raster"))
        try Self.age(cache.url(name: "cable-costs-c0.raster"), secondsAgo: 5000)
        // Reading the oldest lattice marks it as used.
        #expect(cache.load(name: "cable-sea-k0.lattice") == Data([0]))
        #expect(cache.store(Data([7]), name: "cable-sea-new.lattice") == nil)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(left == ["cable-sea-new.lattice", "cable-sea-k0.lattice", "cable-sea-k4.lattice", "cable-sea-k3.lattice",
                         "cable-costs-c0.raster"],
                "kept: the new file, the one just read, the two most recent; the other family untouched")
        #expect(left.count == PlannerCache.keptPerFamily + 1)
    }
}
