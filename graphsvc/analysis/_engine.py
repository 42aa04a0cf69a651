"""The measures that are slow in pure networkx, computed by igraph or scipy.

networkx graphs stay the interface: ``indexed(G)`` turns one into arrays once, and each
function here returns the same numbers as the networkx function it stands for (the
tests check it on networkx's reference graphs and the Neo4j GDS examples), in the order
of ``list(G)``. ``engine="networkx"`` runs the networkx function instead.

Measured on the M benchmark graph (20,000 organisations, 224,514 ties) on this project's
2-core machine: centrality with 256 sampled sources takes 74 s in networkx and 3.6 s here,
Louvain 8 s and 1 s (``bench/bench_analysis.py``).
"""

from __future__ import annotations

import functools
import gc
import random
import threading
import weakref
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

__all__ = [
    "gc_paused",
    "without_gc",
    "Indexed",
    "indexed",
    "remember_arrays",
    "sample_sources",
    "betweenness",
    "path_measures",
    "pagerank",
    "eigenvector",
    "constraint",
    "effective_size",
    "partition",
    "modularity",
]


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building many small objects: with it on,
    building the M graph (300,000 ties) took three times as long (measured)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def without_gc(f):
    """Run ``f`` with the cyclic garbage collector paused (see ``gc_paused``): the
    analyses build many small objects and make no reference cycles."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        with gc_paused():
            return f(*args, **kwargs)

    return wrapper


@dataclass(frozen=True, eq=False)
class Indexed:
    """A networkx graph as arrays: node ``i`` is ``nodes[i]`` (the order of ``list(G)``),
    edge ``e`` joins ``heads[e]`` and ``tails[e]`` with weight ``weights[e]``."""

    graph: weakref.ref  # the cache holds Indexed by graph: a strong reference would keep it alive
    nodes: list
    heads: np.ndarray
    tails: np.ndarray
    weights: np.ndarray

    @property
    def G(self) -> nx.Graph:
        return self.graph()

    @property
    def n(self) -> int:
        return len(self.nodes)

    @cached_property
    def index(self) -> dict:
        return {v: i for i, v in enumerate(self.nodes)}

    @cached_property
    def adjacency(self) -> sp.csr_array:
        """Symmetric weighted adjacency matrix."""
        n = self.n
        rows = np.concatenate([self.heads, self.tails])
        cols = np.concatenate([self.tails, self.heads])
        data = np.concatenate([self.weights, self.weights])
        return sp.csr_array((data, (rows, cols)), shape=(n, n))

    @cached_property
    def _structure(self) -> sp.csr_array:
        A = self.adjacency.tocsr()
        A.sort_indices()
        return A

    def neighbours(self, i: int) -> np.ndarray:
        """The indices of node ``i``'s partners, ascending."""
        A = self._structure
        return A.indices[A.indptr[i]:A.indptr[i + 1]]

    def count_neighbours(self, mask: np.ndarray) -> np.ndarray:
        """For every node, how many of its partners ``mask`` (a boolean array in node order) holds."""
        A = self._structure
        ones = sp.csr_array((np.ones(len(A.indices)), A.indices, A.indptr), shape=A.shape)
        return np.rint(ones @ np.asarray(mask, float)).astype(np.int64)

    @cached_property
    def degree(self) -> np.ndarray:
        return np.bincount(np.concatenate([self.heads, self.tails]), minlength=self.n)

    @cached_property
    def strength(self) -> np.ndarray:
        w = np.concatenate([self.weights, self.weights])
        return np.bincount(np.concatenate([self.heads, self.tails]), weights=w, minlength=self.n)

    @cached_property
    def components(self) -> np.ndarray:
        """Component label of every node."""
        return csgraph.connected_components(self.adjacency, directed=False)[1]

    @cached_property
    def memo(self) -> dict:
        """Results derived from the arrays alone, shared by the analyses of one graph."""
        return {}

    @cached_property
    def to_igraph(self) -> np.ndarray:
        """igraph vertex of each node: the nodes in reverse Cuthill–McKee order, so that
        partners sit close in memory (betweenness from 256 sources on M: 25% faster,
        measured; the numbers do not change)."""
        if self.n == 0:
            return np.zeros(0, np.int64)
        order = csgraph.reverse_cuthill_mckee(self.adjacency.tocsr(), symmetric_mode=True)
        position = np.empty(self.n, np.int64)
        position[order] = np.arange(self.n)
        return position

    @cached_property
    def igraph(self):
        """The graph in igraph, vertices numbered by ``to_igraph``, edge attribute ``weight``."""
        import igraph as ig

        to = self.to_igraph
        # a list of tuples: six times faster for igraph to read than a list of lists (measured)
        g = ig.Graph(n=self.n, edges=list(zip(to[self.heads].tolist(), to[self.tails].tolist())))
        g.es["weight"] = self.weights.tolist()
        return g

    def from_igraph(self, values) -> np.ndarray:
        """Per-vertex igraph values (or matrix columns) in node order."""
        return np.asarray(values, float)[..., self.to_igraph]

    def values(self, array) -> dict:
        """``{node: value}`` from an array in node order."""
        return dict(zip(self.nodes, np.asarray(array).tolist()))


