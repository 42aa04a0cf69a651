UNWIND $rows AS row
WITH row
WHERE row.id IS NOT NULL
MERGE (n:Network {id: row.id})
SET n.name = row.name,
    n.theme = row.theme,
    n.extra = row.extra
