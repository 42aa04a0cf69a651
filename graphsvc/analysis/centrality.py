"""Centrality and brokerage of every organisation, with rankings.

Measures (on the organisation graph; paths count ties, not weights):

- ``degree``: partners; ``weighted_degree``: sum of tie weights.
- ``betweenness``: share of shortest paths between other organisations that pass
  through it (networkx normalisation, 2 / ((n − 1)(n − 2))). Exact up to
  ``betweenness_exact_max_nodes`` organisations, else estimated from
  ``betweenness_samples`` sources drawn with the seed (Brandes & Pich 2007).
- ``closeness``: (r − 1)/(n − 1) · (r − 1)/Σ distances, r the organisations it can reach
  itself included (Wasserman & Faust); ``harmonic``: Σ 1/distance over the others,
  divided by n − 1. Estimated from ``closeness_samples`` of the sources above the size.
- ``eigenvector`` (weighted, unit length) and ``pagerank`` (weighted, damping
  ``pagerank_alpha``).
- Brokerage: Burt's ``constraint`` (weighted; high = partners that know each other),
  ``effective_size`` (partners minus their redundancy, unweighted),
  ``municipalities_reached`` (other municipalities where it has partners, listed in
  ``reached_municipalities``) and ``only_bridge_between`` (municipality pairs it alone
  links; see ``graphsvc.analysis.brokerage``).

Scope (``graphsvc.analysis.scope``): the measures are computed on the whole graph, so a
tie to an organisation outside the region counts; in scope "region" the table holds only
the region's organisations and ranks them among themselves. ``ties_outside_region``
counts each organisation's partners outside the region.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from graphsvc.analysis import _engine as engine
from graphsvc.analysis._engine import without_gc
from graphsvc.analysis._places import municipality_rows
from graphsvc.analysis._results import AnalysisResult, graph_provenance
from graphsvc.analysis.brokerage import municipal_reach, only_bridges
from graphsvc.analysis.params import AnalysisParams
from graphsvc.analysis.scope import (
    Scope,
    check_scope,
    municipality_labels,
    municipality_names,
    scope_mask,
    ties_outside_region,
)

__all__ = ["CentralityResult", "centrality", "MEASURES"]

MEASURES = ("degree", "weighted_degree", "betweenness", "closeness", "harmonic",
            "eigenvector", "pagerank", "constraint", "effective_size", "municipalities_reached")


@dataclass(frozen=True)
class CentralityResult(AnalysisResult):
    """Every organisation's measures (``table``, indexed by organisation id, ordered by
    rank) and how path measures were computed.

    ``betweenness_method`` is 'exact' or 'sampled'; when sampled, ``sources`` sources were
    drawn with ``params.seed`` (and the first ``closeness_sources`` of them estimate
    closeness and harmonic). ``notes`` say what could not be computed.
    """

    table: pd.DataFrame
    betweenness_method: str
    sources: int
    closeness_sources: int
    notes: tuple[str, ...] = ()
    scope: Scope = "all"

    def ranking(self, by: str | None = None, *, municipality: str | None = None,
                kind: str | None = None, top: int | None = None) -> pd.DataFrame:
        """Organisations ordered by ``by`` (default ``params.rank_by``; constraint
        ascending, every other measure descending), optionally of one municipality or
        kind, the first ``top``."""
        by = by or self.params.rank_by
        if by not in MEASURES:
            raise ValueError(f"unknown measure {by!r}; choose one of {', '.join(MEASURES)}")
        df = self.table
        if municipality is not None:
            df = df[df["municipality_code"] == municipality]
        if kind is not None:
            df = df[df["kind"] == kind]
        df = _ordered(df, by)
        return df.head(top) if top is not None else df

    def summary(self) -> dict[str, Any]:
        return {
            "organisations": len(self.table),
            "betweenness_method": self.betweenness_method,
            "sources": self.sources,
            "closeness_sources": self.closeness_sources,
            "seed": self.params.seed,
            "rank_by": self.params.rank_by,
            "notes": list(self.notes),
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        top = self.params.top_per_group
        t = self.table
        by_muni = t[t["rank_in_municipality"] <= top].sort_values(
            ["municipality_code", "rank_in_municipality"], na_position="last")
        by_kind = t[t["rank_in_kind"] <= top].sort_values(["kind", "rank_in_kind"], na_position="last")
        return {"centrality": t, "top_by_municipality": by_muni, "top_by_kind": by_kind}


def _ordered(df: pd.DataFrame, by: str) -> pd.DataFrame:
    ascending = by == "constraint"
    return df.assign(_id=df.index).sort_values(
        [by, "_id"], ascending=[ascending, True], na_position="last", kind="mergesort"
    ).drop(columns="_id")


def _ranks(df: pd.DataFrame, by: str, group: str | None, ordered: pd.DataFrame | None = None) -> pd.Series:
    """1-based rank of each row by ``by`` (within ``group``); ``ordered``: ``_ordered(df, by)``
    when the caller has it."""
    ordered = _ordered(df, by) if ordered is None else ordered
    if group is None:
        ranks = pd.Series(np.arange(1, len(ordered) + 1), index=ordered.index)
    else:
        ranks = ordered.groupby(ordered[group].fillna("—"), sort=False).cumcount() + 1
    return ranks.reindex(df.index)


@without_gc
def centrality(
    G: nx.Graph,
    *,
    params: AnalysisParams | None = None,
    seed: int | None = None,
    municipalities: Iterable[Any] | None = None,
    scope: Scope = "all",
    measures: Mapping[str, np.ndarray] | None = None,
) -> CentralityResult:
    """Centrality and brokerage of every organisation in ``G``.

    Parameters
    ----------
    G : nx.Graph
        The organisation graph (undirected; edge ``weight``; node ``name``, ``label``,
        ``kind``, ``size``, ``municipality_code``).
    params : AnalysisParams, optional
        ``betweenness_exact_max_nodes``, ``betweenness_samples``, ``closeness_samples``,
        ``pagerank_alpha``, ``rank_by``, ``top_per_group``, ``engine``.
    seed : int, optional
        Seed of the source sample (default ``params.seed``).
    municipalities : iterable, optional
        Municipality rows for the names (the shipped names when None).
    scope : {'all', 'region'}
        Which organisations the table lists and ranks; the measures always come from
        the whole graph.
    measures : mapping, optional
        Columns computed elsewhere (Neo4j GDS), in ``G``'s node order, used instead of
        computing them: any of ``degree``, ``weighted_degree``, ``betweenness``,
        ``closeness``, ``harmonic``, ``pagerank``.

    Returns
    -------
    CentralityResult

    Examples
    --------
    >>> r = centrality(nx.krackhardt_kite_graph())
    >>> r.betweenness_method, int(r.table.index[0]), round(float(r.table.loc[7, "betweenness"]), 3)
    ('exact', 7, 0.389)

    References
    ----------
    Brandes, U. & Pich, C. (2007). Centrality estimation in large networks.
    Burt, R. S. (1992). Structural Holes. Harvard University Press.
    """
    if G.is_directed():
        raise nx.NetworkXNotImplemented("centrality takes an undirected organisation graph")
    params = params or AnalysisParams()
    seed = params.seed if seed is None else seed
    params = params.model_copy(update={"seed": seed})
    eng = params.engine
    ix = engine.indexed(G)
    n = ix.n
    notes: list[str] = []

    given = dict(measures or {})
    exact = n <= params.betweenness_exact_max_nodes or params.betweenness_samples >= n
    sources = None if exact else engine.sample_sources(G, params.betweenness_samples, seed)
    # on a large graph betweenness runs in a second process while this one computes the rest
    pending = engine.Pending.done(given["betweenness"]) if "betweenness" in given else \
        engine.start_betweenness(ix, sources=sources, engine=eng)
    try:
        closeness, harmonic, eigenvector, pagerank, constraint, effective, reach, bridges = _other_measures(
            G, ix, given, params, exact, sources, notes)
        # the table too is made meanwhile; betweenness goes in when it comes
        scope = check_scope(scope)
        table = _table(G, ix, given, params, municipalities, closeness=closeness, harmonic=harmonic,
                       eigenvector=eigenvector, pagerank=pagerank, constraint=constraint,
                       effective_size=effective, reach=reach, bridges=bridges)
        table.insert(table.columns.get_loc("closeness"), "betweenness", pending.result())
    finally:
        pending.cancel()
    if scope != "all":
        table = table[scope_mask(G, scope)].copy()
    if len(table):
        ordered = _ordered(table, params.rank_by)
        table["rank"] = _ranks(table, params.rank_by, None, ordered)
        table["rank_in_municipality"] = _ranks(table, params.rank_by, "municipality_code", ordered)
        table["rank_in_kind"] = _ranks(table, params.rank_by, "kind", ordered)
        table = table.sort_values("rank")
    else:
        table = table.assign(rank=[], rank_in_municipality=[], rank_in_kind=[])
    version, years = graph_provenance(G)
    return CentralityResult(
        params=params,
        data_version=version,
        years=years,
        table=table,
        betweenness_method="exact" if exact else "sampled",
        sources=n if exact else len(sources),
        closeness_sources=n if exact else min(params.closeness_samples, len(sources)),
        notes=tuple(notes),
        scope=scope,
    )


def _table(G, ix, given, params, municipalities, *, closeness, harmonic, eigenvector, pagerank, constraint,
           effective_size, reach, bridges) -> pd.DataFrame:
    """Every organisation's measures but betweenness, in node order."""
    names = municipality_names(municipality_rows(municipalities).values() if municipalities is not None else None)
    attr = lambda key: engine.node_column(G, key)  # noqa: E731
    codes = attr("municipality_code")
    outside = ties_outside_region(G, ix.nodes)
    return pd.DataFrame(
        {
            "name": attr("name"),
            "label": attr("label"),
            "kind": attr("kind"),
            "size": attr("size"),
            "municipality_code": codes,
            "municipality": municipality_labels(codes, names, params.lang),
            "degree": np.asarray(given.get("degree", ix.degree), np.int64),
            "weighted_degree": given.get("weighted_degree", ix.strength),
            "closeness": closeness,
            "harmonic": harmonic,
            "eigenvector": eigenvector,
            "pagerank": pagerank,
            "constraint": constraint,
            "effective_size": effective_size,
            "municipalities_reached": [len(reach[v]) for v in ix.nodes],
            "reached_municipalities": [reach[v] for v in ix.nodes],
            "only_bridge_between": [bridges.get(v, []) for v in ix.nodes],
            "ties_outside_region": [outside[v] for v in ix.nodes],
        },
        index=pd.Index(ix.nodes, name="id"),
    )


