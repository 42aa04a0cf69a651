"""Centrality: sampling, rankings, brokerage between municipalities."""

from __future__ import annotations

import itertools
import json
import math
import random

import networkx as nx
import pytest

from graphsvc.analysis._results import dumps
from graphsvc.analysis.brokerage import municipal_reach, only_bridges
from graphsvc.analysis.centrality import centrality
from graphsvc.analysis.params import AnalysisParams


def coded_graph(n=40, p=0.08, codes=("1", "2", "3", "4"), seed=1) -> nx.Graph:
    G = nx.gnp_random_graph(n, p, seed=seed)
    rng = random.Random(seed)
    for v in G:
        G.nodes[v].update(municipality_code=rng.choice(codes), kind=rng.choice(["kor", "museum"]),
                          name=f"Org {v}")
    return G


@pytest.mark.parametrize("eng", ["igraph", "networkx"])
def test_sampled_betweenness_is_networkx_sampled_betweenness(eng):
    """Above the exact size, betweenness is nx.betweenness_centrality(G, k, seed=seed)."""
    G = coded_graph(200, 0.03)
    params = AnalysisParams(betweenness_exact_max_nodes=50, betweenness_samples=20, engine=eng)
    r = centrality(G, params=params, seed=9)
    assert (r.betweenness_method, r.sources, r.params.seed) == ("sampled", 20, 9)
    want = nx.betweenness_centrality(G, k=20, seed=9)
    for v, value in want.items():
        assert r.table.loc[v, "betweenness"] == pytest.approx(value, abs=1e-12)
    again = centrality(G, params=params, seed=9)
    assert again.table.equals(r.table)
    other = centrality(G, params=params, seed=10)
    assert not other.table["betweenness"].equals(r.table["betweenness"])


def test_exact_below_the_size():
    G = coded_graph()
    r = centrality(G, params=AnalysisParams(betweenness_exact_max_nodes=40))
    assert (r.betweenness_method, r.sources, r.closeness_sources) == ("exact", 40, 40)
    want = nx.betweenness_centrality(G)
    assert r.table["betweenness"].to_dict() == pytest.approx(want, abs=1e-12)
    assert r.table["closeness"].to_dict() == pytest.approx(nx.closeness_centrality(G), abs=1e-12)


def test_rankings():
    G = coded_graph()
    r = centrality(G, params=AnalysisParams(rank_by="degree", top_per_group=3))
    t = r.table
    assert list(t["rank"]) == list(range(1, 41))
    assert list(t["degree"]) == sorted(t["degree"], reverse=True)
    for code, group in t.groupby("municipality_code"):
        ordered = group.sort_values("rank_in_municipality")
        assert list(ordered["rank_in_municipality"]) == list(range(1, len(group) + 1))
        assert list(ordered["degree"]) == sorted(group["degree"], reverse=True)
        assert list(r.ranking(municipality=code).index) == list(ordered.index)
    assert list(r.ranking("constraint")["constraint"].dropna()) == sorted(t["constraint"].dropna())
    assert set(r.ranking(kind="kor")["kind"]) == {"kor"}
    tables = r.tables()
    assert (tables["top_by_municipality"]["rank_in_municipality"] <= 3).all()
    assert len(tables["top_by_kind"]) == 6
    with pytest.raises(ValueError, match="unknown measure 'fame'"):
        r.ranking("fame")


def linked(G: nx.Graph, x: str, y: str) -> bool:
    """The definition in graphsvc.analysis.brokerage, directly: a tie between X and Y,
    or an organisation in neither with partners in both."""
    code = nx.get_node_attributes(G, "municipality_code")
    for u, v in G.edges():
        if {code[u], code[v]} == {x, y}:
            return True
    for w in G:
        if code[w] not in (x, y):
            reached = {code[p] for p in G[w]}
            if x in reached and y in reached:
                return True
    return False


@pytest.mark.parametrize("seed", range(6))
def test_only_bridges_by_brute_force(seed):
    """Remove each organisation in turn: it is the only bridge between X and Y when they
    were linked and no longer are."""
    G = coded_graph(30, 0.07, seed=seed)
    codes = sorted({d for _, d in G.nodes(data="municipality_code")})
    want = {}
    for v in G:
        H = G.copy()
        H.remove_node(v)
        pairs = [(x, y) for x, y in itertools.combinations(codes, 2) if linked(G, x, y) and not linked(H, x, y)]
        if pairs:
            want[v] = pairs
    assert only_bridges(G) == want
    table = centrality(G).table
    for v in G:
        assert table.loc[v, "only_bridge_between"] == want.get(v, [])


def test_reach():
    G = nx.Graph([("a", "b"), ("a", "c"), ("a", "d"), ("b", "c")])
    nx.set_node_attributes(G, {"a": "751", "b": "665", "c": "751", "d": None}, "municipality_code")
    # d has no municipality of its own: every partner's municipality counts
    assert municipal_reach(G) == {"a": ["665"], "b": ["751"], "c": ["665"], "d": ["751"]}
    t = centrality(G).table
    assert t.loc["a", "municipalities_reached"] == 1
    assert t.loc["a", "reached_municipalities"] == ["665"]
    assert t.loc["a", "municipality"] == "Aarhus"


def test_isolated_organisations_and_json():
    G = coded_graph()
    G.add_node("alone", municipality_code="1", name="Ensom Forening æøå")
    r = centrality(G)
    row = r.table.loc["alone"]
    assert (row["degree"], row["betweenness"], row["closeness"], row["harmonic"]) == (0, 0, 0, 0)
    assert math.isnan(row["constraint"]) and math.isnan(row["effective_size"])
    payload = json.loads(dumps(r))
    assert payload["summary"]["betweenness_method"] == "exact"
    rows = {x["id"]: x for x in payload["tables"]["centrality"]}
    assert rows["alone"]["constraint"] is None
    assert rows["alone"]["name"] == "Ensom Forening æøå"
    assert "æøå" in dumps(r)


def test_empty_graph():
    r = centrality(nx.Graph())
    assert r.table.empty
    assert r.notes and "eigenvector" in r.notes[0]


def test_directed_graph_refused():
    with pytest.raises(nx.NetworkXNotImplemented):
        centrality(nx.DiGraph([(1, 2)]))
