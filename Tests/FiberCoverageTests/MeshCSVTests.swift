import Testing
@testable import FiberCoverage

/// The e-Stat CSV reader: every kind of bad file gets one clear error naming its line.
@Suite("Mesh CSV")
struct MeshCSVTests {
    static func parse(_ text: String, population: String = "population", chunk: Int = 7) throws -> [MeshRecord] {
        var parser = MeshCSVParser.testing(populationColumn: population)
        var out: [MeshRecord] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            try parser.feed(bytes[i..<min(i + chunk, bytes.count)]) { out.append($0) }
            i += chunk
        }
        try parser.finish { out.append($0) }
        return out
    }

    struct BadFile: Sendable, CustomStringConvertible {
        let name: String
        let text: String
        let line: Int
        let message: String
        var description: String { name }
    }

    static let badFiles: [BadFile] = [
        BadFile(name: "unknown mesh code", text: "KEY_CODE,population\n53394547,10\n9999,5\n",
                line: 3, message: "unknown mesh code '9999'"),
        BadFile(name: "second-level digit out of range", text: "KEY_CODE,population\n53398547,10\n",
                line: 2, message: "digit 5 is 8"),
        BadFile(name: "duplicate code", text: "KEY_CODE,population\n53394547,10\n53394548,3\n53394547,4\n",
                line: 4, message: "duplicate mesh code 53394547"),
        BadFile(name: "non-numeric population", text: "KEY_CODE,population\n53394547,10\n53394548,abc\n",
                line: 3, message: "population 'abc' is not a non-negative number"),
        BadFile(name: "negative population", text: "KEY_CODE,population\n53394547,-3\n",
                line: 2, message: "population '-3' is not a non-negative number"),
        BadFile(name: "empty population", text: "KEY_CODE,population\n53394547,\n",
                line: 2, message: "population '' is not a non-negative number"),
        BadFile(name: "header without KEY_CODE", text: "CODE,population\n53394547,10\n",
                line: 1, message: "header has no KEY_CODE column"),
        BadFile(name: "header without the population column", text: "KEY_CODE,T000846001\n53394547,10\n",
                line: 1, message: "header has no 'population' column"),
        BadFile(name: "mixed mesh levels", text: "KEY_CODE,population\n53394547,10\n533945471,3\n",
                line: 3, message: "is level half (500 m) but earlier rows are third (1 km)"),
        BadFile(name: "short row", text: "KEY_CODE,x,population\n53394547,1,2\n53394548\n",
                line: 3, message: "row has 1 fields"),
        BadFile(name: "empty file", text: "", line: 1, message: "empty file"),
        BadFile(name: "duplicate across chunks and a CRLF file",
                text: "KEY_CODE,population\r\n533945471,10\r\n533945472,3\r\n533945471,4\r\n",
                line: 4, message: "duplicate mesh code 533945471"),
    ]

    @Test("bad files: one error naming the line", arguments: badFiles)
    func badFile(_ bad: BadFile) {
        for chunk in [1, 5, 4096] {
            do {
                _ = try Self.parse(bad.text, chunk: chunk)
                Issue.record("\(bad.name): no error")
            } catch let error as MeshCSVError {
                #expect(error.line == bad.line, "\(bad.name): line \(error.line)")
                #expect(error.message.contains(bad.message), "\(bad.name): \(error.message)")
            } catch {
                Issue.record("\(bad.name): unexpected \(error)")
            }
        }
    }

    @Test("e-Stat layout: BOM, label row in Shift_JIS, extra columns, suppressed values, quotes")
    func eStat() throws {
        // Second line: "人口（総数）" etc. in Shift_JIS bytes, never decoded.
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("KEY_CODE,HTKSYORI,HTKSAKI,GASSAN,population,households\r\n".utf8)
        bytes += Array(",,,,".utf8) + [0x90, 0x6C, 0x8C, 0xFB] + Array(",".utf8) + [0x90, 0xA2, 0x91, 0xD1] + Array("\r\n".utf8)
        bytes += Array("\"53394547\",0,,,1200,510\r\n53394548,1,53394547,,*,*\r\n53394549,0,,,-,0\r\n53394550,0,,,12.5,6".utf8)
        var parser = MeshCSVParser.testing()
        var out: [MeshRecord] = []
        try parser.feed(bytes) { out.append($0) }
        try parser.finish { out.append($0) }
        #expect(out.map(\.cell.code) == ["53394547", "53394548", "53394549", "53394550"])
        #expect(out.map(\.population) == [1200, 0, 0, 12.5])
        #expect(out.map(\.households) == [510, 0, 0, 6])
        #expect(out.map(\.line) == [3, 4, 5, 6])
        #expect(parser.level == .third)
    }

    @Test("chunking never changes the records")
    func chunking() throws {
        var text = "KEY_CODE,population,households\n"
        for r in 0..<10 { for c in 0..<10 { text += "533945\(r)\(c),\(r * 10 + c),\(r)\n" } }
        let whole = try Self.parse(text, chunk: 1 << 20)
        #expect(whole.count == 100)
        for chunk in [1, 2, 3, 17, 64] { #expect(try Self.parse(text, chunk: chunk) == whole) }
        #expect(whole.reduce(0) { $0 + $1.population } == 4950)
    }

    @Test("another population column by name")
    func column() throws {
        let records = try Self.parse("KEY_CODE,T000846001,T000846002\n53394547,7,3\n", population: "T000846002")
        #expect(records.first?.population == 3)
    }
}
