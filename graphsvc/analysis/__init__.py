"""Analyses: pure functions over networkx graphs built from the store's rows.

Every result is a frozen dataclass carrying the parameters and the data version it came
from, with ``tables()`` for export (``graphsvc.analysis.export``) and ``to_dict()`` for JSON.
"""

from graphsvc.analysis.centrality import CentralityResult, centrality
from graphsvc.analysis.communities import CommunitiesResult, communities
from graphsvc.analysis.compare import WindowComparison, compare_windows
from graphsvc.analysis.gaps import GapsResult, municipality_gaps
from graphsvc.analysis.isolation import IsolationResult, isolated_actors
from graphsvc.analysis.params import AnalysisParams
from graphsvc.analysis.projection import (
    GraphData,
    graph_data_from_records,
    organisation_graph,
    organisation_project_graph,
    read_graph_data,
)

__all__ = [
    "AnalysisParams",
    "CentralityResult",
    "CommunitiesResult",
    "GapsResult",
    "GraphData",
    "IsolationResult",
    "WindowComparison",
    "centrality",
    "communities",
    "compare_windows",
    "graph_data_from_records",
    "isolated_actors",
    "municipality_gaps",
    "organisation_graph",
    "organisation_project_graph",
    "read_graph_data",
]
