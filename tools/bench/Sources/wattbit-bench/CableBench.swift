func runCableBench(_ arguments: [String]) throws {}
