MATCH (p:Project)
RETURN p.id AS id,
       p.title AS title,
       p.start_year AS start_year,
       p.end_year AS end_year,
       p.programme AS programme,
       p.budget_dkk AS budget_dkk,
       p.themes AS themes,
       p.municipality_codes AS municipality_codes,
       p.extra AS extra
ORDER BY id
