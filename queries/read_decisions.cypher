MATCH (d:Decision)
RETURN d.id AS id,
       d.kind AS kind,
       d.name AS name,
       d.target AS target,
       d.field AS field,
       d.value AS value,
       d.who AS who,
       d.at AS at,
       d.why AS why,
       d.undo AS undo
ORDER BY at, id
