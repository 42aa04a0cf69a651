MATCH (d:Decision {id: $id})
DETACH DELETE d
RETURN count(*) AS deleted
