func runGeoJSONBench(_ arguments: [String]) throws {}
