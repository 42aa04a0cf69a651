"""Offline quality of the partner suggestions: hide ties, suggest, count the hits.

A *split* is a training graph and the ties hidden from it. For every organisation with at
least one hidden tie (a *query*), each scorer ranks every organisation that is neither the
query itself nor one of its training partners, and we count:

- precision@k: hidden partners among the top ``k``, divided by ``k``;
- recall@k: hidden partners among the top ``k``, divided by the query's hidden partners;
- MRR: 1 / the rank of the first hidden partner in the full ranking.

Each is averaged over the queries. Scorers: ``random`` (seeded), ``common_neighbours``,
``adamic_adar`` and ``full`` (the product's score with given ``SuggestionParams``). The
full scorer ranks only candidates it would suggest (something positive to say for them)
ahead of the rest, exactly like ``suggest_partners``. Equal scores are broken by one seeded
random order shared by every scorer (the ids of generated data follow their
municipality, so an id order would favour some candidates for free).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx
import numpy as np

from graphsvc.analysis.projection import GraphData, organisation_graph
from graphsvc.analysis.suggestions import (
    SuggestionIndex,
    SuggestionParams,
    components,
    positive_part,
    suggestion_index,
    total_score,
)

__all__ = [
    "LinkSplit",
    "ScorerResult",
    "EvaluationReport",
    "BASELINES",
    "TUNING_GRID",
    "time_split",
    "random_split",
    "women_graph",
    "rank_metrics",
    "evaluate_split",
    "tune_params",
    "evaluate_time",
    "evaluate_random",
]

BASELINES = ("random", "common_neighbours", "adamic_adar")
_PIECE = {"common_neighbours": "common", "adamic_adar": "adamic_adar"}
_DECIMALS = 12

TUNING_GRID: dict[str, tuple[Any, ...]] = {
    "similarity_weight": (0.0, 0.1, 0.2, 0.4, 0.8, 1.6),
    "complementarity_weight": (0.0, 0.1, 0.2, 0.4, 0.8),
    "regional_weight": (0.0, 0.1, 0.3),
    "distance_weight": (0.0, 0.1, 0.2, 0.4, 0.8, 1.6),
    "distance_scale_km": (25.0, 50.0, 100.0, 200.0),
    "structure_half": (0.25, 0.5, 1.0, 2.0, 4.0),
    "structure_index": ("adamic_adar", "resource_allocation"),
    "art_form_share": (0.25, 0.5, 0.75, 1.0),
}


@dataclass(frozen=True)
class LinkSplit:
    """A training graph and the ties hidden from it (each pair once, as sorted ids)."""

    name: str
    train: nx.Graph
    hidden: list[tuple[str, str]]
    description: str

    def hidden_by_node(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for a, b in self.hidden:
            out.setdefault(a, []).append(b)
            out.setdefault(b, []).append(a)
        return out


@dataclass(frozen=True)
class ScorerResult:
    scorer: str
    precision: float
    recall: float
    mrr: float
    queries: int
    params: dict[str, Any] | None = None


@dataclass(frozen=True)
class EvaluationReport:
    """Metrics of every scorer on one split."""

    dataset: str
    description: str
    k: int
    seed: int
    nodes: int
    train_ties: int
    hidden_ties: int
    queries: int
    results: list[ScorerResult]
    notes: list[str] = field(default_factory=list)

    def result(self, scorer: str) -> ScorerResult:
        return next(r for r in self.results if r.scorer == scorer)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "description": self.description,
            "k": self.k,
            "seed": self.seed,
            "nodes": self.nodes,
            "train_ties": self.train_ties,
            "hidden_ties": self.hidden_ties,
            "queries": self.queries,
            "results": [r.__dict__ for r in self.results],
            "notes": self.notes,
        }

    def table(self) -> str:
        """A Markdown table of the scorers' metrics."""
        k = self.k
        lines = [f"| scorer | precision@{k} | recall@{k} | MRR |", "|---|---:|---:|---:|"]
        lines += [f"| {r.scorer} | {r.precision:.4f} | {r.recall:.4f} | {r.mrr:.4f} |" for r in self.results]
        return "\n".join(lines)


