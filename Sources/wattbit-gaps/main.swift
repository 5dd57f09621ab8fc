import PlannerKit

PlannerMain.run(GapsPlanner.self)
