import CGEOS

// Geometry operations on GeoCore values through GEOS (planar; see GEOSContext). Each call
// converts its inputs once, runs one GEOS operation and converts the result back; every
// GEOS object made on the way is freed before returning (or throwing).

extension GEOSContext {
    // MARK: Validity

    /// OGC validity with GEOS's reason, e.g. "Self-intersection at (0.5, 0.5)".
    public func isValid(_ g: Geometry) throws -> (valid: Bool, reason: String?) {
        let input = try geos(g)
        var reason: UnsafeMutablePointer<CChar>?
        var location: OpaquePointer?
        let result = withExtendedLifetime(input) {
            GEOSisValidDetail_r(handle, input.pointer, 0, &reason, &location)
        }
        defer {
            if let reason { GEOSFree_r(handle, reason) }
            if let location { GEOSGeom_destroy_r(handle, location) }
        }
        switch result {
        case 1:
            return (true, nil)
        case 0:
            var text = reason.map { String(cString: $0) } ?? "invalid geometry"
            if let location, case .point(let p)? = try? geometry(borrowing: location) {
                text += " at (\(p.x), \(p.y))"
            }
            return (false, text)
        default:
            throw failure("isValid")
        }
    }

    /// A valid geometry covering the same area (GEOS "structure" method, GEOS >= 3.10:
    /// shells and holes are repaired separately, then holes are subtracted, so polygonal
    /// input stays polygonal; collapsed parts are dropped). Already valid input is returned
    /// unchanged.
    public func makeValid(_ g: Geometry) throws -> Geometry {
        let input = try geos(g)
        let valid = try withExtendedLifetime(input) {
            try predicate(GEOSisValid_r(handle, input.pointer), "makeValid")
        }
        if valid { return g }
        guard let params = GEOSMakeValidParams_create_r(handle) else { throw failure("makeValid") }
        defer { GEOSMakeValidParams_destroy_r(handle, params) }
        guard GEOSMakeValidParams_setMethod_r(handle, params, GEOS_MAKE_VALID_STRUCTURE) != 0,
              GEOSMakeValidParams_setKeepCollapsed_r(handle, params, 0) != 0 else {
            throw failure("makeValid")
        }
        return try unary(input, "makeValid") { GEOSMakeValidWithParams_r(handle, $0, params) }
    }

    // MARK: Constructive

    /// Buffer by `distance` (negative shrinks polygons) with round joins and caps;
    /// `quadrantSegments` segments approximate a quarter circle.
    public func buffer(_ g: Geometry, distance: Double, quadrantSegments: Int = 8) throws -> Geometry {
        guard quadrantSegments >= 1, let segments = Int32(exactly: quadrantSegments) else {
            throw GEOSError(message: "buffer: quadrantSegments must be 1…\(Int32.max), got \(quadrantSegments)")
        }
        guard distance.isFinite else { throw GEOSError(message: "buffer: distance must be finite, got \(distance)") }
        return try unary(try geos(g), "buffer") { GEOSBuffer_r(handle, $0, distance, segments) }
    }

    /// Union of all parts of `g` (dissolves overlapping polygons, nodes lines).
    public func unaryUnion(_ g: Geometry) throws -> Geometry {
        try unary(try geos(g), "unaryUnion") { GEOSUnaryUnion_r(handle, $0) }
    }

    public func union(_ a: Geometry, _ b: Geometry) throws -> Geometry {
        try binary(a, b, "union") { GEOSUnion_r(handle, $0, $1) }
    }

    public func difference(_ a: Geometry, _ b: Geometry) throws -> Geometry {
        try binary(a, b, "difference") { GEOSDifference_r(handle, $0, $1) }
    }

    public func intersection(_ a: Geometry, _ b: Geometry) throws -> Geometry {
        try binary(a, b, "intersection") { GEOSIntersection_r(handle, $0, $1) }
    }

    /// Douglas–Peucker (`preserveTopology: false`, may make polygons invalid) or GEOS's
    /// topology-preserving simplifier (no self-intersections or ring crossings introduced).
    public func simplify(_ g: Geometry, tolerance: Double, preserveTopology: Bool = true) throws -> Geometry {
        guard tolerance.isFinite, tolerance >= 0 else {
            throw GEOSError(message: "simplify: tolerance must be finite and >= 0, got \(tolerance)")
        }
        if preserveTopology {
            return try unary(try geos(g), "simplify") { GEOSTopologyPreserveSimplify_r(handle, $0, tolerance) }
        }
        return try unary(try geos(g), "simplify") { GEOSSimplify_r(handle, $0, tolerance) }
    }

