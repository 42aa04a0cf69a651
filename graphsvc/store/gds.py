"""The analyses inside Neo4j, with Graph Data Science (GDS), when the server has it.

``gds_version(backend)`` detects GDS (``gds.version()``; None without it). ``GdsAnalysis``
projects the organisation graph in GDS, weighted as ``organisation_graph`` weighs it
(project pairs by ``project_weighting``, declared collaborations, and networks and events
when their weights are above 0; whole graph, no year window), runs degree, weighted
degree, betweenness, closeness, harmonic closeness, PageRank, eigenvector and Louvain
there, and reads back only the results: one value per organisation and measure.

The values are put on the in-process definitions (docs/analysis.md): betweenness is
normalised as networkx normalises it (2 / ((n − 1)(n − 2)) on GDS's count of unordered
pairs); closeness is Wasserman–Faust's, as networkx's; PageRank is scaled to sum to 1 (GDS
leaves out the mass of nodes without ties, which only scales every value alike);
eigenvector is scaled to unit length; unweighted it equals networkx's, but GDS does not use
relationship weights as plain matrix entries, so its weighted eigenvector is another
measure than the in-process one (measured in docs/store.md). Above ``betweenness_exact_max_nodes`` organisations
betweenness is sampled from ``betweenness_samples`` sources with the analysis seed — GDS's
own sampler, so the sources differ from the in-process ones and the values are estimates
of the same quantity, said so in ``betweenness_method``.

``GdsAnalysis(…, measures=…)`` runs only the measures named (the service leaves the
weighted eigenvector to the in-process path, ``graphsvc.analysis_gds``); Louvain always.

The statements are in ``queries/gds/`` (they need GDS, so they are not part of the
portable set that runs on both engines).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from graphsvc.errors import StoreError
from graphsvc.params import AnalysisParams
from graphsvc.store.neo4j import Neo4jBackend

__all__ = ["GdsAnalysis", "GdsResult", "gds_version", "load_gds_query"]

MEASURES = ("degree", "weighted_degree", "betweenness", "closeness", "harmonic", "pagerank", "eigenvector")
_ITERATIONS = 200
_TOLERANCE = 1e-10


@cache
def load_gds_query(name: str) -> str:
    return resources.files("queries").joinpath("gds", f"{name}.cypher").read_text(encoding="utf-8")


def _run(backend: Neo4jBackend, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    from neo4j.exceptions import Neo4jError

    try:
        records, _, keys = backend.driver.execute_query(
            load_gds_query(name), params or {}, database_=backend.database)
    except Neo4jError as e:
        raise StoreError(f"GDS statement {name!r} failed on Neo4j at {backend.uri}: {e.code}: {e.message}") from e
    return [dict(zip(keys, r)) for r in records]


def gds_version(backend: Any) -> str | None:
    """The GDS version the Neo4j server of ``backend`` has, or None (no GDS, or not Neo4j)."""
    if not isinstance(backend, Neo4jBackend):
        return None
    try:
        return _run(backend, "version")[0]["version"]
    except StoreError:
        return None


@dataclass
class GdsResult:
    """One value per organisation id and measure, the Louvain communities, and how."""

    version: str
    nodes: int
    relationships: int
    measures: dict[str, dict[str, float]] = field(default_factory=dict)
    communities: dict[str, int] = field(default_factory=dict)
    betweenness_method: str = "exact"
    betweenness_sources: int = 0  # GDS's samplingSize: every organisation when exact
    seconds: dict[str, float] = field(default_factory=dict)


class GdsAnalysis:
    """The centralities and communities of the whole organisation graph, computed in GDS."""

    def __init__(self, backend: Neo4jBackend, params: AnalysisParams | None = None, *,
                 measures: tuple[str, ...] = MEASURES, version: str | None = None):
        unknown = sorted(set(measures) - set(MEASURES))
        if unknown:
            raise ValueError(f"unknown GDS measure(s) {', '.join(unknown)}; choose from {', '.join(MEASURES)}")
        self.backend = backend
        self.params = params or AnalysisParams()
        self.measures = tuple(measures)
        self.version = version  # as detected by the caller; asked again when None

    def run(self) -> GdsResult:
        version = self.version or gds_version(self.backend)
        if version is None:
            raise StoreError(f"Neo4j at {self.backend.uri} has no Graph Data Science procedures")
        p = self.params
        graph = f"graphsvc-{uuid.uuid4().hex}"
        seconds: dict[str, float] = {}
        start = time.perf_counter()
        shape = _run(self.backend, "project_organisations", {
            "graph": graph, "weighting": p.project_weighting, "cap": p.project_weight_cap,
            "project_weight": float(p.project_weight), "collaboration_weight": float(p.collaboration_weight),
            "network_weight": float(p.network_weight), "event_weight": float(p.event_weight),
        })[0]
        seconds["project"] = time.perf_counter() - start
        n = shape["nodes"]
        # GDS counts every undirected tie twice
        result = GdsResult(version=version, nodes=n, relationships=shape["relationships"] // 2)
        try:
            exact = n <= p.betweenness_exact_max_nodes or p.betweenness_samples >= n
            result.betweenness_method = "exact" if exact else "sampled"
            result.betweenness_sources = n if exact else p.betweenness_samples
            plan: dict[str, dict[str, Any]] = {
                "degree": {},
                "weighted_degree": {},
                "betweenness": {"sampling_size": n if exact else p.betweenness_samples, "seed": p.seed},
                "closeness": {},
                "harmonic": {},
                "pagerank": {"alpha": p.pagerank_alpha, "max_iterations": _ITERATIONS, "tolerance": _TOLERANCE},
                "eigenvector": {"max_iterations": _ITERATIONS, "tolerance": _TOLERANCE},
            }
            for measure, extra in plan.items():
                if measure not in self.measures:
                    continue
                start = time.perf_counter()
                rows = _run(self.backend, measure, {"graph": graph, **extra})
                result.measures[measure] = {r["id"]: float(r["score"]) for r in rows}
                seconds[measure] = time.perf_counter() - start
            start = time.perf_counter()
            rows = _run(self.backend, "louvain", {"graph": graph})
            result.communities = {r["id"]: int(r["community"]) for r in rows}
            seconds["louvain"] = time.perf_counter() - start
        finally:
            _run(self.backend, "drop_graph", {"graph": graph})
        _rescale(result.measures, n)
        result.seconds = seconds
        return result


def _rescale(measures: dict[str, dict[str, float]], n: int) -> None:
    if n > 2 and "betweenness" in measures:
        scale = 2.0 / ((n - 1) * (n - 2))
        measures["betweenness"] = {k: v * scale for k, v in measures["betweenness"].items()}
    total = sum(measures.get("pagerank", {}).values())
    if total > 0:
        measures["pagerank"] = {k: v / total for k, v in measures["pagerank"].items()}
    norm = sum(v * v for v in measures.get("eigenvector", {}).values()) ** 0.5
    if norm > 0:
        measures["eigenvector"] = {k: v / norm for k, v in measures["eigenvector"].items()}