def _other_measures(G, ix, given, params, exact, sources, notes) -> tuple:
    """Every measure but betweenness (and those ``given``)."""
    eng = params.engine
    if "closeness" in given and "harmonic" in given:
        closeness, harmonic = given["closeness"], given["harmonic"]
    else:
        closeness, harmonic = engine.path_measures(
            ix, sources=None if exact else sources[: params.closeness_samples], engine=eng
        )
    eigenvector = _safe(lambda: engine.eigenvector(ix, engine=eng), ix.n, "eigenvector", notes)
    pagerank = given["pagerank"] if "pagerank" in given else _safe(
        lambda: engine.pagerank(ix, alpha=params.pagerank_alpha, engine=eng), ix.n, "pagerank", notes)
    constraint = engine.constraint(ix, engine=eng)
    effective = engine.effective_size(ix, engine=eng)
    reach = municipal_reach(G, ix=ix)
    bridges = only_bridges(G, ix=ix)
    return closeness, harmonic, eigenvector, pagerank, constraint, effective, reach, bridges


def _safe(compute, n: int, name: str, notes: list[str]) -> np.ndarray:
    try:
        return compute()
    except (nx.PowerIterationFailedConvergence, nx.NetworkXPointlessConcept) as e:
        notes.append(f"{name} not computed: {e}")
        return np.full(n, np.nan)
