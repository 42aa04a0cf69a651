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

import os
import random
import signal
import sys
import threading
import warnings
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphsvc.memory import gc_paused, release_memory, without_gc

__all__ = [
    "gc_paused",
    "without_gc",
    "release_memory",
    "Indexed",
    "indexed",
    "import_igraph",
    "node_column",
    "NodeGroups",
    "remember_arrays",
    "sample_sources",
    "pairs_within",
    "betweenness",
    "start_betweenness",
    "in_background",
    "Pending",
    "set_processes",
    "path_measures",
    "pagerank",
    "eigenvector",
    "constraint",
    "effective_size",
    "partition",
    "modularity",
]


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
        from scipy.sparse import csgraph  # imported when used: it brings scipy.sparse.linalg (0.05 s)

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
        from scipy.sparse import csgraph

        order = csgraph.reverse_cuthill_mckee(self.adjacency.tocsr(), symmetric_mode=True)
        position = np.empty(self.n, np.int64)
        position[order] = np.arange(self.n)
        return position

    @cached_property
    def igraph(self):
        """The graph in igraph, vertices numbered by ``to_igraph``, edges in the order of
        ``heads``/``tails`` (no edge attribute: the weighted measures pass
        ``igraph_weights()``, so 1.2 million Python floats are not kept with the graph on L)."""
        ig = import_igraph()
        to = self.to_igraph
        # a list of tuples: six times faster for igraph to read than a list of lists (measured)
        return ig.Graph(n=self.n, edges=list(zip(to[self.heads].tolist(), to[self.tails].tolist())))

    def igraph_weights(self) -> list[float]:
        """The tie weights in the igraph graph's edge order, as the list ``constraint``
        requires (it refuses an array). Leiden and Louvain take ``weights`` itself: no
        list of 1.2 million floats (38 MB on L) at the analysis' peak."""
        return self.weights.tolist()

    def from_igraph(self, values) -> np.ndarray:
        """Per-vertex igraph values (or matrix columns) in node order."""
        return np.asarray(values, float)[..., self.to_igraph]

    def values(self, array) -> dict:
        """``{node: value}`` from an array in node order."""
        return dict(zip(self.nodes, np.asarray(array).tolist()))


_IMPORT_LOCK = threading.Lock()


def import_igraph():
    """The ``igraph`` module. On its import igraph imports matplotlib's pyplot for its
    drawing functions when matplotlib is installed (0.4 s, most of a command's import
    time); graphsvc never draws with igraph, so in a process with one thread (a command)
    igraph is imported with matplotlib hidden, and finds it missing. Later imports of
    matplotlib (the map exports) are not affected."""
    if "igraph" in sys.modules:
        return sys.modules["igraph"]
    with _IMPORT_LOCK:
        if "matplotlib" in sys.modules or threading.active_count() > 1:
            import igraph
            return igraph
        sys.modules["matplotlib"] = None  # an import of it raises ImportError meanwhile
        try:
            import igraph
        finally:
            if sys.modules.get("matplotlib", 0) is None:
                del sys.modules["matplotlib"]
    return igraph


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


def node_column(G: nx.Graph, key: str, default=None) -> list:
    """The node attribute ``key`` of every node of ``G``, in ``list(G)`` order
    (``default`` where a node lacks it); from the projection's columns when ``G`` has not
    made its node dicts (``projection.OrganisationGraph``)."""
    column = getattr(G, "node_column", None)
    if column is not None:
        return column(key, default)
    return [d.get(key, default) for _, d in G.nodes(data=True)]


