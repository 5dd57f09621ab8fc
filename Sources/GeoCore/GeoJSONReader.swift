// Reading GeoJSON (RFC 7946) and GeoJSON text sequences (RFC 8142) from bytes, files and
// stdin, streaming feature by feature.
//
// The input is read in chunks into one buffer. Parsing proceeds in small units (one feature
// of a FeatureCollection's "features" array, one top-level object of a sequence, one member
// of the collection object); a unit that runs off the end of the buffer is retried after
// reading more, and what has been consumed is dropped. Memory is therefore bounded by the
// largest single feature, whatever the file size, and a FeatureCollection streams just like
// a sequence. Each retry reads at least as much again as the unit so far, so a huge feature
// costs amortised linear time.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public enum GeoJSONReader {
    /// Reads a whole document: a FeatureCollection, a single Feature, a bare geometry (one
    /// feature with null properties), an RFC 8142 RS-delimited sequence or newline-delimited
    /// features (several top-level objects are read in order). Validates as it reads;
    /// throws `GeoJSONError`. O(n) in the input size.
    public static func read(bytes: [UInt8], source: String) throws -> FeatureCollection {
        let input = GeoJSONInput(bytes: bytes, source: source)
        return try collect(input)
    }

    /// Reads a file; `"-"` reads stdin. See `read(bytes:source:)`.
    public static func read(path: String) throws -> FeatureCollection {
        let input = try GeoJSONInput(path: path)
        return try collect(input)
    }

    /// Calls `body` with each feature (index 0-based, in document order) while reading, so a
    /// sequence or a FeatureCollection of any size is processed in memory bounded by its
    /// largest feature. `"-"` reads stdin. Errors from `body` are passed on unchanged.
    public static func forEachFeature(path: String, _ body: (Int, Feature) throws -> Void) throws {
        let input = try GeoJSONInput(path: path)
        _ = try GeoJSONStreamParser(input: input).run(body)
    }

    /// `forEachFeature` over bytes already in memory.
    public static func forEachFeature(bytes: [UInt8], source: String,
                                      _ body: (Int, Feature) throws -> Void) throws {
        let input = GeoJSONInput(bytes: bytes, source: source)
        _ = try GeoJSONStreamParser(input: input).run(body)
    }

    private static func collect(_ input: GeoJSONInput) throws -> FeatureCollection {
        var features: [Feature] = []
        let header = try GeoJSONStreamParser(input: input).run { _, feature in features.append(feature) }
        return FeatureCollection(features, bbox: header.bbox, foreignMembers: header.foreignMembers)
    }
}

/// The input buffer: all of the bytes, or a window onto a file read in chunks.
final class GeoJSONInput {
    let source: String
    private var fileDescriptor: Int32 = -1
    private var ownsDescriptor = false
    var buffer: [UInt8]
    /// Offset of the first unconsumed byte.
    var pos = 0
    /// Nothing more will be appended to `buffer`.
    var atEOF: Bool
    /// Where `buffer[0]` sits in the file.
    var origin = TextPosition.start
    /// Kept between parsing units so its capacity is reused.
    var positionScratch: [Position] = []
    /// Bytes per read(2); small values are used by tests to exercise every split point.
    let chunkSize: Int
    /// The largest the buffer has been, for tests of bounded memory.
    private(set) var peakBufferCount = 0

    init(bytes: [UInt8], source: String) {
        self.source = source
        self.buffer = bytes
        self.atEOF = true
        self.chunkSize = 1 << 20
        self.peakBufferCount = bytes.count
    }

    init(path: String, chunkSize: Int = 1 << 20) throws {
        self.chunkSize = max(1, chunkSize)
        if path == "-" {
            source = "<stdin>"
            fileDescriptor = 0
        } else {
            source = path
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 {
                let code = errno
                let reason = String(cString: strerror(code))
                throw GeoJSONError(kind: code == ENOENT || code == ENOTDIR ? .fileNotFound : .unreadable,
                                   source: path, message: "cannot open: \(reason)")
            }
            fileDescriptor = fd
            ownsDescriptor = true
        }
        buffer = []
        atEOF = false
    }

