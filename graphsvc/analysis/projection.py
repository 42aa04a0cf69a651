"""Projections: the rows read from the store turned into networkx graphs.

The organisation graph has one node per organisation (actor or institution) and an edge
between two organisations that share a project or declared a collaboration — and, when
their weights are above 0, a thematic network or an event — weighted by how many (see
docs/analysis.md). It can be restricted to a window of years. The organisation–project
graph is the bipartite graph the organisation graph is projected from.
"""

from __future__ import annotations

import functools
import threading
from collections import defaultdict
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from graphsvc.analysis._engine import NodeGroups, remember_arrays
from graphsvc.analysis.params import AnalysisParams
from graphsvc.analysis.sizes import kind_size
from graphsvc.memory import gc_paused, release_memory
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


class _Keys:
    """Ids to look rows up by (organisations, projects): their positions, found by
    pyarrow's hash lookup when the rows are columns, else by a pandas index."""

    def __init__(self, keys: list):
        self.keys = keys

    @cached_property
    def index(self) -> pd.Index:
        return pd.Index(self.keys)

    def arrow_positions(self, values) -> np.ndarray | None:
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            value_set = pa.array(self.keys, type=values.type)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
            return None
        found = pc.index_in(values, value_set=value_set, skip_nulls=True)
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


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

    def array(self, table: str, field: str):
        """One field as a ``pyarrow.Array`` when the table was read from the store as
        columns (None otherwise, or when the table has no such field)."""
        given = self._given[table]
        if hasattr(given, "column_names") and field in given.column_names:
            return given.column(field).combine_chunks()
        return None

    def positions(self, table: str, field: str, keys: "_Keys") -> np.ndarray:
        """For every row of ``table``, the position of its ``field`` in ``keys`` (-1 where
        it is not one of them)."""
        values = self.array(table, field)
        if values is not None:
            found = keys.arrow_positions(values)
            if found is not None:
                return found
        return keys.index.get_indexer(self.column(table, field))

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
# fields whose values repeat: made with one Python string per distinct value (python_values)
_REPEATED_FIELDS = frozenset({"label", "kind", "size", "art_forms", "target_groups", "municipality_code",
                              "municipality_source"})


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
    return float(pair_weights(np.array([n]), weighting, cap)[0])


def pair_weights(sizes: np.ndarray, weighting: str, cap: int) -> np.ndarray:
    """``pair_weight`` of projects of ``sizes`` organisations (0 for a project of one).

    >>> pair_weights(np.array([1, 2, 5]), "newman", 10).tolist()
    [0.0, 1.0, 0.25]
    """
    sizes = np.asarray(sizes, float)
    with np.errstate(divide="ignore"):
        if weighting == "newman":
            w = 1.0 / (sizes - 1)
        elif weighting == "capped":
            w = np.minimum(1.0, (cap - 1) / (sizes - 1))
        else:
            w = np.ones_like(sizes)
    return np.where(sizes > 1, w, 0.0)


def _ints_or_none(values: np.ndarray) -> list:
    """Whole numbers as ints, and None where a value is not finite."""
    finite = np.isfinite(values)
    out = np.where(finite, values, 0).astype(np.int64).tolist()
    for k in np.flatnonzero(~finite).tolist():
        out[k] = None
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
        G = _organisation_graph(data, years, params or AnalysisParams(), project_weight,
                                collaboration_weight, network_weight, event_weight)
    release_memory()  # the temporaries of the products and lookups
    return G


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


def _sorted_unique(codes: np.ndarray) -> np.ndarray:
    """``np.unique`` of pair codes that come mostly sorted already (each kind's codes in
    CSR order): a stable sort of nearly sorted integers is several times faster than
    ``np.unique``'s hashing."""
    codes = np.sort(codes, kind="stable")
    if len(codes) < 2:
        return codes
    return codes[np.concatenate([[True], codes[1:] != codes[:-1]])]


_SIZE_FIELDS = ("size", "staff", "budget_dkk", "kind", "name", "label")


