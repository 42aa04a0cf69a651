MATCH (o:Actor|Institution)-[:MEMBER_OF]->(n:Network)
RETURN o.id AS org_id,
       n.id AS network_id
ORDER BY org_id, network_id