    /// Polygons formed by correctly noded linework (lines meeting only at their end
    /// points), as a GeometryCollection of polygons; polygons may share edges, so the
    /// result is not a MultiPolygon. Node crossing lines first with `unaryUnion`.
    public func polygonize(_ lines: [Geometry]) throws -> Geometry {
        let inputs = try lines.map { try geos($0) }
        guard let count = UInt32(exactly: inputs.count) else {
            throw GEOSError(message: "polygonize: too many inputs (\(inputs.count))")
        }
        let pointers: [OpaquePointer?] = inputs.map { $0.pointer }
        let result = try withExtendedLifetime(inputs) {
            try owned(pointers.withUnsafeBufferPointer { GEOSPolygonize_r(handle, $0.baseAddress, count) },
                      "polygonize")
        }
        return try geometry(result)
    }

    public func convexHull(_ g: Geometry) throws -> Geometry {
        try unary(try geos(g), "convexHull") { GEOSConvexHull_r(handle, $0) }
    }

    /// Concave hull of the vertices of `g` (GEOS 3.11 ConcaveHull, after JTS: edges of a
    /// Delaunay triangulation are removed from the outside in, longest first). `ratio` in
    /// 0…1: 1 gives the convex hull, smaller values hug the points more tightly.
    public func concaveHull(_ g: Geometry, ratio: Double, allowHoles: Bool = false) throws -> Geometry {
        guard ratio >= 0, ratio <= 1 else {
            throw GEOSError(message: "concaveHull: ratio must be in 0…1, got \(ratio)")
        }
        return try unary(try geos(g), "concaveHull") { GEOSConcaveHull_r(handle, $0, ratio, allowHoles ? 1 : 0) }
    }

    // MARK: Predicates and measures

    public func intersects(_ a: Geometry, _ b: Geometry) throws -> Bool {
        let first = try geos(a), second = try geos(b)
        return try withExtendedLifetime((first, second)) {
            try predicate(GEOSIntersects_r(handle, first.pointer, second.pointer), "intersects")
        }
    }

    /// Minimum planar distance. Throws for an empty input (the distance is undefined).
    public func distance(_ a: Geometry, _ b: Geometry) throws -> Double {
        let first = try geos(a), second = try geos(b)
        guard !first.isEmpty, !second.isEmpty else {
            throw GEOSError(message: "distance: an input geometry is empty")
        }
        var value = 0.0
        let ok = withExtendedLifetime((first, second)) {
            GEOSDistance_r(handle, first.pointer, second.pointer, &value)
        }
        guard ok == 1 else { throw failure("distance") }
        return value
    }

    /// The closest point of `a` to `b` and of `b` to `a`, in that order.
    public func nearestPoints(_ a: Geometry, _ b: Geometry) throws -> (Position, Position) {
        let first = try geos(a), second = try geos(b)
        guard !first.isEmpty, !second.isEmpty else {
            throw GEOSError(message: "nearestPoints: an input geometry is empty")
        }
        guard let sequence = withExtendedLifetime((first, second), {
            GEOSNearestPoints_r(handle, first.pointer, second.pointer)
        }) else { throw failure("nearestPoints") }
        defer { GEOSCoordSeq_destroy_r(handle, sequence) }
        let points = try positions(ofSequence: sequence)
        guard points.count == 2 else {
            throw GEOSError(message: "nearestPoints: GEOS returned \(points.count) points instead of 2")
        }
        return (points[0], points[1])
    }

    /// Planar area (square units of the coordinates; 0 for points and lines).
    public func area(_ g: Geometry) throws -> Double {
        try measure(g, "area") { GEOSArea_r(handle, $0, $1) }
    }

    /// Planar length of lines, or perimeter of polygons (units of the coordinates).
    public func length(_ g: Geometry) throws -> Double {
        try measure(g, "length") { GEOSLength_r(handle, $0, $1) }
    }

    // MARK: Plumbing

    private func unary(_ input: GEOSGeometryHandle, _ operation: String,
                       _ body: (OpaquePointer) -> OpaquePointer?) throws -> Geometry {
        let result = try withExtendedLifetime(input) { try owned(body(input.pointer), operation) }
        return try geometry(result)
    }

    private func binary(_ a: Geometry, _ b: Geometry, _ operation: String,
                        _ body: (OpaquePointer, OpaquePointer) -> OpaquePointer?) throws -> Geometry {
        let first = try geos(a), second = try geos(b)
        let result = try withExtendedLifetime((first, second)) {
            try owned(body(first.pointer, second.pointer), operation)
        }
        return try geometry(result)
    }

    private func measure(_ g: Geometry, _ operation: String,
                         _ body: (OpaquePointer, UnsafeMutablePointer<Double>) -> Int32) throws -> Double {
        let input = try geos(g)
        var value = 0.0
        let ok = withExtendedLifetime(input) { body(input.pointer, &value) }
        guard ok == 1 else { throw failure(operation) }
        return value
    }
}
