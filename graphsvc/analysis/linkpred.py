"""Link-prediction features of one organisation with every other, as columns of a matrix.

For a query node ``i`` of a ``SuggestionIndex`` every node is a candidate: the two-hop
ones (shared partners, Katz, rooted PageRank), the attribute ones (art forms, target
groups, size) and the geographic ones (distance, municipality, the gaps analysis' state of
the municipality pair). Scoring all of them is a few vector operations over the nodes, so
no candidate list is needed to be fast, and an organisation without ties is ranked by
its attributes and place. docs/suggestions.md defines every feature.

Measured at M (20,000 organisations, 225,000 ties): 1–2 ms per query.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from graphsvc.analysis.suggestions import SuggestionIndex

__all__ = ["FEATURES", "KATZ_BETA", "RESTART", "LinkIndex", "link_index", "query_features", "baseline_scores"]

KATZ_BETA = 0.05  # Katz' damping; paths of length 2 and 3 (longer ones change little)
RESTART = 0.15  # rooted PageRank's restart probability; walks of up to 3 steps
RECENCY_CAP = 10  # years since the last project, capped (also for "never")

FEATURES = (
    "common_neighbours",  # log(1 + |N(i) ∩ N(j)|)
    "adamic_adar",  # Σ 1/log deg(w) over shared partners
    "resource_allocation",  # Σ 1/deg(w)
    "preferential_attachment",  # log(1 + deg i · deg j)
    "candidate_degree",  # log(1 + deg j)
    "katz",  # log(1 + (β² paths₂ + β³ paths₃) / β²)
    "rooted_pagerank",  # log(1 + n · truncated walk probability)
    "art_jaccard",
    "target_jaccard",
    "complementarity",  # |size level i − size level j| / 2, 0 when either is unknown
    "candidate_institution",
    "log_distance",  # log(1 + km); unknown: the largest known
    "same_municipality",
    "lacking_pair",  # lack score of the municipality pair (gaps state "lacking"), else 0
    "candidate_recency",  # years since j's last project, capped at 10
    "candidate_activity",  # log(1 + j's projects)
)


@dataclass(eq=False)
class LinkIndex:
    """A ``SuggestionIndex`` with what the features add: inverse degrees and activity."""

    base: SuggestionIndex
    inverse_degree: np.ndarray  # 1 / deg, 0 for nodes without ties
    recency: np.ndarray
    activity: np.ndarray


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def link_index(G, base: SuggestionIndex) -> LinkIndex:
    """The ``LinkIndex`` of ``G`` over ``base`` (its ``suggestion_index``), cached per graph."""
    cached = _CACHE.get(G)
    if cached is not None and cached.base is base:
        return cached
    inv = np.zeros(len(base.ids))
    inv[base.degree > 0] = 1.0 / base.degree[base.degree > 0]
    ref = G.graph.get("reference_year")
    recency = np.full(len(base.ids), float(RECENCY_CAP))
    activity = np.zeros(len(base.ids))
    for k, (last, projects) in enumerate(zip(base.last_project_year, base.n_projects)):
        if last is not None and ref is not None:
            recency[k] = float(min(max(ref - last, 0), RECENCY_CAP))
        activity[k] = np.log1p(projects or 0)
    out = LinkIndex(base, inv, recency, activity)
    _CACHE[G] = out
    return out


def _walks(index: LinkIndex, i: int, common: np.ndarray, ra: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Truncated Katz (paths of length 2 and 3) and rooted PageRank (walks of 1–3 steps).

    Two steps need no product: the walk's mass after step 2 on a node ``x ≠ i`` is the
    resource allocation of ``i`` and ``x`` over deg(``i``) (the mass back on ``i`` is left
    out: its next step reaches only ``i``'s partners, who are never candidates). The third
    steps of both read only the rows of the two-hop nodes (``_spread``; measured at M:
    about 0.3 ms for a typical organisation, against 4 ms for four matrix-vector
    products).
    """
    base = index.base
    n = len(base.ids)
    deg = base.degree[i]
    p1 = np.zeros(n)
    p2 = np.zeros(n)
    if deg:
        p1[base.neighbours(i)] = 1.0 / deg
        p2 = ra / deg
        p2[i] = 0.0
    paths3, p3 = _spread(base, common, p2 * index.inverse_degree)
    katz = KATZ_BETA ** 2 * common + KATZ_BETA ** 3 * paths3
    score = RESTART * ((1 - RESTART) * p1 + (1 - RESTART) ** 2 * p2 + (1 - RESTART) ** 3 * p3)
    return katz, score


def _spread(base: SuggestionIndex, *values: np.ndarray) -> list[np.ndarray]:
    """``A @ v`` for each of ``values`` (all zero outside one support): only the rows of
    the support's nodes are read, as ``SuggestionIndex.shared_partners`` does (the
    adjacency is symmetric)."""
    n = len(base.ids)
    support = np.flatnonzero(values[0])
    if len(support) > n // 4:  # most of the graph: one sparse product is faster
        both = base.adjacency @ np.column_stack(values)
        return [both[:, k] for k in range(len(values))]
    indptr, indices = base.adjacency.indptr, base.adjacency.indices
    lengths = base.degree[support]
    offsets = np.repeat(indptr[support] - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
    reached, via = indices[offsets], np.repeat(support, lengths)
    return [np.bincount(reached, v[via], minlength=n) for v in values]


def query_features(index: LinkIndex, i: int, lack: np.ndarray,
                   pieces: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """The feature matrix (nodes × ``FEATURES``) of query ``i`` against every node.

    ``lack``: the municipality pairs' lack scores (``SuggestionIndex.lack_matrix``);
    ``pieces``: ``SuggestionIndex.pieces(i, lack)`` when already computed.
    """
    base = index.base
    pieces = pieces if pieces is not None else base.pieces(i, lack)
    n = len(base.ids)
    common = pieces["common"]
    katz, rpr = _walks(index, i, common, pieces["resource_allocation"])
    km = pieces["distance_km"]
    known = np.isfinite(km)
    # an unknown place is never an advantage: the farthest known distance
    km = np.where(known, km, km[known].max() if known.any() else 0.0)
    deg = base.degree.astype(float)
    mi = base.municipality[i]
    same = (base.municipality == mi) & (mi >= 0)
    columns = (
        np.log1p(common),
        pieces["adamic_adar"],
        pieces["resource_allocation"],
        np.log1p(deg[i] * deg),
        np.log1p(deg),
        np.log1p(katz / KATZ_BETA ** 2),
        np.log1p(n * rpr),
        pieces["art_jaccard"],
        pieces["target_jaccard"],
        pieces["size_gap"] / 2.0,
        base.is_institution,
        np.log1p(km),
        same,
        pieces["regional"],
        index.recency,
        index.activity,
    )
    # one row per feature, returned transposed: filling contiguous rows is 3× faster
    # than column_stack
    out = np.empty((len(columns), n))
    for k, c in enumerate(columns):
        out[k] = c
    X = out.T
    return X


def baseline_scores(X: np.ndarray) -> dict[str, np.ndarray]:
    """The classic link predictors as columns of ``X`` (monotone in the raw index)."""
    col = {f: k for k, f in enumerate(FEATURES)}
    return {
        "common_neighbours": X[:, col["common_neighbours"]],
        "adamic_adar": X[:, col["adamic_adar"]],
        "resource_allocation": X[:, col["resource_allocation"]],
        "preferential_attachment": X[:, col["preferential_attachment"]],
        "katz": X[:, col["katz"]],
        "rooted_pagerank": X[:, col["rooted_pagerank"]],
    }
