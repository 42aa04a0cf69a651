MATCH (o:Actor|Institution {id: $id})-[:PARTICIPATES_IN]->(p:Project)<-[:PARTICIPATES_IN]-(x:Actor|Institution)
WHERE x.id <> o.id
RETURN x.id AS id,
       x.name AS name,
       x.municipality_code AS municipality_code,
       'project' AS via,
       p.id AS via_id,
       p.title AS via_name
UNION ALL
MATCH (o:Actor|Institution {id: $id})-[:COLLABORATES_WITH]-(x:Actor|Institution)
RETURN x.id AS id,
       x.name AS name,
       x.municipality_code AS municipality_code,
       'collaboration' AS via,
       '' AS via_id,
       '' AS via_name
