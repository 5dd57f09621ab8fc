/// Disjoint sets over the indices `0..<count` (union–find with path halving; Tarjan & van
/// Leeuwen 1984, "Worst-case analysis of set union algorithms", J. ACM 31(2) 245–281).
///
/// A set's representative is always its smallest index, so the groups that callers collect
/// by `find` come out in a deterministic order whatever order the unions came in.
/// `find` and `union` are O(log n) amortised (path halving alone, without union by rank);
/// memory O(n).
public struct DisjointSets: Sendable {
    @usableFromInline var parent: [Int]

    /// `count` singleton sets {0}, {1}, …, {count − 1}.
    public init(count: Int) {
        parent = Array(0..<max(count, 0))
    }

    /// The representative (smallest index) of the set holding `x`.
    @inlinable
    public mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
        return x
    }

    /// Merges the sets holding `a` and `b`.
    @inlinable
    public mutating func union(_ a: Int, _ b: Int) {
        let ra = find(a), rb = find(b)
        if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
    }
}