_INDEXED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_INDEXED_LOCK = threading.Lock()


def indexed(G: nx.Graph, weight: str = "weight") -> Indexed:
    """``G`` as arrays (undirected graphs without self-loops; missing weights are 1).

    Cached while ``G`` lives, keyed by the graph object and its node and edge counts, so
    the analyses of one graph share the arrays and the igraph copy (building them takes
    about a second on 300,000 ties). Build a new graph, as the projection does, rather
    than changing the weights of one in place.
    """
    if G.is_directed() or G.is_multigraph():
        raise nx.NetworkXNotImplemented("the analyses take an undirected simple graph (nx.Graph)")
    key = (weight, G.number_of_nodes(), G.number_of_edges())
    with _INDEXED_LOCK:
        cached = _INDEXED.get(G)
    if cached is not None and cached[0] == key:
        return cached[1]
    with gc_paused():
        ix = _build_indexed(G, weight)
    with _INDEXED_LOCK:
        _INDEXED[G] = (key, ix)
    return ix


def remember_arrays(G: nx.Graph, heads: np.ndarray, tails: np.ndarray, weights: np.ndarray,
                    weight: str = "weight") -> None:
    """Cache the arrays of a graph just built from them (by the projection), in the order
    ``G.edges()`` gives: ``indexed(G)`` then costs nothing (4.5 s saved on L)."""
    key = (weight, G.number_of_nodes(), len(heads))
    ix = Indexed(weakref.ref(G), list(G), np.asarray(heads, np.int64), np.asarray(tails, np.int64),
                 np.asarray(weights, float))
    with _INDEXED_LOCK:
        _INDEXED[G] = (key, ix)


def _build_indexed(G: nx.Graph, weight: str) -> Indexed:
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    edges = [(u, v, w) for u, v, w in G.edges(data=weight, default=1.0) if u != v]
    m = len(edges)
    heads = np.fromiter((index[u] for u, _, _ in edges), np.int64, m)
    tails = np.fromiter((index[v] for _, v, _ in edges), np.int64, m)
    weights = np.fromiter((w for _, _, w in edges), float, m)
    return Indexed(weakref.ref(G), nodes, heads, tails, weights)


def sample_sources(G: nx.Graph, k: int, seed: int) -> list:
    """The ``k`` source nodes networkx samples in ``betweenness_centrality(G, k, seed=seed)``."""
    return random.Random(seed).sample(list(G), k)


# --- betweenness ---------------------------------------------------------------------


