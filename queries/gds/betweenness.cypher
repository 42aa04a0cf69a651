CALL gds.betweenness.stream($graph, {relationshipTypes: ['TIE'], samplingSize: $sampling_size, samplingSeed: $seed, concurrency: 1})
YIELD nodeId, score
RETURN gds.util.asNode(nodeId).id AS id, score
