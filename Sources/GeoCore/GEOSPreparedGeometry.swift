import CGEOS

/// A geometry indexed by GEOS for repeated predicates against many other geometries (e.g.
/// "which of a million points lie on land"): the first call builds segment and point-in-
/// polygon indexes, later calls reuse them.
///
/// Not Sendable and tied to the context that made it: use it on that context's thread.
/// The prepared geometry is destroyed before its base geometry (GEOS requires it).
public final class PreparedGeometry {
    private let context: GEOSContext
    private let base: GEOSGeometryHandle
    private let prepared: OpaquePointer

    public init(_ g: Geometry, context: GEOSContext) throws {
        let base = try context.geos(g)
        guard let prepared = withExtendedLifetime(base, { GEOSPrepare_r(context.handle, base.pointer) }) else {
            throw context.failure("prepare")
        }
        self.context = context
        self.base = base
        self.prepared = prepared
    }

    deinit {
        // Runs before the stored `base` handle is released, so the order is right.
        GEOSPreparedGeom_destroy_r(context.handle, prepared)
    }

    public func intersects(_ g: Geometry) throws -> Bool {
        try test(g, "prepared intersects") { GEOSPreparedIntersects_r($0, $1, $2) }
    }

    /// True when no point of `g` lies outside and at least one interior point is shared
    /// (a point on the boundary is not contained; see `covers`).
    public func contains(_ g: Geometry) throws -> Bool {
        try test(g, "prepared contains") { GEOSPreparedContains_r($0, $1, $2) }
    }

    /// True when no point of `g` lies outside (boundary points count as covered).
    public func covers(_ g: Geometry) throws -> Bool {
        try test(g, "prepared covers") { GEOSPreparedCovers_r($0, $1, $2) }
    }

    /// Point containment (GEOS 3.11 has no `GEOSPreparedContainsXY`, so a point geometry is
    /// made and freed per call).
    public func contains(_ p: Position) throws -> Bool {
        let handle = context.handle
        context.sink.reset()
        guard let point = GEOSGeom_createPointFromXY_r(handle, p.x, p.y) else {
            throw context.failure("prepared contains")
        }
        defer { GEOSGeom_destroy_r(handle, point) }
        return try context.predicate(GEOSPreparedContains_r(handle, prepared, point), "prepared contains")
    }

    private func test(_ g: Geometry, _ operation: String,
                      _ body: (OpaquePointer, OpaquePointer, OpaquePointer) -> CChar) throws -> Bool {
        let other = try context.geos(g)
        return try withExtendedLifetime(other) {
            try context.predicate(body(context.handle, prepared, other.pointer), operation)
        }
    }
}

@available(*, unavailable, message: "a prepared geometry is used on its context's thread only")
extension PreparedGeometry: Sendable {}
