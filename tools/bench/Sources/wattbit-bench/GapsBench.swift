func runGapsBench(_ arguments: [String]) throws {}