class NodeGroups(Sequence):
    """Groups of nodes (projects, declared collaborations) held as arrays: group ``g``
    is the tuple of ``names[indices[indptr[g]:indptr[g + 1]]]``. It reads as a list of
    tuples (and equals one); ``indptr``, ``indices`` and ``names`` serve code that works
    on the arrays.

    >>> groups = NodeGroups(np.array(["a", "b", "c"], object), np.array([0, 2, 5]), np.array([0, 1, 0, 1, 2]))
    >>> groups[1], len(groups), groups == [("a", "b"), ("a", "b", "c")]
    (('a', 'b', 'c'), 2, True)
    """

    def __init__(self, names: np.ndarray, indptr: np.ndarray, indices: np.ndarray):
        self.names = names
        self.indptr = np.asarray(indptr, np.int64)
        self.indices = np.asarray(indices, np.int64)

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def __getitem__(self, g):
        if isinstance(g, slice):
            return [self[k] for k in range(*g.indices(len(self)))]
        if g < 0:
            g += len(self)
        if not 0 <= g < len(self):
            raise IndexError(g)
        return tuple(self.names[self.indices[self.indptr[g]:self.indptr[g + 1]]].tolist())

    def __eq__(self, other) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == tuple(b) for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return f"NodeGroups({len(self)} groups of {len(self.names)} nodes)"


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


