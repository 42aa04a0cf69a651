"""Bulk import: a first import into an embedded LadybugDB store, written with ``COPY``.

When the store holds no Actor, Institution, Project, Network or Event node (nothing but
the municipalities it seeds, and curation decisions), every node of the write is new and
every relationship starts at one of them, so ``MERGE`` has nothing to match. Each table
is then handed to LadybugDB as columns (a pandas DataFrame of Python values, one column
per property) and loaded with ``COPY <table> FROM $rows``, all in the one transaction of
``GraphStore.write``: a failed ``COPY`` rolls everything back. The graph that results is
the one the ``MERGE`` path (``queries/upsert_*.cypher``) builds from the same records,
property for property; the summary and the progress calls are the same too. Why columns
in memory and not CSV files, and what it gains: docs/store.md, "Bulk import".

``COPY`` is LadybugDB's own bulk loader, not Cypher that runs on Neo4j, so its statements
are generated here from the model, like the tables in ``graphsvc.store.schema``: labels
and relationship types come from the model's enums, the rows are a ``$parameter``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pandas as pd

from graphsvc.model import NODES, ORGANISATION_LABELS, RELATIONSHIPS, Label, PropType, Records, RelType
from graphsvc.store.base import Row, Transaction

if TYPE_CHECKING:
    from graphsvc.store.graph import GraphStore, Progress, WriteSummary

__all__ = ["write_bulk", "bulk_applies"]

# the node kinds of ``Records`` in the order the MERGE path writes them
_NODE_KINDS = (
    ("actors", Label.ACTOR),
    ("institutions", Label.INSTITUTION),
    ("projects", Label.PROJECT),
    ("networks", Label.NETWORK),
    ("events", Label.EVENT),
)
_NEW_LABELS = tuple(str(label) for _, label in _NODE_KINDS)
_ORDER = {label: i for i, label in enumerate(Label)}


# --- when ------------------------------------------------------------------------------

def bulk_applies(tx: Transaction, records: Records) -> bool:
    """Whether ``records`` are written with ``COPY`` in ``tx``: they hold nodes other than
    municipalities, and the store holds none of those labels."""
    if not any(getattr(records, attr) for attr, _ in _NODE_KINDS):
        return False
    stored = {row["kind"]: row["n"] for row in tx.run("count_nodes")}
    return not any(stored.get(label, 0) for label in _NEW_LABELS)


# --- columns ---------------------------------------------------------------------------

# Every value is made the plain Python type of its property: LadybugDB scans an object
# column by the type of each value and does not convert (measured: an int in a DOUBLE
# column is stored as the double with the same bits, 1 -> 5e-324; numpy scalars refused).
_PLAIN = {
    PropType.STRING: lambda v: v if type(v) is str else str(v),
    PropType.INT: int,
    PropType.FLOAT: float,
    PropType.BOOL: bool,
    PropType.STRINGS: lambda v: v if all(type(x) is str for x in v) else [str(x) for x in v],
}


def _column(values: Iterable[Any], ptype: PropType) -> pd.Series:
    plain = _PLAIN[ptype]
    return pd.Series([None if v is None else plain(v) for v in values], dtype=object)


def _frame(columns: dict[str, tuple[list[Any], PropType]]) -> pd.DataFrame:
    return pd.DataFrame({name: _column(values, ptype) for name, (values, ptype) in columns.items()})


def _node_copy(label: Label) -> str:
    return f"COPY {label} FROM $rows"


def _rel_copy(rel: RelType, source: Label, target: Label) -> str:
    return f"COPY {rel} FROM $rows (from='{source}', to='{target}')"


# --- the write -------------------------------------------------------------------------

def _batch_sizes(n: int, size: int) -> Iterator[int]:
    for start in range(0, n, size):
        yield min(size, n - start)


class _Copier:
    """Copies one table at a time in ``tx``."""

    def __init__(self, tx: Transaction):
        self.tx = tx

    def nodes(self, label: Label, rows: list[Row]) -> None:
        props = NODES[label].properties
        frame = _frame({p: ([r[p] for r in rows], t) for p, t in props.items()})
        self.tx.copy(_node_copy(label), {"rows": frame})

    def rels(self, rel: RelType, source: Label, target: Label, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        props = RELATIONSHIPS[rel].properties
        names = ["from", "to", *props]
        types = [PropType.STRING, PropType.STRING, *props.values()]
        columns = list(zip(*rows, strict=True))
        frame = _frame({n: (list(c), t) for n, c, t in zip(names, columns, types, strict=True)})
        self.tx.copy(_rel_copy(rel, source, target), {"rows": frame})


# relationship kinds of ``Records``: (record field, type, target label, target id field)
_LINK_KINDS = (
    ("participations", RelType.PARTICIPATES_IN, Label.PROJECT, "project_id"),
    ("memberships", RelType.MEMBER_OF, Label.NETWORK, "network_id"),
    ("attendances", RelType.ATTENDS, Label.EVENT, "event_id"),
)


def write_bulk(store: GraphStore, tx: Transaction, records: Records, summary: WriteSummary,
               progress: Progress | None) -> bool:
    """Write ``records`` with ``COPY`` in ``tx`` when ``bulk_applies``; False (and nothing
    done) when it does not. Raises ``InputError`` as the MERGE path does when a
    relationship names a node that is not in the write."""
    if not bulk_applies(tx, records):
        return False
    size = store.batch_size

    def report(step: str, counts: Iterable[int]) -> None:
        if progress:
            for n in counts:
                for b in _batch_sizes(n, size):
                    progress(step, b)

    nodes = {label: [r.row() for r in getattr(records, attr)] for attr, label in _NODE_KINDS}
    ids = {label: {r["id"] for r in rows} for label, rows in nodes.items()}
    label_of = {i: Label.ACTOR for i in ids[Label.ACTOR]} | {i: Label.INSTITUTION for i in ids[Label.INSTITUTION]}
    links = _links(store, tx, records, ids, label_of)

    copier = _Copier(tx)
    if records.municipalities:  # stored already (seeded): updated in place with MERGE
        store._write_nodes(tx, Records(municipalities=records.municipalities), summary, progress)
    codes = {r["code"] for r in tx.run("read_municipalities")}
    for attr, label in _NODE_KINDS:
        rows = nodes[label]
        if not rows:
            continue
        # a key given twice: the last row wins, as each MERGE … SET overwrites the one before
        copier.nodes(label, list({r["id"]: r for r in rows}.values()))
        _copy_places(copier, label, rows, codes)
        summary.rows[str(label)] = len(rows)
        report(attr, [len(rows)])
    for attr, rel, steps, edges in links:
        # label pairs in the order the MERGE path writes them; each pair's relationships in
        # the order of their first row, as MERGE creates them
        for (source, target), rows in sorted(edges.items(), key=lambda e: (_ORDER[e[0][0]], _ORDER[e[0][1]])):
            copier.rels(rel, source, target, list(rows.values()))
        summary.rows[str(rel)] = len(getattr(records, attr))
        report(attr, steps)
    return True


def _copy_places(copier: _Copier, label: Label, rows: list[Row], codes: set[str]) -> None:
    """LOCATED_IN / TAKES_PLACE_IN to the stored municipalities the rows name, one per
    pair (as ``upsert_*_locations`` / ``upsert_*_venues`` MERGE them; a code that names
    no municipality gives no relationship)."""
    if label in ORGANISATION_LABELS or label is Label.EVENT:
        pairs = [(r["id"], r["municipality_code"]) for r in rows]
    elif label is Label.PROJECT:
        pairs = [(r["id"], c) for r in rows for c in r["municipality_codes"] or ()]
    else:
        return
    rel = RelType.LOCATED_IN if label in ORGANISATION_LABELS else RelType.TAKES_PLACE_IN
    # in the order MERGE creates them, so reads list them in the same order
    copier.rels(rel, label, Label.MUNICIPALITY, [p for p in dict.fromkeys(pairs) if p[1] in codes])


def _links(store: GraphStore, tx: Transaction, records: Records, ids: dict[Label, set[str]],
           label_of: dict[str, Label]) -> list[tuple[str, RelType, list[int], dict]]:
    """Per relationship kind: the progress steps the MERGE path reports, and the
    relationships per (source label, target label), one per pair with the last row's
    properties. Raises like the MERGE path when a row names a node not in the write."""
    out = []
    for attr, rel, target, key in _LINK_KINDS:
        rows = getattr(records, attr)
        if not rows:
            continue
        edges: dict[tuple[Label, Label], dict[tuple[str, str], tuple]] = {}
        linked = 0
        for r in rows:
            label = label_of.get(r.org_id)
            other = getattr(r, key)
            if label is None or other not in ids[target]:
                continue
            linked += 1
            props = tuple(getattr(r, p) for p in RELATIONSHIPS[rel].properties)
            edges.setdefault((label, target), {})[(r.org_id, other)] = (r.org_id, other, *props)
        # the MERGE path sends a row whose organisation is not in the write to both labels
        steps = [sum(1 for r in rows if label_of.get(r.org_id, lb) is lb) for lb in ORGANISATION_LABELS]
        store._check_linked(tx, attr, rows, linked, ("org_id", key))
        out.append((attr, rel, steps, edges))
    rows = records.collaborations
    if rows:
        edges = {}
        linked = 0
        for r in rows:
            a, b = label_of.get(r.source_id), label_of.get(r.target_id)
            if a is None or b is None:
                continue
            linked += 1
            props = tuple(getattr(r, p) for p in RELATIONSHIPS[RelType.COLLABORATES_WITH].properties)
            edges.setdefault((a, b), {})[(r.source_id, r.target_id)] = (r.source_id, r.target_id, *props)
        steps = [
            sum(1 for r in rows if label_of.get(r.source_id, a) is a and label_of.get(r.target_id, b) is b)
            for a in ORGANISATION_LABELS for b in ORGANISATION_LABELS
        ]
        store._check_linked(tx, "collaborations", rows, linked, ("source_id", "target_id"))
        out.append(("collaborations", RelType.COLLABORATES_WITH, steps, edges))
    return out
