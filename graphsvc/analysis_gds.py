"""The service's centrality and communities computed in Neo4j Graph Data Science, when it pays.

``gds_results`` decides and runs: the store is Neo4j, its server answers ``gds.version()``
(asked once per store, ``detected_gds``), the graph is the whole one (GDS projects every
year: a year window stays in process) and it has at least ``gds_min_organisations``
organisations (a setting; by default far above a region's data, since on one machine the
in-process path is faster at every size measured, docs/store.md). Otherwise it returns
None and the service computes as always.

In GDS (``graphsvc.store.gds``): degree, weighted degree, betweenness (exact or sampled by
the same rule as in process, from ``betweenness_samples`` sources with the analysis seed,
but by GDS's sampler, so other sources), closeness and harmonic closeness (always exact
in GDS), PageRank and Louvain. In process, on the same graph: the weighted eigenvector
(GDS does not use tie weights as plain matrix entries, so its weighted eigenvector is
another measure), Burt's constraint and effective size, the municipalities reached and the
only bridges. ``gds_centrality`` and ``gds_communities`` put the values into the same
results as ``centrality`` and ``communities`` (tables, scope, ranks, names), and their
``summary()["computed_in"]`` says where each measure came from and how it sampled.
"""

from __future__ import annotations

import logging
import threading
import weakref
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Iterable

import networkx as nx
import numpy as np

from graphsvc.analysis import CentralityResult, CommunitiesResult, centrality, communities
from graphsvc.analysis.scope import Scope
from graphsvc.errors import StoreError
from graphsvc.params import AnalysisParams

if TYPE_CHECKING:
    from graphsvc.settings import Settings
    from graphsvc.store import GraphStore
    from graphsvc.store.gds import GdsResult

__all__ = ["GDS_MEASURES", "detected_gds", "gds_results", "gds_centrality", "gds_communities"]

log = logging.getLogger("graphsvc")

GDS_MEASURES = ("degree", "weighted_degree", "betweenness", "closeness", "harmonic", "pagerank")
IN_PROCESS = ("eigenvector", "constraint", "effective_size", "municipalities_reached")
EIGENVECTOR_NOTE = ("GDS's weighted eigenvector is another measure than the in-process one "
                    "(it does not use tie weights as plain matrix entries; docs/store.md)")

_detected: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_detecting = threading.Lock()


def detected_gds(store: GraphStore) -> str | None:
    """The GDS version of ``store``'s Neo4j server (None: not Neo4j, or no GDS), asked once
    per store."""
    if store.backend.name != "neo4j":
        return None
    with _detecting:
        if store not in _detected:
            from graphsvc.store.gds import gds_version

            _detected[store] = gds_version(store.backend)
        return _detected[store]


def gds_results(store: GraphStore, G: nx.Graph, settings: Settings, years: Any = None) -> GdsResult | None:
    """The GDS measures and Louvain communities of ``G``'s organisations, or None when the
    in-process path is to run (see the module docstring). A GDS run that fails, or that
    finds other organisations than ``G`` (a write in between), is logged and gives None."""
    if years is not None or G.number_of_nodes() < settings.gds_min_organisations:
        return None
    version = detected_gds(store)
    if version is None:
        return None
    from graphsvc.store.gds import GdsAnalysis

    try:
        result = GdsAnalysis(store.backend, settings.analysis, measures=GDS_MEASURES, version=version).run()
    except StoreError as e:
        log.warning("the analysis in Neo4j GDS failed, so it runs in process: %s", e)
        return None
    if set(result.measures["degree"]) != set(G) or set(result.communities) != set(G):
        log.warning("GDS projected other organisations than the graph read (a write in between); "
                    "the analysis runs in process")
        return None
    log.info("centrality and Louvain of %d organisations computed in GDS %s (seconds: %s)",
             result.nodes, result.version,
             ", ".join(f"{k} {v:.2f}" for k, v in result.seconds.items()))
    return result


