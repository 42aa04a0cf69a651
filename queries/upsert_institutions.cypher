UNWIND $rows AS row
WITH row
WHERE row.id IS NOT NULL
MERGE (o:Institution {id: row.id})
SET o.name = row.name,
    o.kind = row.kind,
    o.size = row.size,
    o.art_forms = row.art_forms,
    o.target_groups = row.target_groups,
    o.cvr = row.cvr,
    o.website = row.website,
    o.address = row.address,
    o.postcode = row.postcode,
    o.town = row.town,
    o.municipality_code = row.municipality_code,
    o.municipality_source = row.municipality_source,
    o.in_region = row.in_region,
    o.lat = row.lat,
    o.lon = row.lon,
    o.staff = row.staff,
    o.budget_dkk = row.budget_dkk,
    o.extra = row.extra
