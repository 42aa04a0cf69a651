"""Cross-municipal gaps: the formulas on small graphs computed by hand."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest

from graphsvc.analysis.gaps import municipality_gaps
from graphsvc.analysis.params import AnalysisParams

MUNIS = [{"code": "100", "name": "Xby"}, {"code": "200", "name": "Yby"}, {"code": "300", "name": "Zby"}]


def small() -> nx.Graph:
    """X: x1 x2 x3, Y: y1 y2, Z: z1; o1 outside the three, u1 without a municipality.

    Ties: x1–x2, x2–x3 (inside X), x1–y1 (X–Y), y1–y2 (inside Y), o1–x1 and u1–z1 (not
    counted: one end is not in the three)."""
    G = nx.Graph([("x1", "x2"), ("x2", "x3"), ("x1", "y1"), ("y1", "y2"), ("o1", "x1"), ("u1", "z1")])
    codes = {"x1": "100", "x2": "100", "x3": "100", "y1": "200", "y2": "200", "z1": "300",
             "o1": "999", "u1": None}
    nx.set_node_attributes(G, codes, "municipality_code")
    return G


def test_observed_and_organisations_null_model():
    """E = 4 counted ties, N = 6 organisations, 15 pairs of organisations.
    expected(X, Y) = 4·3·2/15 = 1.6, (X, Z) = 0.8, (Y, Z) = 8/15, (X, X) = 4·3/15 = 0.8,
    (Y, Y) = 4/15, (Z, Z) = 0; they sum to E."""
    r = municipality_gaps(small(), MUNIS, params=AnalysisParams(permutations=0))
    assert r.observed.to_numpy().tolist() == [[2, 1, 0], [1, 1, 0], [0, 0, 0]]
    e = r.expected
    assert e.loc["100", "200"] == pytest.approx(1.6)
    assert e.loc["100", "300"] == pytest.approx(0.8)
    assert e.loc["200", "300"] == pytest.approx(8 / 15)
    assert e.loc["100", "100"] == pytest.approx(0.8)
    assert e.loc["200", "200"] == pytest.approx(4 / 15)
    assert e.loc["300", "300"] == 0
    assert np.triu(e.to_numpy()).sum() == pytest.approx(4)
    assert r.ratio.loc["100", "200"] == pytest.approx(1 / 1.6)
    assert r.residual.loc["100", "200"] == pytest.approx((1 - 1.6) / math.sqrt(1.6))
    assert math.isnan(r.ratio.loc["300", "300"])
    assert (r.organisations_counted, r.organisations_excluded) == (6, 2)


def test_degree_null_model():
    """Degrees within the counted ties: x1 2, x2 2, x3 1, y1 2, y2 1, z1 0, so D_X = 5,
    D_Y = 3, 2E = 8: expected(X, Y) = 15/8, (X, X) = 25/16, (Y, Y) = 9/16."""
    r = municipality_gaps(small(), MUNIS, params=AnalysisParams(permutations=0, null_model="degree"))
    assert r.expected.loc["100", "200"] == pytest.approx(15 / 8)
    assert r.expected.loc["100", "100"] == pytest.approx(25 / 16)
    assert r.expected.loc["200", "200"] == pytest.approx(9 / 16)
    assert r.expected.loc["100", "300"] == 0


def test_ei_index_and_shares():
    """E-I: X (1 − 2)/3 = −1/3, Y (1 − 1)/2 = 0, Z no ties; the network (4 − 2·3)/4 = −½.
    With a partner in another municipality: x1 (y1, and o1 in 999) of X's three; y1 of
    Y's two; z1's only partner has no municipality."""
    r = municipality_gaps(small(), MUNIS, params=AnalysisParams(permutations=0))
    ei = r.ei
    assert ei.loc["100", "ei"] == pytest.approx(-1 / 3)
    assert ei.loc["200", "ei"] == 0
    assert math.isnan(ei.loc["300", "ei"])
    assert r.ei_network["ei"] == pytest.approx(-0.5)
    assert ei["share_with_outside_tie"].tolist() == pytest.approx([1 / 3, 1 / 2, 0])
    assert ei["share_with_ties"].tolist() == [1.0, 1.0, 1.0]
    assert ei[["internal_ties", "external_ties", "organisations"]].to_numpy().tolist() == \
        [[2, 1, 3], [1, 1, 2], [0, 0, 1]]


def exact_ei_distribution(G):
    """Every distinct assignment of the six labels: the exact permutation distribution."""
    nodes = ["x1", "x2", "x3", "y1", "y2", "z1"]
    labels = ["100", "100", "100", "200", "200", "300"]
    edges = [(u, v) for u, v in G.edges() if u in nodes and v in nodes]
    out = []
    for perm in set(itertools.permutations(labels)):
        lab = dict(zip(nodes, perm))
        inside = sum(lab[u] == lab[v] == "100" for u, v in edges)
        outside = sum((lab[u] == "100") != (lab[v] == "100") for u, v in edges)
        out.append((outside - inside) / (outside + inside) if outside + inside else math.nan)
    return np.array(out)


def test_permutation_test_against_exact_distribution():
    """X's E-I is −1/3; over the 60 distinct relabellings the exact one-sided p-value is
    the share at or below −1/3. 999 seeded permutations estimate it within 0.05, the same
    numbers for the same seed."""
    G = small()
    dist = exact_ei_distribution(G)
    exact_p = np.mean(dist[~np.isnan(dist)] <= -1 / 3 + 1e-12) * np.mean(~np.isnan(dist))
    r = municipality_gaps(G, MUNIS, params=AnalysisParams(permutations=999), seed=11)
    assert r.ei.loc["100", "p_value"] == pytest.approx(exact_p, abs=0.05)
    assert r.ei.loc["100", "ei_expected"] == pytest.approx(np.nanmean(dist), abs=0.05)
    again = municipality_gaps(G, MUNIS, params=AnalysisParams(permutations=999), seed=11)
    assert again.ei["p_value"].equals(r.ei["p_value"])
    assert r.params.seed == 11
    assert math.isnan(r.ei.loc["300", "p_value"])


def two_cliques() -> nx.Graph:
    """Aby and Bby, ten organisations each, all tied inside; one tie across, A0–B0."""
    G = nx.Graph()
    for side, code in (("A", "100"), ("B", "200")):
        members = [f"{side}{k}" for k in range(10)]
        G.add_nodes_from(members, municipality_code=code)
        G.add_edges_from(itertools.combinations(members, 2))
    G.add_edge("A0", "B0")
    for v in G:
        G.nodes[v]["name"] = v.lower()
    return G


MUNIS_AB = [{"code": "100", "name": "Aby", "lat": 56.0, "lon": 9.0},
            {"code": "200", "name": "Bby", "lat": 56.0, "lon": 10.0}]


def test_lacking_pair_with_reasons():
    """E = 91, N = 20, 190 pairs: expected across 91·100/190 = 47.89, residual
    (1 − 47.89)/√47.89 = −6.78. One degree of longitude at 56° N is 62 km."""
    r = municipality_gaps(two_cliques(), MUNIS_AB, params=AnalysisParams(permutations=0, lang="en"))
    row = r.pairs.iloc[0]
    assert (row["code_a"], row["code_b"], row["observed"]) == ("100", "200", 1)
    assert row["expected"] == pytest.approx(91 * 100 / 190)
    assert row["residual"] == pytest.approx((1 - 91 * 100 / 190) / math.sqrt(91 * 100 / 190))
    assert row["lacking"]
    assert row["km"] == pytest.approx(62.2, abs=0.1)
    assert row["reasons"] == [
        "Aby and Bby share 1 tie where 47.9 were expected",
        "expected from their 10 and 10 organisations",
        "2% of what was expected (standardised residual -6.8)",
        "the ties there are run through a0 and b0",
        "62 km between the municipalities' centres",
        "Aby keeps 98% of its ties inside the municipality",
        "Bby keeps 98% of its ties inside the municipality",
    ]
    assert list(r.lacking().index) == [0]
    da = municipality_gaps(two_cliques(), MUNIS_AB, params=AnalysisParams(permutations=0, lang="da"))
    assert da.pairs.iloc[0]["reasons"][:3] == [
        "Aby og Bby har 1 bånd, hvor 47,9 var forventet",
        "forventet ud fra deres 10 og 10 organisationer",
        "2 % af det forventede (standardiseret residual -6,8)",
    ]


def test_pairs_without_ties_and_order():
    r = municipality_gaps(small(), MUNIS, params=AnalysisParams(permutations=0, lang="en"))
    assert r.no_ties[["code_a", "code_b"]].values.tolist() == [["100", "300"], ["200", "300"]]
    assert r.no_ties.iloc[0]["reasons"][2] == "no shared project or declared collaboration at all"
    assert list(r.pairs["residual"]) == sorted(r.pairs["residual"])
    # X–Z and Y–Z expected 0.8 and 0.53 ties (below gap_min_expected 1); X–Y residual −0.47
    assert not r.pairs["lacking"].any()


def test_tables_and_provenance():
    G = small()
    G.graph.update(data_version=4, years=(2020, 2022))
    r = municipality_gaps(G, MUNIS, params=AnalysisParams(permutations=9))
    assert (r.data_version, r.years) == (4, (2020, 2022))
    assert list(r.tables()) == ["pairs", "ei", "observed", "expected", "ratio", "residual", "no_ties"]
    assert r.to_dict()["summary"]["pairs_without_ties"] == 2


def test_region_default_has_19_municipalities():
    G = nx.Graph([("a", "b")])
    nx.set_node_attributes(G, {"a": "751", "b": "665"}, "municipality_code")
    r = municipality_gaps(G, params=AnalysisParams(permutations=0))
    assert r.observed.shape == (19, 19)
    assert r.observed.loc["665", "751"] == 1
