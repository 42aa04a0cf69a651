"""The fast engine (igraph, scipy) gives networkx's numbers."""

from __future__ import annotations

import gc
import random

import networkx as nx
import numpy as np
import pytest

from graphsvc.analysis import _engine as engine


def florentine_plus() -> nx.Graph:
    """Florentine families with weights, a path of three, a pair and an isolate."""
    G = nx.florentine_families_graph()
    G.add_edges_from([("X", "Y"), ("Y", "Z"), ("P", "Q")])
    G.add_node("Alone")
    rng = random.Random(3)
    for u, v in G.edges():
        G[u][v]["weight"] = rng.choice([1, 2, 3])
    return G


def sparse_random() -> nx.Graph:
    G = nx.gnp_random_graph(300, 0.01, seed=4)
    for u, v in G.edges():
        G[u][v]["weight"] = random.Random(u * 1000 + v).randint(1, 4)
    return G


GRAPHS = {"florentine+": florentine_plus, "kite": nx.krackhardt_kite_graph, "gnp": sparse_random}


def both(fn):
    return fn("igraph"), fn("networkx")


@pytest.mark.parametrize("name", GRAPHS)
def test_engines_agree(name):
    G = GRAPHS[name]()
    ix = engine.indexed(G)
    sources = engine.sample_sources(G, 5, 7)
    checks = {
        "betweenness": lambda e: engine.betweenness(ix, engine=e),
        "betweenness sampled": lambda e: engine.betweenness(ix, sources=sources, engine=e),
        "betweenness sampled raw": lambda e: engine.betweenness(ix, sources=sources, normalized=False, engine=e),
        "closeness, harmonic": lambda e: np.concatenate(engine.path_measures(ix, engine=e)),
        "closeness, harmonic sampled": lambda e: np.concatenate(engine.path_measures(ix, sources=sources, engine=e)),
        "pagerank": lambda e: engine.pagerank(ix, engine=e),
        "eigenvector": lambda e: engine.eigenvector(ix, engine=e),
        "constraint": lambda e: engine.constraint(ix, engine=e),
        "effective size": lambda e: engine.effective_size(ix, engine=e),
    }
    for label, fn in checks.items():
        fast, slow = both(fn)
        np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-12, err_msg=label)


@pytest.mark.parametrize("name", GRAPHS)
def test_engine_matches_networkx_calls(name):
    """The networkx functions each engine function stands for."""
    G = GRAPHS[name]()
    ix = engine.indexed(G)
    order = list(G)

    def arr(d):
        return np.array([d[v] for v in order], float)

    cases = [
        (engine.betweenness(ix), nx.betweenness_centrality(G)),
        (engine.betweenness(ix, sources=engine.sample_sources(G, 7, 11)),
         nx.betweenness_centrality(G, k=7, seed=11)),
        (engine.betweenness(ix, sources=engine.sample_sources(G, 7, 11), normalized=False),
         nx.betweenness_centrality(G, k=7, seed=11, normalized=False)),
        (engine.path_measures(ix)[0], nx.closeness_centrality(G)),
        (engine.path_measures(ix)[1] * (len(G) - 1), nx.harmonic_centrality(G)),
        (engine.pagerank(ix), nx.pagerank(G, weight="weight")),
        (engine.eigenvector(ix), nx.eigenvector_centrality(G, weight="weight", max_iter=1000)),
        (engine.constraint(ix), nx.constraint(G, weight="weight")),
        (engine.effective_size(ix), nx.effective_size(G)),
    ]
    for got, want in cases:
        # unnormalised betweenness reaches ~1e4, where one ulp is ~2e-12: compare relatively too
        np.testing.assert_allclose(got, arr(want), rtol=1e-14, atol=1e-12)


def test_sampled_closeness_by_hand():
    """Path 0–1–2–3–4, a pair 5–6, source 0 only (n = 7).

    Node 2 is 2 from the source: estimated distance sum 2 · (5 − 1) = 8, closeness
    (4/8)(4/6) = 1/3, harmonic ½ · 4 / 6 = 1/3. The source itself is exact: distances
    1+2+3+4 = 10, closeness (4/10)(4/6) = 4/15, harmonic (1 + ½ + ⅓ + ¼)/6. The pair has
    no source, so it is exact: closeness (1/1)(1/6), harmonic 1/6.
    """
    G = nx.path_graph(5)
    G.add_edge(5, 6)
    closeness, harmonic = engine.path_measures(engine.indexed(G), sources=[0])
    assert closeness[2] == pytest.approx(1 / 3)
    assert harmonic[2] == pytest.approx(1 / 3)
    assert closeness[0] == pytest.approx(4 / 15)
    assert harmonic[0] == pytest.approx((1 + 1 / 2 + 1 / 3 + 1 / 4) / 6)
    assert closeness[5] == pytest.approx(1 / 6)
    assert harmonic[6] == pytest.approx(1 / 6)