# --- data and splits -----------------------------------------------------------------


_EARLIEST = 1900  # no project starts before it (``Project.start_year``)


def time_split(data: GraphData, *, test_years: tuple[int, int] = (2024, 2025),
               name: str = "time split") -> LinkSplit:
    """Train on everything known before ``test_years``; hide the ties first formed in them.

    The training graph is the organisation graph of the years up to the first test year
    (projects started by then, collaborations declared by then or undated); the hidden
    ties are the ties of the graph up to the last test year that it lacks. Ties formed
    after ``test_years`` are dropped from both sides.
    """
    start, end = test_years
    train = organisation_graph(data, years=(_EARLIEST, start - 1))
    later = organisation_graph(data, years=(_EARLIEST, end))
    hidden = sorted(tuple(sorted((a, b))) for a, b in later.edges if not train.has_edge(a, b))
    return LinkSplit(name, train, hidden,
                     f"ties first formed {start}–{end} hidden; trained on the years before")


def random_split(G: nx.Graph, *, fraction: float = 0.2, seed: int = 0, name: str = "random split") -> LinkSplit:
    """Hide a seeded random ``fraction`` of the ties of ``G``."""
    edges = sorted(tuple(sorted((a, b), key=str)) for a, b in G.edges)
    rng = np.random.default_rng(seed)
    n_hidden = round(fraction * len(edges))
    hide = set(rng.choice(len(edges), size=n_hidden, replace=False).tolist())
    train = nx.Graph()
    train.add_nodes_from(G.nodes(data=True))
    train.add_edges_from((a, b, G.edges[a, b]) for k, (a, b) in enumerate(edges) if k not in hide)
    hidden = [edges[k] for k in sorted(hide)]
    return LinkSplit(name, train, hidden, f"{n_hidden} of {len(edges)} ties hidden at random (seed {seed})")


def women_graph(min_shared: int = 1) -> nx.Graph:
    """The Davis southern women (Davis, Gardner & Gardner 1941) projected onto the women:
    an edge where two attended at least ``min_shared`` of the same events, weighted by how
    many.

    >>> women_graph().number_of_edges(), women_graph(3).number_of_edges()
    (139, 46)
    """
    B = nx.davis_southern_women_graph()
    women = sorted(n for n, d in B.nodes(data=True) if d["bipartite"] == 0)
    G = nx.bipartite.weighted_projected_graph(B, women)
    G.remove_edges_from([(a, b) for a, b, w in G.edges(data="weight") if w < min_shared])
    for v in G:
        G.nodes[v].update(label="Actor", name=v)
    return G


# --- metrics -------------------------------------------------------------------------


def rank_metrics(key: np.ndarray, candidates: np.ndarray, hits: np.ndarray, tiebreak: np.ndarray,
                 k: int) -> tuple[float, float, float]:
    """Precision@k, recall@k and reciprocal rank of one query.

    ``key``: a score per node (higher first, ties by ``tiebreak`` ascending);
    ``candidates``: the nodes that may be ranked; ``hits``: the hidden partners (all among
    the candidates).

    >>> key = np.array([0.0, 0.9, 0.5, 0.5, 0.1])
    >>> rank_metrics(key, np.array([1, 2, 3, 4]), np.array([3, 4]), np.arange(5), k=2)
    (0.0, 0.0, 0.3333333333333333)
    >>> rank_metrics(key, np.array([1, 2, 3, 4]), np.array([3, 4]), np.arange(5), k=4)
    (0.5, 1.0, 0.3333333333333333)
    """
    key = np.round(key, _DECIMALS)  # sums in another order must tie, not flip on the last bit
    kc, tc = key[candidates], tiebreak[candidates]
    kh, th = key[hits][:, None], tiebreak[hits][:, None]
    rank = 1 + ((kc > kh) | ((kc == kh) & (tc < th))).sum(axis=1)
    found = int((rank <= k).sum())
    return found / k, found / len(hits), 1.0 / float(rank.min())


