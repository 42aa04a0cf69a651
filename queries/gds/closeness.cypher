CALL gds.closeness.stream($graph, {relationshipTypes: ['TIE'], useWassermanFaust: true})
YIELD nodeId, score
RETURN gds.util.asNode(nodeId).id AS id, score
