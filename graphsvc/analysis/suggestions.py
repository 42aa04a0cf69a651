"""Partner suggestions: who an organisation should talk to next, and why.

By default the candidates are ranked by the learned model (``analysis.ranker`` over the
features of ``analysis.linkpred``, optionally re-ranked by ``analysis.policy``; reasons
from ``analysis.learned_reasons``). With ``SuggestionParams(ranker="weighted")`` a
candidate's score is a weighted sum of five components, each between 0 and 1
(docs/suggestions.md gives the formulas and the reasoning behind the defaults)::

    score = w_structure · structure + w_similarity · similarity
          + w_complementarity · complementarity + w_regional · regional
          - w_distance · distance

- structure: shared partners, Adamic-Adar (or resource allocation) squashed to
  ``raw / (raw + structure_half)``;
- similarity: Jaccard of the art forms and of the target groups, averaged;
- complementarity: the gap in size (small 0, medium 1, large 2) over 2, so a large
  institution and a small actor score 1; 0 when either size is unknown (no free
  advantage: an organisation of unknown size is neither the small nor the large side);
- regional: the lack score of the pair's municipality pair when the gaps analysis shows it
  lacking ties (0 inside one municipality or for a pair that does not lack ties);
- distance: the distance in km between the two (their own coordinates, else their
  municipality's centroid) over ``distance_scale_km``, capped at 1; a soft penalty. When
  one of the two has no location, the mean penalty of the candidates with a known
  distance (no free advantage), said in the reasons.

The organisation itself and its existing partners are never suggested. A
``SuggestionIndex`` holds everything shared across calls (sparse adjacency, degrees,
art-form and target-group incidence, sizes, municipalities, coordinates); it is built once
per graph and cached, so one call is a handful of vector operations over all candidates.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graphsvc.analysis._engine import indexed, node_column
from graphsvc.analysis._places import EARTH_RADIUS_KM, municipality_rows
from graphsvc.analysis._results import graph_provenance
from graphsvc.analysis.params import COMPONENTS, AnalysisParams, Lang, SuggestionParams
from graphsvc.analysis.projection import resolve_size
from graphsvc.analysis.reasons import number, size_text
from graphsvc.errors import InputError, NotFound

__all__ = [
    "COMPONENTS",
    "SuggestionParams",
    "SuggestionFilters",
    "SuggestionIndex",
    "Suggestion",
    "Suggestions",
    "suggestion_index",
    "components",
    "total_score",
    "positive_part",
    "candidate_mask",
    "ranked",
    "suggest_partners",
    "resolved_size",
    "size_gap",
    "distance_penalty",
    "lack_scores",
    "explain_pair",
    "Explanation",
    "REASONS",
    "gaps_lacking",
]

SIZE_LEVEL = {"small": 0, "medium": 1, "large": 2}
UNKNOWN_LEVEL = -1  # the size level of an organisation of unknown size


class SuggestionFilters(BaseModel):
    """Which candidates may be suggested; every filter left empty lets all through."""

    model_config = ConfigDict(extra="forbid")

    municipality: list[str] = Field(
        default_factory=list, description="Only candidates in these municipalities (code or name)."
    )
    kind: list[str] = Field(
        default_factory=list, description="Only candidates of these kinds (e.g. museum, kor)."
    )
    art_form: list[str] = Field(
        default_factory=list, description="Only candidates working with one of these art forms."
    )
    max_distance_km: float | None = Field(
        default=None, ge=0, description="Only candidates at most this far away (km); "
        "candidates with no known place are left out."
    )
    only_institutions: bool = Field(default=False, description="Only institutions.")
    only_small: bool = Field(default=False, description="Only small organisations (resolved "
                             "size; an organisation of unknown size is not small).")


_ABSENT = object()


def resolved_size(attrs: Mapping[str, Any]) -> tuple[str | None, str]:
    """(size, source) of an organisation node: as the projection resolved it (``size``,
    ``size_source``; None when unknown), else — a graph built by hand with no ``size`` —
    by ``projection.resolve_size`` with the default parameters. Never small or large
    by label alone.

    >>> resolved_size({"label": "Institution", "size": None, "size_source": "unknown"})
    (None, 'unknown')
    >>> resolved_size({"label": "Actor", "size": "medium"}), resolved_size({"label": "Institution"})
    (('medium', 'given'), (None, 'unknown'))
    >>> resolved_size({"label": "Actor", "name": "Herning Kommune"})
    ('large', 'kind_name')
    """
    if "size" not in attrs:
        return resolve_size(dict(attrs), AnalysisParams())
    size = attrs.get("size")
    if size not in SIZE_LEVEL:
        return None, "unknown"
    return size, attrs.get("size_source") or "given"


def size_gap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """|a − b| of two arrays of size levels (they broadcast), 0 where either is unknown.

    >>> size_gap(np.array([0, 2, -1, 1]), np.array([2, 0, 2, 0])).tolist()
    [2.0, 2.0, 0.0, 1.0]
    """
    known = (a != UNKNOWN_LEVEL) & (b != UNKNOWN_LEVEL)
    return np.where(known, np.abs(a - b), 0).astype(float)


def _vocabulary_matrix(values: list[list[str]]) -> tuple[np.ndarray, tuple[str, ...]]:
    vocab = tuple(sorted({v for vs in values for v in vs}))
    where = {v: k for k, v in enumerate(vocab)}
    X = np.zeros((len(values), len(vocab)), dtype=np.float32)
    for i, vs in enumerate(values):
        for v in vs:
            X[i, where[v]] = 1.0
    return X, vocab


def _bitsets(X: np.ndarray) -> np.ndarray:
    """The rows of a 0/1 matrix as bitsets: 64 columns per uint64 word."""
    words = max(1, -(-X.shape[1] // 64))
    bits = np.zeros((X.shape[0], words), dtype=np.uint64)
    for c in range(X.shape[1]):
        bits[:, c // 64] |= (X[:, c] > 0).astype(np.uint64) << np.uint64(c % 64)
    return bits


@dataclass(eq=False)
class SuggestionIndex:
    """What every suggestion for one graph shares, as arrays over the nodes sorted by id.

    Build it with ``suggestion_index(G)`` (cached per graph object).
    """

    ids: list[str]
    position: dict[str, int]
    adjacency: sp.csr_matrix
    degree: np.ndarray
    names: list[str]
    labels: list[str | None]
    kinds: list[str | None]
    sizes: list[str | None]
    size_level: np.ndarray
    is_institution: np.ndarray
    art: np.ndarray
    art_vocab: tuple[str, ...]
    art_count: np.ndarray
    target: np.ndarray
    target_vocab: tuple[str, ...]
    target_count: np.ndarray
    municipality: np.ndarray
    municipality_codes: tuple[str, ...]
    municipality_names: dict[str, str]
    lat: np.ndarray
    lon: np.ndarray
    observed: np.ndarray
    xyz: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)), repr=False)
    art_bits: np.ndarray = field(default_factory=lambda: np.zeros((0, 1), np.uint64), repr=False)
    target_bits: np.ndarray = field(default_factory=lambda: np.zeros((0, 1), np.uint64), repr=False)
    size_sources: list[str] = field(default_factory=list, repr=False)
    n_projects: list[int | None] = field(default_factory=list, repr=False)
    last_project_year: list[int | None] = field(default_factory=list, repr=False)
    _weights: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @classmethod
    def from_graph(cls, G: nx.Graph, municipalities: Iterable[Any] | None = None) -> SuggestionIndex:
        """Index ``G`` (an organisation graph). ``municipalities``: rows or records with
        ``code``, ``name``, ``lat``, ``lon`` (default: the region's reference data)."""
        if G.is_directed() or G.is_multigraph():
            raise InputError("partner suggestions need an undirected simple graph (nx.Graph)")
        munis = list(municipality_rows(municipalities).values())
        # the graph's arrays and attribute columns (``_engine.indexed``, ``node_column``): the
        # organisation graph then makes no node or tie dicts (L: 1.2 million ties, 3 s)
        ix = indexed(G)
        ids = sorted(ix.nodes, key=str)
        position = {v: i for i, v in enumerate(ids)}
        n = len(ids)
        at = np.fromiter((position[v] for v in ix.nodes), np.int64, n)  # index position -> ours
        order = np.empty(n, np.int64)
        order[at] = np.arange(n)
        order = order.tolist()

        def column(key: str, default: Any = None) -> list:
            values = node_column(G, key, default)
            return [values[k] for k in order]

        rows = np.concatenate([at[ix.heads], at[ix.tails]])
        cols = np.concatenate([at[ix.tails], at[ix.heads]])
        A = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        A.sum_duplicates()
        degree = np.diff(A.indptr).astype(np.int64)

        place = column("municipality_code")
        codes = sorted({m["code"] for m in munis} | set(place) - {None})
        code_pos = {c: k for k, c in enumerate(codes)}
        centroid = {m["code"]: (m.get("lat"), m.get("lon")) for m in munis}
        municipality = np.array([code_pos.get(c, -1) for c in place], dtype=np.int64)
        lat, lon = np.full(n, np.nan), np.full(n, np.nan)
        for i, point in enumerate(zip(column("lat"), column("lon"))):
            if point[0] is None or point[1] is None:
                point = centroid.get(place[i], (None, None))
            if point[0] is not None and point[1] is not None:
                lat[i], lon[i] = math.radians(point[0]), math.radians(point[1])

        m = len(codes)
        observed = np.zeros((m, m), dtype=np.int64)
        mu, mv = municipality[A.nonzero()[0]], municipality[A.nonzero()[1]]
        known = (mu >= 0) & (mv >= 0)
        np.add.at(observed, (mu[known], mv[known]), 1)
        # each tie is counted from both ends: once in each of (a, b) and (b, a), twice in (a, a)
        observed[np.diag_indices(m)] //= 2

        art, art_vocab = _vocabulary_matrix([list(a or []) for a in column("art_forms")])
        target, target_vocab = _vocabulary_matrix([list(a or []) for a in column("target_groups")])
        # a node without a ``size`` (a graph built by hand) is sized from its whole dict
        sized = [resolved_size(G.nodes[v]) if size is _ABSENT else resolved_size({"size": size, "size_source": source})
                 for v, size, source in zip(ids, column("size", _ABSENT), column("size_source"))]
        sizes = [size for size, _ in sized]
        labels = column("label")
        return cls(
            ids=ids,
            position=position,
            adjacency=A,
            degree=degree,
            names=[name or str(v) for v, name in zip(ids, column("name"))],
            labels=labels,
            kinds=column("kind"),
            sizes=sizes,
            size_level=np.array([SIZE_LEVEL.get(s, UNKNOWN_LEVEL) for s in sizes], dtype=np.int64),
            size_sources=[source for _, source in sized],
            n_projects=column("n_projects"),
            last_project_year=column("last_project_year"),
            is_institution=np.array([label == "Institution" for label in labels], bool),
            art=art,
            art_vocab=art_vocab,
            art_count=art.sum(axis=1),
            target=target,
            target_vocab=target_vocab,
            target_count=target.sum(axis=1),
            municipality=municipality,
            municipality_codes=tuple(codes),
            municipality_names={m["code"]: m.get("name") or m["code"] for m in munis},
            lat=lat,
            lon=lon,
            observed=observed,
            xyz=np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]),
            art_bits=_bitsets(art),
            target_bits=_bitsets(target),
        )

    # --- components ------------------------------------------------------------------

    def partner_weights(self, kind: str) -> np.ndarray:
        """Per node, what it adds as a shared partner: 1/log(deg) or 1/deg (0 below degree 2)."""
        if kind not in self._weights:
            d = self.degree.astype(float)
            w = np.zeros(len(d))
            ok = d >= 2
            w[ok] = 1.0 / (np.log(d[ok]) if kind == "adamic_adar" else d[ok])
            self._weights[kind] = w
        return self._weights[kind]

    def neighbours(self, i: int) -> np.ndarray:
        return self.adjacency.indices[self.adjacency.indptr[i]:self.adjacency.indptr[i + 1]]

    def shared_partners(self, i: int) -> dict[str, np.ndarray]:
        """Common-neighbour count, Adamic-Adar and resource allocation of ``i`` with every node.

        Only the partners' own rows are read (the sum of their degrees, not all ties).
        """
        indptr, indices, n = self.adjacency.indptr, self.adjacency.indices, len(self.ids)
        nbrs = self.neighbours(i)
        lengths = self.degree[nbrs]
        total = int(lengths.sum())
        # position of every tie of every partner in ``indices``
        offsets = np.repeat(indptr[nbrs] - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        reached, via = indices[offsets], np.repeat(nbrs, lengths)
        return {
            "common": np.bincount(reached, minlength=n).astype(float),
            "adamic_adar": np.bincount(reached, self.partner_weights("adamic_adar")[via], minlength=n),
            "resource_allocation": np.bincount(
                reached, self.partner_weights("resource_allocation")[via], minlength=n),
        }

    @staticmethod
    def jaccard(bits: np.ndarray, i: int) -> np.ndarray:
        """Jaccard index of node ``i``'s set with every node's (0 when both are empty)."""
        if bits.shape[1] == 1:  # up to 64 values: one word, no sum over words
            bits = bits[:, 0]
            inter, union = np.bitwise_count(bits & bits[i]), np.bitwise_count(bits | bits[i])
        else:
            inter = np.bitwise_count(bits & bits[i]).sum(axis=1, dtype=np.int64)
            union = np.bitwise_count(bits | bits[i]).sum(axis=1, dtype=np.int64)
        out = np.zeros(len(bits))
        np.divide(inter, union, out=out, where=union > 0)
        return out

    def distance_km(self, i: int) -> np.ndarray:
        """Great-circle distance (haversine) from node ``i`` to every node; NaN if unknown."""
        # the chord between unit vectors (|p - q|² = 2 - 2 p·q): the same distance as
        # haversine, with one small matrix-vector product instead of trigonometry
        chord = np.sqrt(np.maximum(2.0 - 2.0 * (self.xyz @ self.xyz[i]), 0.0))
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord / 2, 1.0))

    def lack_matrix(self, lacking: Any) -> np.ndarray:
        """The lack score of every municipality pair (indices of ``municipality_codes``)."""
        L = np.zeros((len(self.municipality_codes),) * 2)
        where = {c: k for k, c in enumerate(self.municipality_codes)}
        for pair, score in lack_scores(lacking).items():
            a, b = (sorted(pair) * 2)[:2]
            if a in where and b in where:
                L[where[a], where[b]] = L[where[b], where[a]] = score
        return L

    def pieces(self, i: int, lack: np.ndarray) -> dict[str, np.ndarray]:
        """The raw figures of node ``i`` with every node, before any parameter applies."""
        mi = self.municipality[i]
        regional = np.zeros(len(self.ids))
        if mi >= 0:
            mj = self.municipality
            regional = np.where((mj >= 0) & (mj != mi), lack[mi, np.maximum(mj, 0)], 0.0)
        km = self.distance_km(i)
        km[i] = np.nan  # its own 0 km must not lower the mean penalty of unknown places
        return self.shared_partners(i) | {
            "art_jaccard": self.jaccard(self.art_bits, i),
            "target_jaccard": self.jaccard(self.target_bits, i),
            "size_gap": size_gap(self.size_level, self.size_level[i]),
            "regional": regional,
            "distance_km": km,
        }


