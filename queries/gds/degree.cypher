CALL gds.degree.stream($graph, {relationshipTypes: ['TIE']})
YIELD nodeId, score
RETURN gds.util.asNode(nodeId).id AS id, score
