"""Offline quality of the partner suggestions: hide ties, suggest, count the hits.

A *split* is a training graph and the ties hidden from it. For every organisation with at
least one hidden tie (a *query*), each scorer ranks every organisation that is neither the
query itself nor one of its training partners, and we count, averaged over the queries:

- precision@k: hidden partners among the top ``k``, divided by ``k``;
- recall@k: hidden partners among the top ``k``, divided by the query's hidden partners;
- MRR: 1 / the rank of the first hidden partner in the full ranking;
- NDCG@k: Σ over hits in the top k of 1/log2(rank + 1), over the same sum for a perfect list.

Scorers: ``random`` (seeded), the classic link predictors (``BASELINES``), a learned
``RankerModel`` (the product's default), the learned model with the policy layer
(``Policy``) and the weighted score of ``SuggestionParams``. Equal scores are broken by one
seeded random order shared by every scorer (the ids of generated data follow their
municipality, so an id order would favour some candidates for free).

Each scorer is compared with Adamic-Adar query by query: the paired bootstrap (seeded,
``BOOTSTRAP`` resamples of the queries) gives a 95% interval of the difference in
precision@k. Strata: queries with and without training ties; hidden ties that come from
a project of ``BIG_PROJECT`` or more organisations in the test window, and the others
(each stratum ranks only its own hidden ties; the other hidden ties are left out).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx
import numpy as np

from graphsvc.analysis.linkpred import baseline_scores, link_index, query_features
from graphsvc.analysis.policy import policy_bonus, small_reach
from graphsvc.analysis.projection import GraphData, organisation_graph
from graphsvc.analysis.ranker import RankerModel, TooLittleData, fit_ranker, shipped_model
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
    "Policy",
    "ScorerResult",
    "EvaluationReport",
    "BASELINES",
    "BIG_PROJECT",
    "BOOTSTRAP",
    "TUNING_GRID",
    "time_split",
    "random_split",
    "women_graph",
    "rank_metrics",
    "query_metrics",
    "paired_interval",
    "evaluate_split",
    "tune_params",
    "evaluate_time",
    "evaluate_random",
]

BASELINES = ("random", "common_neighbours", "adamic_adar", "resource_allocation",
             "preferential_attachment", "katz", "rooted_pagerank")
BIG_PROJECT = 20
BOOTSTRAP = 2000
DEFAULT = "learned"
_DECIMALS = 12
STRATA = ("with past ties", "without past ties", "hidden ties from 20+ projects", "other hidden ties")

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
    """A training graph and the ties hidden from it (each pair once, as sorted ids);
    ``big_pairs``: the hidden ties that come from a project of ``BIG_PROJECT`` or more."""

    name: str
    train: nx.Graph
    hidden: list[tuple[str, str]]
    description: str
    big_pairs: frozenset = frozenset()

    def hidden_by_node(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for a, b in self.hidden:
            out.setdefault(a, []).append(b)
            out.setdefault(b, []).append(a)
        return out


@dataclass(frozen=True)
class Policy:
    """The learned model followed by the policy layer of ``strength`` (``analysis.policy``)."""

    model: RankerModel
    strength: float


@dataclass(frozen=True)
class ScorerResult:
    scorer: str
    precision: float
    recall: float
    mrr: float
    ndcg: float
    queries: int
    default: bool = False
    vs_adamic_adar: dict[str, float] | None = None
    share_lacking: float | None = None
    share_small_large: float | None = None
    strata: dict[str, dict[str, float]] = field(default_factory=dict)
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
    big_hidden_ties: int = 0

    def result(self, scorer: str) -> ScorerResult:
        return next(r for r in self.results if r.scorer == scorer)

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "results"}
        out["results"] = [r.__dict__ for r in self.results]
        return out

    def table(self) -> str:
        """Markdown: every scorer's metrics, with the paired 95% interval against Adamic-Adar."""
        k = self.k
        lines = [f"| scorer | P@{k} | 95% interval of P@{k} − AA | × AA | recall@{k} | MRR | NDCG@{k} "
                 f"| lacking border | small↔large |",
                 "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in self.results:
            v = r.vs_adamic_adar or {}
            ci = f"[{v['low']:+.4f}, {v['high']:+.4f}]" if v else ""
            ratio = f"{v['ratio']:.2f}" if v.get("ratio") is not None else ""
            name = f"**{r.scorer}** (default)" if r.default else r.scorer
            lines.append(f"| {name} | {r.precision:.4f} | {ci} | {ratio} | {r.recall:.4f} | {r.mrr:.4f} "
                         f"| {r.ndcg:.4f} | {r.share_lacking:.2f} | {r.share_small_large:.2f} |")
        return "\n".join(lines)

    def strata_table(self) -> str:
        """Markdown: precision@k per stratum, with the interval against Adamic-Adar."""
        lines = ["| scorer | " + " | ".join(STRATA) + " |", "|---|" + "---:|" * len(STRATA)]
        counts = {s: self.results[0].strata.get(s, {}).get("queries", 0) for s in STRATA}
        lines.append("| queries | " + " | ".join(str(counts[s]) for s in STRATA) + " |")
        for r in self.results:
            cells = []
            for s in STRATA:
                x = r.strata.get(s)
                if not x:
                    cells.append("–")
                    continue
                ci = f" [{x['low']:+.3f}, {x['high']:+.3f}]" if "low" in x else ""
                cells.append(f"{x['precision']:.4f}{ci}")
            lines.append(f"| {r.scorer} | " + " | ".join(cells) + " |")
        return "\n".join(lines)


# --- data and splits -----------------------------------------------------------------


_EARLIEST = 1900  # no project starts before it (``Project.start_year``)


def _big_project_pairs(data: GraphData, years: tuple[int, int]) -> set[tuple[str, str]]:
    """Pairs of organisations sharing a project of ``BIG_PROJECT``+ organisations that
    starts within ``years``."""
    starts = {p["id"]: p.get("start_year") for p in data.projects}
    members: dict[str, set[str]] = {}
    for r in data.participations:
        s = starts.get(r["project_id"])
        if s is not None and years[0] <= s <= years[1]:
            members.setdefault(r["project_id"], set()).add(r["org_id"])
    pairs = set()
    for orgs in members.values():
        if len(orgs) >= BIG_PROJECT:
            ordered = sorted(orgs)
            pairs.update((a, b) for k, a in enumerate(ordered) for b in ordered[k + 1:])
    return pairs


def time_split(data: GraphData, *, test_years: tuple[int, int] = (2024, 2025),
               name: str = "time split", present_in_both: bool = False) -> LinkSplit:
    """Train on everything known before ``test_years``; hide the ties first formed in them.

    The training graph is the organisation graph of the years up to the first test year
    (projects started by then, collaborations declared by then or undated); the hidden
    ties are the ties of the graph up to the last test year that it lacks. Ties formed
    after ``test_years`` are dropped from both sides. With ``present_in_both`` only the
    organisations in a project of the training years and in one starting in the test
    years are kept (the real EU files: two programme periods).
    """
    start, end = test_years
    train = organisation_graph(data, years=(_EARLIEST, start - 1))
    later = organisation_graph(data, years=(_EARLIEST, end))
    description = f"ties first formed {start}–{end} hidden; trained on the years before"
    if present_in_both:
        starts = {p["id"]: p.get("start_year") for p in data.projects}
        active = {r["org_id"] for r in data.participations
                  if starts.get(r["project_id"]) is not None and start <= starts[r["project_id"]] <= end}
        keep = sorted(v for v in train if train.nodes[v]["n_projects"] > 0 and v in active)
        train, later = train.subgraph(keep).copy(), later.subgraph(keep).copy()
        description += f"; only the {len(keep)} organisations in projects of both periods"
    hidden = sorted(tuple(sorted((a, b))) for a, b in later.edges if not train.has_edge(a, b))
    big = _big_project_pairs(data, test_years)
    return LinkSplit(name, train, hidden, description, frozenset(p for p in hidden if p in big))


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


def _ranks(key: np.ndarray, candidates: np.ndarray, hits: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    key = np.round(key, _DECIMALS)  # sums in another order must tie, not flip on the last bit
    kc, tc = key[candidates], tiebreak[candidates]
    kh, th = key[hits][:, None], tiebreak[hits][:, None]
    return 1 + ((kc > kh) | ((kc == kh) & (tc < th))).sum(axis=1)


def query_metrics(key: np.ndarray, candidates: np.ndarray, hits: np.ndarray, tiebreak: np.ndarray,
                  k: int) -> tuple[float, float, float, float]:
    """Precision@k, recall@k, reciprocal rank and NDCG@k of one query.

    ``key``: a score per node (higher first, ties by ``tiebreak`` ascending);
    ``candidates``: the nodes that may be ranked; ``hits``: the hidden partners (all among
    the candidates).

    >>> key = np.array([0.0, 0.9, 0.5, 0.5, 0.1])
    >>> p, r, rr, ndcg = query_metrics(key, np.array([1, 2, 3, 4]), np.array([3, 4]), np.arange(5), k=4)
    >>> (p, r, rr), bool(abs(ndcg - (1 / np.log2(4) + 1 / np.log2(5)) / (1 + 1 / np.log2(3))) < 1e-12)
    ((0.5, 1.0, 0.3333333333333333), True)
    """
    rank = _ranks(key, candidates, hits, tiebreak)
    top = rank[rank <= k]
    ideal = (1.0 / np.log2(np.arange(2, min(len(hits), k) + 2))).sum()
    return len(top) / k, len(top) / len(hits), 1.0 / float(rank.min()), float((1.0 / np.log2(top + 1)).sum() / ideal)


def rank_metrics(key: np.ndarray, candidates: np.ndarray, hits: np.ndarray, tiebreak: np.ndarray,
                 k: int) -> tuple[float, float, float]:
    """Precision@k, recall@k and reciprocal rank of one query (``query_metrics`` without NDCG).

    >>> key = np.array([0.0, 0.9, 0.5, 0.5, 0.1])
    >>> rank_metrics(key, np.array([1, 2, 3, 4]), np.array([3, 4]), np.arange(5), k=2)
    (0.0, 0.0, 0.3333333333333333)
    """
    return query_metrics(key, candidates, hits, tiebreak, k)[:3]


def paired_interval(a: np.ndarray, b: np.ndarray, *, seed: int, resamples: int = BOOTSTRAP) -> dict[str, float]:
    """Mean of ``a − b`` (per query) with its paired bootstrap 95% interval (percentiles)."""
    diff = np.asarray(a, float) - np.asarray(b, float)
    if len(diff) == 0:
        return {"diff": 0.0, "low": 0.0, "high": 0.0}
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, len(diff), size=(resamples, len(diff)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return {"diff": float(diff.mean()), "low": float(low), "high": float(high)}


# --- scoring -------------------------------------------------------------------------


def _queries(split: LinkSplit, index: SuggestionIndex, max_queries: int | None, seed: int):
    by_node = split.hidden_by_node()
    queries = sorted(by_node, key=str)
    if max_queries is not None and len(queries) > max_queries:
        rng = np.random.default_rng(seed)
        queries = sorted((queries[i] for i in rng.choice(len(queries), max_queries, replace=False)), key=str)
    out = []
    for q in queries:
        hits = sorted(index.position[b] for b in by_node[q])
        big = [index.position[b] for b in by_node[q] if tuple(sorted((q, b))) in split.big_pairs]
        out.append((index.position[q], np.array(hits), np.array(sorted(big), dtype=np.int64)))
    return out


def _keys(index, i, X, pieces, scorers, rng):
    base = baseline_scores(X)
    for name, how in scorers.items():
        if isinstance(how, SuggestionParams):
            comps = components(pieces, how)
            yield name, np.where(positive_part(comps, how) > 0, total_score(comps, how), -np.inf)
        elif isinstance(how, RankerModel):
            yield name, how.score(X)
        elif isinstance(how, Policy):
            yield name, how.model.score(X) + policy_bonus(index, i, pieces["regional"], how.strength)
        elif how == "random":
            yield name, rng.random(len(index.ids))
        else:
            yield name, base[how]


def _top(key, cands, tiebreak, k):
    kc = np.round(key[cands], _DECIMALS)
    if len(cands) > k:  # only the candidates at or above the k-th score need sorting
        keep = kc >= np.partition(kc, len(kc) - k)[len(kc) - k]
        cands, kc = cands[keep], kc[keep]
    return cands[np.lexsort((tiebreak[cands], -kc))[:k]]


def _evaluate(split, index, queries, scorers, lack, k, seed):
    """Per scorer: the metric rows (query, P, R, RR, NDCG) per stratum and the policy shares."""
    G = split.train
    li = link_index(G, index)
    rng = np.random.default_rng(seed)
    tiebreak = rng.permutation(len(index.ids)).astype(float)
    rows = {name: {s: [] for s in ("all", *STRATA)} for name in scorers}
    shares = {name: np.zeros(2) for name in scorers}
    for qn, (i, hits, big) in enumerate(queries):
        allowed = np.ones(len(index.ids), dtype=bool)
        allowed[i] = False
        allowed[index.neighbours(i)] = False
        cands = np.flatnonzero(allowed)
        pieces = index.pieces(i, lack)
        X = query_features(li, i, lack, pieces)
        reach = small_reach(index, i)
        other = np.setdiff1d(hits, big, assume_unique=True)
        # each stratum ranks only its own hidden ties: the others are left out
        strata = [(stratum, sub, np.setdiff1d(cands, rest, assume_unique=True) if len(rest) else cands)
                  for stratum, sub, rest in (("hidden ties from 20+ projects", big, other),
                                             ("other hidden ties", other, big)) if len(sub)]
        for name, key in _keys(index, i, X, pieces, scorers, rng):
            m = query_metrics(key, cands, hits, tiebreak, k)
            rows[name]["all"].append((qn, *m))
            rows[name]["with past ties" if index.degree[i] > 0 else "without past ties"].append((qn, *m))
            for stratum, sub, c in strata:
                rows[name][stratum].append((qn, *(m if c is cands else query_metrics(key, c, sub, tiebreak, k))))
            top = _top(key, cands, tiebreak, k)
            shares[name] += ((pieces["regional"][top] > 0).mean(), (reach[top] == 1.0).mean())
    n = max(len(queries), 1)
    return rows, {name: s / n for name, s in shares.items()}


def evaluate_split(
    split: LinkSplit,
    *,
    scorers: Mapping[str, Any] | None = None,
    full: Mapping[str, Any] | None = None,
    default: str | None = None,
    lacking: Any = None,
    k: int = 10,
    seed: int = 0,
    max_queries: int | None = None,
) -> EvaluationReport:
    """Every metric of the baselines and of each scorer in ``full`` (name → a
    ``RankerModel``, a ``Policy`` or ``SuggestionParams``; default the shipped model as
    ``learned``) on ``split``, with intervals against Adamic-Adar and the strata.

    ``lacking``: the municipality pairs lacking ties, from the *training* graph;
    ``default``: the name of the product's default scorer (marked ``"default": true``).
    """
    full = dict(full if full is not None else {DEFAULT: shipped_model()})
    chosen: dict[str, Any] = dict(scorers) if scorers is not None else {b: b for b in BASELINES}
    chosen |= full
    if default is None and DEFAULT in chosen:
        default = DEFAULT
    index = suggestion_index(split.train)
    queries = _queries(split, index, max_queries, seed)
    lack = index.lack_matrix(lacking)
    rows, shares = _evaluate(split, index, queries, chosen, lack, k, seed)
    reference = "adamic_adar" if "adamic_adar" in chosen else None
    results = []
    for name, how in chosen.items():
        table = {s: np.array(r, float).reshape(-1, 5) for s, r in rows[name].items()}
        means = table["all"][:, 1:].mean(axis=0) if len(table["all"]) else np.zeros(4)
        versus, strata = None, {}
        if reference is not None:
            ref = {s: np.array(r, float).reshape(-1, 5) for s, r in rows[reference].items()}
            versus = paired_interval(table["all"][:, 1], ref["all"][:, 1], seed=seed)
            versus["ratio"] = float(means[0] / ref["all"][:, 1].mean()) if ref["all"][:, 1].mean() > 0 else None
        for s in STRATA:
            t = table[s]
            if not len(t):
                continue
            strata[s] = {"queries": len(t), "precision": float(t[:, 1].mean()), "recall": float(t[:, 2].mean()),
                         "mrr": float(t[:, 3].mean()), "ndcg": float(t[:, 4].mean())}
            if reference is not None and name != reference:
                strata[s] |= {key: v for key, v in paired_interval(
                    t[:, 1], ref[s][:, 1], seed=seed).items() if key in ("low", "high")}
        results.append(ScorerResult(
            name, *(float(x) for x in means), queries=len(queries), default=name == default,
            vs_adamic_adar=versus if name != reference else None,
            share_lacking=float(shares[name][0]), share_small_large=float(shares[name][1]), strata=strata,
            params=how.model_dump() if isinstance(how, SuggestionParams) else None,
        ))
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
        big_hidden_ties=len(split.big_pairs),
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
    """Coordinate ascent of the weighted score's parameters on a *validation* split.

    For each parameter of ``grid`` in turn, try every value with the others fixed and keep
    the best by precision@k (then MRR, then the value it had); ``rounds`` passes. Returns
    the best params and every step's choice.
    """
    best = start or SuggestionParams(ranker="weighted")
    index = suggestion_index(split.train)
    queries = _queries(split, index, max_queries, seed)
    lack = index.lack_matrix(lacking)
    steps = []
    for _ in range(rounds):
        for name, values in grid.items():
            trials = {repr(v): best.model_copy(update={name: v}) for v in values}
            rows, _ = _evaluate(split, index, queries, trials, lack, k, seed)
            metrics = {v: np.array(r["all"], float).reshape(-1, 5)[:, 1:].mean(axis=0) for v, r in rows.items()}
            current = repr(getattr(best, name))
            chosen = max(trials, key=lambda v: (metrics[v][0], metrics[v][2], v == current))
            best = trials[chosen]
            steps.append({"param": name, "value": getattr(best, name),
                          "precision": float(metrics[chosen][0]), "mrr": float(metrics[chosen][2])})
    return best, steps


# --- whole evaluations ---------------------------------------------------------------


def fit_on_window(data: GraphData, validation_years: tuple[int, int], *, lacking=None, seed: int = 0,
                  present_in_both: bool = False) -> RankerModel:
    """A model fitted on ``validation_years``: features of the years before, labels the
    ties first formed in the window (raises ``TooLittleData``)."""
    lacking_of = lacking or (lambda G: None)
    val = time_split(data, test_years=validation_years, present_in_both=present_in_both)
    return fit_ranker(val.train, val.hidden, lacking=lacking_of(val.train), seed=seed,
                      meta={"fitted_on": f"ties first formed {validation_years[0]}–{validation_years[1]}, "
                            "features of the years before"})


def evaluate_time(
    data: GraphData,
    *,
    name: str,
    test_years: tuple[int, int] = (2024, 2025),
    validation_years: tuple[int, int] = (2022, 2023),
    lacking: Any = None,
    k: int = 10,
    seed: int = 0,
    tune: bool = False,
    tune_queries: int | None = 500,
    policy_strengths: tuple[float, ...] = (0.5, 1.0, 2.0),
    max_queries: int | None = None,
    present_in_both: bool = False,
) -> EvaluationReport:
    """The time-split evaluation of ``data``: baselines; the learned model fitted on
    ``validation_years`` (features of the years before them; the test years are never
    seen) — the product's default, what ``graphsvc fit-suggestions`` does — or the shipped
    model when the window has too little data; the shipped model; the learned model with
    the policy layer at each of ``policy_strengths``; the weighted score (and, with
    ``tune``, the weighted score tuned on the validation window).

    ``lacking``: a function from a training graph to its lacking municipality pairs.
    """
    lacking_of = lacking or (lambda G: None)
    notes = []
    try:
        model = fit_on_window(data, validation_years, lacking=lacking, seed=seed, present_in_both=present_in_both)
        notes.append(f"learned: fitted on {model.meta['fitted_on']} ({model.meta['positives']} new ties of "
                     f"{model.meta['queries']} organisations)")
    except TooLittleData as e:
        model = shipped_model()
        notes.append(f"learned: {e}")
    full: dict[str, Any] = {DEFAULT: model, "learned, shipped model": shipped_model()}
    full |= {f"learned + policy {s:g}": Policy(model, s) for s in policy_strengths}
    full["weighted score"] = SuggestionParams(ranker="weighted")
    if tune:
        val = time_split(data, test_years=validation_years, name=f"{name} validation")
        best, _ = tune_params(val, lacking=lacking_of(val.train), k=k, seed=seed, max_queries=tune_queries)
        full["weighted score, tuned"] = best
    test = time_split(data, test_years=test_years, name=name, present_in_both=present_in_both)
    report = evaluate_split(test, full=full, lacking=lacking_of(test.train), k=k, seed=seed,
                            max_queries=max_queries)
    if max_queries is not None and report.queries == max_queries:
        notes.append(f"{max_queries} queries drawn at random (seed {seed}) from the organisations with a hidden tie")
    return replace(report, notes=notes)


def evaluate_random(
    G: nx.Graph,
    *,
    name: str,
    fraction: float = 0.2,
    splits: int = 50,
    k: int = 10,
    seed: int = 0,
) -> EvaluationReport:
    """Random-split evaluation of ``G`` on ``splits`` seeded splits (seeds ``seed`` …):
    the baselines and the weighted score (no years: nothing to fit a model on), one report
    whose per-query rows pool every split."""
    pooled: list[LinkSplit] = []
    for s in range(seed, seed + splits):
        pooled.append(random_split(G, fraction=fraction, seed=s, name=name))
    reports = [evaluate_split(sp, full={"weighted score": SuggestionParams(ranker="weighted")},
                              default="weighted score", k=k, seed=s)
               for s, sp in zip(range(seed, seed + splits), pooled)]
    first = reports[0]
    results = []
    for r in first.results:
        rows = [rep.result(r.scorer) for rep in reports]
        results.append(replace(r, precision=float(np.mean([x.precision for x in rows])),
                               recall=float(np.mean([x.recall for x in rows])),
                               mrr=float(np.mean([x.mrr for x in rows])),
                               ndcg=float(np.mean([x.ndcg for x in rows])),
                               queries=sum(x.queries for x in rows), vs_adamic_adar=None, strata={}))
    return replace(first, description=f"{round(fraction * 100)}% of the ties hidden at random; mean of "
                   f"{splits} splits (seeds {seed}–{seed + splits - 1})", results=results,
                   queries=sum(r.queries for r in reports),
                   hidden_ties=round(float(np.mean([r.hidden_ties for r in reports]))))