def components(pieces: Mapping[str, np.ndarray], params: SuggestionParams) -> dict[str, np.ndarray]:
    """The five components (and the raw figures behind them) from ``SuggestionIndex.pieces``."""
    raw = pieces[params.structure_index]
    share = params.art_form_share
    return {
        "structure": raw / (raw + params.structure_half),
        "similarity": share * pieces["art_jaccard"] + (1 - share) * pieces["target_jaccard"],
        "complementarity": pieces["size_gap"] / 2.0,
        "regional": pieces["regional"],
        "distance": distance_penalty(pieces["distance_km"], params.distance_scale_km),
        "common": pieces["common"],
        "raw_structure": raw,
        "distance_km": pieces["distance_km"],
    }


def distance_penalty(km: np.ndarray, scale: float) -> np.ndarray:
    """min(km / scale, 1); where the distance is unknown (no place for one of the two), the
    mean penalty of the candidates whose distance is known, so an organisation without a
    location gets no advantage (0 when no distance is known at all).

    >>> distance_penalty(np.array([0.0, 50.0, np.nan]), 100.0).tolist()
    [0.0, 0.5, 0.25]
    """
    penalty = np.minimum(km / scale, 1.0)
    known = np.isfinite(penalty)
    fill = float(penalty[known].mean()) if known.any() else 0.0
    return np.where(known, penalty, fill)


