"""``GraphStore``: the operations graphsvc needs, the same on every backend."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from graphsvc.errors import InputError, NotFound, StoreError
from graphsvc.model import (
    ANALYSIS_TABLES,
    DATA_LABELS,
    NODES,
    ORGANISATION_LABELS,
    Label,
    PropType,
    Records,
    RelType,
    decode_extra,
)
from graphsvc.reference import all_municipalities, municipality_codes
from graphsvc.store.base import Backend, Row, Transaction

__all__ = ["GraphStore", "WriteSummary", "Progress"]

S, I = PropType.STRING, PropType.INT
Progress = Callable[[str, int], None]
"""Called as ``progress(step, rows_done_in_step)`` after every batch."""

# Where a node lies, as (statement suffix, property): the property is the input and the
# relationship (LOCATED_IN or TAKES_PLACE_IN) is rewritten to match it.
_PLACES = {
    Label.ACTOR: [("actor_locations", "municipality_code")],
    Label.INSTITUTION: [("institution_locations", "municipality_code")],
    Label.PROJECT: [("project_venues", "municipality_codes")],
    Label.EVENT: [("event_venues", "municipality_code")],
}

# Relationship rows: the record field, the statement per organisation label, the
# row's types, and the id fields to report when a row links nothing.
_LINKS: dict[str, tuple[str, dict[str, PropType], tuple[str, ...]]] = {
    "participations": (
        "upsert_{label}_participations",
        {"org_id": S, "project_id": S, "role": S},
        ("org_id", "project_id"),
    ),
    "memberships": ("upsert_{label}_memberships", {"org_id": S, "network_id": S}, ("org_id", "network_id")),
    "attendances": ("upsert_{label}_attendances", {"org_id": S, "event_id": S}, ("org_id", "event_id")),
}
_COLLABORATION_TYPES = {"source_id": S, "target_id": S, "since": I, "source": S}


@dataclass
class WriteSummary:
    """Rows written per kind by one ``GraphStore.write``."""

    rows: dict[str, int] = field(default_factory=dict)

    def total(self) -> int:
        return sum(self.rows.values())


def _batches(rows: list[Row], size: int) -> Iterable[list[Row]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class GraphStore:
    """The graph, on whichever backend. ``version`` goes up with every committed write,
    so results computed from the graph can be cached per version."""

    def __init__(self, backend: Backend, *, batch_size: int = 5000, description: str = ""):
        self.backend = backend
        self.description = description or backend.name
        self.batch_size = batch_size
        self.version = 0
        self._version_lock = threading.Lock()
        # the imports that can be undone (an ImportHistory); None: undo is not available
        self.history: Any = None
        # a first import into an empty embedded store is written with COPY
        # (graphsvc.store.bulk; docs/store.md, "Bulk import"); False: always MERGE
        self.bulk_copy = True

    # --- setup -----------------------------------------------------------------------

    def initialise(self) -> None:
        """Create the schema and add any of Denmark's municipalities that are missing (or
        were stored before they said whether they are in the region)."""
        self.backend.create_schema()
        stored = {row["code"]: row for row in self.backend.read("read_municipalities")}
        if all(stored.get(code, {}).get("in_region") is not None for code in municipality_codes()):
            return  # every one there: no need to build them from the boundaries
        missing = []
        for m in all_municipalities():
            row = stored.get(m.code)
            if row is None:
                missing.append(m)
            elif row.get("in_region") is None:  # keep what was loaded, add the flag
                missing.append(m.model_copy(update={k: v for k, v in row.items() if v is not None and k != "in_region"}))
        if missing:
            self.write(Records(municipalities=missing))

    def close(self) -> None:
        self.backend.close()

    # --- writes ----------------------------------------------------------------------

    def write(self, records: Records, *, progress: Progress | None = None,
              undoable: list[str] | None = None) -> WriteSummary:
        """Write ``records`` in one transaction: all of it is committed, or nothing.

        Relationship rows must name nodes that exist (in this write or before);
        a row that links nothing raises ``InputError`` and the write is rolled back.
        ``undoable``: the names of the imported files; the state before the write is kept
        so ``undo_import`` can put it back (when the store keeps copies)."""
        if undoable is not None and self.history is not None:
            with self.history.recording(undoable, self.counts) as entry:
                summary = self._write(records, progress)
                entry["rows"] = dict(summary.rows)
            return summary
        return self._write(records, progress)

    def list_imports(self) -> list[dict[str, Any]]:
        """The imports that can be undone, oldest first (empty when none are kept)."""
        return self.history.list() if self.history is not None else []

    def undo_import(self, *, force: bool = False) -> dict[str, Any]:
        """Put the store back as it was before the newest kept import; returns that import."""
        if self.history is None:
            raise StoreError(
                f"imports into {self.description} cannot be undone: copies are kept only for "
                "the embedded store in a folder (see docs/store.md, 'Undoing an import')"
            )
        entry = self.history.undo(self.counts, force=force)
        with self._version_lock:
            self.version += 1
        return entry

    def state(self) -> dict[str, Any]:
        """Whether the store opened as it was left (``ok``) or had to be recovered
        (``recovered``, with what was done)."""
        recovery = getattr(self.backend, "recovery", None)
        return {"store": self.description, "state": "recovered" if recovery else "ok", "recovery": recovery}

    def _write(self, records: Records, progress: Progress | None) -> WriteSummary:
        from graphsvc.store.bulk import write_bulk  # it builds on this module

        summary = WriteSummary()
        bulk = self.bulk_copy and hasattr(self.backend, "bulk_transaction") and (
            records.actors or records.institutions or records.projects or records.networks or records.events)
        with (self.backend.bulk_transaction() if bulk else self.backend.transaction()) as tx:
            if not (bulk and write_bulk(self, tx, records, summary, progress)):
                self._write_nodes(tx, records, summary, progress)
                self._write_links(tx, records, summary, progress)
        with self._version_lock:
            self.version += 1
        return summary

    def _unwind(self, tx: Transaction, step: str, name: str, rows: list[Row],
                types: dict[str, PropType], progress: Progress | None) -> list[Row]:
        out: list[Row] = []
        for batch in _batches(rows, self.batch_size):
            out += tx.unwind(name, batch, types)
            if progress:
                progress(step, len(batch))
        return out

    def _write_nodes(self, tx, records: Records, summary: WriteSummary, progress) -> None:
        plan = [
            ("municipalities", Label.MUNICIPALITY, "upsert_municipalities"),
            ("actors", Label.ACTOR, "upsert_actors"),
            ("institutions", Label.INSTITUTION, "upsert_institutions"),
            ("projects", Label.PROJECT, "upsert_projects"),
            ("networks", Label.NETWORK, "upsert_networks"),
            ("events", Label.EVENT, "upsert_events"),
        ]
        for attr, label, name in plan:
            rows = [r.row() for r in getattr(records, attr)]
            if not rows:
                continue
            places = [
                (suffix, [{"id": r["id"], key: r[key]} for r in rows],
                 {"id": S, key: NODES[label].properties[key]})
                for suffix, key in _PLACES.get(label, ())
            ]
            # before the nodes are updated: the stale ties are found by comparing the
            # stored place with the new one
            for suffix, place_rows, types in places:
                self._unwind(tx, attr, f"delete_stale_{suffix}", place_rows, types, None)
            self._unwind(tx, attr, name, rows, NODES[label].properties, progress)
            for suffix, place_rows, types in places:
                self._unwind(tx, attr, f"upsert_{suffix}", place_rows, types, None)
            summary.rows[str(label)] = len(rows)

    def _write_links(self, tx, records: Records, summary: WriteSummary, progress) -> None:
        # An organisation written in this same call has a known label, so its rows go to
        # that label's statement only; others (already stored) are tried on both labels,
        # where exactly one matches.
        label_of = {a.id: Label.ACTOR for a in records.actors}
        label_of |= {i.id: Label.INSTITUTION for i in records.institutions}

        def for_label(rows: list[Row], key: str, label: Label) -> list[Row]:
            return [r for r in rows if label_of.get(r[key], label) is label]

        rel_types = {
            "participations": RelType.PARTICIPATES_IN,
            "memberships": RelType.MEMBER_OF,
            "attendances": RelType.ATTENDS,
        }
        for attr, (template, types, ids) in _LINKS.items():
            rows = [r.model_dump() for r in getattr(records, attr)]
            if not rows:
                continue
            linked = 0
            for label in ORGANISATION_LABELS:
                name = template.format(label=label.lower())
                batch = for_label(rows, "org_id", label)
                linked += sum(r["linked"] for r in self._unwind(tx, attr, name, batch, types, progress))
            self._check_linked(tx, attr, rows, linked, ids)
            summary.rows[str(rel_types[attr])] = len(rows)
        rows = [r.model_dump() for r in records.collaborations]
        if rows:
            linked = 0
            for a in ORGANISATION_LABELS:
                for b in ORGANISATION_LABELS:
                    name = f"upsert_collaborations_{a.lower()}_{b.lower()}"
                    batch = for_label(for_label(rows, "source_id", a), "target_id", b)
                    linked += sum(
                        r["linked"] for r in self._unwind(tx, "collaborations", name, batch, _COLLABORATION_TYPES, progress)
                    )
            self._check_linked(tx, "collaborations", rows, linked, ("source_id", "target_id"))
            summary.rows[str(RelType.COLLABORATES_WITH)] = len(rows)

    def _check_linked(self, tx, attr: str, rows: list[Row], linked: int, ids: tuple[str, ...]) -> None:
        if linked == len(rows):
            return
        raise InputError(
            f"{len(rows) - linked} of {len(rows)} {attr} name an organisation, project, "
            f"network or event that does not exist (fields {', '.join(ids)}); load those "
            "first or correct the ids. Nothing was written."
        )

    def delete(self, node_id: str) -> None:
        """Delete the organisation, project, network or event with ``node_id`` and its ties."""
        with self.backend.transaction() as tx:
            rows = tx.run("delete_node", {"id": node_id})
            if not rows or not rows[0]["deleted"]:
                raise NotFound(f"nothing with id {node_id!r} to delete")
        with self._version_lock:
            self.version += 1

    def delete_organisation(self, org_id: str) -> None:
        """Delete the actor or institution with ``org_id`` and its ties; projects,
        networks and events stay, even one with the same id."""
        with self.backend.transaction() as tx:
            rows = tx.run("delete_organisation", {"id": org_id})
            if not rows or not rows[0]["deleted"]:
                raise NotFound(f"no organisation with id {org_id!r} to delete")
        with self._version_lock:
            self.version += 1

    # --- decisions (graphsvc.store.decisions) -----------------------------------------

    def list_decisions(self) -> list[Row]:
        """The stored curation decisions, oldest first."""
        return self.backend.read("read_decisions")

    def upsert_decisions(self, decisions: list[Any]) -> None:
        """Store ``Decision`` records (a decision with a stored id is replaced)."""
        from graphsvc.store.decisions import upsert_decisions

        upsert_decisions(self, decisions)

    def delete_decision(self, decision_id: str) -> Row:
        """Undo a decision: forget it (a merge also puts both organisations back)."""
        from graphsvc.store.decisions import undo_decision

        return undo_decision(self, decision_id)

    def merge_organisations(self, source_id: str, target_id: str, *, who: str = "admin",
                            why: str | None = None) -> Row:
        """Merge ``source_id`` into ``target_id``: ties, projects and properties combined,
        the merge stored as a decision that can be undone."""
        from graphsvc.store.decisions import merge_organisations

        return merge_organisations(self, source_id, target_id, who=who, why=why)

    def correct_organisation(self, org_id: str, *, field: str, value: Any, who: str = "admin",
                             why: str | None = None) -> Row:
        """Set ``field`` of an organisation by hand; stored as a decision that later
        imports keep."""
        from graphsvc.store.decisions import correct_organisation

        return correct_organisation(self, org_id, field=field, value=value, who=who, why=why)

    def content_stamp(self) -> str | None:
        """The backend's stamp of the stored data's state (``Backend.content_stamp``), or None."""
        return self.backend.content_stamp()

    def bump_version(self) -> None:
        with self._version_lock:
            self.version += 1

    # --- reads -----------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Count of every node label and relationship type in the model (0 when absent)."""
        counts = {str(label): 0 for label in DATA_LABELS} | {str(t): 0 for t in RelType}
        for row in self.backend.read("count_nodes") + self.backend.read("count_relationships"):
            counts[row["kind"]] = row["n"]
        return counts

    def info(self) -> dict[str, Any]:
        """Where the data lives and the count of everything in it."""
        return {"store": self.description, "counts": self.counts()}

    def read_tables(self) -> dict[str, Any]:
        """Every table the analyses read, by name (``organisations``, ``projects``,
        ``participations``, …): a ``pyarrow.Table`` where the engine gives columns (LadybugDB;
        ``extra`` left as its JSON text), else the rows ``list_<name>`` gives (Neo4j)."""
        out: dict[str, Any] = {}
        for name in ANALYSIS_TABLES:
            table = self.backend.read_table(f"read_{name}")
            out[name] = table if table is not None else getattr(self, f"list_{name}")()
        return out

    def list_municipalities(self) -> list[Row]:
        return self.backend.read("read_municipalities")

    def list_organisations(self) -> list[Row]:
        return [decode_extra(r) for r in self.backend.read("read_organisations")]

    def list_projects(self) -> list[Row]:
        return [decode_extra(r) for r in self.backend.read("read_projects")]

    def list_networks(self) -> list[Row]:
        return [decode_extra(r) for r in self.backend.read("read_networks")]

    def list_events(self) -> list[Row]:
        return [decode_extra(r) for r in self.backend.read("read_events")]

    def list_participations(self) -> list[Row]:
        return self.backend.read("read_participations")

    def list_collaborations(self) -> list[Row]:
        return self.backend.read("read_collaborations")

    def list_memberships(self) -> list[Row]:
        return self.backend.read("read_memberships")

    def list_attendances(self) -> list[Row]:
        return self.backend.read("read_attendances")

    def get_organisation(self, org_id: str) -> Row:
        """One organisation with its neighbours (``neighbours``: one row per tie)."""
        rows = self.backend.read("get_organisation", {"id": org_id})
        if not rows:
            raise NotFound(f"no organisation with id {org_id!r}")
        org = decode_extra(rows[0])
        org["neighbours"] = sorted(
            self.backend.read("read_organisation_neighbours", {"id": org_id}),
            key=lambda r: (r["name"] or "", r["via"], r["via_id"]),
        )
        return org
