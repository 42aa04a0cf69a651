"""Curation decisions in the store: stored, undone, and the two that change the graph at
once — a merge of two organisations and a correction of one organisation's field.

A decision is a ``Decision`` node (``graphsvc.model``); every later import reads them and
follows them (``loaders.decisions``). A merge keeps, in the decision's ``undo``, both
organisations and their ties as they were, so undoing it puts both back exactly.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from graphsvc.errors import InputError, NotFound
from graphsvc.model import (
    Actor,
    Attendance,
    Collaboration,
    Decision,
    Institution,
    Membership,
    Participation,
    Records,
)

if TYPE_CHECKING:
    from graphsvc.store.graph import GraphStore, Row

__all__ = ["CORRECTABLE", "new_decision", "upsert_decisions", "undo_decision", "merge_organisations",
           "correct_organisation"]

CORRECTABLE = ("municipality_code", "size", "kind", "art_forms")
"""The fields a user may set by hand."""

_ORG_FIELDS = tuple(f for f in Actor.model_fields)
_LISTS = ("art_forms", "target_groups")


def new_decision(kind: str, name: str, *, target: str | None = None, field: str | None = None,
                 value: str | None = None, who: str = "admin", why: str | None = None,
                 undo: str | None = None) -> Decision:
    """A new decision with a fresh id, made now."""
    return Decision(id=f"dec-{uuid.uuid4().hex[:12]}", kind=kind, name=name, target=target, field=field,
                    value=value, who=who or "admin", why=why,
                    at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), undo=undo)


def upsert_decisions(store: GraphStore, decisions: list[Decision]) -> None:
    if not decisions:
        return
    with store.backend.transaction() as tx:
        tx.unwind("upsert_decisions", [d.row() for d in decisions], _types())
    store.bump_version()


def _types():
    """The types of a Decision row."""
    from graphsvc.model import NODES, Label

    return NODES[Label.DECISION].properties


def _decision(store: GraphStore, decision_id: str) -> Row:
    for row in store.list_decisions():
        if row["id"] == decision_id:
            return row
    raise NotFound(f"no decision with id {decision_id!r}; list them with GET /api/decisions or `graphsvc decisions`")


def _org_record(row: Row) -> Actor | Institution:
    model = Institution if row.get("label") == "Institution" else Actor
    data = {f: row.get(f) for f in _ORG_FIELDS if row.get(f) is not None}
    for f in _LISTS:
        data[f] = list(row.get(f) or [])
    data["extra"] = dict(row.get("extra") or {})
    return model(**data)


def _ties(store: GraphStore, org_id: str) -> dict[str, list[Row]]:
    return {
        "participations": [r for r in store.list_participations() if r["org_id"] == org_id],
        "collaborations": [r for r in store.list_collaborations() if org_id in (r["source_id"], r["target_id"])],
        "memberships": [r for r in store.list_memberships() if r["org_id"] == org_id],
        "attendances": [r for r in store.list_attendances() if r["org_id"] == org_id],
    }


def _tie_records(ties: dict[str, list[Row]]) -> dict[str, list[Any]]:
    return {
        "participations": [Participation(**{k: r[k] for k in ("org_id", "project_id", "role")}) for r in ties["participations"]],
        "collaborations": [Collaboration(**{k: r[k] for k in ("source_id", "target_id", "since", "source")})
                           for r in ties["collaborations"]],
        "memberships": [Membership(org_id=r["org_id"], network_id=r["network_id"]) for r in ties["memberships"]],
        "attendances": [Attendance(org_id=r["org_id"], event_id=r["event_id"]) for r in ties["attendances"]],
    }


def _records(orgs: list[Actor | Institution], ties: dict[str, list[Any]]) -> Records:
    return Records(actors=[o for o in orgs if isinstance(o, Actor) and not isinstance(o, Institution)],
                   institutions=[o for o in orgs if isinstance(o, Institution)], **ties)


def _combined(target: Row, source: Row) -> Actor | Institution:
    """The surviving organisation: its own values, the merged one's where it has none."""
    row = dict(target)
    for f in _ORG_FIELDS:
        if f in _LISTS:
            row[f] = list(dict.fromkeys([*(target.get(f) or []), *(source.get(f) or [])]))
        elif f == "extra":
            row[f] = {**(source.get("extra") or {}), **(target.get("extra") or {})}
        elif row.get(f) in (None, "") and source.get(f) not in (None, ""):
            row[f] = source[f]
            if f == "municipality_code":
                row["municipality_source"], row["in_region"] = source.get("municipality_source"), source.get("in_region")
    return _org_record(row)


def _moved_ties(source_id: str, target_id: str, source: dict[str, list[Row]],
                target: dict[str, list[Row]]) -> dict[str, list[Row]]:
    """The merged organisation's ties, now the survivor's; those it has already and the
    ties between the two are left out."""
    def swap(i: str) -> str:
        return target_id if i == source_id else i

    has_projects = {r["project_id"]: r["role"] for r in target["participations"]}
    participations = []
    for r in source["participations"]:
        role = r["role"]
        if r["project_id"] in has_projects:
            if role != "lead" or has_projects[r["project_id"]] == "lead":
                continue
        participations.append({**r, "org_id": target_id, "role": role})
    pairs = {frozenset((r["source_id"], r["target_id"])) for r in target["collaborations"]}
    collaborations = []
    for r in source["collaborations"]:
        a, b = swap(r["source_id"]), swap(r["target_id"])
        if a == b or frozenset((a, b)) in pairs:
            continue
        pairs.add(frozenset((a, b)))
        collaborations.append({**r, "source_id": a, "target_id": b})
    memberships = [{**r, "org_id": target_id} for r in source["memberships"]
                   if r["network_id"] not in {t["network_id"] for t in target["memberships"]}]
    attendances = [{**r, "org_id": target_id} for r in source["attendances"]
                   if r["event_id"] not in {t["event_id"] for t in target["attendances"]}]
    return {"participations": participations, "collaborations": collaborations,
            "memberships": memberships, "attendances": attendances}


