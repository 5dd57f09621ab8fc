import PlannerKit

PlannerMain.run(CablePlanner.self)