class NodeColumns(Mapping):
    """The organisations' node attributes, one list per attribute in node order, each
    made when first read: the analyses read a few of them (a list of 100,000 art-form
    lists costs 19 MB and 0.05 s when nobody reads it). Keys in the order a node's dict
    lists them."""

    def __init__(self, makers: dict[str, Any]):
        self._makers = makers  # key -> a list, or a function that makes it
        self._lock = threading.RLock()  # a column may read another (the size reads the given size)

    def __getitem__(self, key: str) -> list:
        value = self._makers[key]
        if callable(value):
            with self._lock:
                value = self._makers[key]
                if callable(value):
                    value = self._makers[key] = value()
        return value

    def __contains__(self, key) -> bool:
        return key in self._makers

    def __reduce__(self):  # a copy holds every column made
        return (NodeColumns, ({key: self[key] for key in self},))

    def __iter__(self):
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


def python_values(array) -> list:
    """``array.to_pylist()`` for a ``pyarrow.Array``, with one Python string per distinct
    string, also inside lists: the organisations' kinds, sizes and municipality codes are a
    few values repeated, and a string per row cost 5 MB a column on L (100,000
    organisations); the art-form lists 19 MB against 7 MB.

    >>> import pyarrow as pa
    >>> codes = python_values(pa.array(["751", None, "751"]))
    >>> codes, codes[0] is codes[2]
    (['751', None, '751'], True)
    >>> python_values(pa.array([["teater", "musik"], None, [], ["musik"]]))
    [['teater', 'musik'], None, [], ['musik']]
    """
    import pyarrow as pa

    kind = array.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        encoded = array.dictionary_encode()
        words = np.array([*encoded.dictionary.to_pylist(), None], object)
        return words[encoded.indices.fill_null(len(words) - 1).to_numpy()].tolist()
    if pa.types.is_list(kind) and (pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)):
        offsets = array.offsets.to_numpy()
        words = python_values(array.values.slice(offsets[0], offsets[-1] - offsets[0]))
        starts, ends = (offsets - offsets[0]).tolist()[:-1], (offsets - offsets[0]).tolist()[1:]
        valid = array.is_valid().to_numpy(zero_copy_only=False).tolist()
        return [words[a:b] if ok else None for a, b, ok in zip(starts, ends, valid)]
    return array.to_pylist()


