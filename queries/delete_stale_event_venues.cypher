UNWIND $rows AS row
MATCH (e:Event {id: row.id})-[old:TAKES_PLACE_IN]->(m:Municipality)
WHERE row.municipality_code IS NULL OR m.code <> row.municipality_code
DELETE old
