UNWIND $rows AS row
WITH row
WHERE row.code IS NOT NULL
MERGE (m:Municipality {code: row.code})
SET m.name = row.name,
    m.region = row.region,
    m.in_region = row.in_region,
    m.population = row.population,
    m.population_year = row.population_year,
    m.lat = row.lat,
    m.lon = row.lon,
    m.area_km2 = row.area_km2
