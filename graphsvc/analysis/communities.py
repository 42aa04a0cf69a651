"""Communities: groups of organisations tied more among themselves than to the rest.

Leiden (Traag et al. 2019; or Louvain, Blondel et al. 2008: ``community_method``) on the
weighted organisation graph, with a seed and a resolution (above 1: more and smaller communities). Modularity
Q = Σ_c [ L_c/m − γ (d_c / 2m)² ], L_c the weight inside community c, d_c the weight of
its ties, m the total weight, γ the resolution. Communities are numbered from 0 by
decreasing size; an organisation without ties is a community of its own.

Scope (``graphsvc.analysis.scope``): the communities are found on the whole graph; in scope "region"
the table counts and names only the region's organisations (``size``, the municipalities,
kinds and largest organisations), ``outside_region`` counts the members outside it, and a
community without any of the region's organisations is left out of the table.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from graphsvc.analysis import _engine as engine
from graphsvc.analysis._engine import node_column, without_gc
from graphsvc.analysis._places import municipality_rows
from graphsvc.analysis._results import AnalysisResult, graph_provenance
from graphsvc.analysis.params import AnalysisParams
from graphsvc.analysis.scope import Scope, check_scope, municipality_label, municipality_names, scope_mask

__all__ = ["CommunitiesResult", "communities"]


@dataclass(frozen=True)
class CommunitiesResult(AnalysisResult):
    """``membership`` (organisation → community number), ``modularity``, and ``table``:
    per community its size, the municipalities it spans (codes and names, most
    organisations first), the share in its largest municipality, its kinds and its
    largest organisations (most partners first)."""

    membership: dict[Any, int]
    modularity: float
    table: pd.DataFrame
    scope: Scope = "all"
    out_of_scope: frozenset = frozenset()  # members left out of the tables in this scope

    def summary(self) -> dict[str, Any]:
        sizes = self.table["size"]
        return {
            "communities": len(self.table),
            "communities_of_two_or_more": int((sizes >= 2).sum()),
            "modularity": self.modularity,
            "method": self.params.community_method if self.params.engine != "networkx" else "louvain",
            "resolution": self.params.community_resolution,
            "seed": self.params.seed,
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        listed = {v: c for v, c in self.membership.items() if v not in self.out_of_scope}
        members = pd.DataFrame(
            {"community": list(listed.values())},
            index=pd.Index(list(listed), name="id"),
        )
        return {"communities": self.table, "membership": members}


@without_gc
def communities(
    G: nx.Graph,
    *,
    resolution: float | None = None,
    seed: int | None = None,
    params: AnalysisParams | None = None,
    municipalities: Iterable[Any] | None = None,
    top: int = 5,
    scope: Scope = "all",
    labels: Mapping[Any, int] | None = None,
) -> CommunitiesResult:
    """Communities of ``G`` (Leiden by default, ``params.community_method``) and the
    municipalities each spans.

    Parameters
    ----------
    G : nx.Graph
        The organisation graph (edge ``weight``; node ``name``, ``kind``, ``municipality_code``).
    resolution : float, optional
        Modularity resolution (default ``params.community_resolution``).
    seed : int, optional
        Seed (default ``params.seed``).
    params : AnalysisParams, optional
    municipalities : iterable, optional
        Municipality rows for the names (the region's 19 when None).
    top : int
        Largest organisations named per community.
    scope : {'all', 'region'}
        Which organisations the table counts and names (the communities are found on the whole graph).
    labels : mapping, optional
        Each organisation's community computed elsewhere (Neo4j GDS), used instead of
        finding them here; renumbered by decreasing size.

    Returns
    -------
    CommunitiesResult

    Examples
    --------
    >>> G = nx.barbell_graph(4, 0)
    >>> r = communities(G, seed=1)
    >>> sorted(r.table["size"]), round(r.modularity, 4)
    ([4, 4], 0.4231)

    References
    ----------
    Traag, V. A., Waltman, L. & van Eck, N. J. (2019). From Louvain to Leiden: guaranteeing
    well-connected communities. Sci. Rep. 9, 5233.
    Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E. (2008). Fast unfolding
    of communities in large networks. J. Stat. Mech. P10008.
    """
    params = params or AnalysisParams()
    update = {"seed": params.seed if seed is None else seed}
    if resolution is not None:
        update["community_resolution"] = resolution
    params = params.model_copy(update=update)
    ix = engine.indexed(G)
    if labels is None:
        labels = engine.partition(ix, method=params.community_method, resolution=params.community_resolution,
                                  seed=params.seed, engine=params.engine)
    else:
        labels = engine._renumber(np.array([labels[v] for v in ix.nodes], np.int64))
    q = engine.modularity(ix, labels, resolution=params.community_resolution) if ix.n else float("nan")
    scope = check_scope(scope)
    names = municipality_names(municipality_rows(municipalities).values() if municipalities is not None else None)
    scoped = scope_mask(G, scope)
    code_of, kind_of = node_column(G, "municipality_code"), node_column(G, "kind")
    name_of = node_column(G, "name")

    rows = []
    degree = ix.degree
    count = int(labels.max()) + 1 if ix.n else 0
    same = labels[ix.heads] == labels[ix.tails]
    inside = np.bincount(labels[ix.heads][same], minlength=count)
    order = np.argsort(labels, kind="stable")
    groups = np.split(order, np.cumsum(np.bincount(labels, minlength=count))[:-1]) if count else []
    for c, everyone in enumerate(groups):
        members = everyone[scoped[everyone]]
        if len(members) == 0:
            continue
        codes = Counter(code_of[i] for i in members.tolist())
        spanned = [code for code, _ in sorted(codes.items(), key=lambda kv: (-kv[1], str(kv[0]))) if code]
        kinds = Counter(kind_of[i] for i in members.tolist())
        largest = members[np.lexsort((members, -degree[members]))][:top]
        rows.append({
            "community": c,
            "size": len(members),
            "municipalities_spanned": len(spanned),
            "municipality_codes": spanned,
            "municipalities": [municipality_label(code, names, params.lang) for code in spanned],
            "largest_municipality_share": max(codes.values()) / len(members),
            "ties_inside": int(inside[c]),
            "outside_region": len(everyone) - len(members),
            "kinds": [k for k, _ in kinds.most_common(3) if k],
            "largest_organisations": [name_of[i] or str(ix.nodes[i]) for i in largest],
        })
    table = pd.DataFrame(rows, columns=[
        "community", "size", "municipalities_spanned", "municipality_codes", "municipalities",
        "largest_municipality_share", "ties_inside", "outside_region", "kinds", "largest_organisations",
    ]).set_index("community")
    version, years = graph_provenance(G)
    return CommunitiesResult(
        params=params,
        data_version=version,
        years=years,
        membership=dict(zip(ix.nodes, labels.tolist())),
        modularity=float(q),
        table=table,
        scope=scope,
        out_of_scope=frozenset(v for v, ok in zip(ix.nodes, scoped.tolist()) if not ok),
    )
