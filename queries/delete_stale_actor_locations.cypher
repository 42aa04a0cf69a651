UNWIND $rows AS row
MATCH (o:Actor {id: row.id})
WHERE o.municipality_code IS NULL OR row.municipality_code IS NULL OR o.municipality_code <> row.municipality_code
MATCH (o)-[old:LOCATED_IN]->(:Municipality)
DELETE old
