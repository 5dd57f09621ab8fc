// The CableRouting engine; see docs/.
