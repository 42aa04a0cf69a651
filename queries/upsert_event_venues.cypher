UNWIND $rows AS row
MATCH (e:Event {id: row.id})
MATCH (m:Municipality {code: row.municipality_code})
MERGE (e)-[:TAKES_PLACE_IN]->(m)