def total_score(comps: Mapping[str, np.ndarray], params: SuggestionParams) -> np.ndarray:
    w = params.weights()
    return (w["structure"] * comps["structure"] + w["similarity"] * comps["similarity"]
            + w["complementarity"] * comps["complementarity"] + w["regional"] * comps["regional"]
            - w["distance"] * comps["distance"])


def positive_part(comps: Mapping[str, np.ndarray], params: SuggestionParams) -> np.ndarray:
    """The score before the distance penalty: a candidate with none has nothing to say for it."""
    w = params.weights()
    return sum(w[c] * comps[c] for c in COMPONENTS if c != "distance")


_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def suggestion_index(G: nx.Graph, municipalities: Iterable[Any] | None = None) -> SuggestionIndex:
    """The ``SuggestionIndex`` of ``G``, built on first use and cached while ``G`` lives.

    The cache is keyed by the graph object, its node count and the municipality rows: build
    a new graph, as the projection does after every write, rather than editing one in place.
    (Counting the edges to notice an edit costs 60 ms on 300,000 ties, more than a whole
    suggestion.)
    """
    rows = None if municipalities is None else list(municipality_rows(municipalities).values())
    key = None if rows is None else tuple(tuple(m.values()) for m in rows)
    cached = _INDEXES.get(G)
    if cached is None or cached[0] != (len(G), key):
        cached = ((len(G), key), SuggestionIndex.from_graph(G, rows))
        _INDEXES[G] = cached
    return cached[1]


