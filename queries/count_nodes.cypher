MATCH (n:Municipality)
RETURN 'Municipality' AS kind, count(n) AS n
UNION ALL
MATCH (n:Actor)
RETURN 'Actor' AS kind, count(n) AS n
UNION ALL
MATCH (n:Institution)
RETURN 'Institution' AS kind, count(n) AS n
UNION ALL
MATCH (n:Project)
RETURN 'Project' AS kind, count(n) AS n
UNION ALL
MATCH (n:Network)
RETURN 'Network' AS kind, count(n) AS n
UNION ALL
MATCH (n:Event)
RETURN 'Event' AS kind, count(n) AS n
