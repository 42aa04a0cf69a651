UNWIND $rows AS row
MATCH (p:Project {id: row.id})
UNWIND row.municipality_codes AS code
MATCH (m:Municipality {code: code})
MERGE (p)-[:TAKES_PLACE_IN]->(m)
