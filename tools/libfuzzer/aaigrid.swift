// libFuzzer harness: the ESRI ASCII grid reader (CableRouting/Bathymetry.swift, compiled in)
// on arbitrary bytes must return or throw, never trap.
import GeoCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAAIGrid(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? BathymetryGrid(aaigrid: Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