def _queries(split: LinkSplit, index: SuggestionIndex, max_queries: int | None, seed: int):
    by_node = split.hidden_by_node()
    queries = sorted(by_node, key=str)
    if max_queries is not None and len(queries) > max_queries:
        rng = np.random.default_rng(seed)
        queries = sorted((queries[i] for i in rng.choice(len(queries), max_queries, replace=False)), key=str)
    return [(index.position[q], np.array(sorted(index.position[b] for b in by_node[q]))) for q in queries]


def _scorer_keys(index: SuggestionIndex, pieces: Mapping[str, np.ndarray],
                 scorers: Mapping[str, SuggestionParams | str], rng: np.random.Generator):
    for name, how in scorers.items():
        if isinstance(how, SuggestionParams):
            comps = components(pieces, how)
            yield name, np.where(positive_part(comps, how) > 0, total_score(comps, how), -np.inf)
        elif how == "random":
            yield name, rng.random(len(index.ids))
        else:
            yield name, pieces[_PIECE[how]]


def _evaluate(index, queries, scorers, lack, k, seed) -> dict[str, tuple[float, float, float]]:
    rng = np.random.default_rng(seed)
    tiebreak = rng.permutation(len(index.ids)).astype(float)
    sums = {name: np.zeros(3) for name in scorers}
    for i, hits in queries:
        allowed = np.ones(len(index.ids), dtype=bool)
        allowed[i] = False
        allowed[index.neighbours(i)] = False
        cands = np.flatnonzero(allowed)
        pieces = index.pieces(i, lack)
        for name, key in _scorer_keys(index, pieces, scorers, rng):
            sums[name] += rank_metrics(key, cands, hits, tiebreak, k)
    n = max(len(queries), 1)
    return {name: tuple(float(x) for x in s / n) for name, s in sums.items()}


def evaluate_split(
    split: LinkSplit,
    *,
    full: Mapping[str, SuggestionParams] | None = None,
    lacking: Any = None,
    k: int = 10,
    seed: int = 0,
    max_queries: int | None = None,
) -> EvaluationReport:
    """Precision@k, recall@k and MRR of the baselines and each full scorer in ``full``
    (name → params; default ``{"full": SuggestionParams()}``) on ``split``.

    ``lacking``: the municipality pairs lacking ties, from the *training* graph.
    """
    full = dict(full or {"full": SuggestionParams()})
    index = suggestion_index(split.train)
    queries = _queries(split, index, max_queries, seed)
    scorers: dict[str, SuggestionParams | str] = {b: b for b in BASELINES} | full
    lack = index.lack_matrix(lacking)
    metrics = _evaluate(index, queries, scorers, lack, k, seed)
    results = [
        ScorerResult(name, *metrics[name], queries=len(queries),
                     params=how.model_dump() if isinstance(how, SuggestionParams) else None)
        for name, how in scorers.items()
    ]
    return EvaluationReport(
        dataset=split.name,
        description=split.description,
        k=k,
        seed=seed,
        nodes=split.train.number_of_nodes(),
        train_ties=split.train.number_of_edges(),
        hidden_ties=len(split.hidden),
        queries=len(queries),
        results=results,
    )


def tune_params(
    split: LinkSplit,
    *,
    start: SuggestionParams | None = None,
    grid: Mapping[str, tuple[Any, ...]] = TUNING_GRID,
    lacking: Any = None,
    k: int = 10,
    seed: int = 0,
    rounds: int = 2,
    max_queries: int | None = 500,
) -> tuple[SuggestionParams, list[dict[str, Any]]]:
    """Coordinate ascent of the full scorer's parameters on a *validation* split.

    For each parameter of ``grid`` in turn, try every value with the others fixed and keep
    the best by precision@k (then MRR, then the value it had); ``rounds`` passes. Returns
    the best params and every step's choice.
    """
    best = start or SuggestionParams()
    index = suggestion_index(split.train)
    queries = _queries(split, index, max_queries, seed)
    lack = index.lack_matrix(lacking)
    steps = []
    for _ in range(rounds):
        for name, values in grid.items():
            trials = {repr(v): best.model_copy(update={name: v}) for v in values}
            metrics = _evaluate(index, queries, trials, lack, k, seed)
            current = repr(getattr(best, name))
            chosen = max(trials, key=lambda v: (metrics[v][0], metrics[v][2], v == current))
            best = trials[chosen]
            steps.append({"param": name, "value": getattr(best, name),
                          "precision": metrics[chosen][0], "mrr": metrics[chosen][2]})
    return best, steps


