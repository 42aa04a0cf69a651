"""Projections: the rows read from the store turned into networkx graphs.

The organisation graph has one node per organisation (actor or institution) and an edge
between two organisations that share a project or declared a collaboration — and, when
their weights are above 0, a thematic network or an event — weighted by how many (see
docs/analysis.md). It can be restricted to a window of years. The organisation–project
graph is the bipartite graph the organisation graph is projected from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from graphsvc.analysis._engine import gc_paused, remember_arrays
from graphsvc.analysis.params import AnalysisParams
from graphsvc.analysis.sizes import kind_size

__all__ = [
    "GraphData",
    "Years",
    "read_graph_data",
    "graph_data_from_records",
    "organisation_graph",
    "organisation_project_graph",
    "resolve_size",
    "project_in_window",
    "pair_weight",
]

Row = dict[str, Any]
Years = tuple[int, int] | None


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


def graph_data_from_records(records, *, version: int = 0) -> GraphData:
    """``GraphData`` straight from ``Records``, without a store (benchmarks, tests).

    The municipalities are the records' own, or the region's 19 when there are none.
    """
    from graphsvc.reference import municipalities

    munis = records.municipalities or list(municipalities())
    orgs = [{"label": "Actor", **a.model_dump()} for a in records.actors]
    orgs += [{"label": "Institution", **i.model_dump()} for i in records.institutions]
    dump = lambda rows: [r.model_dump() for r in rows]  # noqa: E731
    return GraphData(
        version=version,
        municipalities=dump(munis),
        organisations=orgs,
        projects=dump(records.projects),
        participations=dump(records.participations),
        collaborations=dump(records.collaborations),
        networks=dump(records.networks),
        events=dump(records.events),
        memberships=dump(records.memberships),
        attendances=dump(records.attendances),
    )


_NODE_FIELDS = ("label", "name", "kind", "size", "art_forms", "target_groups",
                "municipality_code", "municipality_source", "in_region", "lat", "lon", "staff", "budget_dkk")


def resolve_size(org: Row, params: AnalysisParams) -> tuple[str | None, str]:
    """The size of an organisation and where it came from.

    In order: the given size (``given``); its staff (``staff``:
    ``small_max_staff``/``large_min_staff``); its budget (``budget``:
    ``small_max_budget_dkk``/``large_min_budget_dkk``); its kind column in ``kind_sizes``
    (``kind``); the kind its name states — "… Kommune", "… Universitet", "Museum",
    "Forening" — in ``kind_sizes`` (``kind_name``); its label in ``label_sizes`` (empty by
    default: ``label``); else unknown (``None``, ``unknown``) — never "small" by default.
    Between the thresholds the size is medium.

    Examples
    --------
    >>> p = AnalysisParams()
    >>> resolve_size({"label": "Actor", "size": None, "staff": 80}, p)
    ('large', 'staff')
    >>> resolve_size({"label": "Institution", "size": None, "staff": None, "budget_dkk": 3e6}, p)
    ('medium', 'budget')
    >>> resolve_size({"label": "Actor", "name": "Herning Kommune"}, p)
    ('large', 'kind_name')
    >>> resolve_size({"label": "Institution", "name": "Aarhus Teater"}, p)
    (None, 'unknown')
    """
    if org.get("size"):
        return org["size"], "given"
    staff = org.get("staff")
    if staff is not None:
        if staff <= params.small_max_staff:
            return "small", "staff"
        return ("large" if staff >= params.large_min_staff else "medium"), "staff"
    budget = org.get("budget_dkk")
    if budget is not None:
        if budget <= params.small_max_budget_dkk:
            return "small", "budget"
        return ("large" if budget >= params.large_min_budget_dkk else "medium"), "budget"
    size, source = kind_size(org.get("kind"), org.get("name"), params.kind_sizes)
    if size is not None:
        return size, source
    if org.get("label") in params.label_sizes:
        return params.label_sizes[org["label"]], "label"
    return None, "unknown"


def _span(project: Row) -> tuple[int | None, int | None]:
    start, end = project.get("start_year"), project.get("end_year")
    return (start if start is not None else end), (end if end is not None else start)


def project_in_window(project: Row, years: Years) -> bool:
    """Whether a project counts in the window: its years overlap it. With no window every
    project counts; with one, a project without any year does not."""
    if years is None:
        return True
    start, end = _span(project)
    return start is not None and start <= years[1] and end >= years[0]


def _pairs(groups: list[np.ndarray]) -> np.ndarray:
    """Every unordered pair of members within each group, as codes ``a * n + b`` (a < b)."""
    by_size: dict[int, list[np.ndarray]] = defaultdict(list)
    for members in groups:
        if len(members) > 1:
            by_size[len(members)].append(members)
    codes = []
    for k, rows in by_size.items():
        block = np.sort(np.vstack(rows), axis=1)
        i, j = np.triu_indices(k, 1)
        codes.append((block[:, i].astype(np.int64) * _BIG + block[:, j]).ravel())
    return np.concatenate(codes) if codes else np.empty(0, np.int64)


_BIG = 1 << 31


def _count_pairs(groups: list[np.ndarray]) -> dict[int, int]:
    codes, counts = np.unique(_pairs(groups), return_counts=True)
    return dict(zip(codes.tolist(), counts.tolist()))


def pair_weight(n: int, weighting: str, cap: int) -> float:
    """The weight of one pair of partners in a project of ``n`` organisations.

    >>> pair_weight(5, "newman", 10), pair_weight(5, "count", 10), pair_weight(21, "capped", 11)
    (0.25, 1.0, 0.5)
    """
    if weighting == "newman":
        return 1.0 / (n - 1)
    if weighting == "capped":
        return min(1.0, (cap - 1) / (n - 1))
    return 1.0


def _weigh_pairs(groups: list[np.ndarray], weighting: str, cap: int) -> dict[int, float]:
    """Σ over the groups sharing a pair of ``pair_weight`` of the group's size."""
    by_size: dict[int, list[np.ndarray]] = defaultdict(list)
    for members in groups:
        if len(members) > 1:
            by_size[len(members)].append(members)
    out: dict[int, float] = defaultdict(float)
    for k, rows in by_size.items():
        codes, counts = np.unique(_pairs(rows), return_counts=True)
        w = pair_weight(k, weighting, cap)
        for code, c in zip(codes.tolist(), counts.tolist()):
            out[code] += w * c
    return out


