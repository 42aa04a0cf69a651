UNWIND $rows AS row
MATCH (o:Actor {id: row.org_id})
MATCH (p:Project {id: row.project_id})
MERGE (o)-[r:PARTICIPATES_IN]->(p)
SET r.role = row.role
RETURN count(r) AS linked
