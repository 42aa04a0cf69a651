CALL gds.pageRank.stream($graph, {relationshipTypes: ['TIE'], relationshipWeightProperty: 'weight', dampingFactor: $alpha, maxIterations: $max_iterations, tolerance: $tolerance})
YIELD nodeId, score
RETURN gds.util.asNode(nodeId).id AS id, score
