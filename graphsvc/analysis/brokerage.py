"""Who links which municipalities: the municipalities each organisation's ties reach,
and the organisations that are the only bridge between two municipalities.

Two municipalities X and Y are *linked* when an organisation in X has a partner in Y
(a direct tie), or an organisation elsewhere has partners in both (a shared partner).
An organisation is the *only bridge* between X and Y when they are linked and would
not be without it: every direct X–Y tie has it at one end and no other organisation
has partners in both — or it is the one organisation outside X and Y with partners in
both, and there is no direct tie. A single direct tie makes both its ends only bridges.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
import numpy as np

from graphsvc.analysis._engine import Indexed, indexed, node_column, pairs_within

__all__ = ["municipal_reach", "reach_counts", "only_bridges"]

Pair = tuple[str, str]


def _codes(ix: Indexed) -> tuple[np.ndarray, list[str]]:
    raw = node_column(ix.G, "municipality_code")
    names = sorted({c for c in raw if c is not None})
    position = {c: i for i, c in enumerate(names)}
    return np.array([position.get(c, -1) for c in raw], np.int64), names


def _neighbour_codes(ix: Indexed, code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (node, municipality position) where the node has a partner, its own
    municipality excluded: two arrays, sorted by node, then position."""
    key = ("reached", code.tobytes())  # node attributes may change; the arrays not
    if key not in ix.memo:
        ix.memo.clear()
        src = np.concatenate([ix.heads, ix.tails])
        dst_code = np.concatenate([code[ix.tails], code[ix.heads]])
        keep = (dst_code >= 0) & (dst_code != code[src])
        K = int(code.max()) + 2 if len(code) else 1
        keys = np.unique(src[keep] * K + dst_code[keep])
        ix.memo[key] = (keys // K, keys % K)
    return ix.memo[key]


def municipal_reach(G: nx.Graph, *, ix: Indexed | None = None) -> dict:
    """``{organisation: [codes]}``: the municipalities, other than its own, where it has
    partners (sorted).

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("a", "c")])
    >>> nx.set_node_attributes(G, {"a": "751", "b": "665", "c": "751"}, "municipality_code")
    >>> municipal_reach(G)
    {'a': ['665'], 'b': ['751'], 'c': []}
    """
    ix = ix or indexed(G)
    code, names = _codes(ix)
    node, reached = _neighbour_codes(ix, code)
    per_node = np.split(np.array(names + [None], dtype=object)[reached], np.cumsum(np.bincount(node, minlength=ix.n))[:-1])
    return {v: part.tolist() for v, part in zip(ix.nodes, per_node)}


def reach_counts(G: nx.Graph, *, ix: Indexed | None = None) -> np.ndarray:
    """How many municipalities, other than its own, each organisation has partners in
    (``len`` of ``municipal_reach``), in node order."""
    ix = ix or indexed(G)
    node, _ = _neighbour_codes(ix, _codes(ix)[0])
    return np.bincount(node, minlength=ix.n)


def only_bridges(G: nx.Graph, *, ix: Indexed | None = None) -> dict:
    """``{organisation: [(code_x, code_y), …]}``: the municipality pairs it is the only
    bridge between (see the module docstring), sorted; organisations without any are
    left out.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "x")])
    >>> nx.set_node_attributes(G, {"a": "1", "x": "1", "b": "2", "c": "3"}, "municipality_code")
    >>> only_bridges(G)
    {'a': [('1', '2')], 'b': [('1', '2'), ('1', '3'), ('2', '3')], 'c': [('2', '3')]}
    """
    ix = ix or indexed(G)
    code, names = _codes(ix)
    n, K = ix.n, len(names)
    h, t = ix.heads, ix.tails
    ch, ct = code[h], code[t]
    cross = (ch >= 0) & (ct >= 0) & (ch != ct)
    pair_key = np.minimum(ch, ct)[cross] * K + np.maximum(ch, ct)[cross]
    direct, n_direct = np.unique(pair_key, return_counts=True)
    # (pair, node) incidences: the organisations at the end of every direct tie of a pair
    ends, n_ends = np.unique(np.concatenate([pair_key * n + h[cross], pair_key * n + t[cross]]),
                             return_counts=True)
    end_pair = ends // n
    on_every = n_ends == n_direct[np.searchsorted(direct, end_pair)]
    # brokers: for each pair, the organisations elsewhere with partners in both (counted
    # up to two, and the one when there is one)
    node, reached = _neighbour_codes(ix, code)
    first, second = pairs_within(node)
    broker_pairs, at, n_brokers = np.unique(reached[first] * K + reached[second], return_index=True,
                                            return_counts=True)
    broker_of = node[first][at]
    # a pair's only bridge: its one broker when no direct tie links it; else, when no
    # organisation brokers it, each organisation on every direct tie
    lone = n_brokers == 1
    lone_pairs, lone_nodes = broker_pairs[lone], broker_of[lone]
    undirected = ~np.isin(lone_pairs, direct)
    unbrokered = ~np.isin(end_pair, broker_pairs)
    holders = np.concatenate([lone_nodes[undirected], ends[on_every & unbrokered] % n])
    pairs = np.concatenate([lone_pairs[undirected], end_pair[on_every & unbrokered]])
    out: dict[int, list[Pair]] = defaultdict(list)
    for i, pair in zip(holders.tolist(), pairs.tolist()):
        a, b = divmod(pair, K)
        out[i].append((names[a], names[b]))
    return {ix.nodes[i]: sorted(found) for i, found in sorted(out.items())}
