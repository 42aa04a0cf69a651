"""The analyses inside Neo4j with Graph Data Science (OpenGDS 2.13, loaded by the test
Neo4j from Maven Central) agree with the in-process path on the demo region."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from graphsvc.analysis import CentralityResult, CommunitiesResult, centrality, communities
from graphsvc.analysis.projection import organisation_graph, read_graph_data
from graphsvc.demo import generate
from graphsvc.params import AnalysisParams
from graphsvc.settings import Settings
from graphsvc.store import open_store
from graphsvc.store.gds import GdsAnalysis, gds_version

pytestmark = pytest.mark.neo4j

EXACT = AnalysisParams(betweenness_exact_max_nodes=100_000)  # every measure exact
# GDS finds communities with Louvain: compare with the in-process Louvain (Leiden by default)
LOUVAIN = EXACT.model_copy(update={"community_method": "louvain"})


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
    here_q = communities(G, params=LOUVAIN).summary()["modularity"]
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


# --- the service routes centrality and Louvain to GDS -------------------------------------

def _service(demo, neo4j_module_settings, **update):
    from graphsvc.service import Service

    store, _ = demo
    return Service(store, neo4j_module_settings.model_copy(update=update))


def _agree(here, there, measure):
    """The two tables' ``measure``, aligned on the first's organisations."""
    return here[measure].to_numpy(float), there.loc[here.index, measure].to_numpy(float)


def test_the_service_computes_in_gds_above_the_threshold(demo, neo4j_module_settings):
    _, G = demo
    service = _service(demo, neo4j_module_settings, gds_min_organisations=0, analysis=EXACT)
    result = service.centrality(scope="all")
    computed_in = result.summary()["computed_in"]
    assert computed_in["engine"] == "neo4j-gds" and computed_in["gds_version"] == "2.13.9"
    assert computed_in["gds"] == ["degree", "weighted_degree", "betweenness", "closeness", "harmonic", "pagerank"]
    assert computed_in["betweenness"] == "exact in GDS"
    assert computed_in["eigenvector"].startswith("in process: GDS's weighted eigenvector is another measure")
    assert result.provenance()["analysis"] == "CentralityResult"
    assert (result.betweenness_method, result.sources, result.closeness_sources) == ("exact", len(G), len(G))
    here = centrality(G, params=EXACT, municipalities=service.data().municipalities, scope="all").table
    there = result.table
    assert list(there.columns) == list(here.columns) and set(there.index) == set(here.index)
    for measure in ("degree", "weighted_degree", "betweenness", "closeness", "harmonic"):
        a, b = _agree(here, there, measure)
        np.testing.assert_allclose(b, a, rtol=0, atol=1e-6, err_msg=measure)
    for measure in ("eigenvector", "constraint", "effective_size", "municipalities_reached"):  # in process
        a, b = _agree(here, there, measure)
        np.testing.assert_allclose(b, a, rtol=0, atol=1e-12, err_msg=measure)
    a, b = _agree(here, there, "pagerank")  # GDS to 1e-10, the in-process default stops earlier
    assert np.abs(a - b).max() < 1e-4
    assert (there.loc[here.index, ["name", "municipality"]] == here[["name", "municipality"]]).all().all()

    # the region's organisations (on the demo: all of them), ranked among themselves
    region = service.centrality().table
    expected = centrality(G, params=EXACT, scope="region").table
    assert set(region.index) == set(expected.index)
    assert region["rank"].tolist() == list(range(1, len(region) + 1))
    assert region["betweenness"].is_monotonic_decreasing
    for _, group in region.groupby("municipality_code"):
        assert sorted(group["rank_in_municipality"]) == list(range(1, len(group) + 1))
        assert group.sort_values("rank")["rank_in_municipality"].is_monotonic_increasing

    # Louvain in GDS: modularity within 1% of the in-process Louvain's
    found = service.communities(scope="all")
    assert found.summary()["computed_in"]["gds"] == ["louvain"]
    assert found.modularity == pytest.approx(communities(G, params=LOUVAIN).modularity, rel=0.01)
    groups: dict[int, set[str]] = {}
    for org, community in found.membership.items():
        groups.setdefault(community, set()).add(org)
    assert found.modularity == pytest.approx(nx.community.modularity(G, groups.values(), weight="weight"), abs=1e-9)
    assert found.table["size"].sum() == len(G) and found.table["size"].is_monotonic_decreasing

    # a year window, or another Louvain resolution, stays in process
    assert "computed_in" not in service.centrality((2018, 2022)).summary()
    assert "computed_in" not in service.communities(resolution=2.0).summary()


def test_the_service_samples_betweenness_in_gds_like_in_process(demo, neo4j_module_settings):
    _, G = demo
    params = AnalysisParams()  # betweenness sampled on the demo's 1,500 organisations
    service = _service(demo, neo4j_module_settings, gds_min_organisations=0)
    result = service.centrality(scope="all")
    assert (result.betweenness_method, result.sources, result.closeness_sources) == ("sampled", 256, len(G))
    assert result.summary()["computed_in"]["betweenness"] == (
        "sampled in GDS from 256 sources with seed 2026 (GDS's sampler: other sources than the in-process sample)")
    here = centrality(G, params=params, scope="all")
    assert here.betweenness_method == "sampled"
    a, b = _agree(here.table, result.table, "betweenness")
    assert spearmanr(a, b).correlation >= 0.95


def test_the_service_stays_in_process_below_the_threshold(demo, neo4j_module_settings):
    _, G = demo
    service = _service(demo, neo4j_module_settings)
    assert service.settings.gds_min_organisations == 1_000_000 > len(G)
    result = service.centrality(scope="all")
    assert type(result) is CentralityResult and "computed_in" not in result.summary()
    here = centrality(G, params=AnalysisParams(), municipalities=service.data().municipalities, scope="all")
    pd.testing.assert_frame_equal(result.table, here.table)
    found = service.communities()
    assert type(found) is CommunitiesResult and "computed_in" not in found.summary()
