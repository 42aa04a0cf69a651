"""Projections: the rows read from the store turned into networkx graphs.

The organisation graph has one node per organisation (actor or institution) and an edge
between two organisations that share a project or declared a collaboration, weighted
by how many (see docs/analysis.md for the weights).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx

__all__ = ["GraphData", "read_graph_data", "organisation_graph"]

Row = dict[str, Any]


@dataclass(frozen=True)
class GraphData:
    """Everything the analyses read, as plain rows, with the store version it came from."""

    version: int
    municipalities: list[Row]
    organisations: list[Row]
    projects: list[Row]
    participations: list[Row]
    collaborations: list[Row]
    networks: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    memberships: list[Row] = field(default_factory=list)
    attendances: list[Row] = field(default_factory=list)


def read_graph_data(store) -> GraphData:
    """Read every row the analyses need from ``store`` (a ``GraphStore``)."""
    return GraphData(
        version=store.version,
        municipalities=store.list_municipalities(),
        organisations=store.list_organisations(),
        projects=store.list_projects(),
        participations=store.list_participations(),
        collaborations=store.list_collaborations(),
        networks=store.list_networks(),
        events=store.list_events(),
        memberships=store.list_memberships(),
        attendances=store.list_attendances(),
    )


_NODE_FIELDS = ("label", "name", "kind", "size", "art_forms", "target_groups",
                "municipality_code", "in_region", "lat", "lon", "staff", "budget_dkk")


def organisation_graph(
    data: GraphData,
    *,
    project_weight: float = 1.0,
    collaboration_weight: float = 1.0,
) -> nx.Graph:
    """The organisation graph.

    Nodes are organisation ids with the attributes in ``_NODE_FIELDS``; an edge's
    ``weight`` is ``project_weight`` × shared projects + ``collaboration_weight`` ×
    declared collaborations (either direction), and it carries ``projects`` and
    ``collaborations`` counts.

    Examples
    --------
    >>> data = GraphData(0, [], [{"id": "a", "label": "Actor"}, {"id": "b", "label": "Actor"}],
    ...     [], [{"org_id": "a", "project_id": "p"}, {"org_id": "b", "project_id": "p"}], [])
    >>> G = organisation_graph(data)
    >>> G["a"]["b"]
    {'weight': 1.0, 'projects': 1, 'collaborations': 0}
    """
    G = nx.Graph()
    G.add_nodes_from((o["id"], {k: o.get(k) for k in _NODE_FIELDS}) for o in data.organisations)
    members: dict[str, list[str]] = defaultdict(list)
    for p in data.participations:
        members[p["project_id"]].append(p["org_id"])
    projects: dict[tuple[str, str], int] = defaultdict(int)
    for orgs in members.values():
        for a, b in combinations(sorted(set(orgs)), 2):
            projects[a, b] += 1
    collaborations: dict[tuple[str, str], int] = defaultdict(int)
    for c in data.collaborations:
        if c["source_id"] != c["target_id"]:
            a, b = sorted((c["source_id"], c["target_id"]))
            collaborations[a, b] += 1
    for a, b in sorted(projects.keys() | collaborations.keys()):
        n_p, n_c = projects.get((a, b), 0), collaborations.get((a, b), 0)
        G.add_edge(a, b, weight=project_weight * n_p + collaboration_weight * n_c,
                   projects=n_p, collaborations=n_c)
    return G