def _node_columns(data: GraphData, order: list[int], params: AnalysisParams, **activity: list) -> NodeColumns:
    """The organisations' node attributes as columns in node order (``order``: the row of
    each node): the stored fields, the resolved size and where it came from, and the
    activity counts."""
    identity = order == list(range(len(order)))
    positions = None

    def stored(field: str) -> list:
        nonlocal positions
        array = data.array("organisations", field)
        if array is not None:
            if not identity:
                if positions is None:
                    positions = np.asarray(order, np.int64)
                array = array.take(positions)
            return python_values(array) if field in _REPEATED_FIELDS else array.to_pylist()
        raw = data.column("organisations", field)
        return raw if identity else [raw[k] for k in order]

    makers: dict[str, Any] = {field: functools.partial(stored, field) for field in _NODE_FIELDS}
    sizes: list = []

    def resolve() -> list[tuple]:
        if not sizes:
            rows = zip(*(columns["size_given"] if f == "size" else columns[f] for f in _SIZE_FIELDS))
            # a given size is the size (resolve_size's first rule), without a dict per row
            sizes.extend((row[0], "given") if row[0] else resolve_size(dict(zip(_SIZE_FIELDS, row)), params)
                         for row in rows)
        return sizes

    makers["size_given"] = makers["size"]
    makers["size"] = lambda: [size for size, _ in resolve()]
    makers["size_source"] = lambda: [source for _, source in resolve()]
    makers.update(activity)
    columns = NodeColumns(makers)
    return columns


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
    keys = _Keys(ids)
    n = len(ids)

    # participations: organisation index, project index, and the project's window flags
    org_of = data.positions("participations", "org_id", keys)
    part_projects = data.column("participations", "project_id")
    project_ids, start, end = _years(data)
    p_row = data.positions("participations", "project_id", _Keys(project_ids)) if len(project_ids) \
        else np.full(len(part_projects), -1)
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
    last_year = _ints_or_none(last_year_arr)

    keep = known & in_window
    n_projects = np.bincount(org_of[keep], minlength=n)
    # groups numbered in the order their projects first appear among the participations
    group_of, group_codes = pd.factorize(pd.Series(part_projects, dtype=object)[keep])
    B = _incidence(org_of[keep], group_of, n, len(group_codes))
    sizes = np.diff(B.indptr)
    pair_w = pair_weights(sizes, params.project_weighting, params.project_weight_cap)
    # one product gives both: the real part counts the shared projects, the imaginary
    # part sums their pair weights (B is 0/1, so B·diag(1 + i·w)·Bᵀ = B·Bᵀ + i·B·diag(w)·Bᵀ)
    both = _pair_counts(B, 1.0 + 1j * pair_w)
    project_counts = sp.csr_matrix((both.data.real, both.indices, both.indptr), shape=both.shape)
    project_weights = both.data.imag

    collab_pairs: dict[int, int] = defaultdict(int)
    n_collab = np.zeros(n, np.int64)
    sources = data.positions("collaborations", "source_id", keys)
    targets = data.positions("collaborations", "target_id", keys)
    since = data.column("collaborations", "since")
    for a, b, year in zip(sources.tolist(), targets.tolist(), since):
        if a < 0 or b < 0 or a == b:
            continue
        if years is not None and year is not None and year > years[1]:
            continue
        collab_pairs[min(a, b) * _BIG + max(a, b)] += 1
        n_collab[a] += 1
        n_collab[b] += 1

    member_of = data.positions("memberships", "org_id", keys)
    n_networks = np.bincount(member_of[member_of >= 0], minlength=n)
    event_ids, event_years = data.column("events", "id"), data.column("events", "year")
    attendee = data.positions("attendances", "org_id", keys)
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
    collab_codes = np.repeat(np.fromiter(collab_pairs.keys(), np.int64, len(collab_pairs)),
                             np.fromiter(collab_pairs.values(), np.int64, len(collab_pairs)))
    units = NodeGroups(
        names,
        np.concatenate([B.indptr, B.indptr[-1] + 2 * np.arange(1, len(collab_codes) + 1)]),
        np.concatenate([B.indices, np.column_stack([collab_codes // _BIG, collab_codes % _BIG]).ravel()]),
    )
    unit_weights = np.concatenate([np.where(sizes > 1, w_p * pair_w, 0.0),
                                   np.full(len(collab_codes), float(w_c))]).tolist()
    G = OrganisationGraph(
        tie_units=units,
        tie_unit_weights=unit_weights,
        data_version=data.version,
        years=tuple(years) if years is not None else None,
        reference_year=years[1] if years is not None else max(
            (y for y in data.column("projects", "start_year") if y is not None), default=None),
    )
    G.defer_nodes(ids, _node_columns(data, order, params, n_projects=n_projects.tolist(),
                                     last_project_year=last_year, n_collaborations=n_collab.tolist(),
                                     n_networks=n_networks.tolist(), n_events=n_events.tolist()))

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
    codes = _sorted_unique(np.concatenate([c for c, _ in counts.values()]))
    columns_ = {}
    for kind, (c, v) in counts.items():
        col = np.zeros(len(codes), np.int64)
        col[np.searchsorted(codes, c)] = np.rint(v).astype(np.int64)
        columns_[kind] = col
    weight = sum(weights[k] * columns_[k] for k in columns_).astype(float)
    pw = np.zeros(len(codes))
    pw[np.searchsorted(codes, counts["projects"][0])] = project_weights
    weight = weight + w_p * pw
    keep = weight > 0
    heads, tails = codes[keep] // _BIG, codes[keep] % _BIG
    G.defer_edges(names, heads, tails, {"weight": weight[keep], **{k: c[keep] for k, c in columns_.items()}})
    # nodes in id order, edges in code order: the order G.edges() gives them
    remember_arrays(G, heads, tails, weight[keep])
    return G


_FILL_LOCK = threading.Lock()


class OrganisationGraph(nx.Graph):
    """The organisation graph: an ``nx.Graph`` whose per-node and per-edge dicts are made
    on first use.

    The projection knows every organisation and tie as columns, and the analyses read
    those (``node_column``, ``_engine.indexed``); making the 20,000 node dicts and the
    224,514 edge dicts of M takes about 1 s, so they are made only when something reads
    them: the node dicts on ``G.nodes`` (or anything else that reads ``G._node``), both on
    a walk of the adjacency (``G[u]``, ``G.edges``, ``G.adj``, a copy or a subgraph).
    Iterating, counting and ``in`` answer from the node ids; ``number_of_edges()`` from
    the arrays.
    """

    def _fill_deferred(self, nodes: bool = True, edges: bool = True) -> None:
        with _FILL_LOCK:
            deferred = self.__dict__.get("_deferred_nodes")
            if deferred is not None and (nodes or edges):
                self._fill_nodes(*deferred)
                self.__dict__["_deferred_nodes"] = None
            deferred = self.__dict__.get("_deferred")
            if deferred is not None and edges:
                self._fill(*deferred)
                self.__dict__["_deferred"] = None

    @property
    def _node(self):
        if self.__dict__.get("_deferred_nodes") is not None:
            self._fill_deferred(edges=False)
        return self.__dict__["_node_dict"]

    @_node.setter
    def _node(self, value) -> None:
        self.__dict__["_node_dict"] = value

    @property
    def _adj(self):
        if self.__dict__.get("_deferred") is not None or self.__dict__.get("_deferred_nodes") is not None:
            self._fill_deferred()
        return self.__dict__["_adj_dict"]

    @_adj.setter
    def _adj(self, value) -> None:
        self.__dict__["_adj_dict"] = value

    def defer_nodes(self, ids: list, columns: dict[str, list]) -> None:
        """Add the nodes ``ids`` (attributes: one list per key in ``columns``, in the
        order of ``ids``) when their dicts are first used; the graph must have no node yet."""
        if self.__dict__["_node_dict"]:
            raise ValueError("defer_nodes takes a graph without nodes")
        self.__dict__["_deferred_nodes"] = (list(ids), columns)

    def _fill_nodes(self, ids, columns) -> None:
        node, adj = self.__dict__["_node_dict"], self.__dict__["_adj_dict"]
        keys = list(columns)
        for oid, row in zip(ids, zip(*columns.values())):
            node[oid] = dict(zip(keys, row))
            adj[oid] = {}

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
        """Make the per-node and per-tie dicts now, so a later walk of the graph does not
        wait for them."""
        self._adj  # noqa: B018 - reading it makes them

    def node_column(self, key: str, default=None) -> list:
        """The attribute ``key`` of every node in node order (``default`` where a node
        lacks it), without making the node dicts when they are not made yet."""
        deferred = self.__dict__.get("_deferred_nodes")
        if deferred is not None:
            ids, columns = deferred
            return list(columns[key]) if key in columns else [default] * len(ids)
        return [d.get(key, default) for d in self._node.values()]

    def _deferred_ids(self) -> list | None:
        deferred = self.__dict__.get("_deferred_nodes")
        return deferred[0] if deferred is not None else None

    def __iter__(self):
        ids = self._deferred_ids()
        return iter(ids) if ids is not None else iter(self._node)

    def __len__(self) -> int:
        ids = self._deferred_ids()
        return len(ids) if ids is not None else len(self._node)

    def number_of_nodes(self) -> int:
        return len(self)

    def __contains__(self, n) -> bool:
        if self._deferred_ids() is not None:
            index = self.__dict__.get("_id_set")
            if index is None:
                index = self.__dict__["_id_set"] = frozenset(self._deferred_ids())
            try:
                return n in index
            except TypeError:
                return False
        return super().__contains__(n)

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