def lack_scores(lacking: Any) -> dict[frozenset, float]:
    """Municipality pairs lacking ties → lack score in [0, 1].

    ``lacking`` is ``None``; a set of pairs (score 1); a mapping pair → score; or a gaps
    result whose ``pairs`` table has ``code_a``, ``code_b``, ``observed``, ``expected`` and
    ``lacking`` (score ``1 - observed / expected``, at least 0).

    >>> lack_scores({frozenset({"665", "751"})})[frozenset({"751", "665"})]
    1.0
    >>> lack_scores({("665", "751"): 0.25}) == {frozenset({"665", "751"}): 0.25}
    True
    """
    if lacking is None:
        return {}
    table = getattr(lacking, "pairs", None)
    if table is not None and hasattr(table, "itertuples"):
        out = {}
        for r in table.itertuples(index=False):
            if bool(r.lacking) and r.code_a != r.code_b:
                ratio = r.observed / r.expected if r.expected else 1.0
                out[frozenset((str(r.code_a), str(r.code_b)))] = float(min(1.0, max(0.0, 1 - ratio)))
        return out
    if isinstance(lacking, Mapping):
        return {frozenset(p): float(min(1.0, max(0.0, s))) for p, s in lacking.items()}
    return {frozenset(p): 1.0 for p in lacking}


