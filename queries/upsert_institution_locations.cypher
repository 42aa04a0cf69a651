UNWIND $rows AS row
MATCH (o:Institution {id: row.id})
MATCH (m:Municipality {code: row.municipality_code})
MERGE (o)-[:LOCATED_IN]->(m)
