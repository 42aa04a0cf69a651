"""Change between two windows of years: new and lost ties across municipal borders,
organisations that became (or stopped being) isolated, gaps that closed or opened, and
each municipality's E-I index and outward share before and after.

Both graphs should come from ``organisation_graph`` on the same data with two
``years`` windows. Gaps are compared without the permutation test.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import networkx as nx
import pandas as pd

from graphsvc.analysis._engine import without_gc
from graphsvc.analysis._places import municipality_rows
from graphsvc.analysis._results import AnalysisResult, graph_provenance
from graphsvc.analysis.gaps import municipality_gaps
from graphsvc.analysis.isolation import isolated_actors
from graphsvc.analysis.params import AnalysisParams

__all__ = ["WindowComparison", "compare_windows"]


@dataclass(frozen=True)
class WindowComparison(AnalysisResult):
    """What changed from ``before`` to ``after`` (``years`` is the later window)."""

    before: tuple[int, int] | None
    after: tuple[int, int] | None
    new_cross_ties: pd.DataFrame
    lost_cross_ties: pd.DataFrame
    became_isolated: pd.DataFrame
    no_longer_isolated: pd.DataFrame
    gaps_closed: pd.DataFrame
    gaps_opened: pd.DataFrame
    municipalities: pd.DataFrame

    def summary(self) -> dict[str, Any]:
        return {
            "before": list(self.before) if self.before else None,
            "after": list(self.after) if self.after else None,
            "new_cross_ties": len(self.new_cross_ties),
            "lost_cross_ties": len(self.lost_cross_ties),
            "became_isolated": len(self.became_isolated),
            "no_longer_isolated": len(self.no_longer_isolated),
            "gaps_closed": len(self.gaps_closed),
            "gaps_opened": len(self.gaps_opened),
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "municipalities": self.municipalities,
            "new_cross_ties": self.new_cross_ties,
            "lost_cross_ties": self.lost_cross_ties,
            "became_isolated": self.became_isolated,
            "no_longer_isolated": self.no_longer_isolated,
            "gaps_closed": self.gaps_closed,
            "gaps_opened": self.gaps_opened,
        }


def _cross_ties(G: nx.Graph, munis) -> dict[tuple, dict[str, Any]]:
    out = {}
    for u, v, d in G.edges(data=True):
        cu, cv = G.nodes[u].get("municipality_code"), G.nodes[v].get("municipality_code")
        if cu is None or cv is None or cu == cv:
            continue
        (a, ca), (b, cb) = sorted(((u, cu), (v, cv)), key=lambda x: str(x[0]))
        out[a, b] = {
            "id_a": a, "name_a": G.nodes[a].get("name"), "municipality_a": munis.get(ca, {}).get("name", ca),
            "id_b": b, "name_b": G.nodes[b].get("name"), "municipality_b": munis.get(cb, {}).get("name", cb),
            "projects": d.get("projects", 0), "collaborations": d.get("collaborations", 0),
        }
    return out


_TIE_COLUMNS = ["id_a", "name_a", "municipality_a", "id_b", "name_b", "municipality_b",
                "projects", "collaborations"]


def _ties_frame(ties: dict, keys) -> pd.DataFrame:
    return pd.DataFrame([ties[k] for k in sorted(keys, key=lambda k: (str(k[0]), str(k[1])))],
                        columns=_TIE_COLUMNS)


@without_gc
def compare_windows(
    G_before: nx.Graph,
    G_after: nx.Graph,
    municipalities: Iterable[Any] | None = None,
    *,
    params: AnalysisParams | None = None,
    scope: str = "all",
) -> WindowComparison:
    """Compare the organisation graphs of two windows.

    Examples
    --------
    >>> before = nx.Graph([("a", "b")])
    >>> after = nx.Graph([("a", "b"), ("a", "c")])
    >>> for G in (before, after):
    ...     G.add_nodes_from(["a", "b", "c"])
    ...     nx.set_node_attributes(G, {"a": "751", "b": "751", "c": "665"}, "municipality_code")
    ...     nx.set_node_attributes(G, "small", "size")
    >>> r = compare_windows(before, after, params=AnalysisParams(isolation_max_ties=0))
    >>> r.new_cross_ties[["id_a", "id_b"]].values.tolist(), list(r.no_longer_isolated.index)
    ([['a', 'c']], ['c', 'a'])
    """
    params = params or AnalysisParams()
    munis = municipality_rows(municipalities)
    ties_b, ties_a = _cross_ties(G_before, munis), _cross_ties(G_after, munis)
    # scope (graphsvc.analysis.scope): which organisations the isolation lists hold
    iso_b = isolated_actors(G_before, params=params, municipalities=munis.values(), scope=scope)
    iso_a = isolated_actors(G_after, params=params, municipalities=munis.values(), scope=scope)
    gaps_b = municipality_gaps(G_before, munis.values(), params=params)
    gaps_a = municipality_gaps(G_after, munis.values(), params=params)

    became = iso_a.table.loc[[i for i in iso_a.table.index if i not in iso_b.table.index],
                             ["name", "municipality", "category", "reasons"]]
    left = iso_b.table.loc[[i for i in iso_b.table.index if i not in iso_a.table.index],
                           ["name", "municipality", "category"]]
    left = left.rename(columns={"category": "category_before"})
    left["partners_after"] = [G_after.degree(i) if i in G_after else 0 for i in left.index]

    key = ["code_a", "code_b"]
    merged = gaps_b.pairs.merge(gaps_a.pairs, on=key, suffixes=("_before", "_after"))
    merged = merged.rename(columns={"name_a_before": "name_a", "name_b_before": "name_b"})
    cols = ["code_a", "name_a", "code_b", "name_b", "observed_before", "observed_after",
            "expected_before", "expected_after", "state_before", "state_after",
            "q_value_before", "q_value_after"]
    was_gap = merged["lacking_before"] | (merged["observed_before"] == 0)
    is_gap = merged["lacking_after"] | (merged["observed_after"] == 0)
    closed = merged[was_gap & ~is_gap][cols].reset_index(drop=True)
    opened = merged[~was_gap & is_gap][cols].reset_index(drop=True)

    measures = ["ei", "share_with_outside_tie"]
    m = gaps_b.ei[["name"]].join(gaps_b.ei[measures].add_suffix("_before")).join(
        gaps_a.ei[measures].add_suffix("_after"))
    m["ei_change"] = m["ei_after"] - m["ei_before"]
    version, after_years = graph_provenance(G_after)
    return WindowComparison(
        params=params,
        data_version=version,
        years=after_years,
        before=graph_provenance(G_before)[1],
        after=after_years,
        new_cross_ties=_ties_frame(ties_a, ties_a.keys() - ties_b.keys()),
        lost_cross_ties=_ties_frame(ties_b, ties_b.keys() - ties_a.keys()),
        became_isolated=became,
        no_longer_isolated=left,
        gaps_closed=closed,
        gaps_opened=opened,
        municipalities=m,
    )
