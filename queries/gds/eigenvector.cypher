CALL gds.eigenvector.stream($graph, {relationshipTypes: ['TIE'], relationshipWeightProperty: 'weight', maxIterations: $max_iterations, tolerance: $tolerance})
YIELD nodeId, score
RETURN gds.util.asNode(nodeId).id AS id, score
