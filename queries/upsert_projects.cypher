UNWIND $rows AS row
WITH row
WHERE row.id IS NOT NULL
MERGE (p:Project {id: row.id})
SET p.title = row.title,
    p.start_year = row.start_year,
    p.end_year = row.end_year,
    p.programme = row.programme,
    p.budget_dkk = row.budget_dkk,
    p.themes = row.themes,
    p.municipality_codes = row.municipality_codes,
    p.extra = row.extra
