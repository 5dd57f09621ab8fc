// The MapRendering engine; see docs/.
