import PlannerKit

PlannerMain.run(SitingPlanner.self)
