import PlannerKit

PlannerMain.run(HubsPlanner.self)
