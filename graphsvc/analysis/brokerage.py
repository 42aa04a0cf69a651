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
from itertools import combinations

import networkx as nx
import numpy as np

from graphsvc.analysis._engine import Indexed, indexed

__all__ = ["municipal_reach", "only_bridges"]

Pair = tuple[str, str]


def _codes(ix: Indexed) -> tuple[np.ndarray, list[str]]:
    raw = [ix.G.nodes[v].get("municipality_code") for v in ix.nodes]
    names = sorted({c for c in raw if c is not None})
    position = {c: i for i, c in enumerate(names)}
    return np.array([position.get(c, -1) for c in raw], np.int64), names


def _neighbour_codes(ix: Indexed, code: np.ndarray) -> dict[int, list[int]]:
    """For each node, the sorted municipality positions of its partners, own excluded."""
    key = ("neighbour_codes", code.tobytes())  # node attributes may change; the arrays not
    if key not in ix.memo:
        ix.memo.clear()
        ix.memo[key] = _compute_neighbour_codes(ix, code)
    return ix.memo[key]


def _compute_neighbour_codes(ix: Indexed, code: np.ndarray) -> dict[int, list[int]]:
    src = np.concatenate([ix.heads, ix.tails])
    dst_code = np.concatenate([code[ix.tails], code[ix.heads]])
    keep = (dst_code >= 0) & (dst_code != code[src])
    K = int(code.max()) + 2 if len(code) else 1
    keys = np.unique(src[keep] * K + dst_code[keep])
    out: dict[int, list[int]] = defaultdict(list)
    for node, c in zip((keys // K).tolist(), (keys % K).tolist()):
        out[node].append(c)
    return out


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
    reach = _neighbour_codes(ix, code)
    return {v: [names[c] for c in reach.get(i, [])] for i, v in enumerate(ix.nodes)}


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
    h, t = ix.heads, ix.tails
    ch, ct = code[h], code[t]
    cross = (ch >= 0) & (ct >= 0) & (ch != ct)
    K = len(names)
    pair_key = np.minimum(ch, ct)[cross] * K + np.maximum(ch, ct)[cross]
    keys, n_edges = np.unique(pair_key, return_counts=True)
    direct_edges = dict(zip(keys.tolist(), n_edges.tolist()))
    # (pair, node) incidences: an organisation at the end of every direct tie of a pair
    ends = np.unique(
        np.concatenate([pair_key * ix.n + h[cross], pair_key * ix.n + t[cross]]), return_counts=True
    )
    incidence: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for key, k in zip(ends[0].tolist(), ends[1].tolist()):
        pair, node = divmod(key, ix.n)
        if k == direct_edges[pair]:
            incidence[pair].append((node, k))
    brokers: dict[int, list[int]] = defaultdict(list)
    for node, reached in _neighbour_codes(ix, code).items():
        for a, b in combinations(reached, 2):
            found = brokers[a * K + b]
            if len(found) < 2:  # two are enough to rule the pair out
                found.append(node)
    out: dict[int, list[Pair]] = defaultdict(list)
    for pair in direct_edges.keys() | brokers.keys():
        found = brokers.get(pair, [])
        if len(found) >= 2 or (found and pair in direct_edges):
            continue
        holders = found if found else [node for node, _ in incidence.get(pair, [])]
        for node in holders:
            out[node].append(divmod(pair, K))
    return {
        ix.nodes[i]: sorted((names[a], names[b]) for a, b in pairs)
        for i, pairs in sorted(out.items())
    }
