UNWIND $rows AS row
MATCH (p:Project {id: row.id})-[old:TAKES_PLACE_IN]->(m:Municipality)
WHERE NOT m.code IN row.municipality_codes
DELETE old
