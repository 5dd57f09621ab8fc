import Foundation
import Testing
@testable import PlannerKit

/// One lookup policy: $WATTBIT_GEODATA (which must be right), the installed layout, the
/// executable's own tree; never the current directory.
@Suite("embedded geodata lookup")
struct EmbeddedGeodataTests {
    let base: String

    init() throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("wattbit-geodata-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        for directory in ["prefix/bin", "prefix/libexec/wattbit", "prefix/share/wattbit/geodata", "checkout/.build/release",
                          "checkout/geodata", "elsewhere/geodata", "empty/bin"] {
            try FileManager.default.createDirectory(atPath: base + "/" + directory, withIntermediateDirectories: true)
        }
        for directory in ["prefix/share/wattbit/geodata", "checkout/geodata", "elsewhere/geodata"] {
            FileManager.default.createFile(atPath: base + "/" + directory + "/japan-land.geojson", contents: Data("{}".utf8))
        }
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: base) }

    @Test("search order and policy")
    func order() throws {
        defer { cleanUp() }
        // Installed program and installed plugin.
        #expect(try EmbeddedGeodata.directory(environment: nil, executableDirectory: base + "/prefix/bin")
                == base + "/prefix/share/wattbit/geodata")
        #expect(try EmbeddedGeodata.directory(environment: nil, executableDirectory: base + "/prefix/libexec/wattbit")
                == base + "/prefix/share/wattbit/geodata")
        // A checkout's build tree.
        #expect(try EmbeddedGeodata.directory(environment: nil, executableDirectory: base + "/checkout/.build/release")
                == base + "/checkout/geodata")
        // The variable wins, and an empty one is unset.
        #expect(try EmbeddedGeodata.directory(environment: base + "/elsewhere/geodata", executableDirectory: base + "/prefix/bin")
                == base + "/elsewhere/geodata")
        #expect(try EmbeddedGeodata.directory(environment: "", executableDirectory: base + "/prefix/bin")
                == base + "/prefix/share/wattbit/geodata")
    }

    @Test("a wrong WATTBIT_GEODATA or nothing found is exit 69 naming the fix; the current directory is never searched")
    func failures() throws {
        defer { cleanUp() }
        #expect {
            try EmbeddedGeodata.directory(environment: base + "/empty", executableDirectory: base + "/checkout/.build/release")
        } throws: { error in
            guard let error = error as? PlannerError else { return false }
            return error.code == .unavailable && error.message.contains("WATTBIT_GEODATA=\(base)/empty does not hold")
        }
        // The current directory holds a geodata/, but the executable's tree does not.
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(base + "/elsewhere")
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        #expect {
            try EmbeddedGeodata.directory(environment: nil, executableDirectory: base + "/empty/bin")
        } throws: { error in
            guard let error = error as? PlannerError else { return false }
            return error.code == .unavailable && error.message.contains("set WATTBIT_GEODATA")
        }
    }
}
