// The FiberCoverage engine; see docs/.
