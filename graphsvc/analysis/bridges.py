"""Bridge suggestions: for the municipality pairs that most lack ties, the best pairs of
organisations to connect them, with reasons.

Each pair of organisations, one in each municipality, is scored with the partner
suggestions' own components and weights (``graphsvc.analysis.suggestions``); the regional
component is the municipality pair's lack score. Pairs already tied are left out, and an
organisation is proposed at most once per municipality pair, so the proposals spread over
several organisations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from graphsvc.analysis._places import EARTH_RADIUS_KM
from graphsvc.analysis._results import graph_provenance
from graphsvc.analysis.params import Lang
from graphsvc.analysis.suggestions import (
    COMPONENTS,
    DEFINITIONS,
    SuggestionIndex,
    SuggestionParams,
    distance_penalty,
    explain_pair,
    lack_scores,
    size_gap,
    suggestion_index,
)
from graphsvc.errors import InputError

__all__ = ["BridgePair", "Bridge", "Bridges", "suggest_bridges"]

_BLOCK = 2048  # rows of one municipality scored at a time, to bound memory on large sets
_POOL = 40  # best pairs kept per block and per wanted proposal before spreading


@dataclass(frozen=True)
class BridgePair:
    """Two organisations, one on each side of a municipality pair, that could meet."""

    a_id: str
    a_name: str
    a_kind: str | None
    a_size: str
    b_id: str
    b_name: str
    b_kind: str | None
    b_size: str
    score: float
    components: dict[str, float]
    shared_partners: list[str]
    distance_km: float | None
    reasons: list[str]
    reason_codes: list[str]


@dataclass(frozen=True)
class Bridge:
    """One municipality pair that lacks ties, and the proposed pairs across it."""

    code_a: str
    name_a: str
    code_b: str
    name_b: str
    lack: float
    observed: int
    pairs: list[BridgePair]


@dataclass(frozen=True)
class Bridges:
    params: SuggestionParams
    lang: str
    lacking_pairs: int
    bridges: list[Bridge]
    definitions: dict[str, str] = field(default_factory=dict)
    data_version: int | None = None
    years: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "data_version": self.data_version,
            "years": list(self.years) if self.years else None,
            "params": self.params.model_dump(),
            "lacking_pairs": self.lacking_pairs,
            "definitions": self.definitions,
            "data": [
                {**{k: v for k, v in b.__dict__.items() if k != "pairs"},
                 "pairs": [p.__dict__ for p in b.pairs]}
                for b in self.bridges
            ],
            "count": len(self.bridges),
        }


def _block_components(index: SuggestionIndex, a: np.ndarray, b: np.ndarray, lack: float,
                      params: SuggestionParams) -> dict[str, np.ndarray]:
    """Every component of every pair in ``a`` × ``b`` (dense matrices)."""
    A = index.adjacency
    w = index.partner_weights(params.structure_index)
    raw = (A[a].multiply(w[None, :]) @ A[b].T).toarray() if A.nnz else np.zeros((len(a), len(b)))
    common = (A[a] @ A[b].T).toarray() if A.nnz else np.zeros((len(a), len(b)))

    def jaccard(X, counts):
        inter = X[a] @ X[b].T
        union = counts[a][:, None] + counts[b][None, :] - inter
        return np.divide(inter, union, out=np.zeros(inter.shape), where=union > 0)

    share = params.art_form_share
    chord = np.sqrt(np.maximum(2.0 - 2.0 * (index.xyz[a] @ index.xyz[b].T), 0.0))
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord / 2, 1.0))
    return {
        "structure": raw / (raw + params.structure_half),
        "similarity": share * jaccard(index.art, index.art_count)
        + (1 - share) * jaccard(index.target, index.target_count),
        "complementarity": size_gap(index.size_level[a][:, None], index.size_level[b][None, :]) / 2.0,
        "regional": np.full((len(a), len(b)), lack),
        "distance": distance_penalty(km, params.distance_scale_km),
        "common": common,
        "raw_structure": raw,
        "distance_km": km,
        "tied": (A[a][:, b]).toarray() > 0 if A.nnz else np.zeros((len(a), len(b)), dtype=bool),
    }


def _score(c: dict[str, np.ndarray], params: SuggestionParams) -> np.ndarray:
    w = params.weights()
    positive = sum(w[k] * c[k] for k in COMPONENTS if k != "distance")
    total = positive - w["distance"] * c["distance"]
    return np.where((positive > 0) & ~c["tied"], total, -np.inf)


def _best_pairs(index, a, b, lack, params, per_pair) -> list[tuple[float, int, int, dict[str, float]]]:
    """The best ``per_pair`` pairs across ``a`` × ``b``, each organisation at most once."""
    pool: list[tuple[float, int, int, dict[str, float]]] = []
    keep = per_pair * _POOL
    for start in range(0, len(a), _BLOCK):
        rows = a[start:start + _BLOCK]
        c = _block_components(index, rows, b, lack, params)
        s = _score(c, params)
        flat = s.ravel()
        top = np.flatnonzero(np.isfinite(flat))
        if len(top) > keep:
            top = top[np.argpartition(-flat[top], keep - 1)[:keep]]
        for f in top:
            r, col = divmod(int(f), len(b))
            values = {k: float(c[k][r, col]) for k in (*COMPONENTS, "common", "raw_structure", "distance_km")}
            pool.append((float(flat[f]), int(rows[r]), int(b[col]), values))
    # by score, then by ids, so equal scores come back in the same order every time
    pool.sort(key=lambda t: (-round(t[0], 12), index.ids[t[1]], index.ids[t[2]]))
    used: set[int] = set()
    chosen = []
    for item in pool:
        if item[1] in used or item[2] in used:
            continue
        used |= {item[1], item[2]}
        chosen.append(item)
        if len(chosen) == per_pair:
            break
    return chosen


def suggest_bridges(
    G: nx.Graph,
    lacking: Any,
    *,
    pairs: int = 5,
    per_pair: int = 3,
    params: SuggestionParams | None = None,
    lang: Lang = "da",
    municipalities: Iterable[Any] | None = None,
) -> Bridges:
    """For the ``pairs`` municipality pairs that most lack ties, the ``per_pair`` best pairs
    of organisations to connect them.

    Parameters
    ----------
    G : nx.Graph
        An organisation graph.
    lacking : set, mapping or gaps result
        The municipality pairs lacking ties (see ``suggestions.lack_scores``). The pairs
        are taken by lack score, then fewest ties, then most possible pairs.
    pairs, per_pair : int
        How many municipality pairs, and how many organisation pairs for each.
    params : SuggestionParams, optional
        The weights; the same as for partner suggestions.
    lang : {"da", "en"}
        Language of the reasons.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("a", {"label": "Actor", "name": "A", "municipality_code": "665",
    ...     "art_forms": ["teater"], "size": "small"}), ("b", {"label": "Institution", "name": "B",
    ...     "municipality_code": "751", "art_forms": ["teater"], "size": "large"})])
    >>> result = suggest_bridges(G, {frozenset({"665", "751"})})
    >>> b = result.bridges[0]; (b.name_a, b.name_b, b.pairs[0].a_id, b.pairs[0].b_id)
    ('Lemvig', 'Aarhus', 'a', 'b')
    >>> b.pairs[0].reasons[:2]
    ['begge arbejder med teater', 'B (stor, oplyst) har viden, der kan nå A (lille, oplyst)']
    """
    if pairs < 1 or per_pair < 1:
        raise InputError(f"pairs and per_pair must be at least 1 (got {pairs} and {per_pair})")
    params = params or SuggestionParams()
    index = suggestion_index(G, municipalities)
    table = lack_scores(lacking)
    where = {c: k for k, c in enumerate(index.municipality_codes)}
    members = {m: np.flatnonzero(index.municipality == m) for m in range(len(where))}
    ranked = []
    for pair, lack in table.items():
        if len(pair) != 2 or not pair <= where.keys():
            continue
        ma, mb = sorted(where[c] for c in pair)
        ranked.append((-lack, int(index.observed[ma, mb]), -len(members[ma]) * len(members[mb]),
                       index.municipality_codes[ma], index.municipality_codes[mb], lack))
    ranked.sort()
    out = []
    for _, observed, _, ca, cb, lack in ranked[:pairs]:
        a, b = members[where[ca]], members[where[cb]]
        proposals = []
        for score, i, j, values in _best_pairs(index, a, b, lack, params, per_pair):
            why = explain_pair(index, i, j, values, params=params, lang=lang)
            km = values["distance_km"]
            proposals.append(BridgePair(
                a_id=index.ids[i], a_name=index.names[i], a_kind=index.kinds[i], a_size=index.sizes[i],
                b_id=index.ids[j], b_name=index.names[j], b_kind=index.kinds[j], b_size=index.sizes[j],
                score=score,
                components={k: values[k] for k in COMPONENTS} | {
                    params.structure_index: values["raw_structure"], "common_partners": int(values["common"])},
                shared_partners=why.shared_partners,
                distance_km=None if np.isnan(km) else km,
                reasons=why.reasons,
                reason_codes=why.codes,
            ))
        names = index.municipality_names
        out.append(Bridge(ca, names.get(ca, ca), cb, names.get(cb, cb), lack, observed, proposals))
    version, years = graph_provenance(G)
    return Bridges(params=params, lang=lang, lacking_pairs=len(table), bridges=out,
                   definitions=dict(DEFINITIONS), data_version=version, years=years)