def pairs_within(group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of positions (i < j) of a sorted array that hold the same value.

    >>> [a.tolist() for a in pairs_within(np.array([0, 0, 0, 1, 2, 2]))]
    [[0, 0, 1, 4], [1, 2, 2, 5]]
    """
    if len(group) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    starts = np.flatnonzero(np.concatenate([[True], group[1:] != group[:-1]]))
    sizes = np.diff(np.concatenate([starts, [len(group)]]))
    rank = np.arange(len(group)) - np.repeat(starts, sizes)
    later = np.repeat(sizes, sizes) - 1 - rank  # positions after each one in its group
    first = np.repeat(np.arange(len(group)), later)
    step = np.arange(len(first)) - np.repeat(np.cumsum(later) - later, later) + 1
    return first, first + step


def sample_sources(G: nx.Graph, k: int, seed: int) -> list:
    """The ``k`` source nodes networkx samples in ``betweenness_centrality(G, k, seed=seed)``."""
    return random.Random(seed).sample(list(G), k)


# --- a second process ----------------------------------------------------------------

# below this much work (ties × path sources) a second process costs more than it saves:
# forking and collecting take a few milliseconds, 2·10⁷ is about 0.1 s of igraph's loop
BACKGROUND_MIN_WORK = 2e7
_processes = 2


def set_processes(n: int) -> None:
    """How many processes one analysis may use (``analysis_processes`` in the settings):
    1 computes everything in this process."""
    global _processes
    _processes = max(1, int(n))


def _can_fork() -> bool:
    if _processes < 2 or not sys.platform.startswith("linux"):
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) > 1


class Pending:
    """A computation under way: ``result()`` waits for it and returns its array;
    ``cancel()`` stops it when the result is no longer wanted."""

    def __init__(self, result, cancel=None):
        self._result, self._cancel = result, cancel
        self._value = None

    @classmethod
    def done(cls, value: np.ndarray) -> Pending:
        return cls(lambda: value)

    def result(self) -> np.ndarray:
        if self._value is None:
            self._value = self._result()
            self._cancel = None
        return self._value

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel()
            self._cancel = None


def in_background(compute, size: int, *, work: float, then=lambda values: values) -> Pending:
    """Run ``compute`` (which returns ``size`` floats) in a forked child process when it
    is worth it: at least ``BACKGROUND_MIN_WORK`` of ``work``, a second core, Linux, and
    ``analysis_processes`` above 1; else here and now. ``then`` turns its values into the
    result, in this process.

    The child shares this process's memory as it was (copy on write), runs ``compute``
    only, writes the values to a pipe and leaves with ``os._exit``: it runs none of this
    process's exit handlers and touches no lock, store or file. ``compute`` must use
    only objects made before the call (build caches first). If the child fails, the
    values are computed here instead, so the result never depends on the child.
    """
    if work < BACKGROUND_MIN_WORK or not _can_fork():
        return Pending.done(then(compute()))
    read_end, write_end = os.pipe()
    try:
        with warnings.catch_warnings():  # Python ≥ 3.12 warns on fork with threads running
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return Pending.done(then(compute()))
    if pid == 0:  # the child
        status = 1
        try:
            os.close(read_end)
            view = memoryview(np.ascontiguousarray(compute(), np.float64).tobytes())
            while view:
                view = view[os.write(write_end, view):]
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)

    def collect() -> np.ndarray:
        chunks = []
        try:
            while chunk := os.read(read_end, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(read_end)
            _, status = os.waitpid(pid, 0)
        values = np.frombuffer(b"".join(chunks), np.float64)
        if status != 0 or len(values) != size:
            values = compute()
        return then(values.copy())

    def cancel() -> None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.close(read_end)
        os.waitpid(pid, 0)

    return Pending(collect, cancel)


# --- betweenness ---------------------------------------------------------------------


def betweenness(ix: Indexed, *, sources: list | None = None, normalized: bool = True,
                engine: str = "igraph") -> np.ndarray:
    """Shortest-path betweenness (hops), exact or from ``sources``.

    Equals ``nx.betweenness_centrality(G, normalized=normalized)``, or with ``sources``
    from ``sample_sources(G, k, seed)`` the same call with ``k`` and ``seed``, including
    networkx's rescaling of sampled values (sources and other nodes scaled apart).
    """
    return start_betweenness(ix, sources=sources, normalized=normalized, engine=engine).result()


def start_betweenness(ix: Indexed, *, sources: list | None = None, normalized: bool = True,
                      engine: str = "igraph") -> Pending:
    """``betweenness``, started: on a large graph it runs in a second process (see
    ``in_background``) while the caller computes the other measures; ``result()`` gives
    the same array ``betweenness`` returns."""
    G, n = ix.G, ix.n
    if engine == "networkx":
        if sources is None:
            values = nx.betweenness_centrality(G, normalized=normalized)
        else:
            values = _nx_betweenness_from(G, sources, normalized)
        return Pending.done(np.array([values[v] for v in ix.nodes], float))
    if sources is None or len(sources) == n:
        vertices, scale = None, _betweenness_scale(n, None, normalized)
    else:
        idx = [ix.index[s] for s in sources]
        vertices = ix.to_igraph[idx].tolist()
        scale = np.full(n, _betweenness_scale(n, len(idx), normalized, source=False))
        scale[idx] = _betweenness_scale(n, len(idx), normalized, source=True)
    # everything the other process needs is made here: it only runs igraph's loop
    g, order = ix.igraph, ix.to_igraph

    def raw() -> np.ndarray:
        if vertices is None:
            return np.asarray(g.betweenness(directed=False), float)
        return np.asarray(g.betweenness(directed=False, sources=vertices), float)

    work = len(ix.heads) * (n if vertices is None else len(vertices))
    return in_background(raw, len(order), work=work, then=lambda values: values[order] * 2 * scale)


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


_SOURCE_BLOCK = 16


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
        count, total_d, total_inv = np.zeros(n, np.int64), np.zeros(n), np.zeros(n)
        own_d, own_inv = np.zeros(len(src)), np.zeros(len(src))
        # the distances from a block of sources at a time: on L (100,000 organisations)
        # all 64 rows at once and their temporaries took 200 MB
        for start in range(0, len(src), _SOURCE_BLOCK):
            block = src[start:start + _SOURCE_BLOCK]
            dist = _distances(ix, block, engine)  # len(block) x n, inf when unreachable
            same = np.isfinite(dist) & (dist > 0)  # a source in the node's component, not the node itself
            count += same.sum(axis=0)
            with np.errstate(divide="ignore"):
                inv = np.where(same, 1.0 / np.where(same, dist, 1.0), 0.0)
            dist = np.where(same, dist, 0.0)
            total_d += dist.sum(axis=0)
            total_inv += inv.sum(axis=0)
            own_d[start:start + len(block)] = dist.sum(axis=1)
            own_inv[start:start + len(block)] = inv.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            sum_d = np.where(count > 0, total_d / count * (reach - 1), 0.0)
            sum_inv = np.where(count > 0, total_inv / count * (reach - 1), 0.0)
        sum_d[src], sum_inv[src] = own_d, own_inv
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
    values = ix.from_igraph(ix.igraph.constraint(weights=ix.igraph_weights()))
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
    ig = import_igraph()
    with _IGRAPH_RNG:
        ig.set_random_number_generator(random.Random(seed))
        try:
            if method == "leiden":
                found = ix.igraph.community_leiden(objective_function="modularity", weights=ix.weights,
                                                   resolution=resolution, n_iterations=2)
            else:
                found = ix.igraph.community_multilevel(weights=ix.weights, resolution=resolution)
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