@dataclass(frozen=True)
class GdsCentralityResult(CentralityResult):
    """A ``CentralityResult`` whose path measures came from GDS: ``computed_in`` says
    which measures ran where and how betweenness was sampled (in ``summary()``)."""

    computed_in: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {**super().summary(), "computed_in": self.computed_in}

    def provenance(self) -> dict[str, Any]:
        return {**super().provenance(), "analysis": CentralityResult.__name__}


@dataclass(frozen=True)
class GdsCommunitiesResult(CommunitiesResult):
    """A ``CommunitiesResult`` whose Louvain ran in GDS (``computed_in`` in ``summary()``)."""

    computed_in: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {**super().summary(), "computed_in": self.computed_in}

    def provenance(self) -> dict[str, Any]:
        return {**super().provenance(), "analysis": CommunitiesResult.__name__}


def _column(gds: GdsResult, measure: str, nodes: list) -> np.ndarray:
    values = gds.measures[measure]
    return np.array([values[v] for v in nodes], float)


def gds_centrality(
    G: nx.Graph,
    gds: GdsResult,
    *,
    params: AnalysisParams | None = None,
    municipalities: Iterable[dict[str, Any]] | None = None,
    scope: Scope = "all",
) -> GdsCentralityResult:
    """``centrality(G, …)`` with degree, weighted degree, betweenness, closeness, harmonic
    and PageRank taken from ``gds`` (a ``GdsResult`` of ``G``'s organisations); the same
    table, scope, ranks and names, and ``computed_in`` in the summary."""
    params = params or AnalysisParams()
    nodes = list(G)
    base = centrality(G, params=params, municipalities=municipalities, scope=scope,
                      measures={m: _column(gds, m, nodes) for m in GDS_MEASURES})
    sampled = gds.betweenness_method == "sampled"
    how = (f"sampled in GDS from {gds.betweenness_sources} sources with seed {params.seed} (GDS's "
           "sampler: other sources than the in-process sample)" if sampled else "exact in GDS")
    return GdsCentralityResult(
        **{f.name: getattr(base, f.name) for f in fields(base)} | {
            "betweenness_method": gds.betweenness_method,
            "sources": gds.betweenness_sources,
            "closeness_sources": len(nodes),  # GDS computes closeness and harmonic from every organisation
            "notes": base.notes + (f"computed in Neo4j GDS {gds.version}: {', '.join(GDS_MEASURES)}; "
                                   f"betweenness {how}; in process: {', '.join(IN_PROCESS)}, since "
                                   f"{EIGENVECTOR_NOTE}",),
        },
        computed_in={
            "engine": "neo4j-gds", "gds_version": gds.version, "gds": list(GDS_MEASURES),
            "in_process": list(IN_PROCESS), "betweenness": how, "closeness": "exact in GDS",
            "eigenvector": f"in process: {EIGENVECTOR_NOTE}",
        },
    )


def gds_communities(
    G: nx.Graph,
    gds: GdsResult,
    *,
    params: AnalysisParams | None = None,
    municipalities: Iterable[dict[str, Any]] | None = None,
    top: int = 5,
    scope: Scope = "all",
) -> GdsCommunitiesResult:
    """``communities(G, …)`` with the Louvain communities of ``gds``: numbered by decreasing
    size (then by first organisation), modularity computed here on ``G``'s weights, and the
    same table per community. GDS's Louvain has resolution 1, and so has the result."""
    params = (params or AnalysisParams()).model_copy(update={"community_resolution": 1.0})
    base = communities(G, params=params, municipalities=municipalities, top=top, scope=scope,
                       labels=gds.communities)
    return GdsCommunitiesResult(
        **{f.name: getattr(base, f.name) for f in fields(base)},
        computed_in={
            "engine": "neo4j-gds", "gds_version": gds.version, "gds": ["louvain"],
            # GDS's Louvain has no resolution and no random seed: one thread makes it repeatable
            "louvain": "in GDS, resolution 1, one thread (GDS's Louvain takes no seed)",
        },
    )
