import Testing
@testable import FiberCoverage

/// Budgeted maximum coverage (Khuller, Moss & Naor 1999) against the exact optimum.
@Suite("Budgeted coverage")
struct BudgetTests {
    /// Exact optimum by enumerating all subsets (n ≤ 14).
    static func optimum(_ items: [BudgetedCoverage.Item], budget: Double) -> Double {
        var best = 0.0
        for mask in 0..<(1 << items.count) {
            var cost = 0.0, population = 0.0
            for i in items.indices where mask & (1 << i) != 0 { cost += items[i].costJPY; population += items[i].population }
            if cost <= budget { best = max(best, population) }
        }
        return best
    }

    @Test("the refinement rescues the case plain greedy gets arbitrarily wrong")
    func classicBadCase() {
        // A tiny cheap gap has the best ratio; taking it leaves no room for the big one.
        let items = [BudgetedCoverage.Item(costJPY: 1, population: 2),
                     BudgetedCoverage.Item(costJPY: 100, population: 100)]
        let plan = BudgetedCoverage.plan(items, budgetJPY: 100)
        #expect(plan.chosen == [1])
        #expect(plan.rule == "best-single")
        #expect(plan.population == 100)
    }

    @Test("never over budget and at least half the optimum on 300 random instances; usually optimal")
    func againstOptimum() {
        var state: UInt64 = 12345
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var optimalCount = 0
        var worst = 1.0
        for _ in 0..<300 {
            let n = 4 + Int(next() * 10)
            let items = (0..<n).map { _ in
                BudgetedCoverage.Item(costJPY: (1 + next() * 99).rounded() * 1e6, population: (1 + next() * 999).rounded())
            }
            let budget = (next() * 300).rounded() * 1e6
            let plan = BudgetedCoverage.plan(items, budgetJPY: budget)
            #expect(plan.costJPY <= budget)
            #expect(Set(plan.chosen).count == plan.chosen.count)
            let opt = Self.optimum(items, budget: budget)
            if opt > 0 {
                worst = min(worst, plan.population / opt)
                #expect(plan.population >= 0.5 * opt)
            }
            if plan.population == opt { optimalCount += 1 }
        }
        #expect(optimalCount >= 150, "optimal in \(optimalCount) of 300 (worst ratio \(worst))")
    }
}
