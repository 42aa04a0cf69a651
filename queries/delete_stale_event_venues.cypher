UNWIND $rows AS row
MATCH (e:Event {id: row.id})
WHERE e.municipality_code IS NULL OR row.municipality_code IS NULL OR e.municipality_code <> row.municipality_code
MATCH (e)-[old:TAKES_PLACE_IN]->(:Municipality)
DELETE old
