func runHubsBench(_ arguments: [String]) throws {}
