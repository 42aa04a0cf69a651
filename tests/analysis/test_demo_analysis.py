"""The demo region shows what the analyses are for: isolated small actors and lacking
municipality pairs, each with its reasons."""

from __future__ import annotations

import pytest

from graphsvc.analysis import (
    AnalysisParams,
    centrality,
    communities,
    graph_data_from_records,
    isolated_actors,
    municipality_gaps,
    organisation_graph,
)
from graphsvc.demo import NO_TIE_PAIRS, generate


@pytest.fixture(scope="module")
def demo():
    data = graph_data_from_records(generate("demo"))
    return data, organisation_graph(data)


def test_isolated_small_actor_with_reasons(demo):
    data, G = demo
    r = isolated_actors(G, params=AnalysisParams(lang="en"), municipalities=data.municipalities)
    first = r.table.iloc[0]
    assert first["size"] == "small"
    assert first["category"] == "no_ties"
    assert first["reasons"][0] == "no shared project or declared collaboration"
    assert len(first["nearest_well_connected"]) == 3
    only_local = r.table[r.table["category"] == "only_local"].iloc[0]
    assert "same municipality" in only_local["reasons"][0] or "are in" in only_local["reasons"][0]
    assert set(r.table["category"]) == {"no_ties", "only_local", "few_ties"}


def test_gap_states_with_reasons(demo):
    """The demo's ties follow a gravity model with distance, so the null fits it and few
    pairs may be called lacking (at most a third); the planted pairs without any shared
    project are never "ok"."""
    data, G = demo
    r = municipality_gaps(G, data.municipalities, params=AnalysisParams(lang="en", bootstrap_replicates=199))
    s = r.summary()
    assert s["pairs_lacking"] + s["pairs_ok"] + s["pairs_too_little_data"] == 171
    assert s["pairs_lacking"] <= 171 // 3
    top = r.pairs.iloc[0]
    assert top["observed"] < top["expected"]
    assert top["reasons"][0].startswith(f"{top['name_a']} and {top['name_b']} have {top['observed']} ")
    no_ties = {tuple(sorted(p)) for p in r.no_ties[["code_a", "code_b"]].values.tolist()}
    assert {tuple(sorted(p)) for p in NO_TIE_PAIRS} <= no_ties
    assert set(r.no_ties["state"]) <= {"lacking", "too_little_data"}


def test_same_seed_same_numbers(demo):
    _, G = demo
    params = AnalysisParams(betweenness_exact_max_nodes=100)  # sampled on the demo
    a, b = centrality(G, params=params), centrality(G, params=params)
    assert a.betweenness_method == "sampled"
    assert a.table.equals(b.table)
    assert communities(G, seed=4).membership == communities(G, seed=4).membership
