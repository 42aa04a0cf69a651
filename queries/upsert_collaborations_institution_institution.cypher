UNWIND $rows AS row
MATCH (a:Institution {id: row.source_id})
MATCH (b:Institution {id: row.target_id})
MERGE (a)-[r:COLLABORATES_WITH]->(b)
SET r.since = row.since,
    r.source = row.source
RETURN count(r) AS linked
