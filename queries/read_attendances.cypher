MATCH (o:Actor|Institution)-[:ATTENDS]->(e:Event)
RETURN o.id AS org_id,
       e.id AS event_id
ORDER BY org_id, event_id