# --- results -------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """One suggested partner."""

    id: str
    name: str
    label: str | None
    kind: str | None
    size: str | None
    size_source: str
    municipality_code: str | None
    municipality: str | None
    score: float
    components: dict[str, float]
    shared_partners: list[str]
    distance_km: float | None
    reasons: list[str]
    reason_codes: list[str]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Suggestions:
    """Partner suggestions for one organisation, with the parameters that made them."""

    org_id: str
    org_name: str
    k: int
    params: SuggestionParams
    filters: SuggestionFilters
    lang: str
    lacking_pairs: int
    suggestions: list[Suggestion]
    definitions: dict[str, str] = field(default_factory=dict)
    data_version: int | None = None
    years: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "org_id": self.org_id,
            "org_name": self.org_name,
            "k": self.k,
            "lang": self.lang,
            "data_version": self.data_version,
            "years": list(self.years) if self.years else None,
            "params": self.params.model_dump(),
            "filters": self.filters.model_dump(),
            "lacking_pairs": self.lacking_pairs,
            "definitions": self.definitions,
            "data": [s.to_dict() for s in self.suggestions],
            "count": len(self.suggestions),
        }


DEFINITIONS = {
    "structure": "raw / (raw + structure_half); raw = Σ over shared partners w of 1/log(deg w) "
    "(Adamic-Adar) or 1/deg w (resource allocation)",
    "similarity": "art_form_share · Jaccard(art forms) + (1 − art_form_share) · Jaccard(target groups)",
    "complementarity": "|size level a − size level b| / 2 with small 0, medium 1, large 2; "
    "0 when either size is unknown",
    "regional": "lack score of the municipality pair (1 − observed/expected) when the gaps "
    "analysis marks it lacking, else 0",
    "distance": "min(km / distance_scale_km, 1), km between own coordinates or municipality "
    "centroids; subtracted",
    "score": "Σ weight · component over structure, similarity, complementarity, regional, minus "
    "distance_weight · distance",
}


# --- reasons -------------------------------------------------------------------------


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" og " if lang == "da" else " and ") + items[-1]


def _km(km: float, lang: str) -> str:
    return number(km, lang, 1 if km < 10 else 0)


def _n(k: int, one: str, many: str) -> str:
    return f"{k} {one if k == 1 else many}"


# code -> language -> sentence; the codes go with the sentences as ``reason_codes``
REASONS: dict[str, dict[str, Any]] = {
    "shared_partners": {
        "da": lambda k, names: f"deler {_n(k, 'partner', 'partnere')} ({names})",
        "en": lambda k, names: f"shares {_n(k, 'partner', 'partners')} ({names})",
    },
    "shared_art_forms_and_groups": {
        "da": lambda arts, groups: f"begge arbejder med {arts} for {groups}",
        "en": lambda arts, groups: f"both work with {arts} for {groups}",
    },
    "shared_art_forms": {
        "da": lambda arts: f"begge arbejder med {arts}",
        "en": lambda arts: f"both work with {arts}",
    },
    "shared_target_groups": {
        "da": lambda groups: f"begge henvender sig til {groups}",
        "en": lambda groups: f"both reach {groups}",
    },
    # said only when both sizes are known; each size with where it came from
    "small_and_large": {
        "da": lambda big, big_size, small, small_size:
            f"{big} ({big_size}) har viden, der kan nå {small} ({small_size})",
        "en": lambda big, big_size, small, small_size:
            f"{big} ({big_size}) has knowledge that can reach {small} ({small_size})",
    },
    "size_step": {
        "da": lambda big, big_size, small, small_size:
            f"{big} ({big_size}) er større og har viden, der kan nå {small} ({small_size})",
        "en": lambda big, big_size, small, small_size:
            f"{big} ({big_size}) is larger and has knowledge that can reach {small} ({small_size})",
    },
    "lacking_pair_no_ties": {
        "da": lambda a, b: f"{a} og {b} har ingen samarbejder endnu",
        "en": lambda a, b: f"{a} and {b} have no ties yet",
    },
    "lacking_pair_few_ties": {
        "da": lambda a, b, k: f"{a} og {b} har kun {_n(k, 'samarbejde', 'samarbejder')} – færre end forventet",
        "en": lambda a, b, k: f"{a} and {b} have only {_n(k, 'tie', 'ties')} – fewer than expected",
    },
    "same_municipality": {
        "da": lambda km: f"i samme kommune ({km} km)",
        "en": lambda km: f"in the same municipality ({km} km)",
    },
    "distance": {
        "da": lambda km: f"{km} km fra hinanden",
        "en": lambda km: f"{km} km apart",
    },
    "distance_unknown": {
        "da": lambda: "afstanden er ukendt (intet sted): regnet med den gennemsnitlige afstandsstraf",
        "en": lambda: "distance unknown (no location): the mean distance penalty applies",
    },
}


