CALL () {
  MATCH (o:Actor|Institution)
  RETURN o AS a, null AS b, 0.0 AS w
  UNION ALL
  MATCH (p:Project)<-[:PARTICIPATES_IN]-(o:Actor|Institution)
  WITH p, collect(DISTINCT o) AS members
  WITH members, size(members) AS n
  WHERE n > 1
  WITH members,
       CASE $weighting
         WHEN 'newman' THEN 1.0 / (n - 1)
         WHEN 'capped' THEN CASE WHEN ($cap - 1.0) / (n - 1) < 1.0 THEN ($cap - 1.0) / (n - 1) ELSE 1.0 END
         ELSE 1.0
       END AS pair_weight
  UNWIND members AS a
  UNWIND members AS b
  WITH a, b, pair_weight
  WHERE a.id < b.id
  RETURN a, b, $project_weight * pair_weight AS w
  UNION ALL
  MATCH (x:Actor|Institution)-[:COLLABORATES_WITH]->(y:Actor|Institution)
  WHERE x <> y
  RETURN CASE WHEN x.id < y.id THEN x ELSE y END AS a,
         CASE WHEN x.id < y.id THEN y ELSE x END AS b,
         $collaboration_weight AS w
  UNION ALL
  MATCH (n:Network)<-[:MEMBER_OF]-(o:Actor|Institution)
  WHERE $network_weight > 0
  WITH n, collect(DISTINCT o) AS members
  UNWIND members AS a
  UNWIND members AS b
  WITH a, b
  WHERE a.id < b.id
  RETURN a, b, $network_weight AS w
  UNION ALL
  MATCH (e:Event)<-[:ATTENDS]-(o:Actor|Institution)
  WHERE $event_weight > 0
  WITH e, collect(DISTINCT o) AS members
  UNWIND members AS a
  UNWIND members AS b
  WITH a, b
  WHERE a.id < b.id
  RETURN a, b, $event_weight AS w
}
WITH a, b, sum(w) AS weight
WITH gds.graph.project(
  $graph,
  a,
  CASE WHEN b IS NULL OR weight <= 0 THEN null ELSE b END,
  {relationshipProperties: {weight: weight}, relationshipType: 'TIE'},
  {undirectedRelationshipTypes: ['*']}
) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS relationships
