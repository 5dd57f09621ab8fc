import Testing
@testable import MixedInteger

/// Small random 0–1 programmes (multi-dimensional knapsacks and covering problems) whose
/// optimum brute-force enumeration finds independently of CBC.
struct SmallBinaryProgramme: CustomStringConvertible {
    var seed: UInt64
    var direction: LinearModel.Direction
    var cost: [Double]
    var rows: [(coefficients: [Double], relation: LinearModel.Relation, rhs: Double)]
    var description: String { "seed \(seed) \(direction == .maximise ? "knapsack" : "cover")" }

    static func generate(seed: UInt64) -> SmallBinaryProgramme {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        func unit() -> Double {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state >> 11) / Double(1 << 53)
        }
        let n = 6 + Int(seed % 9)
        let maximise = seed % 2 == 0
        let cost = (0..<n).map { _ in (1 + 20 * unit()).rounded() }
        var rows: [(coefficients: [Double], relation: LinearModel.Relation, rhs: Double)] = []
        for _ in 0..<(2 + Int(seed % 3)) {
            if maximise {
                let a = (0..<n).map { _ in (1 + 10 * unit()).rounded() }
                rows.append((a, .lessOrEqual, (a.reduce(0, +) * (0.3 + 0.3 * unit())).rounded()))
            } else {
                let a = (0..<n).map { _ in unit() < 0.4 ? 1.0 : 0.0 }
                rows.append((a, .greaterOrEqual, a.reduce(0, +) > 1 ? 2 : 1))
            }
        }
        return SmallBinaryProgramme(seed: seed, direction: maximise ? .maximise : .minimise, cost: cost, rows: rows)
    }

    var model: LinearModel {
        var m = LinearModel(direction)
        let x = cost.map { m.addBinary(objective: $0) }
        for row in rows { m.addConstraint(zip(x, row.coefficients).map { ($0, $1) }, row.relation, row.rhs) }
        return m
    }

    /// The optimum by enumerating all 2^n assignments; nil when none is feasible.
    var bruteForceOptimum: Double? {
        var best: Double? = nil
        for mask in 0..<(1 << cost.count) {
            let x = (0..<cost.count).map { mask & (1 << $0) != 0 ? 1.0 : 0.0 }
            let feasible = rows.allSatisfy { row in
                let lhs = zip(row.coefficients, x).reduce(0) { $0 + $1.0 * $1.1 }
                switch row.relation {
                case .lessOrEqual: return lhs <= row.rhs + 1e-9
                case .greaterOrEqual: return lhs >= row.rhs - 1e-9
                case .equal: return abs(lhs - row.rhs) <= 1e-9
                }
            }
            guard feasible else { continue }
            let value = zip(cost, x).reduce(0) { $0 + $1.0 * $1.1 }
            if let b = best { best = direction == .maximise ? max(b, value) : min(b, value) } else { best = value }
        }
        return best
    }
}

@Suite("MixedInteger: CBC against brute force")
struct MixedIntegerTests {
    @Test("optimal objective equals brute-force enumeration", arguments: (1...60).map { UInt64($0) })
    func matchesBruteForce(seed: UInt64) throws {
        let problem = SmallBinaryProgramme.generate(seed: seed)
        let solution = try MixedIntegerSolver.solve(problem.model)
        guard let expected = problem.bruteForceOptimum else {
            #expect(solution.status == .infeasible, "\(problem)")
            return
        }
        #expect(solution.status == .optimal, "\(problem)")
        #expect(abs((solution.objective ?? .nan) - expected) < 1e-6, "\(problem): CBC \(solution.objective ?? .nan), enumeration \(expected)")
        #expect(solution.gap == 0)
        #expect(problem.model.violation(solution.values) < 1e-6)
        // The LP relaxation's optimum bounds the integer optimum from the right side.
        let lp = try MixedIntegerSolver.solve(problem.model.relaxation)
        if let relaxed = lp.objective {
            #expect(problem.direction == .maximise ? relaxed >= expected - 1e-6 : relaxed <= expected + 1e-6, "\(problem)")
        }
    }

    @Test("an infeasible model is reported infeasible, with no solution")
    func infeasible() throws {
        var m = LinearModel(.maximise)
        let x = m.addBinary(objective: 1), y = m.addBinary(objective: 1)
        m.addConstraint([(x, 1), (y, 1)], .greaterOrEqual, 3)
        let s = try MixedIntegerSolver.solve(m)
        #expect(s.status == .infeasible)
        #expect(!s.hasSolution)
        #expect(s.objective == nil)
    }

    @Test("a node limit leaves a feasible answer with a bound on the right side and a gap")
    func limited() throws {
        // A hard equality knapsack (no solution; CBC needs many nodes to prove it) next to an
        // easy part that has solutions: with one node CBC stops with what it has.
        var m = LinearModel(.maximise)
        var rng: UInt64 = 12345
        func next() -> Double { rng = rng &* 6364136223846793005 &+ 1442695040888963407; return Double(rng >> 33) / Double(1 << 31) }
        let xs = (0..<40).map { _ in m.addBinary(objective: (10 + 90 * next()).rounded()) }
        m.addConstraint(xs.map { ($0, (10 + 90 * next()).rounded()) }, .lessOrEqual, 900)
        m.addConstraint(xs.map { ($0, (10 + 90 * next()).rounded()) }, .lessOrEqual, 800)
        let s = try MixedIntegerSolver.solve(m, limits: SolveLimits(timeSeconds: 30, maxNodes: 1))
        #expect(s.status == .optimal || s.status == .feasible || s.status == .timeLimited)
        if let objective = s.objective {
            #expect(s.bound >= objective - 1e-6)
            #expect((s.gap ?? -1) >= 0)
            #expect(m.violation(s.values) < 1e-6)
        }
        let full = try MixedIntegerSolver.solve(m)
        #expect(full.status == .optimal)
        #expect(s.bound >= (full.objective ?? .infinity) - 1e-6, "the limited bound must not cut off the optimum")
    }

    @Test("a start solution is used: the answer is never worse than the start")
    func startSolution() throws {
        let problem = SmallBinaryProgramme.generate(seed: 8)
        let m = problem.model
        let zero = Array(repeating: 0.0, count: m.variableCount)
        let s = try MixedIntegerSolver.solve(m, limits: SolveLimits(maxNodes: 0), start: zero)
        #expect(s.hasSolution)
        #expect((s.objective ?? -1) >= 0)
    }

    @Test("continuous columns: a small LP")
    func linearProgramme() throws {
        // max 3x + 2y s.t. x + y ≤ 4, x + 3y ≤ 6, x ≤ 3 → x = 3, y = 1, objective 11.
        var m = LinearModel(.maximise)
        let x = m.addVariable(objective: 3), y = m.addVariable(objective: 2)
        m.addConstraint([(x, 1), (y, 1)], .lessOrEqual, 4)
        m.addConstraint([(x, 1), (y, 3)], .lessOrEqual, 6)
        m.addConstraint([(x, 1)], .lessOrEqual, 3)
        let s = try MixedIntegerSolver.solve(m)
        #expect(s.status == .optimal)
        #expect(abs((s.objective ?? 0) - 11) < 1e-6)
        #expect(abs(s.value(x) - 3) < 1e-6 && abs(s.value(y) - 1) < 1e-6)
    }
}