def _shared(X: np.ndarray, vocab: tuple[str, ...], i: int, j: int) -> list[str]:
    return [vocab[k] for k in np.flatnonzero((X[i] > 0) & (X[j] > 0))]


@dataclass(frozen=True)
class Explanation:
    reasons: list[str]
    codes: list[str]
    shared_partners: list[str]


def explain_pair(
    index: SuggestionIndex,
    i: int,
    j: int,
    comps: Mapping[str, float],
    *,
    params: SuggestionParams,
    lang: Lang = "da",
) -> Explanation:
    """Reasons in words for suggesting node ``j`` to node ``i``, their codes (``REASONS``)
    and the names of the partners the two share.

    ``comps`` holds this pair's ``regional`` component and ``distance_km``.
    """
    said: list[tuple[str, str]] = []

    def say(code: str, **values: Any) -> None:
        said.append((code, REASONS[code][lang](**values)))

    shared_ids = np.intersect1d(index.neighbours(i), index.neighbours(j), assume_unique=True)
    shared = sorted((index.names[s] for s in shared_ids), key=str.casefold)
    if shared:
        named = shared[: params.reason_partners]
        say("shared_partners", k=len(shared), names=", ".join(named) + (", …" if len(shared) > len(named) else ""))
    arts = _shared(index.art, index.art_vocab, i, j)
    groups = _shared(index.target, index.target_vocab, i, j)
    # "scenekunst for børn" already names the group "børn"
    groups = [g for g in groups if not any(g.casefold() in a.casefold().split() for a in arts)]
    if arts and groups:
        say("shared_art_forms_and_groups", arts=_join(arts, lang), groups=_join(groups, lang))
    elif arts:
        say("shared_art_forms", arts=_join(arts, lang))
    elif groups:
        say("shared_target_groups", groups=_join(groups, lang))
    gap = int(size_gap(index.size_level[i], index.size_level[j]))
    if gap:  # both sizes known (an unknown size is never called small or large)
        big, small = (i, j) if index.size_level[i] > index.size_level[j] else (j, i)
        say("small_and_large" if gap == 2 else "size_step",
            big=index.names[big], big_size=size_text(index.sizes[big], index.size_sources[big], lang, inline=True),
            small=index.names[small],
            small_size=size_text(index.sizes[small], index.size_sources[small], lang, inline=True))
    mi, mj = index.municipality[i], index.municipality[j]
    if comps.get("regional", 0) > 0:
        ca, cb = index.municipality_codes[mi], index.municipality_codes[mj]
        a, b = index.municipality_names.get(ca, ca), index.municipality_names.get(cb, cb)
        ties = int(index.observed[mi, mj])
        if ties:
            say("lacking_pair_few_ties", a=a, b=b, k=ties)
        else:
            say("lacking_pair_no_ties", a=a, b=b)
    km = comps.get("distance_km")
    if km is not None and not math.isnan(km):
        say("same_municipality" if mi >= 0 and mi == mj else "distance", km=_km(km, lang))
    else:
        say("distance_unknown")
    return Explanation([text for _, text in said], [code for code, _ in said], shared)


# --- the suggestions -----------------------------------------------------------------


