"""Communities: sizes, the municipalities each spans, reproducibility."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

from graphsvc.analysis.communities import communities
from graphsvc.analysis.params import AnalysisParams


def three_groups() -> nx.Graph:
    """Cliques of 6 (Aarhus 4, Lemvig 2), 5 (Odder) and 4 (Samsø), joined by single ties,
    and one organisation without ties."""
    G = nx.Graph()
    groups = [["751"] * 4 + ["665"] * 2, ["727"] * 5, ["741"] * 4]
    k = 0
    for codes in groups:
        members = []
        for code in codes:
            G.add_node(f"o{k}", municipality_code=code, kind="kor" if k % 2 else "museum", name=f"Org {k}")
            members.append(f"o{k}")
            k += 1
        G.add_edges_from(itertools.combinations(members, 2), weight=1.0)
    G.add_edge("o0", "o6", weight=1.0)
    G.add_edge("o6", "o11", weight=1.0)
    G.add_node("alone", municipality_code="751", kind="kor", name="Alene")
    return G


@pytest.mark.parametrize("eng", ["igraph", "networkx"])
def test_table(eng):
    r = communities(three_groups(), seed=3, params=AnalysisParams(engine=eng))
    t = r.table
    assert list(t["size"]) == [6, 5, 4, 1]
    assert t.loc[0, "municipality_codes"] == ["751", "665"]
    assert t.loc[0, "municipalities"] == ["Aarhus", "Lemvig"]
    assert t.loc[0, "largest_municipality_share"] == pytest.approx(4 / 6)
    assert t.loc[0, "ties_inside"] == 15
    assert t.loc[1, "municipalities"] == ["Odder"]
    assert t.loc[0, "largest_organisations"][0] == "Org 0"  # 6 partners
    assert r.membership["alone"] == 3
    assert r.summary()["communities_of_two_or_more"] == 3
    groups = [{v for v, c in r.membership.items() if c == k} for k in range(4)]
    assert r.modularity == pytest.approx(nx.community.modularity(three_groups(), groups, weight="weight"))


def test_seed_and_resolution_are_recorded_and_reproducible():
    G = nx.les_miserables_graph()
    a = communities(G, seed=7, resolution=1.5)
    b = communities(G, seed=7, resolution=1.5)
    assert a.membership == b.membership
    assert (a.params.seed, a.params.community_resolution) == (7, 1.5)
    fewer = communities(G, seed=7, resolution=0.5)
    assert len(fewer.table) < len(a.table)
    assert list(a.tables()) == ["communities", "membership"]
    assert a.tables()["membership"].loc["Valjean", "community"] == a.membership["Valjean"]