def test_partition_is_reproducible_and_numbered_by_size():
    G = sparse_random()
    ix = engine.indexed(G)
    for e, method in (("igraph", "leiden"), ("igraph", "louvain"), ("networkx", "louvain")):
        a = engine.partition(ix, method=method, seed=5, engine=e)
        assert (a == engine.partition(ix, method=method, seed=5, engine=e)).all()
        sizes = np.bincount(a)
        assert (np.diff(sizes) <= 0).all()


@pytest.mark.parametrize("method", ["leiden", "louvain"])
def test_partition_finds_planted_cliques(method):
    # eight 6-cliques in a ring, each joined to the next by one tie: the best partition
    # at resolution 1 is the cliques themselves
    G = nx.ring_of_cliques(8, 6)
    ix = engine.indexed(G)
    labels = engine.partition(ix, method=method, seed=3)
    found = {frozenset(v for v, c in zip(ix.nodes, labels) if c == k) for k in range(labels.max() + 1)}
    assert found == {frozenset(range(6 * k, 6 * k + 6)) for k in range(8)}


def test_modularity_is_networkx_modularity():
    G = florentine_plus()
    ix = engine.indexed(G)
    labels = engine.partition(ix, seed=1)
    groups = [{v for v, c in zip(ix.nodes, labels) if c == k} for k in range(labels.max() + 1)]
    for resolution in (0.5, 1.0, 2.0):
        assert engine.modularity(ix, labels, resolution=resolution) == pytest.approx(
            nx.community.modularity(G, groups, weight="weight", resolution=resolution), abs=1e-12)


def test_indexed_is_cached_per_graph_and_notices_new_edges():
    G = nx.path_graph(4)
    first = engine.indexed(G)
    assert engine.indexed(G) is first
    G.add_edge(0, 3)
    again = engine.indexed(G)
    assert again is not first
    assert len(again.heads) == 4


def test_indexed_does_not_keep_the_graph_alive():
    G = nx.path_graph(4)
    ix = engine.indexed(G)
    del G
    gc.collect()
    assert ix.G is None


def test_directed_graphs_are_refused():
    with pytest.raises(nx.NetworkXNotImplemented, match="undirected"):
        engine.indexed(nx.DiGraph([(1, 2)]))


# --- the second process -------------------------------------------------------------


@pytest.fixture
def forking(monkeypatch):
    """Every computation large enough to go to a second process, on any machine."""
    monkeypatch.setattr(engine, "BACKGROUND_MIN_WORK", 0)
    monkeypatch.setattr(engine, "_can_fork", lambda: engine._processes > 1 and hasattr(engine.os, "fork"))
    engine.set_processes(2)
    yield
    engine.set_processes(2)


def _sampled(seed: int = 3):
    G = nx.connected_watts_strogatz_graph(400, 6, 0.2, seed=seed)
    return G, engine.indexed(G), engine.sample_sources(G, 50, seed)


def test_betweenness_in_a_second_process_is_the_same(forking):
    G, ix, sources = _sampled()
    pending = engine.start_betweenness(ix, sources=sources)
    assert pending._cancel is not None  # a child is computing it
    there = pending.result()
    engine.set_processes(1)
    here = engine.start_betweenness(ix, sources=sources)
    assert here._cancel is None  # computed in this process
    assert np.array_equal(there, here.result())
    want = nx.betweenness_centrality(G, k=50, seed=3)
    assert np.allclose(there, [want[v] for v in G], rtol=0, atol=1e-12)


def test_a_child_that_fails_is_replaced_by_this_process(forking):
    parent = engine.os.getpid()

    def compute():
        if engine.os.getpid() != parent:
            raise RuntimeError("the child fails")
        return np.arange(5.0)

    assert engine.in_background(compute, 5, work=1).result().tolist() == [0, 1, 2, 3, 4]
    # a child that sends the wrong number of values is not believed either
    wrong = engine.in_background(lambda: np.arange(3.0 if engine.os.getpid() != parent else 5.0), 5, work=1)
    assert wrong.result().tolist() == [0, 1, 2, 3, 4]


def test_a_cancelled_child_is_reaped(forking):
    import time

    pending = engine.in_background(lambda: (time.sleep(30), np.zeros(1))[1], 1, work=1)
    started = time.perf_counter()
    pending.cancel()
    assert time.perf_counter() - started < 5
    pending.cancel()  # twice is harmless


def test_igraph_is_imported_without_matplotlib_in_one_thread():
    import subprocess
    import sys

    code = ("import sys; from graphsvc.analysis._engine import import_igraph; ig = import_igraph(); "
            "print('matplotlib' in sys.modules, ig.Graph.Famous('Zachary').vcount()); "
            "import matplotlib; print(matplotlib.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "34", "matplotlib"]
