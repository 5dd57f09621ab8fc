import CGEOS
import Foundation

/// A failure reported by GEOS, carrying GEOS's own message (e.g.
/// "intersection: TopologyException: Input geom 0 is invalid: Self-intersection at 0.5 0.5").
public struct GEOSError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// Receives GEOS's error and notice messages for one context. GEOS calls the handlers
/// synchronously on the thread running the failing call, so plain stored properties suffice.
final class GEOSMessageSink {
    var lastError: String?
    var lastNotice: String?
    func reset() { lastError = nil; lastNotice = nil }
}

/// GEOS creates context handles through shared static state; serialise creation so that
/// workers starting together cannot race (see docs/geos-bridge.md).
private let contextCreationLock = NSLock()

/// One GEOS context handle (reentrant `_r` API). A context, and every geometry, prepared
/// geometry and tree made with it, must be used by one thread at a time: create one per
/// worker (or use `GEOSContext.perThread` in synchronous code) and reuse it; do not create
/// one per call. Not Sendable by design.
///
/// All operations take and return GeoCore `Geometry` values. GEOS is planar: on lon/lat
/// input it measures degrees, so project to a metric CRS before measuring.
public final class GEOSContext {
    let handle: OpaquePointer
    let sink = GEOSMessageSink()

    public init() {
        contextCreationLock.lock()
        // GEOS_init_r only returns NULL when allocation fails; there is nothing to recover.
        guard let handle = GEOS_init_r() else {
            contextCreationLock.unlock()
            fatalError("GEOS_init_r failed: out of memory")
        }
        contextCreationLock.unlock()
        self.handle = handle
        // The sink is owned by this context and outlives the handle (it is released after
        // deinit finishes the handle), so an unretained pointer is safe.
        let userdata = Unmanaged.passUnretained(sink).toOpaque()
        _ = GEOSContext_setErrorMessageHandler_r(handle, { message, userdata in
            guard let message, let userdata else { return }
            Unmanaged<GEOSMessageSink>.fromOpaque(userdata).takeUnretainedValue()
                .lastError = String(cString: message)
        }, userdata)
        _ = GEOSContext_setNoticeMessageHandler_r(handle, { message, userdata in
            guard let message, let userdata else { return }
            Unmanaged<GEOSMessageSink>.fromOpaque(userdata).takeUnretainedValue()
                .lastNotice = String(cString: message)
        }, userdata)
    }

    deinit {
        GEOS_finish_r(handle)
    }

    /// The calling thread's own context, created on first use and finished when the thread
    /// exits. Only for synchronous code: an `async` function may resume on another thread
    /// after an `await`, so never keep this value across a suspension point; create a
    /// `GEOSContext()` per task instead.
    public static var perThread: GEOSContext {
        if let raw = pthread_getspecific(perThreadKey) {
            return Unmanaged<GEOSContext>.fromOpaque(raw).takeUnretainedValue()
        }
        let context = GEOSContext()
        pthread_setspecific(perThreadKey, Unmanaged.passRetained(context).toOpaque())
        return context
    }

    /// The GEOS library version, e.g. "3.11.1-CAPI-1.17.1".
    public static var libraryVersion: String { String(cString: GEOSversion()) }

    /// The error for a failed call: GEOS's own message when it gave one.
    func failure(_ operation: String) -> GEOSError {
        let detail = sink.lastError ?? sink.lastNotice ?? "GEOS reported failure without a message"
        return GEOSError(message: "\(operation): \(detail)")
    }

    /// Takes ownership of a geometry GEOS just returned, or throws GEOS's message.
    func owned(_ pointer: OpaquePointer?, _ operation: String) throws -> GEOSGeometryHandle {
        guard let pointer else { throw failure(operation) }
        return GEOSGeometryHandle(pointer, context: self)
    }

    /// Interprets a GEOS predicate result (1 true, 0 false, 2 exception).
    func predicate(_ result: CChar, _ operation: String) throws -> Bool {
        switch result {
        case 1: return true
        case 0: return false
        default: throw failure(operation)
        }
    }
}

@available(*, unavailable, message: "a GEOS context is used by one thread at a time")
extension GEOSContext: Sendable {}

/// Releases the thread's context when the thread exits.
private let perThreadKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { raw in
        guard let raw else { return }
        Unmanaged<GEOSContext>.fromOpaque(raw).release()
    }
    precondition(status == 0, "pthread_key_create failed (\(status))")
    return key
}()

/// Owns one GEOS geometry and destroys it with the context that made it. Holding the
/// context keeps the handle alive until every geometry made with it is gone.
final class GEOSGeometryHandle {
    let context: GEOSContext
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer, context: GEOSContext) {
        self.pointer = pointer
        self.context = context
    }

    deinit {
        GEOSGeom_destroy_r(context.handle, pointer)
    }

    var isEmpty: Bool { GEOSisEmpty_r(context.handle, pointer) == 1 }
}
