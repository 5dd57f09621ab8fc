import GeoCore
import Testing

/// Union–find against an independent oracle: connected components by breadth-first search
/// over the same edges.
@Suite("Disjoint sets")
struct DisjointSetsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var count: Int
        var unions: [(Int, Int)]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "empty", count: 0, unions: []),
        Case(name: "singletons", count: 4, unions: []),
        Case(name: "self union", count: 3, unions: [(1, 1)]),
        Case(name: "chain backwards", count: 5, unions: [(4, 3), (3, 2), (2, 1), (1, 0)]),
        Case(name: "two groups, then joined", count: 6, unions: [(5, 3), (1, 4), (3, 1), (0, 2)]),
        Case(name: "repeated union", count: 3, unions: [(2, 0), (0, 2), (2, 0)]),
    ]

    @Test(arguments: cases)
    func table(_ c: Case) {
        check(count: c.count, unions: c.unions)
    }

    @Test func randomAgainstBreadthFirstSearch() {
        var random = SplitMix64(seed: 11)
        for round in 0..<50 {
            let count = 1 + round * 4
            let unions = (0..<(count * 2 / 3)).map { _ in
                (Int(random.next() % UInt64(count)), Int(random.next() % UInt64(count)))
            }
            check(count: count, unions: unions)
        }
    }

    /// Every index's representative is the smallest index of its BFS component.
    func check(count: Int, unions: [(Int, Int)]) {
        var sets = DisjointSets(count: count)
        for (a, b) in unions { sets.union(a, b) }
        var neighbours = Array(repeating: [Int](), count: count)
        for (a, b) in unions { neighbours[a].append(b); neighbours[b].append(a) }
        var smallest = Array(repeating: -1, count: count)
        for start in 0..<count where smallest[start] < 0 {
            var component = [start], queue = [start]
            smallest[start] = start
            while let x = queue.popLast() {
                for y in neighbours[x] where smallest[y] < 0 { smallest[y] = start; component.append(y); queue.append(y) }
            }
            for x in component { smallest[x] = component.min() ?? start }
        }
        for x in 0..<count { #expect(sets.find(x) == smallest[x], "index \(x) of \(count)") }
    }
}
