MATCH (e:Event)
RETURN e.id AS id,
       e.name AS name,
       e.year AS year,
       e.municipality_code AS municipality_code,
       e.extra AS extra
ORDER BY id
