import Foundation
import GeoCore
import Testing

/// The bad-input table (Fixtures/bad-input/cases.tsv): every planner input that once
/// crashed a planner or was silently accepted, with the exit status and message it must now
/// give, directly and through the host, writing nothing.
struct BadInputRow: Sendable, CustomTestStringConvertible {
    var planner: String
    var arguments: [String]
    var exitCode: Int32
    var message: String
    var testDescription: String { "\(planner) \(arguments.joined(separator: " ")) → \(exitCode)" }
}

@Suite("bad-input table")
struct BadInputTableTests {
    static let directory = Tool.packageRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/bad-input").path

    /// Inputs too large or too odd to keep as files.
    static func generated(_ name: String) -> [UInt8]? {
        switch name {
        case "ten-megabyte-line.csv":
            return Array("KEY_CODE,population\n".utf8) + [UInt8](repeating: UInt8(ascii: "5"), count: 10 << 20)
        default:
            return nil
        }
    }

    static let rows: [BadInputRow] = {
        guard let text = try? String(contentsOfFile: directory + "/cases.tsv", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line -> BadInputRow? in
            if line.hasPrefix("#") || line.isEmpty { return nil }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count == 4, let code = Int32(columns[2]) else { return nil }
            return BadInputRow(planner: columns[0], arguments: columns[1].split(separator: " ").map(String.init),
                               exitCode: code, message: columns[3])
        }
    }()

    @Test func theTableIsReadable() throws {
        let text = try String(contentsOfFile: Self.directory + "/cases.tsv", encoding: .utf8)
        let dataLines = text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(dataLines.count == Self.rows.count, "a row of cases.tsv does not have 4 tab-separated columns")
        #expect(Self.rows.count >= 20)
    }

    @Test(arguments: rows)
    func row(_ row: BadInputRow) throws {
        let work = try Tool.temporaryDirectory("wattbit-bad-input")
        defer { try? FileManager.default.removeItem(atPath: work) }
        var arguments: [String] = []
        for argument in row.arguments {
            if argument.hasPrefix("@@") {
                let name = String(argument.dropFirst(2))
                guard let bytes = Self.generated(name) else {
                    Issue.record("no generator for \(name)")
                    return
                }
                let path = work + "/" + name
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                arguments.append(path)
            } else if argument.hasPrefix("@") {
                arguments.append(Self.directory + "/" + argument.dropFirst())
            } else {
                arguments.append(argument)
            }
        }
        let outputDirectory = work + "/out"
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        let direct = try Tool.run("wattbit-\(row.planner)", ["run"] + arguments + ["-o", outputDirectory + "/result"], timeout: 120)
        let hosted = try Tool.run("wattbit", [row.planner] + arguments, timeout: 120)
        for (how, result) in [("direct", direct), ("host", hosted)] {
            #expect(result.exitCode == row.exitCode, "\(how): \(result.stderr)")
            #expect(!result.signaled, "\(how): crashed")
            #expect(result.stderrLines.count == 1, "\(how): expected one line, got: \(result.stderr)")
            #expect(result.stderr.contains(row.message), "\(how): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(how): wrote to stdout")
        }
        #expect(Tool.listDirectory(outputDirectory).isEmpty, "left files behind: \(Tool.listDirectory(outputDirectory))")
    }
}
