// Gaps benchmark helpers (tools/bench/gaps/run.sh):
//
//   wattbit-bench gaps generate --level 3|4|5|6 --out FILE.csv [--geodata DIR]
//       Every JIS X 0410 cell of the level whose centre is on Japanese land (japan-land,
//       country JP), as an e-Stat style CSV. Population: the demo 1 km value of the parent
//       cell spread evenly over its sub-cells, else a deterministic rural value of 1–30
//       people (hash of the code). ~380k cells at 1 km, ~6M at 250 m. Streams the output.
//   wattbit-bench gaps classify --network FILE --demand FILE.csv --reach-km 2 --out FILE.csv
//       The engine's verdict for every cell (KEY_CODE,covered,nearest_km,reach_km), to
//       compare cell by cell with the Python peer.
import FiberCoverage
import Foundation
import GeoCore

func runGapsBench(_ arguments: [String]) throws {
    var options: [String: String] = [:]
    var i = 1
    while i + 1 < arguments.count {
        options[String(arguments[i].drop(while: { $0 == "-" }))] = arguments[i + 1]
        i += 2
    }
    switch arguments.first {
    case "generate": try generateMesh(options)
    case "classify": try classifyMesh(options)
    default:
        throw BenchUsage(message: "usage: wattbit-bench gaps generate|classify [--OPTION VALUE]…")
    }
}


private func geodataDirectory(_ options: [String: String]) throws -> URL {
    if let dir = options["geodata"] { return URL(fileURLWithPath: dir) }
    // The checkout this benchmark was built from.
    var root = URL(fileURLWithPath: #filePath)
    for _ in 0..<5 { root.deleteLastPathComponent() }
    let dir = root.appendingPathComponent("geodata")
    guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("japan-land.geojson").path) else {
        throw BenchUsage(message: "geodata/ not found; pass --geodata DIR")
    }
    return dir
}

private final class GapsCSVOutput {
    let handle: FileHandle
    var buffer: [UInt8] = []
    init(path: String) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let h = FileHandle(forWritingAtPath: path) else { throw BenchUsage(message: "cannot write \(path)") }
        handle = h
        buffer.reserveCapacity(1 << 20)
    }
    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }
    func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
    func close() { flush(); try? handle.close() }
}

private func generateMesh(_ options: [String: String]) throws {
    guard let levelText = options["level"], let level = Int(levelText), (3...6).contains(level),
          let out = options["out"] else {
        throw BenchUsage(message: "gaps generate --level 3|4|5|6 --out FILE.csv")
    }
    let dir = try geodataDirectory(options)
    let landFeatures = try GeoJSONReader.read(path: dir.appendingPathComponent("japan-land.geojson").path).features
        .filter { $0[property: "country"]?.stringValue == "JP" }
    let land = RegionLayer(features: landFeatures, nameProperties: ["name"])
    // Demo population by 1 km cell.
    var demo: [MeshCode: (Double, Double)] = [:]
    if let csv = FileManager.default.contents(atPath: dir.appendingPathComponent("demo-population.csv").path) {
        var parser = MeshCSVParser(populationColumn: "population", householdsColumn: "households")
        try parser.feed(Array(csv)) { demo[$0.cell] = ($0.population, $0.households) }
        try parser.finish { demo[$0.cell] = ($0.population, $0.households) }
    }
    let output = try GapsCSVOutput(path: out)
    output.write("KEY_CODE,population,households\n")
    let start = Date()
    var cells = 0
    var population = 0.0
    let sub = 1 << (level - 3)
    guard let meshLevel = MeshCode.Level(rawValue: level) else { throw BenchUsage(message: "gaps generate --level 3|4|5|6 --out FILE.csv") }
    let subCount = Double(sub * sub)
    // Rows and columns of Japan's first-level meshes (pp 30–68, uu 22–53), in code order:
    // first-level mesh, then rows and columns inside it, so the file is sorted like e-Stat's.
    for pp in MeshCode.firstLevelLatitudeCodes {
        for uu in MeshCode.firstLevelLongitudeCodes {
            for r3 in 0..<80 {
                for c3 in 0..<80 {
                    let parent = MeshCode(level: .third, row: pp * 80 + r3, column: uu * 80 + c3)
                    // Cheap reject: a 1 km cell whose centre and corners are all at sea.
                    let corners = [parent.center, Position(parent.west, parent.south), Position(parent.east, parent.north),
                                   Position(parent.west, parent.north), Position(parent.east, parent.south)]
                    guard corners.contains(where: { land.locate($0) != nil }) else { continue }
                    let base = demo[parent]
                    for dr in 0..<sub {
                        for dc in 0..<sub {
                            let cell = MeshCode(level: meshLevel, row: parent.row * sub + dr, column: parent.column * sub + dc)
                            guard land.locate(cell.center) != nil else { continue }
                            var p: Double, h: Double
                            if let base {
                                p = (base.0 / subCount).rounded(.up); h = (base.1 / subCount).rounded(.up)
                            } else {
                                var x = UInt64(truncatingIfNeeded: cell.row &* 73856093 ^ cell.column &* 19349663)
                                x = (x ^ (x >> 16)) &* 0x45d9f3b
                                x = x ^ (x >> 16)
                                p = Double(1 + x % 30); h = (p / 2.5).rounded(.up)
                            }
                            output.write("\(cell.code),\(Int(p)),\(Int(h))\n")
                            cells += 1
                            population += p
                        }
                    }
                }
            }
        }
    }
    output.close()
    print("{\"bench\":\"gaps-generate\",\"level\":\(level),\"cells\":\(cells),\"population\":\(Int(population)),\"seconds\":\(String(format: "%.2f", Date().timeIntervalSince(start)))}")
}

private func classifyMesh(_ options: [String: String]) throws {
    guard let networkPath = options["network"], let demandPath = options["demand"], let out = options["out"] else {
        throw BenchUsage(message: "gaps classify --network FILE --demand FILE.csv [--reach-km 2] --out FILE.csv")
    }
    let reachKm = Double(options["reach-km"] ?? "2") ?? 2
    let network = try NetworkIndex(features: try GeoJSONReader.read(path: networkPath).features, defaultReachKm: reachKm)
    let coverage = MeshCoverage(context: CoverageContext(network: network, options: CoverageOptions(reachKm: reachKm, demandMode: .centroid, costPerKmJPY: 5_000_000)))
    guard let input = FileHandle(forReadingAtPath: demandPath) else { throw BenchUsage(message: "cannot read \(demandPath)") }
    let output = try GapsCSVOutput(path: out)
    output.write("KEY_CODE,covered,nearest_km,reach_km\n")
    var parser = MeshCSVParser(populationColumn: "population", householdsColumn: "households")
    var covered = 0, total = 0
    let body: (MeshRecord) -> Void = { record in
        let isCovered = coverage.isCovered(record.cell)
        let near = network.nearest(to: record.cell.center)
        let reach = near.map { network.segmentReachKm[$0.segment] } ?? reachKm
        output.write("\(record.cell.code),\(isCovered ? 1 : 0),\(String(format: "%.6f", near?.distanceKm ?? -1)),\(reach)\n")
        total += 1
        if isCovered { covered += 1 }
    }
    while true {
        let chunk = input.readData(ofLength: 1 << 20)
        if chunk.isEmpty { break }
        try parser.feed(chunk, body)
    }
    try parser.finish(body)
    output.close()
    print("{\"bench\":\"gaps-classify\",\"cells\":\(total),\"covered\":\(covered)}")
}
