/// Budgeted maximum coverage: choose gaps to connect so that the covered population is as
/// large as possible within a budget.
///
/// Khuller, Moss & Naor, "The budgeted maximum coverage problem", Information Processing
/// Letters 70(1), 1999: the greedy rule (take the affordable set with the most newly
/// covered weight per unit cost) alone can be arbitrarily bad — one cheap tiny gap can
/// crowd out a large one — but the better of (a) the greedy solution and (b) the single
/// most valuable affordable set is within a constant factor of the optimum, ½(1 − 1/e)
/// for general coverage. Here gaps are disjoint (no person is in two gaps), so coverage
/// is additive and the problem is a 0/1 knapsack, for which the same "modified greedy" is
/// a ½-approximation (and usually optimal or near it; the tests compare with an exact
/// dynamic programme). The greedy continues past items that do not fit (KMN's variant),
/// which only helps.
///
/// Complexity: O(n log n) for n gaps.
public enum BudgetedCoverage {
    public struct Item: Sendable, Equatable {
        public var costJPY: Double
        public var population: Double
        public init(costJPY: Double, population: Double) {
            self.costJPY = costJPY
            self.population = population
        }
    }

    public struct Plan: Sendable, Equatable {
        /// Indices of the chosen items, in the order the plan builds them.
        public var chosen: [Int]
        public var costJPY: Double
        public var population: Double
        /// "greedy" or "best-single" (which branch of the refinement won).
        public var rule: String
    }

    public static func plan(_ items: [Item], budgetJPY: Double) -> Plan {
        // Greedy by cost-effectiveness; ties: larger population, then lower index.
        let order = items.indices.sorted { a, b in
            let ea = effectiveness(items[a]), eb = effectiveness(items[b])
            if ea != eb { return ea > eb }
            if items[a].population != items[b].population { return items[a].population > items[b].population }
            return a < b
        }
        var chosen: [Int] = []
        var cost = 0.0, population = 0.0
        for i in order where items[i].population > 0 && cost + items[i].costJPY <= budgetJPY {
            chosen.append(i)
            cost += items[i].costJPY
            population += items[i].population
        }
        var best: Int?
        for i in items.indices where items[i].costJPY <= budgetJPY && items[i].population > 0 {
            if let b = best {
                if items[i].population > items[b].population
                    || (items[i].population == items[b].population && items[i].costJPY < items[b].costJPY) { best = i }
            } else {
                best = i
            }
        }
        if let b = best, items[b].population > population {
            return Plan(chosen: [b], costJPY: items[b].costJPY, population: items[b].population, rule: "best-single")
        }
        return Plan(chosen: chosen, costJPY: cost, population: population, rule: "greedy")
    }

    static func effectiveness(_ item: Item) -> Double {
        item.costJPY > 0 ? item.population / item.costJPY : .infinity
    }
}