    deinit {
        if ownsDescriptor { close(fileDescriptor) }
    }

    /// Drops the consumed bytes and reads at least `minimum` more (or up to EOF).
    /// Returns false when nothing more could be read.
    func refill(minimum: Int) throws -> Bool {
        guard !atEOF else { return false }
        if pos > 0 {
            buffer.withUnsafeBufferPointer { all in
                origin = origin.advanced(over: UnsafeBufferPointer(rebasing: all[0..<pos]))
            }
            buffer.removeSubrange(0..<pos)
            pos = 0
        }
        let wanted = max(chunkSize, minimum)
        var added = 0
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { scratch.deallocate() }
        buffer.reserveCapacity(buffer.count + wanted)
        while added < wanted {
            let count = read(fileDescriptor, scratch.baseAddress, scratch.count)
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw GeoJSONError(kind: .unreadable, source: source,
                                   message: "cannot read: \(String(cString: strerror(code)))")
            }
            if count == 0 {
                atEOF = true
                break
            }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
            added += count
        }
        peakBufferCount = max(peakBufferCount, buffer.count)
        return added > 0
    }

    func error(_ failure: JSONFailure) -> GeoJSONError {
        buffer.withUnsafeBufferPointer { all in
            GeoJSONError(failure, source: source, buffer: all, position: origin)
        }
    }
}

/// Collection-level members of the (single) top-level FeatureCollection.
struct GeoJSONHeader {
    var bbox: [Double]?
    var foreignMembers = JSONObject()
}

struct GeoJSONStreamParser {
    let input: GeoJSONInput

    /// Runs one parsing unit at the current position, retrying with more input when it runs
    /// off the end of the buffer. The unit's scanner position becomes the new position.
    func unit<T>(depth: Int = 0, _ body: (inout JSONScanner) throws(JSONFailure) -> T) throws -> T {
        while true {
            let outcome: Result<T, JSONFailure> = input.buffer.withUnsafeBufferPointer { all in
                var scanner = JSONScanner(all, at: input.pos)
                scanner.isFinal = input.atEOF
                scanner.depth = depth
                swap(&scanner.positionScratch, &input.positionScratch)
                defer { swap(&scanner.positionScratch, &input.positionScratch) }
                do throws(JSONFailure) {
                    let value = try body(&scanner)
                    input.pos = scanner.pos
                    return .success(value)
                } catch {
                    return .failure(error)
                }
            }
            switch outcome {
            case .success(let value):
                return value
            case .failure(let failure):
                // A failure at the very end of a partial buffer may only mean "more to come"
                // (e.g. `nul` of `null` split across reads): read on and try again.
                let nearEnd = failure.offset >= input.buffer.count - 16
                if !input.atEOF && (failure.kind == .truncated || nearEnd) {
                    _ = try input.refill(minimum: input.buffer.count - input.pos)
                    continue
                }
                throw input.error(failure)
            }
        }
    }

    /// Skips whitespace and RS bytes between top-level values. Returns false at the end.
    func skipSeparators() throws -> (found: Bool, sawRS: Bool) {
        var sawRS = false
        while true {
            let count = input.buffer.count
            while input.pos < count {
                let byte = input.buffer[input.pos]
                if byte == ASCII.recordSeparator {
                    sawRS = true
                } else if !(byte == ASCII.space || byte == ASCII.newline || byte == ASCII.carriageReturn
                            || byte == ASCII.tab) {
                    return (true, sawRS)
                }
                input.pos += 1
            }
            if !(try input.refill(minimum: 0)) { return (false, sawRS) }
        }
    }

    enum TopLevel {
        case feature(Feature)
        case collectionStarts(GeoJSONMembers)
    }