def _codes(index: SuggestionIndex, values: list[str]) -> set[str]:
    by_name = {index.municipality_names.get(c, c).casefold(): c for c in index.municipality_codes}
    codes = set()
    for v in values:
        code = v if v in index.municipality_codes else by_name.get(v.strip().casefold())
        if code is None:
            known = ", ".join(f"{c} {index.municipality_names.get(c, c)}" for c in index.municipality_codes)
            raise InputError(f"unknown municipality {v!r}; give a code or name of one of: {known}")
        codes.add(code)
    return codes


def _vocab_columns(vocab: tuple[str, ...], values: list[str], what: str) -> list[int]:
    wanted = {v.strip().casefold() for v in values}
    cols = [k for k, v in enumerate(vocab) if v.casefold() in wanted]
    missing = wanted - {vocab[k].casefold() for k in cols}
    if missing:
        raise InputError(
            f"no organisation has the {what} {', '.join(repr(m) for m in sorted(missing))}; "
            f"known: {', '.join(vocab) or '(none)'}"
        )
    return cols


def candidate_mask(index: SuggestionIndex, filters: SuggestionFilters, km: np.ndarray) -> np.ndarray:
    """True for every node the filters let through (self and partners not yet removed)."""
    ok = np.ones(len(index.ids), dtype=bool)
    if filters.municipality:
        codes = _codes(index, filters.municipality)
        allowed = np.array([c in codes for c in index.municipality_codes] + [False])
        ok &= allowed[index.municipality]  # -1 (unknown) picks the trailing False
    if filters.kind:
        vocab = tuple(sorted({k for k in index.kinds if k}))
        kinds = {vocab[c].casefold() for c in _vocab_columns(vocab, filters.kind, "kind")}
        ok &= np.array([(k or "").casefold() in kinds for k in index.kinds])
    if filters.art_form:
        cols = _vocab_columns(index.art_vocab, filters.art_form, "art form")
        ok &= index.art[:, cols].sum(axis=1) > 0
    if filters.max_distance_km is not None:
        ok &= np.nan_to_num(km, nan=np.inf) <= filters.max_distance_km
    if filters.only_institutions:
        ok &= index.is_institution
    if filters.only_small:
        ok &= index.size_level == SIZE_LEVEL["small"]
    return ok


def ranked(score: np.ndarray, ok: np.ndarray, k: int, per_group: np.ndarray | None = None,
           max_per_group: int | None = None) -> np.ndarray:
    """The top ``k`` of ``score`` among ``ok``: by score, ties by position; at most
    ``max_per_group`` from one value of ``per_group`` when given."""
    cand = np.flatnonzero(ok)
    score = np.round(score, 12)  # equal sums in another order must tie and go by position
    if max_per_group is None and len(cand) > k:
        cut = np.partition(score[cand], len(cand) - k)[len(cand) - k]
        cand = cand[score[cand] >= cut]
    order = cand[np.lexsort((cand, -score[cand]))]
    if max_per_group is None:
        return order[:k]
    taken: dict[int, int] = {}
    out = []
    for j in order:
        g = int(per_group[j])
        if taken.get(g, 0) < max_per_group:
            taken[g] = taken.get(g, 0) + 1
            out.append(j)
            if len(out) == k:
                break
    return np.array(out, dtype=np.int64)


