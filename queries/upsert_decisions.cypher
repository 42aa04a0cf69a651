UNWIND $rows AS row
WITH row
WHERE row.id IS NOT NULL
MERGE (d:Decision {id: row.id})
SET d.kind = row.kind,
    d.name = row.name,
    d.target = row.target,
    d.field = row.field,
    d.value = row.value,
    d.who = row.who,
    d.at = row.at,
    d.why = row.why,
    d.undo = row.undo