    func run(_ body: (Int, Feature) throws -> Void) throws -> GeoJSONHeader {
        if !input.atEOF { _ = try input.refill(minimum: 0) }
        if input.buffer.count >= 3, input.buffer[0] == 0xEF, input.buffer[1] == 0xBB, input.buffer[2] == 0xBF {
            input.pos = 3  // UTF-8 byte-order mark (RFC 8259 §8.1 lets parsers ignore it)
        }
        var index = 0
        var values = 0
        var sequence = false
        var header = GeoJSONHeader()
        var collections = 0
        while true {
            let (found, sawRS) = try skipSeparators()
            if sawRS { sequence = true }
            guard found else { break }
            values += 1
            // Records of a sequence are named by their index; a single document by its path.
            let recordIndex: Int? = (sequence || values > 1) ? index : nil
            let top = try unit { (scanner) throws(JSONFailure) -> TopLevel in
                guard scanner.current == ASCII.openBrace else {
                    throw scanner.failure(.structure, "expected a GeoJSON object (FeatureCollection, Feature or geometry) but found \(scanner.describeCurrent())")
                }
                do throws(JSONFailure) {
                    return try parseTopLevel(&scanner)
                } catch {
                    var failure = error
                    if let recordIndex {
                        failure.within(.index(recordIndex))
                        failure.within(.key("features"))
                    }
                    throw failure
                }
            }
            switch top {
            case .feature(let feature):
                try body(index, feature)
                index += 1
            case .collectionStarts(let members):
                collections += 1
                let collectionHeader = try streamCollection(members) { feature in
                    try body(index, feature)
                    index += 1
                }
                header = collectionHeader
            }
        }
        if values == 0 {
            throw GeoJSONError(kind: .empty, source: input.source,
                               message: "empty input: no GeoJSON object found")
        }
        // Collection-level members only describe the result when it is one collection.
        return collections == 1 && values == 1 ? header : GeoJSONHeader()
    }

    /// A top-level object: a complete Feature or geometry, or the start of a FeatureCollection
    /// up to and including the `[` of its "features" array.
    func parseTopLevel(_ scanner: inout JSONScanner) throws(JSONFailure) -> TopLevel {
        var members = GeoJSONMembers(objectOffset: scanner.pos)
        try scanner.enter()
        scanner.pos += 1
        scanner.skipWhitespace()
        guard !scanner.atEnd else { throw scanner.truncated("in an object") }
        if scanner.current != ASCII.closeBrace {
            while true {
                scanner.skipWhitespace()
                let keyOffset = scanner.pos
                let key = try scanner.parseGeoJSONMemberName()
                if key == .features && (members.type == nil || members.type == "FeatureCollection") {
                    if members.has(key) {
                        throw scanner.failure(.structure, "duplicate member \"features\"", at: keyOffset)
                    }
                    if let forbidden = members.forbiddenOnCollection {
                        throw scanner.failure(.structure, "a FeatureCollection must not have a \"\(forbidden)\" member (RFC 7946 §7.1)", at: members.objectOffset)
                    }
                    scanner.skipWhitespace()
                    guard !scanner.atEnd else { throw scanner.truncated("(expected an array)") }
                    guard scanner.current == ASCII.openBracket else {
                        var failure = scanner.failure(.structure, "\"features\" must be an array but is \(scanner.describeCurrent())")
                        failure.within(.key("features"))
                        throw failure
                    }
                    scanner.pos += 1
                    members.mark(key)
                    return .collectionStarts(members)
                }
                do {
                    try scanner.readGeoJSONMember(key, keyOffset: keyOffset, into: &members)
                } catch {
                    var failure = error
                    failure.within(.key(key.name))
                    throw failure
                }
                if try scanner.endOfElement(closing: ASCII.closeBrace, what: "object") { break }
            }
        } else {
            scanner.pos += 1
        }
        scanner.depth -= 1
        let type = try scanner.requireType(members, expecting: "\"FeatureCollection\", \"Feature\" or a geometry type")
        switch type {
        case .feature:
            return .feature(try scanner.finishFeature(members))
        case .featureCollection:
            throw scanner.failure(.structure, "FeatureCollection has no \"features\" array", at: members.objectOffset)
        default:
            // A bare geometry becomes one feature with null properties.
            return .feature(Feature(geometry: try scanner.finishGeometry(members), properties: nil))
        }
    }