def suggest_partners(
    G: nx.Graph,
    org: str,
    k: int = 10,
    *,
    params: SuggestionParams | None = None,
    lacking: Any = None,
    lang: Lang = "da",
    municipalities: Iterable[Any] | None = None,
    model: Any = None,
    **filters: Any,
) -> Suggestions:
    """The ``k`` best new partners for ``org``, each with its score, components and reasons.

    Parameters
    ----------
    G : nx.Graph
        An organisation graph (``graphsvc.analysis.organisation_graph``).
    org : str
        The organisation's id.
    k : int
        How many suggestions at most.
    params : SuggestionParams, optional
        Weights and shapes of the score (defaults when omitted).
    lacking : set, mapping or gaps result, optional
        The municipality pairs lacking ties (see ``lack_scores``); without it the regional
        component is 0.
    lang : {"da", "en"}
        Language of the reasons.
    municipalities : iterable, optional
        Municipality rows (code, name, lat, lon); default the region's reference data.
    model : RankerModel, optional
        The learned model (``params.ranker == "learned"``); default the shipped one.
    **filters
        Fields of ``SuggestionFilters``: ``municipality``, ``kind``, ``art_form`` (lists),
        ``max_distance_km``, ``only_institutions``, ``only_small``.

    Returns
    -------
    Suggestions
        Ranked by score (ties by id). The learned ranker (the default) scores every
        candidate by its log-odds of a new tie, plus the policy layer's bonus
        (``analysis.policy``); its reasons come from the features that contributed most
        (``analysis.learned_reasons``). The weighted score suggests only candidates with
        something positive to say for them (a shared partner, a shared art form or target
        group, a size gap or a lacking municipality pair).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([("a", {"label": "Actor", "name": "A", "size": "small", "municipality_code": "665"}),
    ...     ("b", {"label": "Actor", "name": "B", "size": None, "municipality_code": "665"}),
    ...     ("c", {"label": "Institution", "name": "C", "size": "large", "municipality_code": "751"})])
    >>> G.add_edges_from([("a", "b"), ("b", "c")])
    >>> weighted = SuggestionParams(ranker="weighted")
    >>> result = suggest_partners(G, "a", params=weighted, lacking={frozenset({"665", "751"})})
    >>> [(s.id, round(s.score, 3)) for s in result.suggestions]
    [('c', 0.891)]
    >>> result.suggestions[0].reasons[:2]
    ['deler 1 partner (B)', 'C (stor, oplyst) har viden, der kan nå A (lille, oplyst)']
    """
    if k < 1:
        raise InputError(f"k must be at least 1 (got {k})")
    params = params or SuggestionParams()
    try:
        chosen = SuggestionFilters(**filters)
    except ValidationError as e:
        raise InputError(f"invalid suggestion filters: {e.errors()[0]['loc']}: {e.errors()[0]['msg']}") from e
    index = suggestion_index(G, municipalities)
    if org not in index.position:
        raise NotFound(f"no organisation with id {org!r} in the graph")
    i = index.position[org]
    lack_table = lack_scores(lacking)
    lack = index.lack_matrix(lack_table)
    pieces = index.pieces(i, lack)
    comps = components(pieces, params)
    learned = params.ranker == "learned"
    if learned:
        from graphsvc.analysis.learned_reasons import distinct, learned_explanation
        from graphsvc.analysis.linkpred import link_index, query_features
        from graphsvc.analysis.policy import policy_bonus
        from graphsvc.analysis.ranker import shipped_model

        model = model or shipped_model()
        li = link_index(G, index)
        X = query_features(li, i, lack, pieces)
        score = model.score(X) + policy_bonus(index, i, pieces["regional"], params.policy_strength)
        ok = candidate_mask(index, chosen, comps["distance_km"])
    else:
        score = total_score(comps, params)
        ok = candidate_mask(index, chosen, comps["distance_km"]) & (positive_part(comps, params) > 0)
    ok[i] = False
    ok[index.neighbours(i)] = False
    top = ranked(score, ok, k, index.municipality, params.max_per_municipality)
    whys = []
    for j in top:
        values = {c: float(comps[c][j]) for c in (*COMPONENTS, "common", "raw_structure", "distance_km")}
        if learned:
            paths3 = float(pieces["common"][index.neighbours(j)].sum())
            whys.append(learned_explanation(index, i, j, model.contributions(X[j]), values, params=params,
                                            lang=lang, paths3=paths3))
        else:
            whys.append(explain_pair(index, i, j, values, params=params, lang=lang))
    if learned:
        whys = distinct(whys, index, list(top), lang)
    out = []
    for j, why in zip(top, whys):
        values = {c: float(comps[c][j]) for c in (*COMPONENTS, "common", "raw_structure", "distance_km")}
        code = index.municipality_codes[index.municipality[j]] if index.municipality[j] >= 0 else None
        km = values["distance_km"]
        out.append(Suggestion(
            id=index.ids[j],
            name=index.names[j],
            label=index.labels[j],
            kind=index.kinds[j],
            size=index.sizes[j],
            size_source=index.size_sources[j],
            municipality_code=code,
            municipality=index.municipality_names.get(code, code) if code else None,
            score=float(score[j]),
            components={c: values[c] for c in COMPONENTS} | {
                params.structure_index: values["raw_structure"], "common_partners": int(values["common"])},
            shared_partners=why.shared_partners,
            distance_km=None if math.isnan(km) else km,
            reasons=why.reasons,
            reason_codes=why.codes,
        ))
    return Suggestions(
        org_id=org,
        org_name=index.names[i],
        k=k,
        params=params,
        filters=chosen,
        lang=lang,
        lacking_pairs=len(lack_table),
        suggestions=out,
        definitions=dict(DEFINITIONS),
        data_version=graph_provenance(G)[0],
        years=graph_provenance(G)[1],
    )


def gaps_lacking(G: nx.Graph, municipalities: Iterable[Any] | None = None, *,
                 params: AnalysisParams | None = None) -> dict[frozenset, float]:
    """The lack scores of ``G``'s municipality pairs from the gaps analysis
    (``graphsvc.analysis.gaps.municipality_gaps``: the pairs in state ``lacking``)."""
    from graphsvc.analysis.gaps import municipality_gaps

    return lack_scores(municipality_gaps(G, municipalities, params=params))
