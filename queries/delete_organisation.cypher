MATCH (n:Actor|Institution {id: $id})
DETACH DELETE n
RETURN count(*) AS deleted