    /// Streams the "features" array and reads the collection's remaining members.
    func streamCollection(_ start: GeoJSONMembers, _ deliver: (Feature) throws -> Void) throws -> GeoJSONHeader {
        var seen = start
        var type = start.type
        var header = GeoJSONHeader(bbox: start.bbox)
        var foreign = start.foreign
        if let id = start.id { foreign.append(JSONObject.Member(key: "id", value: id.jsonValue)) }
        if let value = start.coordinatesValue { foreign.append(JSONObject.Member(key: "coordinates", value: value)) }

        // The features, one unit each.
        var position = 0
        var closed = false
        while !closed {
            let element = try unit(depth: 2) { (scanner) throws(JSONFailure) -> (Feature?, Bool) in
                scanner.skipWhitespace()
                guard !scanner.atEnd else { throw scanner.truncated("in \"features\"") }
                if position == 0 && scanner.current == ASCII.closeBracket {
                    scanner.pos += 1
                    return (nil, true)
                }
                let feature: Feature
                do throws(JSONFailure) {
                    feature = try scanner.parseFeature()
                } catch {
                    var failure = error
                    failure.within(.index(position))
                    failure.within(.key("features"))
                    throw failure
                }
                do throws(JSONFailure) {
                    return (feature, try scanner.endOfElement(closing: ASCII.closeBracket, what: "array"))
                } catch {
                    var failure = error
                    failure.within(.key("features"))
                    throw failure
                }
            }
            closed = element.1
            if let feature = element.0 {
                try deliver(feature)
                position += 1
            }
        }

        // The members after "features", one unit each, up to the closing brace.
        while true {
            let done = try unit(depth: 1) { (scanner) throws(JSONFailure) -> Bool in
                if try scanner.endOfElement(closing: ASCII.closeBrace, what: "object") {
                    if type == nil {
                        throw scanner.failure(.structure, "missing \"type\": \"FeatureCollection\" member", at: scanner.pos - 1)
                    }
                    return true
                }
                scanner.skipWhitespace()
                let keyOffset = scanner.pos
                let key = try scanner.parseGeoJSONMemberName()
                if seen.has(key) {
                    var failure = scanner.failure(.structure, "duplicate member \"\(key.name)\"", at: keyOffset)
                    failure.within(.key(key.name))
                    throw failure
                }
                var members = GeoJSONMembers(objectOffset: keyOffset)
                do throws(JSONFailure) {
                    try scanner.readGeoJSONMember(key, keyOffset: keyOffset, into: &members)
                } catch {
                    var failure = error
                    failure.within(.key(key.name))
                    throw failure
                }
                if let forbidden = members.forbiddenOnCollection {
                    throw scanner.failure(.structure, "a FeatureCollection must not have a \"\(forbidden)\" member (RFC 7946 §7.1)", at: keyOffset)
                }
                if let name = members.type {
                    if name != "FeatureCollection" {
                        var failure = scanner.failure(.structure, "an object with \"features\" must be a FeatureCollection, not \"\(name)\"", at: members.typeOffset)
                        failure.within(.key("type"))
                        throw failure
                    }
                    type = name
                }
                if let bbox = members.bbox { header.bbox = bbox }
                if let id = members.id { foreign.append(JSONObject.Member(key: "id", value: id.jsonValue)) }
                if let value = members.coordinatesValue {
                    foreign.append(JSONObject.Member(key: "coordinates", value: value))
                }
                foreign.append(contentsOf: members.foreign)
                seen.mark(key)
                seen.foreign.append(contentsOf: members.foreign)
                return false
            }
            if done { break }
        }
        header.foreignMembers = JSONObject(foreign)
        return header
    }
}
