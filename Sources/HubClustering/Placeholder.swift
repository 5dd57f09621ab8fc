// The HubClustering engine; see docs/.
