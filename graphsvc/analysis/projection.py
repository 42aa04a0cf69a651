"""Projections: the rows read from the store turned into networkx graphs.

The organisation graph has one node per organisation (actor or institution) and an edge
between two organisations that share a project or declared a collaboration — and, when
their weights are above 0, a thematic network or an event — weighted by how many (see
docs/analysis.md). It can be restricted to a window of years. The organisation–project
graph is the bipartite graph the organisation graph is projected from.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from graphsvc.analysis._engine import gc_paused, remember_arrays
from graphsvc.analysis.params import AnalysisParams
from graphsvc.analysis.sizes import kind_size
from graphsvc.model import ANALYSIS_TABLES, decode_extra

__all__ = [
    "GraphData",
    "OrganisationGraph",
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


_WITH_EXTRA = frozenset({"organisations", "projects", "networks", "events"})


class GraphData:
    """Everything the analyses read, with the store version it came from.

    Each table is given either as rows (lists of dicts) or as a ``pyarrow.Table`` read
    from the store (``GraphStore.read_tables``). ``data.organisations`` and the other
    table names give rows (from a ``pyarrow.Table``: made once, on first use, with
    ``extra`` decoded); ``data.column(table, field)`` gives one column as a list without
    making rows, which is what the projection reads.
    """

    __slots__ = ("version", "_given", "_rows", "_lock")

    def __init__(self, version: int, municipalities, organisations, projects, participations,
                 collaborations, networks=(), events=(), memberships=(), attendances=()):
        self.version = version
        given = (municipalities, organisations, projects, participations, collaborations,
                 networks, events, memberships, attendances)
        self._given = dict(zip(ANALYSIS_TABLES, given))
        self._rows: dict[str, list[Row]] = {}
        self._lock = threading.Lock()

    def table(self, name: str):
        """The table as given: a ``pyarrow.Table`` read from the store, or a list of rows."""
        return self._given[name]

    def rows(self, table: str) -> list[Row]:
        """The table as a list of row dicts (made once from a columnar table)."""
        given = self._given[table]
        if isinstance(given, list):
            return given
        if not hasattr(given, "to_pylist"):
            return list(given)
        with self._lock:
            if table not in self._rows:
                rows = given.to_pylist()
                self._rows[table] = [decode_extra(r) for r in rows] if table in _WITH_EXTRA else rows
            return self._rows[table]

    def column(self, table: str, field: str) -> list:
        """One field of every row, in row order (None where a row lacks it)."""
        given = self._given[table]
        if hasattr(given, "column_names"):
            if field in given.column_names:
                return given.column(field).to_pylist()
            return [None] * given.num_rows
        return [r.get(field) for r in self.rows(table)]

    def __sizeof__(self) -> int:
        tables = sum(getattr(t, "nbytes", 0) for t in self._given.values())
        return object.__sizeof__(self) + tables

    def __reduce__(self):
        return (GraphData, (self.version, *(self.rows(t) for t in ANALYSIS_TABLES)))

    municipalities = property(lambda self: self.rows("municipalities"))
    organisations = property(lambda self: self.rows("organisations"))
    projects = property(lambda self: self.rows("projects"))
    participations = property(lambda self: self.rows("participations"))
    collaborations = property(lambda self: self.rows("collaborations"))
    networks = property(lambda self: self.rows("networks"))
    events = property(lambda self: self.rows("events"))
    memberships = property(lambda self: self.rows("memberships"))
    attendances = property(lambda self: self.rows("attendances"))


def read_graph_data(store) -> GraphData:
    """Read every table the analyses need from ``store`` (a ``GraphStore``), as columns."""
    version = store.version
    tables = store.read_tables()
    return GraphData(version, *(tables[t] for t in ANALYSIS_TABLES))


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


def _incidence(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> sp.csc_matrix:
    """The 0/1 incidence matrix (organisations × groups) of the (row, col) pairs; a pair
    given twice counts once."""
    B = sp.csc_matrix((np.ones(len(rows), np.float64), (rows, cols)), shape=(n_rows, n_cols))
    B.sum_duplicates()
    B.data[:] = 1.0
    return B


def _pair_counts(B: sp.csc_matrix, group_weights: np.ndarray | None = None) -> sp.csr_matrix:
    """The upper triangle of B · diag(w) · Bᵀ: for each pair of organisations, the (weighted)
    number of groups both belong to. Canonical CSR, so two results with the same pattern
    list their entries in the same order."""
    Bw = B if group_weights is None else B @ sp.diags(group_weights)
    M = sp.triu((Bw @ B.T).tocsr(), k=1, format="csr")
    M.eliminate_zeros()
    M.sort_indices()
    return M


def _codes(M: sp.csr_matrix) -> np.ndarray:
    """The pairs of a pair-count matrix as codes ``a * _BIG + b`` (a < b), in CSR order."""
    heads = np.repeat(np.arange(M.shape[0], dtype=np.int64), np.diff(M.indptr))
    return heads * _BIG + M.indices.astype(np.int64)


_BIG = 1 << 31


def _node_attrs(attrs: Row, params: AnalysisParams, n_projects: int, last_project_year: int | None,
                n_collaborations: int, n_networks: int, n_events: int) -> Row:
    attrs["size_given"] = attrs["size"]
    attrs["size"], attrs["size_source"] = resolve_size(attrs, params)
    attrs.update(n_projects=n_projects, last_project_year=last_project_year,
                 n_collaborations=n_collaborations, n_networks=n_networks, n_events=n_events)
    return attrs


def _years(data: GraphData) -> tuple[list, np.ndarray, np.ndarray]:
    """Project ids and their spans (start, end; NaN when unknown), as ``_span`` reads them."""
    ids = data.column("projects", "id")
    start = np.array(data.column("projects", "start_year"), dtype=float)
    end = np.array(data.column("projects", "end_year"), dtype=float)
    return ids, np.where(np.isnan(start), end, start), np.where(np.isnan(end), start, end)


def _organisation_graph(data, years, params, project_weight, collaboration_weight,
                        network_weight, event_weight) -> nx.Graph:
    w_p = params.project_weight if project_weight is None else project_weight
    w_c = params.collaboration_weight if collaboration_weight is None else collaboration_weight
    w_n = params.network_weight if network_weight is None else network_weight
    w_e = params.event_weight if event_weight is None else event_weight

    raw_ids = data.column("organisations", "id")
    order = sorted(range(len(raw_ids)), key=raw_ids.__getitem__)
    ids = [raw_ids[k] for k in order]
    index = pd.Index(ids)
    n = len(ids)

    # participations: organisation index, project index, and the project's window flags
    org_of = index.get_indexer(data.column("participations", "org_id"))
    part_projects = data.column("participations", "project_id")
    project_ids, start, end = _years(data)
    project_index = pd.Index(project_ids)
    p_row = project_index.get_indexer(part_projects) if len(project_ids) else np.full(len(part_projects), -1)
    known_project = p_row >= 0
    p_start = np.where(known_project, start[p_row], np.nan) if len(project_ids) else np.full(len(p_row), np.nan)
    p_end = np.where(known_project, end[p_row], np.nan) if len(project_ids) else np.full(len(p_row), np.nan)
    if years is None:
        in_window = np.ones(len(p_row), bool)
    else:
        in_window = ~np.isnan(p_start) & (p_start <= years[1]) & (p_end >= years[0])
    known = org_of >= 0

    # the latest year each organisation was in a project, up to the window's end
    counted = known & ~np.isnan(p_end)
    if years is not None:
        counted &= p_start <= years[1]
    last = p_end if years is None else np.minimum(p_end, years[1])
    last_year_arr = np.full(n, -np.inf)
    np.maximum.at(last_year_arr, org_of[counted], last[counted])
    last_year = [int(y) if np.isfinite(y) else None for y in last_year_arr.tolist()]

    keep = known & in_window
    n_projects = np.bincount(org_of[keep], minlength=n)
    # groups numbered in the order their projects first appear among the participations
    group_of, group_codes = pd.factorize(pd.Series(part_projects, dtype=object)[keep])
    B = _incidence(org_of[keep], group_of, n, len(group_codes))
    sizes = np.diff(B.indptr)
    pair_w = np.array([pair_weight(k, params.project_weighting, params.project_weight_cap)
                       if k > 1 else 0.0 for k in sizes.tolist()])
    project_counts = _pair_counts(B)
    project_weights = _pair_counts(B, pair_w)
    if project_weights.nnz != project_counts.nnz:  # a weighting that gives some pairs 0
        pw = project_counts.copy()
        pw.data = np.asarray(project_weights[project_counts.nonzero()]).ravel()
        project_weights = pw

    collab_pairs: dict[int, int] = defaultdict(int)
    n_collab = np.zeros(n, np.int64)
    sources = index.get_indexer(data.column("collaborations", "source_id"))
    targets = index.get_indexer(data.column("collaborations", "target_id"))
    since = data.column("collaborations", "since")
    for a, b, year in zip(sources.tolist(), targets.tolist(), since):
        if a < 0 or b < 0 or a == b:
            continue
        if years is not None and year is not None and year > years[1]:
            continue
        collab_pairs[min(a, b) * _BIG + max(a, b)] += 1
        n_collab[a] += 1
        n_collab[b] += 1

    member_of = index.get_indexer(data.column("memberships", "org_id"))
    n_networks = np.bincount(member_of[member_of >= 0], minlength=n)
    event_ids, event_years = data.column("events", "id"), data.column("events", "year")
    attendee = index.get_indexer(data.column("attendances", "org_id"))
    e_row = pd.Index(event_ids).get_indexer(data.column("attendances", "event_id")) if event_ids \
        else np.full(len(attendee), -1)
    e_year = np.array([event_years[r] if r >= 0 and event_years[r] is not None else np.nan
                       for r in e_row.tolist()], float)
    attended = (attendee >= 0) & (e_row >= 0)
    if years is not None:
        attended &= ~np.isnan(e_year) & (e_year >= years[0]) & (e_year <= years[1])
    n_events = np.bincount(attendee[attended], minlength=n)

    # the units of the gaps' bootstrap: each project in the window and each declared
    # collaboration, as the ids of its organisations
    names = np.array(ids, dtype=object)
    units = [tuple(names[B.indices[B.indptr[g]:B.indptr[g + 1]]].tolist()) for g in range(B.shape[1])]
    unit_weights = [w_p * w if k > 1 else 0.0 for k, w in zip(sizes.tolist(), pair_w.tolist())]
    units += [(ids[c // _BIG], ids[c % _BIG]) for c, k in collab_pairs.items() for _ in range(k)]
    unit_weights += [w_c] * (len(units) - len(unit_weights))
    G = OrganisationGraph(
        tie_units=units,
        tie_unit_weights=unit_weights,
        data_version=data.version,
        years=tuple(years) if years is not None else None,
        reference_year=years[1] if years is not None else max(
            (y for y in data.column("projects", "start_year") if y is not None), default=None),
    )
    columns = [data.column("organisations", f) for f in _NODE_FIELDS]
    activity = zip(n_projects.tolist(), last_year, n_collab.tolist(), n_networks.tolist(), n_events.tolist())
    G.add_nodes_from(
        (oid, _node_attrs(dict(zip(_NODE_FIELDS, [c[k] for c in columns])), params, *counts))
        for oid, k, counts in zip(ids, order, activity)
    )

    # every pair tied by anything, and its count of each kind of tie
    counts = {"projects": (_codes(project_counts), project_counts.data),
              "collaborations": (np.fromiter(collab_pairs.keys(), np.int64, len(collab_pairs)),
                                 np.fromiter(collab_pairs.values(), np.float64, len(collab_pairs)))}
    weights = {"projects": 0.0, "collaborations": w_c}
    if w_n > 0:
        networks, network_codes = pd.factorize(pd.Series(data.column("memberships", "network_id"), dtype=object))
        ok = member_of >= 0
        M = _pair_counts(_incidence(member_of[ok], networks[ok], n, len(network_codes)))
        counts["networks"], weights["networks"] = (_codes(M), M.data), w_n
    if w_e > 0:
        M = _pair_counts(_incidence(attendee[attended], e_row[attended], n, len(event_ids)))
        counts["events"], weights["events"] = (_codes(M), M.data), w_e
    codes = np.unique(np.concatenate([c for c, _ in counts.values()]))
    columns_ = {}
    for kind, (c, v) in counts.items():
        col = np.zeros(len(codes), np.int64)
        col[np.searchsorted(codes, c)] = np.rint(v).astype(np.int64)
        columns_[kind] = col
    weight = sum(weights[k] * columns_[k] for k in columns_).astype(float)
    pw = np.zeros(len(codes))
    pw[np.searchsorted(codes, counts["projects"][0])] = project_weights.data
    weight = weight + w_p * pw
    keep = weight > 0
    heads, tails = codes[keep] // _BIG, codes[keep] % _BIG
    G.defer_edges(names, heads, tails, {"weight": weight[keep], **{k: c[keep] for k, c in columns_.items()}})
    # nodes in id order, edges in code order: the order G.edges() gives them
    remember_arrays(G, heads, tails, weight[keep])
    return G


_FILL_LOCK = threading.Lock()


class OrganisationGraph(nx.Graph):
    """The organisation graph: an ``nx.Graph`` whose per-edge dicts are made on first use.

    The projection knows every tie as arrays, and the analyses read those arrays
    (``_engine.indexed``); making the 224,514 edge dicts of M takes 0.8 s, so they are made
    only when something walks the graph's adjacency (``G[u]``, ``G.edges``, ``G.adj``,
    a copy or a subgraph). ``number_of_edges()`` answers from the arrays. Until then the
    graph holds its nodes and their attributes as usual.
    """

    @property
    def _adj(self):
        if self.__dict__.get("_deferred") is not None:
            with _FILL_LOCK:
                deferred = self.__dict__.get("_deferred")
                if deferred is not None:
                    self._fill(*deferred)
                    self.__dict__["_deferred"] = None
        return self.__dict__["_adj_dict"]

    @_adj.setter
    def _adj(self, value) -> None:
        self.__dict__["_adj_dict"] = value

    def defer_edges(self, names: np.ndarray, heads: np.ndarray, tails: np.ndarray,
                    columns: dict[str, np.ndarray]) -> None:
        """Add the ties ``names[heads[k]]``–``names[tails[k]]`` (attributes: one array per
        key in ``columns``) when the adjacency is first used, in this order."""
        self.__dict__["_deferred"] = (names, heads, tails, columns)

    def _fill(self, names, heads, tails, columns) -> None:
        adj = self.__dict__["_adj_dict"]
        keys = list(columns)
        values = zip(*(columns[k].tolist() for k in keys))
        for u, v, row in zip(names[heads].tolist(), names[tails].tolist(), values):
            d = dict(zip(keys, row))
            adj[u][v] = d
            adj[v][u] = d

    def make_edges(self) -> None:
        """Make the per-tie dicts now, so a later walk of the graph does not wait for them."""
        self._adj  # noqa: B018 - reading it makes them

    def number_of_edges(self, u=None, v=None) -> int:
        deferred = self.__dict__.get("_deferred")
        if u is None and v is None and deferred is not None:
            return len(deferred[1])
        return super().number_of_edges(u, v)


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
