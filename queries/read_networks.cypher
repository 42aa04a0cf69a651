MATCH (n:Network)
RETURN n.id AS id,
       n.name AS name,
       n.theme AS theme,
       n.extra AS extra
ORDER BY id
