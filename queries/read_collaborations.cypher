MATCH (a:Actor|Institution)-[r:COLLABORATES_WITH]->(b:Actor|Institution)
RETURN a.id AS source_id,
       b.id AS target_id,
       r.since AS since,
       r.source AS source
ORDER BY source_id, target_id