# --- whole evaluations ---------------------------------------------------------------


def _mean_report(reports: list[EvaluationReport], dataset: str, description: str) -> EvaluationReport:
    first = reports[0]
    results = []
    for r in first.results:
        rows = [rep.result(r.scorer) for rep in reports]
        results.append(ScorerResult(
            r.scorer,
            float(np.mean([x.precision for x in rows])),
            float(np.mean([x.recall for x in rows])),
            float(np.mean([x.mrr for x in rows])),
            queries=sum(x.queries for x in rows),
            params=r.params if len(reports) == 1 else None,
        ))
    return EvaluationReport(
        dataset=dataset,
        description=description,
        k=first.k,
        seed=first.seed,
        nodes=first.nodes,
        train_ties=round(float(np.mean([r.train_ties for r in reports]))),
        hidden_ties=round(float(np.mean([r.hidden_ties for r in reports]))),
        queries=sum(r.queries for r in reports),
        results=results,
    )


def _changed(params: SuggestionParams) -> str:
    default = SuggestionParams()
    changes = [f"{k}={v}" for k, v in params.model_dump().items() if v != getattr(default, k)]
    return ", ".join(changes) or "the defaults"


def evaluate_time(
    data: GraphData,
    *,
    name: str,
    test_years: tuple[int, int] = (2024, 2025),
    validation_years: tuple[int, int] = (2022, 2023),
    lacking: Any = None,
    k: int = 10,
    seed: int = 0,
    tune: bool = True,
    tune_queries: int | None = 500,
) -> EvaluationReport:
    """The time-split evaluation of ``data``: baselines, the default full scorer (also
    without its regional goal when ``lacking`` is given) and, with ``tune``, the full
    scorer tuned on ``validation_years`` (trained on the years before
    them; the test years are never seen while tuning).

    ``lacking``: a function from a training graph to its lacking municipality pairs (the
    regional component is 0 without it).
    """
    lacking_of = lacking or (lambda G: None)
    test = time_split(data, test_years=test_years, name=name)
    full: dict[str, SuggestionParams] = {"full": SuggestionParams()}
    if lacking is not None:
        # what the regional nudge costs in accuracy: it points at ties that are missing
        full["full, no regional goal"] = SuggestionParams(regional_weight=0.0)
    notes = []
    if tune:
        val = time_split(data, test_years=validation_years, name=f"{name} validation")
        best, _ = tune_params(val, lacking=lacking_of(val.train), k=k, seed=seed, max_queries=tune_queries)
        full["full, tuned"] = best
        notes.append(f"tuned on ties first formed {validation_years[0]}–{validation_years[1]} "
                     f"(trained on the years before): {_changed(best)}")
    report = evaluate_split(test, full=full, lacking=lacking_of(test.train), k=k, seed=seed)
    return replace(report, notes=notes)


def evaluate_random(
    G: nx.Graph,
    *,
    name: str,
    fraction: float = 0.2,
    splits: int = 50,
    k: int = 10,
    seed: int = 0,
    tune: bool = True,
) -> EvaluationReport:
    """Random-split evaluation of ``G`` averaged over ``splits`` seeded splits (seeds
    ``seed`` … ``seed + splits - 1``); with ``tune``, the full scorer is also tuned per split
    on a second random split of that split's training ties."""
    reports = []
    for s in range(seed, seed + splits):
        test = random_split(G, fraction=fraction, seed=s, name=name)
        full: dict[str, SuggestionParams] = {"full": SuggestionParams()}
        if tune:
            val = random_split(test.train, fraction=fraction, seed=s + 10_000, name=f"{name} validation")
            full["full, tuned"], _ = tune_params(val, k=k, seed=s, max_queries=None)
        reports.append(evaluate_split(test, full=full, k=k, seed=s))
    return _mean_report(
        reports, name,
        f"{round(fraction * 100)}% of the ties hidden at random; mean of {splits} splits "
        f"(seeds {seed}–{seed + splits - 1})",
    )