def betweenness(ix: Indexed, *, sources: list | None = None, normalized: bool = True,
                engine: str = "igraph") -> np.ndarray:
    """Shortest-path betweenness (hops), exact or from ``sources``.

    Equals ``nx.betweenness_centrality(G, normalized=normalized)``, or with ``sources``
    from ``sample_sources(G, k, seed)`` the same call with ``k`` and ``seed``, including
    networkx's rescaling of sampled values (sources and other nodes scaled apart).
    """
    G, n = ix.G, ix.n
    if engine == "networkx":
        if sources is None:
            values = nx.betweenness_centrality(G, normalized=normalized)
        else:
            values = _nx_betweenness_from(G, sources, normalized)
        return np.array([values[v] for v in ix.nodes], float)
    if sources is None or len(sources) == n:
        raw = ix.from_igraph(ix.igraph.betweenness(directed=False)) * 2
        return raw * _betweenness_scale(n, None, normalized)
    idx = [ix.index[s] for s in sources]
    raw = ix.from_igraph(ix.igraph.betweenness(directed=False, sources=ix.to_igraph[idx].tolist())) * 2
    scale = np.full(n, _betweenness_scale(n, len(idx), normalized, source=False))
    scale[idx] = _betweenness_scale(n, len(idx), normalized, source=True)
    return raw * scale


def _betweenness_scale(n: int, k: int | None, normalized: bool, source: bool = False) -> float:
    """networkx's ``_rescale`` for undirected graphs without endpoints: raw values count
    each ordered (source, target) pair."""
    N = n - 1
    if N < 2:
        return 1.0
    if k is None:
        return 1 / (N * (N - 1)) if normalized else N / (N * 2)
    kk = k - 1 if source else k
    if kk == 0:
        return float("nan")
    return 1 / (kk * (N - 1)) if normalized else N / (kk * 2)


def _nx_betweenness_from(G, sources, normalized):
    # the sample networkx draws for (k, seed) is the one sample_sources returns; this
    # recomputes it from the sources themselves, for sources chosen any other way
    from networkx.algorithms.centrality.betweenness import (
        _accumulate_basic,
        _rescale,
        _single_source_shortest_path_basic,
    )

    values = dict.fromkeys(G, 0.0)
    for s in sources:
        S, P, sigma, _ = _single_source_shortest_path_basic(G, s)
        values, _ = _accumulate_basic(values, S, P, sigma, s)
    return _rescale(values, len(G), normalized=normalized, directed=False,
                    endpoints=False, sampled_nodes=None if len(sources) == len(G) else sources)


# --- closeness and harmonic ----------------------------------------------------------


