UNWIND $rows AS row
WITH row
WHERE row.id IS NOT NULL
MERGE (e:Event {id: row.id})
SET e.name = row.name,
    e.year = row.year,
    e.municipality_code = row.municipality_code,
    e.extra = row.extra
