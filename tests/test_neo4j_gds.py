"""The analyses inside Neo4j with Graph Data Science (OpenGDS 2.13, loaded by the test
Neo4j from Maven Central) agree with the in-process path on the demo region."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from scipy.stats import spearmanr

from graphsvc.analysis import centrality, communities
from graphsvc.analysis.projection import organisation_graph, read_graph_data
from graphsvc.demo import generate
from graphsvc.params import AnalysisParams
from graphsvc.settings import Settings
from graphsvc.store import open_store
from graphsvc.store.gds import GdsAnalysis, gds_version

pytestmark = pytest.mark.neo4j

EXACT = AnalysisParams(betweenness_exact_max_nodes=100_000)  # every measure exact


@pytest.fixture(scope="module")
def demo(neo4j_module_settings):
    store = open_store(neo4j_module_settings)
    store.write(generate("demo"))
    G = organisation_graph(read_graph_data(store))
    yield store, G
    store.close()


@pytest.fixture(scope="module")
def exact(demo):
    store, _ = demo
    return GdsAnalysis(store.backend, EXACT).run()


def _column(table, result, measure):
    return table[measure].to_numpy(float), np.array([result.measures[measure][i] for i in table.index])


def test_gds_is_detected(demo):
    store, _ = demo
    assert gds_version(store.backend) == "2.13.9"
    lb = open_store(Settings(in_memory=True))
    try:
        assert gds_version(lb.backend) is None
    finally:
        lb.close()


def test_exact_measures_agree_with_the_in_process_path(demo, exact):
    _, G = demo
    result = exact
    assert (result.nodes, result.relationships) == (G.number_of_nodes(), G.number_of_edges())
    assert result.betweenness_method == "exact"
    table = centrality(G, params=EXACT, scope="all").table
    assert set(table.index) == set(result.measures["degree"])
    for measure in ("degree", "weighted_degree", "betweenness", "closeness", "harmonic"):
        here, there = _column(table, result, measure)
        np.testing.assert_allclose(there, here, rtol=0, atol=1e-6, err_msg=measure)
    assert table["betweenness"].max() > 0.01  # not all zero
    # PageRank: the same fixed point as networkx's, which GDS reaches to 1e-10; the
    # in-process default stops earlier (networkx's tolerance, n * 1e-6 on the L1 change)
    reference = nx.pagerank(G, alpha=EXACT.pagerank_alpha, weight="weight", max_iter=10_000, tol=1e-13)
    worst = max(abs(reference[k] - v) for k, v in result.measures["pagerank"].items())
    assert worst < 1e-6
    here, there = _column(table, result, "pagerank")
    assert np.abs(here - there).max() < 1e-4


def test_louvain_modularity_within_one_percent(demo, exact):
    _, G = demo
    result = exact
    groups: dict[int, set[str]] = {}
    for org, community in result.communities.items():
        groups.setdefault(community, set()).add(org)
    gds_q = nx.community.modularity(G, groups.values(), weight="weight")
    here_q = communities(G, params=EXACT).summary()["modularity"]
    assert gds_q == pytest.approx(here_q, rel=0.01)
    assert here_q > 0.5


def test_sampled_betweenness_ranks_alike(demo):
    store, G = demo
    params = AnalysisParams()  # the defaults sample betweenness on the demo's 1,500 organisations
    assert G.number_of_nodes() > params.betweenness_exact_max_nodes
    result = GdsAnalysis(store.backend, params).run()
    assert result.betweenness_method == "sampled"
    here_result = centrality(G, params=params, scope="all")
    assert here_result.betweenness_method == "sampled"
    table = here_result.table
    here, there = _column(table, result, "betweenness")
    assert spearmanr(here, there).correlation >= 0.95
