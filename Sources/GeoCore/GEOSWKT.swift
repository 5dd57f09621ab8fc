import CGEOS

// Well-known text through GEOS's reader and writer: for test fixtures (GEOS's own test
// suite states its cases in WKT), debugging and log messages. Not a data interchange
// format for the planners, which speak GeoJSON.

extension GEOSContext {
    /// Parses WKT such as "POLYGON ((0 0, 1 0, 1 1, 0 0))"; throws GEOS's parse message.
    public func geometry(wkt: String) throws -> Geometry {
        sink.reset()
        guard let reader = GEOSWKTReader_create_r(handle) else { throw failure("WKT reader") }
        defer { GEOSWKTReader_destroy_r(handle, reader) }
        let parsed = try owned(GEOSWKTReader_read_r(handle, reader, wkt), "WKT")
        return try geometry(parsed)
    }

    /// WKT of `g` with trailing zeros trimmed; `decimals` rounds coordinates when given.
    /// Z is written when present.
    public func wkt(_ g: Geometry, decimals: Int? = nil) throws -> String {
        let input = try geos(g)
        guard let writer = GEOSWKTWriter_create_r(handle) else { throw failure("WKT writer") }
        defer { GEOSWKTWriter_destroy_r(handle, writer) }
        GEOSWKTWriter_setTrim_r(handle, writer, 1)
        GEOSWKTWriter_setOutputDimension_r(handle, writer, 3)
        if let decimals { GEOSWKTWriter_setRoundingPrecision_r(handle, writer, Int32(clamping: decimals)) }
        guard let text = withExtendedLifetime(input, { GEOSWKTWriter_write_r(handle, writer, input.pointer) }) else {
            throw failure("WKT")
        }
        // Strings from GEOS writers belong to GEOS's allocator.
        defer { GEOSFree_r(handle, text) }
        return String(cString: text)
    }

    /// Topological equality (same point set, whatever the vertex order or start point).
    public func equalsTopologically(_ a: Geometry, _ b: Geometry) throws -> Bool {
        let first = try geos(a), second = try geos(b)
        return try withExtendedLifetime((first, second)) {
            try predicate(GEOSEquals_r(handle, first.pointer, second.pointer), "equals")
        }
    }
}
