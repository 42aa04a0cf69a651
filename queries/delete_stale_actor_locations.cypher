UNWIND $rows AS row
MATCH (o:Actor {id: row.id})-[old:LOCATED_IN]->(m:Municipality)
WHERE row.municipality_code IS NULL OR m.code <> row.municipality_code
DELETE old
