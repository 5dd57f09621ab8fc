// libFuzzer harness: GeoCore's GeoJSON reader (FeatureCollection, Feature, RFC 8142 sequence)
// on arbitrary bytes must return or throw, never trap. Built by tools/libfuzzer/run.
import GeoCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGeoJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? GeoJSONReader.read(bytes: Array(UnsafeBufferPointer(start: data, count: size)), source: "fuzz")
    return 0
}
