import Foundation

/// Read-only elements that live either in storage of their own (a surface built now) or in
/// place inside the bytes of a cache file (a surface taken from the cache). A cache file is
/// memory-mapped (`PlannerCache.load`), so nothing is copied and only the pages a query
/// touches are ever read: a route search visits a few percent of a national lattice, and
/// copying all of it cost more than the search of a short route.
struct FlatArray<Element: BitwiseCopyable>: @unchecked Sendable {
    /// Keeps the elements alive and in place (`Storage` or the `Data` they were read from).
    private let owner: AnyObject
    private let base: UnsafePointer<Element>
    let count: Int

    /// The elements, copied once into storage of their own.
    init(_ elements: [Element]) {
        self.init(storage: Storage(elements), count: elements.count)
    }

    /// `count` elements at `offset` in `bytes`, read in place. nil when they do not fit or
    /// the offset is not aligned for `Element` (the cache formats align every section).
    init?(bytes: PinnedBytes, offset: Int, count: Int) {
        let size = count * MemoryLayout<Element>.stride
        guard count >= 0, offset >= 0, offset + size <= bytes.count,
              Int(bitPattern: bytes.base + offset) % MemoryLayout<Element>.alignment == 0 else { return nil }
        owner = bytes
        base = (bytes.base + offset).assumingMemoryBound(to: Element.self)
        self.count = count
    }

    @inline(__always) subscript(index: Int) -> Element { base[index] }

    /// The first element, for loops that must not retain the storage per access: valid only
    /// while this array (or a copy of it) is alive, which the caller guarantees.
    @inline(__always) var unsafeBase: UnsafePointer<Element> { base }

    @inline(__always)
    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try withExtendedLifetime(owner) { try body(UnsafeBufferPointer(start: base, count: count)) }
    }

    /// The elements as an array of their own (a copy).
    var array: [Element] { withUnsafeBufferPointer { Array($0) } }

    /// A copy with some elements replaced (one copy of the rest).
    func replacing(_ changes: [(index: Int, value: Element)]) -> FlatArray {
        let storage = Storage(copying: base, count: count)
        for change in changes where change.index >= 0 && change.index < count {
            storage.pointer[change.index] = change.value
        }
        return FlatArray(storage: storage, count: count)
    }

    private init(storage: Storage, count: Int) {
        owner = storage
        base = UnsafePointer(storage.pointer)
        self.count = count
    }

    private final class Storage {
        let pointer: UnsafeMutablePointer<Element>
        init(copying source: UnsafePointer<Element>, count: Int) {
            pointer = UnsafeMutablePointer<Element>.allocate(capacity: max(1, count))
            pointer.initialize(from: source, count: count)
        }
        init(_ elements: [Element]) {
            pointer = UnsafeMutablePointer<Element>.allocate(capacity: max(1, elements.count))
            elements.withUnsafeBufferPointer { source in
                if let start = source.baseAddress { pointer.initialize(from: start, count: source.count) }
            }
        }
        deinit { pointer.deallocate() }
    }
}

/// The bytes of a `Data` value held in place for as long as this object lives. A mapped
/// file or a heap buffer keeps its address while the `Data` that owns it is neither
/// mutated nor released, and this object holds it unmutated; bytes too few for Foundation
/// to keep out of line are copied into an allocation of our own instead.
final class PinnedBytes: @unchecked Sendable {
    private let data: Data
    private let copy: UnsafeMutableRawPointer?
    let base: UnsafeRawPointer
    let count: Int

    init(_ data: Data) {
        self.data = data
        count = data.count
        if let address = data.count >= 64 ? data.withUnsafeBytes({ $0.baseAddress }) : nil {
            copy = nil
            base = address
        } else {
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(1, data.count), alignment: 16)
            data.withUnsafeBytes { source in
                if let start = source.baseAddress { buffer.copyMemory(from: start, byteCount: source.count) }
            }
            copy = buffer
            base = UnsafeRawPointer(buffer)
        }
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    deinit { copy?.deallocate() }
}

/// Writes a cache file: magic, format version and content key, then fields and arrays
/// (little-endian), each array starting at a multiple of 8 bytes so it can be read in place.
struct CacheFileWriter {
    private(set) var data = Data()

    init(magic: [UInt8], version: UInt64, key: String) {
        data.append(contentsOf: magic)
        let keyBytes = Array(key.utf8)
        append(version)
        append(UInt64(keyBytes.count))
        data.append(contentsOf: keyBytes)
    }

    mutating func append(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }

    mutating func append<Element>(_ elements: FlatArray<Element>) {
        data.append(contentsOf: [UInt8](repeating: 0, count: (8 - data.count % 8) % 8))
        elements.withUnsafeBufferPointer { data.append(contentsOf: UnsafeRawBufferPointer($0)) }
    }
}

/// Reads what `CacheFileWriter` wrote; every step is nil when the bytes do not hold it.
struct CacheFileReader {
    let bytes: PinnedBytes
    private(set) var offset = 0

    /// nil unless the file starts with this magic, version and key.
    init?(_ data: Data, magic: [UInt8], version: UInt64, key: String) {
        bytes = PinnedBytes(data)
        guard let m = take(magic.count), Array(m) == magic, u64() == version,
              let keyCount = u64(), keyCount < 1024, let k = take(Int(keyCount)),
              String(decoding: k, as: UTF8.self) == key else { return nil }
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func take(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, offset + count <= bytes.count else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes.bytes[offset..<(offset + count)])
    }

    mutating func u64() -> UInt64? {
        guard let b = take(8) else { return nil }
        var v: UInt64 = 0
        withUnsafeMutableBytes(of: &v) { $0.copyMemory(from: b) }
        return UInt64(littleEndian: v)
    }

    /// `count` elements in place, after the padding to the next multiple of 8 bytes.
    mutating func array<Element>(_ count: Int, of _: Element.Type) -> FlatArray<Element>? {
        let start = offset + (8 - offset % 8) % 8
        guard count >= 0, let elements = FlatArray<Element>(bytes: bytes, offset: start, count: count) else { return nil }
        offset = start + count * MemoryLayout<Element>.stride
        return elements
    }
}