def organisation_graph(
    data: GraphData,
    *,
    years: Years = None,
    project_weight: float | None = None,
    collaboration_weight: float | None = None,
    network_weight: float | None = None,
    event_weight: float | None = None,
    params: AnalysisParams | None = None,
) -> nx.Graph:
    """The organisation graph, optionally restricted to a window of years.

    Nodes are organisation ids, added in id order, with the attributes ``label``,
    ``name``, ``kind``, ``size`` (resolved by ``resolve_size``; ``size_given`` and
    ``size_source`` tell where it came from), ``art_forms``, ``target_groups``,
    ``municipality_code``, ``in_region``, ``lat``, ``lon``, ``staff``, ``budget_dkk``,
    and the activity counts ``n_projects`` (projects in the window),
    ``last_project_year`` (the latest year it was in a project, up to the window's end),
    ``n_collaborations``, ``n_networks`` and ``n_events`` (events in the window).

    An edge's ``weight`` is ``project_weight`` × Σ over its shared projects of the pair
    weight (``project_weighting``: 1/(n − 1) for a project of n organisations by default,
    see ``pair_weight``) + ``collaboration_weight`` × declared collaborations (either
    direction) [+ ``network_weight`` × shared networks + ``event_weight`` × events both
    attended, when those weights are above 0]; it carries the raw counts ``projects`` and
    ``collaborations`` (and ``networks``/``events`` when counted). Weights not given come
    from ``params``.

    In a window ``(start, end)`` a project counts when its years overlap the window; a
    collaboration when it was declared by the window's end (``since`` ≤ end, or no
    ``since``); an event when its year lies in the window; a network membership always.
    ``G.graph`` holds ``data_version``, ``years``, ``reference_year`` (the window's
    end, or the latest start year of any project) and ``tie_units``: the organisation ids
    of every project in the window and of every declared collaboration (one tuple each),
    which the gaps analysis resamples, and ``tie_unit_weights``: the weight each gives a
    pair of its organisations.

    Examples
    --------
    >>> data = GraphData(0, [], [{"id": "a", "label": "Actor"}, {"id": "b", "label": "Actor"}],
    ...     [], [{"org_id": "a", "project_id": "p"}, {"org_id": "b", "project_id": "p"}], [])
    >>> G = organisation_graph(data)
    >>> G["a"]["b"]
    {'weight': 1.0, 'projects': 1, 'collaborations': 0}
    >>> G.nodes["a"]["size"], G.nodes["a"]["size_source"]
    (None, 'unknown')
    """
    with gc_paused():
        return _organisation_graph(data, years, params or AnalysisParams(), project_weight,
                                   collaboration_weight, network_weight, event_weight)