def merge_organisations(store: GraphStore, source_id: str, target_id: str, *, who: str = "admin",
                        why: str | None = None) -> Row:
    if source_id == target_id:
        raise InputError(f"cannot merge {source_id!r} with itself; choose two different organisations")
    source, target = store.get_organisation(source_id), store.get_organisation(target_id)
    source.pop("neighbours", None), target.pop("neighbours", None)
    source_ties, target_ties = _ties(store, source_id), _ties(store, target_id)
    undo = {"source": source, "target": target, "source_ties": source_ties, "target_ties": target_ties}
    decision = new_decision("merge", source.get("name") or source_id, target=target_id, field="id",
                            value=source_id, who=who, why=why, undo=json.dumps(undo, ensure_ascii=False))
    moved = _tie_records(_moved_ties(source_id, target_id, source_ties, target_ties))
    with store.backend.transaction() as tx:
        tx.run("delete_organisation", {"id": source_id})
        records = _records([_combined(target, source)], {})
        store._write_nodes(tx, records, _summary(), None)
        store._write_links(tx, _records([], moved), _summary(), None)
        tx.unwind("upsert_decisions", [decision.row()], _types())
    store.bump_version()
    return decision.row()


def _summary():
    from graphsvc.store.graph import WriteSummary

    return WriteSummary()


def undo_decision(store: GraphStore, decision_id: str) -> Row:
    """Forget a decision; a merge is undone too: the survivor and the merged organisation
    are put back as they were just before it (with the ties they had then)."""
    row = _decision(store, decision_id)
    current = None
    if row["kind"] == "correct" and row.get("target"):
        try:
            current = store.get_organisation(row["target"])
            current.pop("neighbours", None)
        except NotFound:  # deleted since: nothing to put back
            current = None
    with store.backend.transaction() as tx:
        if row["kind"] == "merge" and row.get("undo"):
            undo = json.loads(row["undo"])
            tx.run("delete_organisation", {"id": row["target"]})
            orgs = [_org_record(undo["target"]), _org_record(undo["source"])]
            ties = {k: undo["target_ties"][k] + [r for r in undo["source_ties"][k] if r not in undo["target_ties"][k]]
                    for k in undo["target_ties"]}
            records = _records(orgs, {})
            store._write_nodes(tx, records, _summary(), None)
            store._write_links(tx, _records([], _tie_records(ties)), _summary(), None)
        elif row["kind"] == "correct" and row.get("undo") and current is not None:
            # only the corrected field goes back; other corrections made since stay
            before = json.loads(row["undo"])
            fields = [row["field"]] + (["municipality_source", "in_region"] if row["field"] == "municipality_code" else [])
            current.update({f: before.get(f) for f in fields})
            store._write_nodes(tx, _records([_org_record(current)], {}), _summary(), None)
        tx.run("delete_decision", {"id": decision_id})
    store.bump_version()
    return row


def _value(field: str, value: Any) -> Any:
    if field == "art_forms":
        items = value if isinstance(value, list) else str(value or "").split(";")
        return [" ".join(str(v).split()) for v in items if str(v).strip()]
    text = " ".join(str(value or "").split()) or None
    if field == "size" and text not in (None, "small", "medium", "large"):
        raise InputError(f"size {text!r} is not one of small, medium, large")
    if field == "municipality_code" and text is not None:
        from graphsvc.reference import all_municipalities

        if text not in {m.code for m in all_municipalities()}:
            raise InputError(f"municipality {text!r} is not a kommunekode of Denmark (3 digits, e.g. 751 Aarhus)")
    return text


def correct_organisation(store: GraphStore, org_id: str, *, field: str, value: Any, who: str = "admin",
                         why: str | None = None) -> Row:
    if field not in CORRECTABLE:
        raise InputError(f"field {field!r} cannot be corrected here; choose one of {', '.join(CORRECTABLE)}")
    org = store.get_organisation(org_id)
    org.pop("neighbours", None)
    new = _value(field, value)
    row = dict(org)
    row[field] = new
    if field == "municipality_code":
        from graphsvc.reference import all_municipalities

        row["municipality_source"] = "user" if new else None
        row["in_region"] = next((bool(m.in_region) for m in all_municipalities() if m.code == new), None)
    stored_value = json.dumps(new, ensure_ascii=False) if field == "art_forms" else new
    decision = new_decision("correct", org.get("name") or org_id, target=org_id, field=field,
                            value=stored_value, who=who, why=why, undo=json.dumps(org, ensure_ascii=False))
    earlier = [d for d in store.list_decisions()
               if d["kind"] == "correct" and d["target"] == org_id and d["field"] == field]
    with store.backend.transaction() as tx:
        for d in earlier:  # the newest correction of a field replaces the older one
            tx.run("delete_decision", {"id": d["id"]})
        if earlier and earlier[0].get("undo"):
            decision = decision.model_copy(update={"undo": earlier[0]["undo"]})
        store._write_nodes(tx, _records([_org_record(row)], {}), _summary(), None)
        tx.unwind("upsert_decisions", [decision.row()], _types())
    store.bump_version()
    return decision.row()
