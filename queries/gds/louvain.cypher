CALL gds.louvain.stream($graph, {relationshipTypes: ['TIE'], relationshipWeightProperty: 'weight', concurrency: 1})
YIELD nodeId, communityId
RETURN gds.util.asNode(nodeId).id AS id, communityId AS community
