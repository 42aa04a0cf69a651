MATCH (o:Actor|Institution)-[r:PARTICIPATES_IN]->(p:Project)
RETURN o.id AS org_id,
       p.id AS project_id,
       r.role AS role
ORDER BY org_id, project_id
