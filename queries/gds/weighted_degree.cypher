CALL gds.degree.stream($graph, {relationshipTypes: ['TIE'], relationshipWeightProperty: 'weight'})
YIELD nodeId, score
RETURN gds.util.asNode(nodeId).id AS id, score
