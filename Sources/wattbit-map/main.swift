import PlannerKit

PlannerMain.run(MapPlanner.self)
