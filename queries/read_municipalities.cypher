MATCH (m:Municipality)
RETURN m.code AS code,
       m.name AS name,
       m.region AS region,
       m.in_region AS in_region,
       m.population AS population,
       m.population_year AS population_year,
       m.lat AS lat,
       m.lon AS lon,
       m.area_km2 AS area_km2
ORDER BY code
