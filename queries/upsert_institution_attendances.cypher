UNWIND $rows AS row
MATCH (o:Institution {id: row.org_id})
MATCH (e:Event {id: row.event_id})
MERGE (o)-[r:ATTENDS]->(e)
RETURN count(r) AS linked
