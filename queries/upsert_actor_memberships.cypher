UNWIND $rows AS row
MATCH (o:Actor {id: row.org_id})
MATCH (n:Network {id: row.network_id})
MERGE (o)-[r:MEMBER_OF]->(n)
RETURN count(r) AS linked
