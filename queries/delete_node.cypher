MATCH (n:Actor|Institution|Project|Network|Event {id: $id})
DETACH DELETE n
RETURN count(*) AS deleted
