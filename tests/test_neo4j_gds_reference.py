"""Every worked example of the GDS manual for the measures graphsvc runs in GDS (degree,
betweenness, closeness, harmonic, PageRank, eigenvector, Louvain; the reference files in
../shared/reference/gds, see its README), run through the real GDS of the test Neo4j,
gives the manual's published result."""

from __future__ import annotations

import json
from pathlib import Path

import neo4j
import pytest

pytestmark = pytest.mark.neo4j

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "gds"
# The procedure of each algorithm: fixed here, never taken from the files.
PROCEDURES = {
    "degree_centrality": "gds.degree.stream",
    "betweenness_centrality": "gds.betweenness.stream",
    "closeness_centrality": "gds.closeness.stream",
    "harmonic_centrality": "gds.closeness.harmonic.stream",
    "pagerank": "gds.pageRank.stream",
    "eigenvector_centrality": "gds.eigenvector.stream",
    "louvain": "gds.louvain.stream",
}
CASES = sorted(
    p for p in REFERENCE.glob("*.json") if json.loads(p.read_text(encoding="utf-8"))["algorithm"] in PROCEDURES
) if REFERENCE.is_dir() else []

# Test-only statements on the reference graphs (not graphsvc's model): one node label and
# one relationship type, the files' own labels and types kept as properties.
CREATE_NODES = "UNWIND $nodes AS n CREATE (:GdsReference {ref: n.id, labels: n.labels})"
CREATE_RELATIONSHIPS = """
UNWIND $relationships AS r
MATCH (s:GdsReference {ref: r.source}), (t:GdsReference {ref: r.target})
CREATE (s)-[rel:GDS_REFERENCE {type: r.type}]->(t)
SET rel.weight = r.weight
"""
PROJECT = """
MATCH (s:GdsReference)
WHERE any(l IN s.labels WHERE l IN $labels)
OPTIONAL MATCH (s)-[r:GDS_REFERENCE]->(t:GdsReference)
WHERE r.type IN $types AND any(l IN t.labels WHERE l IN $labels)
WITH s, t, r
WHERE t IS NOT NULL OR $isolated
WITH CASE WHEN $reverse AND t IS NOT NULL THEN t ELSE s END AS a,
     CASE WHEN $reverse THEN CASE WHEN t IS NULL THEN null ELSE s END ELSE t END AS b,
     r
WITH gds.graph.project($graph, a, b,
       {relationshipProperties: CASE WHEN b IS NULL THEN null ELSE {w: coalesce(r.weight, 1.0)} END},
       {undirectedRelationshipTypes: $undirected}) AS g
RETURN g.nodeCount AS nodes
"""


def _run(driver, statement: str, **params):
    records, _, keys = driver.execute_query(statement, params, database_=DATABASE[0])
    return [dict(zip(keys, r)) for r in records]


DATABASE: list[str] = ["neo4j"]


@pytest.fixture(scope="module")
def driver(neo4j_module_settings):
    s = neo4j_module_settings
    DATABASE[0] = s.neo4j_database
    with neo4j.GraphDatabase.driver(s.neo4j_uri, auth=(s.neo4j_user, s.neo4j_password.get_secret_value())) as d:
        yield d


def test_the_reference_examples_are_there():
    assert len(CASES) == 25, f"expected the 25 examples of {sorted(PROCEDURES)} in {REFERENCE}"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_gds_gives_the_published_result(driver, path):
    case = json.loads(path.read_text(encoding="utf-8"))
    projection = case["projection"]
    weight = projection.get("weight_property")
    nodes = [{"id": n["id"], "labels": n["labels"]} for n in case["nodes"]]
    rels = [{"source": r["source"], "target": r["target"], "type": r["type"],
             "weight": r["properties"].get(weight) if weight else None} for r in case["relationships"]]
    _run(driver, "MATCH (n:GdsReference) DETACH DELETE n")
    try:
        _run(driver, CREATE_NODES, nodes=nodes)
        _run(driver, CREATE_RELATIONSHIPS, relationships=rels)
        _run(driver, PROJECT, graph=path.stem, labels=projection["node_labels"],
             types=projection["relationship_types"], isolated=bool(projection.get("isolated_nodes_projected")),
             reverse=projection["orientation"] == "REVERSE",
             undirected=["*"] if projection["orientation"] == "UNDIRECTED" else [])
        config = dict(case["config"])
        if "relationshipWeightProperty" in config:
            config["relationshipWeightProperty"] = "w"
        if "sourceNodes" in config:
            config["sourceNodes"] = [r["id"] for r in _run(
                driver, "MATCH (n:GdsReference) WHERE n.ref IN $refs RETURN id(n) AS id", refs=config["sourceNodes"])]
        config.pop("includeIntermediateCommunities", None)
        partition = case["result_schema"]["kind"] == "node_partition"
        column = "communityId" if partition else "score"
        rows = _run(driver, f"CALL {PROCEDURES[case['algorithm']]}($graph, $config) YIELD nodeId, {column} "
                            f"RETURN gds.util.asNode(nodeId).ref AS node, {column} AS value",
                    graph=path.stem, config=config)
    finally:
        _run(driver, "CALL gds.graph.drop($graph, false) YIELD graphName RETURN graphName", graph=path.stem)
        _run(driver, "MATCH (n:GdsReference) DETACH DELETE n")
    got = {r["node"]: r["value"] for r in rows}
    node_column, value_column = case["result_schema"]["node_column"], case["result_schema"]["value_column"]
    expected = {row[node_column]: row[value_column] for row in case["expected"]}
    assert set(got) == set(expected)
    if partition:  # the same groups, whatever their numbers
        def groups(labels):
            out: dict = {}
            for node, label in labels.items():
                out.setdefault(label, set()).add(node)
            return sorted(sorted(g) for g in out.values())
        assert groups(got) == groups(expected)
    else:
        tolerance = case["tolerance"]["abs"]
        for node, value in expected.items():
            assert got[node] == pytest.approx(value, abs=tolerance), node