def _organisation_graph(data, years, params, project_weight, collaboration_weight,
                        network_weight, event_weight) -> nx.Graph:
    w_p = params.project_weight if project_weight is None else project_weight
    w_c = params.collaboration_weight if collaboration_weight is None else collaboration_weight
    w_n = params.network_weight if network_weight is None else network_weight
    w_e = params.event_weight if event_weight is None else event_weight

    orgs = sorted(data.organisations, key=lambda o: o["id"])
    ids = [o["id"] for o in orgs]
    index = {oid: i for i, oid in enumerate(ids)}
    n = len(ids)

    projects = {p["id"]: p for p in data.projects}
    in_window = {r["project_id"] for r in data.participations
                 if project_in_window(projects.get(r["project_id"], {}), years)}
    members: dict[str, list[int]] = defaultdict(list)
    n_projects = np.zeros(n, np.int64)
    last_year: list[int | None] = [None] * n
    for row in data.participations:
        i = index.get(row["org_id"])
        if i is None:
            continue
        p = projects.get(row["project_id"], {})
        start, end = _span(p)
        if end is not None and (years is None or start <= years[1]):
            year = end if years is None else min(end, years[1])
            if last_year[i] is None or year > last_year[i]:
                last_year[i] = year
        if row["project_id"] in in_window:
            members[row["project_id"]].append(i)
            n_projects[i] += 1
    project_groups = [np.array(sorted(set(m))) for m in members.values()]
    project_pairs = _count_pairs(project_groups)
    project_weights = _weigh_pairs(project_groups, params.project_weighting, params.project_weight_cap)

    collab_pairs: dict[int, int] = defaultdict(int)
    n_collab = np.zeros(n, np.int64)
    for c in data.collaborations:
        a, b = index.get(c["source_id"]), index.get(c["target_id"])
        if a is None or b is None or a == b:
            continue
        if years is not None and c.get("since") is not None and c["since"] > years[1]:
            continue
        collab_pairs[min(a, b) * _BIG + max(a, b)] += 1
        n_collab[a] += 1
        n_collab[b] += 1

    n_networks = np.zeros(n, np.int64)
    by_network: dict[str, list[int]] = defaultdict(list)
    for m in data.memberships:
        i = index.get(m["org_id"])
        if i is not None:
            n_networks[i] += 1
            by_network[m["network_id"]].append(i)
    events = {e["id"]: e for e in data.events}
    n_events = np.zeros(n, np.int64)
    by_event: dict[str, list[int]] = defaultdict(list)
    for a in data.attendances:
        i, e = index.get(a["org_id"]), events.get(a["event_id"])
        if i is None or e is None:
            continue
        if years is None or (e.get("year") is not None and years[0] <= e["year"] <= years[1]):
            n_events[i] += 1
            by_event[a["event_id"]].append(i)
    network_pairs = _count_pairs([np.array(sorted(set(m))) for m in by_network.values()]) if w_n > 0 else {}
    event_pairs = _count_pairs([np.array(sorted(set(m))) for m in by_event.values()]) if w_e > 0 else {}

    # the units of the gaps' bootstrap: each project in the window and each declared
    # collaboration, as the ids of its organisations
    units = [tuple(ids[i] for i in g) for g in project_groups if len(g)]
    unit_weights = [w_p * pair_weight(len(g), params.project_weighting, params.project_weight_cap)
                    if len(g) > 1 else 0.0 for g in project_groups if len(g)]
    units += [(ids[c // _BIG], ids[c % _BIG]) for c, k in collab_pairs.items() for _ in range(k)]
    unit_weights += [w_c] * (len(units) - len(unit_weights))
    G = nx.Graph(
        tie_units=units,
        tie_unit_weights=unit_weights,
        data_version=data.version,
        years=tuple(years) if years is not None else None,
        reference_year=years[1] if years is not None else max(
            (p["start_year"] for p in data.projects if p.get("start_year") is not None), default=None
        ),
    )
    for i, o in enumerate(orgs):
        attrs = {k: o.get(k) for k in _NODE_FIELDS}
        attrs["size_given"] = o.get("size")
        attrs["size"], attrs["size_source"] = resolve_size(o, params)
        attrs.update(
            n_projects=int(n_projects[i]), last_project_year=last_year[i],
            n_collaborations=int(n_collab[i]), n_networks=int(n_networks[i]),
            n_events=int(n_events[i]),
        )
        G.add_node(ids[i], **attrs)

    counts = {"projects": project_pairs, "collaborations": collab_pairs}
    weights = {"projects": w_p, "collaborations": w_c}
    if w_n > 0:
        counts["networks"], weights["networks"] = network_pairs, w_n
    if w_e > 0:
        counts["events"], weights["events"] = event_pairs, w_e
    codes = np.unique(np.concatenate([np.fromiter(c.keys(), np.int64, len(c)) for c in counts.values()]))
    columns = {k: np.array([c.get(code, 0) for code in codes.tolist()], np.int64) for k, c in counts.items()}
    weight = sum(weights[k] * columns[k] for k in columns if k != "projects").astype(float)
    weight = weight + w_p * np.array([project_weights.get(code, 0.0) for code in codes.tolist()])
    keep = weight > 0
    names = np.array(ids, dtype=object)
    heads, tails = names[codes[keep] // _BIG].tolist(), names[codes[keep] % _BIG].tolist()
    keys = ["weight", *columns]
    values = zip(weight[keep].tolist(), *(columns[k][keep].tolist() for k in columns))
    edges = [(u, v, dict(zip(keys, row))) for u, v, row in zip(heads, tails, values)]
    G.add_edges_from(edges)
    # nodes in id order, edges in code order: the order G.edges() gives them
    remember_arrays(G, codes[keep] // _BIG, codes[keep] % _BIG, weight[keep])
    return G


def organisation_project_graph(data: GraphData, *, years: Years = None,
                               params: AnalysisParams | None = None) -> nx.Graph:
    """The bipartite organisation–project graph of the projects in the window.

    Organisations have ``bipartite=0`` and the organisation attributes of
    ``organisation_graph`` (without the activity counts; sizes resolved with ``params``);
    projects have ``bipartite=1``,
    ``label='Project'``, ``title``, ``start_year``, ``end_year``, ``programme``,
    ``budget_dkk``, ``themes`` and ``municipality_codes``. Edges carry the ``role``.

    Examples
    --------
    >>> data = GraphData(0, [], [{"id": "a", "label": "Actor"}],
    ...     [{"id": "p", "title": "Kor i Ådalen", "start_year": 2020, "end_year": 2021}],
    ...     [{"org_id": "a", "project_id": "p", "role": "lead"}], [])
    >>> B = organisation_project_graph(data, years=(2021, 2022))
    >>> sorted(B.nodes(data="bipartite")), B["a"]["p"]
    ([('a', 0), ('p', 1)], {'role': 'lead'})
    >>> organisation_project_graph(data, years=(2022, 2023)).number_of_edges()
    0
    """
    params = params or AnalysisParams()
    B = nx.Graph(data_version=data.version, years=tuple(years) if years is not None else None)
    for o in sorted(data.organisations, key=lambda o: o["id"]):
        attrs = {k: o.get(k) for k in _NODE_FIELDS}
        attrs["size_given"] = o.get("size")
        attrs["size"], attrs["size_source"] = resolve_size(o, params)
        B.add_node(o["id"], bipartite=0, **attrs)
    keep = set()
    for p in sorted(data.projects, key=lambda p: p["id"]):
        if project_in_window(p, years):
            keep.add(p["id"])
            B.add_node(p["id"], bipartite=1, label="Project", **{
                k: p.get(k) for k in ("title", "start_year", "end_year", "programme",
                                      "budget_dkk", "themes", "municipality_codes")
            })
    B.add_edges_from(
        (r["org_id"], r["project_id"], {"role": r.get("role")})
        for r in data.participations
        if r["project_id"] in keep and r["org_id"] in B
    )
    return B
