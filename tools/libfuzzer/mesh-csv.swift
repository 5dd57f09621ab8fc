// libFuzzer harness: the e-Stat mesh CSV parser (FiberCoverage/MeshCSV.swift, compiled in)
// on arbitrary bytes, fed in two chunks, must return or throw, never trap.
import GeoCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMeshCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var parser = MeshCSVParser(populationColumn: "population", householdsColumn: "households")
    let cut = bytes.count / 2
    do {
        try parser.feed(bytes[..<cut]) { _ in }
        try parser.feed(bytes[cut...]) { _ in }
        try parser.finish { _ in }
    } catch {}
    return 0
}