def path_measures(ix: Indexed, *, sources: list | None = None,
                  engine: str = "igraph") -> tuple[np.ndarray, np.ndarray]:
    """Closeness (Wasserman–Faust, as ``nx.closeness_centrality(G)``) and harmonic
    centrality divided by n − 1 (``nx.harmonic_centrality(G)`` / (n − 1)).

    With ``sources``, a node's sum of distances (and of inverse distances) to the other
    nodes of its component is estimated from its distances to the sources in that
    component: the mean over those sources times (component size − 1). Sources get
    their exact values, and so does every node of a component no source lies in.
    """
    n, comp = ix.n, ix.components
    reach = np.bincount(comp)[comp]  # nodes reachable, itself included
    sum_d = np.zeros(n)
    sum_inv = np.zeros(n)
    if sources is None:
        exact = np.arange(n)
    else:
        src = np.array([ix.index[s] for s in sources], np.int64)
        dist = _distances(ix, src, engine)  # len(src) x n, inf when unreachable
        finite = np.isfinite(dist)
        same = finite & (dist > 0)  # a source in the node's component, not the node itself
        count = same.sum(axis=0)
        d = np.where(same, dist, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            inv = np.where(same, 1.0 / np.where(same, dist, 1.0), 0.0)
            sum_d = np.where(count > 0, d.sum(axis=0) / count * (reach - 1), 0.0)
            sum_inv = np.where(count > 0, inv.sum(axis=0) / count * (reach - 1), 0.0)
        sum_d[src] = np.where(finite, dist, 0.0).sum(axis=1)
        with np.errstate(divide="ignore"):
            sum_inv[src] = np.where(finite & (dist > 0), 1.0 / dist, 0.0).sum(axis=1)
        has_source = np.zeros(comp.max() + 1 if n else 0, bool)
        has_source[comp[src]] = True
        exact = np.flatnonzero(~has_source[comp] & (reach > 1))
    if len(exact):
        sum_d[exact], sum_inv[exact] = _exact_sums(ix, exact, engine)
    with np.errstate(divide="ignore", invalid="ignore"):
        closeness = np.where(sum_d > 0, (reach - 1) / sum_d * (reach - 1) / max(n - 1, 1), 0.0)
    harmonic = sum_inv / max(n - 1, 1)
    return closeness, harmonic


def _distances(ix: Indexed, src: np.ndarray, engine: str) -> np.ndarray:
    if engine == "networkx":
        out = np.full((len(src), ix.n), np.inf)
        for r, s in enumerate(src.tolist()):
            for v, d in nx.single_source_shortest_path_length(ix.G, ix.nodes[s]).items():
                out[r, ix.index[v]] = d
        return out
    return ix.from_igraph(ix.igraph.distances(source=ix.to_igraph[src].tolist(), mode="all"))


def _exact_sums(ix: Indexed, nodes: np.ndarray, engine: str) -> tuple[np.ndarray, np.ndarray]:
    """Sum of distances and of inverse distances from each of ``nodes`` to its component."""
    if engine == "networkx":
        sums, invs = [], []
        for i in nodes.tolist():
            lengths = nx.single_source_shortest_path_length(ix.G, ix.nodes[i])
            sums.append(sum(lengths.values()))
            invs.append(sum(1 / d for d in lengths.values() if d))
        return np.array(sums, float), np.array(invs, float)
    g = ix.igraph
    vs = ix.to_igraph[nodes].tolist()
    reach = np.bincount(ix.components)[ix.components[nodes]]
    closeness = np.array(g.closeness(vertices=vs, mode="all", normalized=True), float)
    harmonic = np.array(g.harmonic_centrality(vertices=vs, mode="all", normalized=False), float)
    with np.errstate(divide="ignore", invalid="ignore"):
        sum_d = np.where(reach > 1, (reach - 1) / closeness, 0.0)
    return sum_d, harmonic


# --- PageRank and eigenvector --------------------------------------------------------


def pagerank(ix: Indexed, *, alpha: float = 0.85, engine: str = "igraph",
             max_iter: int = 100, tol: float = 1.0e-6) -> np.ndarray:
    """``nx.pagerank(G, alpha, weight='weight')``: the same power iteration, on a matrix
    built from arrays (networkx spends most of its time building its own)."""
    if engine == "networkx":
        values = nx.pagerank(ix.G, alpha=alpha, weight="weight", max_iter=max_iter, tol=tol)
        return np.array([values[v] for v in ix.nodes], float)
    n = ix.n
    if n == 0:
        return np.zeros(0)
    A = ix.adjacency
    S = np.asarray(A.sum(axis=1)).ravel()
    S[S != 0] = 1.0 / S[S != 0]
    A = sp.diags_array(S) @ A
    x = np.repeat(1.0 / n, n)
    p = np.repeat(1.0 / n, n)
    dangling = np.flatnonzero(S == 0)
    for _ in range(max_iter):
        xlast = x
        x = alpha * (xlast @ A + xlast[dangling].sum() * p) + (1 - alpha) * p
        if np.absolute(x - xlast).sum() < n * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


def eigenvector(ix: Indexed, *, engine: str = "igraph", max_iter: int = 1000,
                tol: float = 1.0e-6) -> np.ndarray:
    """``nx.eigenvector_centrality(G, weight='weight', max_iter, tol)``: the same power
    iteration on A + I from a uniform start, with sparse matrix products."""
    if engine == "networkx":
        values = nx.eigenvector_centrality(ix.G, weight="weight", max_iter=max_iter, tol=tol)
        return np.array([values[v] for v in ix.nodes], float)
    n = ix.n
    if n == 0:
        raise nx.NetworkXPointlessConcept("cannot compute centrality for the null graph")
    A = ix.adjacency
    x = np.repeat(1.0 / n, n)
    for _ in range(max_iter):
        xlast = x
        x = xlast + A @ xlast
        norm = np.sqrt((x * x).sum()) or 1.0
        x = x / norm
        if np.absolute(x - xlast).sum() < n * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


# --- brokerage -----------------------------------------------------------------------


def constraint(ix: Indexed, *, engine: str = "igraph") -> np.ndarray:
    """Burt's constraint with tie strength (``nx.constraint(G, weight='weight')``);
    NaN for an organisation without ties."""
    if engine == "networkx":
        values = nx.constraint(ix.G, weight="weight")
        return np.array([values[v] for v in ix.nodes], float)
    values = ix.from_igraph(ix.igraph.constraint(weights="weight"))
    values[ix.degree == 0] = np.nan
    return values


def effective_size(ix: Indexed, *, engine: str = "igraph") -> np.ndarray:
    """Burt's effective size, unweighted (``nx.effective_size(G)``: Borgatti's
    n − 2t/n, t the ties among the n partners); NaN for an organisation without ties."""
    if engine == "networkx":
        values = nx.effective_size(ix.G)
        return np.array([values[v] for v in ix.nodes], float)
    deg = ix.degree.astype(float)
    clustering = ix.from_igraph(ix.igraph.transitivity_local_undirected(mode="zero"))
    ties = np.rint(clustering * deg * (deg - 1) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(deg > 0, deg - 2 * ties / deg, np.nan)


# --- communities ---------------------------------------------------------------------

_IGRAPH_RNG = threading.Lock()


def partition(ix: Indexed, *, method: str = "leiden", resolution: float = 1.0, seed: int = 0,
              engine: str = "igraph") -> np.ndarray:
    """Communities of the weighted graph maximising modularity at ``resolution``: a
    community number per node, numbered by decreasing size, then by smallest node
    position. ``method`` "leiden" (igraph's Leiden, two iterations) or "louvain"; the
    networkx engine runs Louvain for both."""
    if engine == "networkx":
        parts = nx.community.louvain_communities(ix.G, weight="weight", resolution=resolution, seed=seed)
        labels = np.empty(ix.n, np.int64)
        for c, part in enumerate(parts):
            labels[[ix.index[v] for v in part]] = c
        return _renumber(labels)
    import igraph as ig

    with _IGRAPH_RNG:
        ig.set_random_number_generator(random.Random(seed))
        try:
            if method == "leiden":
                found = ix.igraph.community_leiden(objective_function="modularity", weights="weight",
                                                   resolution=resolution, n_iterations=2)
            else:
                found = ix.igraph.community_multilevel(weights="weight", resolution=resolution)
        finally:
            ig.set_random_number_generator(random)
    return _renumber(ix.from_igraph(found.membership).astype(np.int64))


def _renumber(labels: np.ndarray) -> np.ndarray:
    if len(labels) == 0:
        return labels
    _, first, inverse, counts = np.unique(labels, return_index=True, return_inverse=True, return_counts=True)
    order = np.lexsort((first, -counts))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[inverse]


def modularity(ix: Indexed, labels: np.ndarray, *, resolution: float = 1.0) -> float:
    """``nx.community.modularity(G, communities, weight='weight', resolution)``."""
    m2 = ix.weights.sum() * 2
    if m2 == 0:
        return 0.0
    same = labels[ix.heads] == labels[ix.tails]
    inside = np.bincount(labels[ix.heads][same], weights=ix.weights[same], minlength=labels.max() + 1)
    strength = np.bincount(labels, weights=ix.strength, minlength=labels.max() + 1)
    return float((2 * inside).sum() / m2 - resolution * ((strength / m2) ** 2).sum())
