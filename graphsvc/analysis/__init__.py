"""Analyses: pure functions over networkx graphs built from the store's rows."""

from graphsvc.analysis.projection import GraphData, organisation_graph, read_graph_data

__all__ = ["GraphData", "organisation_graph", "read_graph_data"]
