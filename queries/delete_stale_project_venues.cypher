UNWIND $rows AS row
MATCH (p:Project {id: row.id})
WHERE p.municipality_codes IS NULL OR p.municipality_codes <> row.municipality_codes
MATCH (p)-[old:TAKES_PLACE_IN]->(m:Municipality)
WHERE NOT m.code IN row.municipality_codes
DELETE old
