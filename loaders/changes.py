"""From resolved mentions to the records to write, compared with what the store holds.

Each node's new state is its stored state with the file's values on top: a row that
describes the thing (an actor list, a project list) sets every value it has; a mention
elsewhere (a partner cell, an edge list) only fills values that are empty. Nothing is
cleared by an empty cell. A node whose new state equals the stored one is *unchanged*
and is not written, so importing the same files again writes nothing.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ValidationError

from graphsvc.model import (
    Actor,
    Attendance,
    Collaboration,
    Event,
    Institution,
    Membership,
    Municipality,
    Network,
    Participation,
    Project,
    Records,
)
from loaders.mentions import Mentions
from loaders.places import municipality_in_name, municipality_itself, municipality_name, region_codes
from loaders.report import ImportReport
from loaders.resolve import OrgEntity
from loaders.resolve_keyed import Thing

__all__ = ["build_records", "MAX_CHANGES"]

MAX_CHANGES = 20_000  # field changes listed in the report


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def _short(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _same(a: Any, b: Any) -> bool:
    if _empty(a) and _empty(b):
        return True
    if isinstance(a, float) and isinstance(b, (int, float)) and not isinstance(b, bool):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)
    return a == b


def _name(declared: list[Any], strong, attr: str, stored: dict | None, fallback: str,
          stored_field: str = "name") -> str:
    """The name to keep: a row that found the thing by its id (or CVR) renames it;
    otherwise the stored name stays, and a new thing takes the first spelling read."""
    identified = [m for m in declared if strong(m)]
    if identified:
        return getattr(max(identified, key=lambda m: m.seq), attr)
    if stored and stored.get(stored_field):
        return stored[stored_field]
    if declared:
        return getattr(min(declared, key=lambda m: m.seq), attr)
    return fallback


class _Builder:
    def __init__(self, report: ImportReport):
        self.report = report
        self.records = Records()
        self.excluded: set[str] = set()

    def _merge(self, kind: str, thing_id: str, stored: dict | None, fields: tuple[str, ...],
               mentions: list[Any], fixed: dict[str, Any]) -> dict[str, Any]:
        data = {f: (stored or {}).get(f) for f in fields}
        data["extra"] = dict((stored or {}).get("extra") or {})
        set_by: dict[str, Any] = {}
        conflicts: dict[tuple[int, int], list[str]] = {}
        ordered = mentions if len(mentions) == 1 else sorted(mentions, key=lambda m: m.seq)
        for m in ordered:
            declared = m.declared
            for target, items, prefix in ((data, m.props, ""), (data["extra"], m.extra, "extra.")):
                for key, value in items.items():
                    if value is None or value == []:
                        continue
                    if not declared and not _empty(target.get(key)):
                        continue
                    earlier = set_by.get(prefix + key)
                    if earlier is not None and earlier.declared and declared and not _same(target.get(key), value):
                        conflicts.setdefault((id(earlier), id(m)), []).append(
                            f"{key} ({_short(target.get(key))} / {_short(value)})")
                    target[key] = value
                    set_by[prefix + key] = m
        if conflicts:
            by_id = {id(m): m for m in ordered}
            name = fixed.get("name") or fixed.get("title")
            for (a, b), fields in conflicts.items():
                first, later = by_id[a], by_id[b]
                self.report.add(
                    "warning",
                    f"{name!r} is in {first.src.file} row {first.src.row} and here with different "
                    f"{', '.join(fields)}; kept the values of this row",
                    "if they are two different ones, give them different names or an id column; "
                    "otherwise correct the value that is wrong",
                    code="conflict", **later.src.where(),
                )
        data.update(fixed)
        return data

    def _outcome(self, kind: str, model: type[BaseModel], data: dict[str, Any], stored: dict | None,
                 first: Any, label_name: str) -> BaseModel | None:
        if stored is not None and all(_same(x, stored.get(k)) for k, x in data.items()):
            self.report.count(kind, "unchanged")  # what was stored was valid, so this is too
            return None
        try:
            record = model(**{k: x for k, x in data.items() if x is not None})
        except ValidationError as e:
            err = e.errors()[0]
            field = ".".join(str(p) for p in err["loc"])
            self.report.add("error", f"{data.get(label_name)!r} cannot be stored: {field}: {err['msg']}",
                            "correct the value in the file", code="invalid_record",
                            **first.src.where(field, err.get("input")))
            self.excluded.add(data.get("id") or data.get("code"))
            return None
        if stored is None:
            self.report.count(kind, "created")
            return record
        dumped = record.model_dump()
        changed = [f for f in dumped if f != "label" and not _same(dumped[f], stored.get(f))]
        if not changed:
            self.report.count(kind, "unchanged")
            return None
        self.report.count(kind, "updated")
        for f in changed:
            if len(self.report.changes) < MAX_CHANGES:
                self.report.changes.append({"kind": kind, "id": dumped.get("id") or dumped.get("code"),
                                            "name": dumped.get(label_name), "field": f,
                                            "old": stored.get(f), "new": dumped[f]})
        return record

    # --- nodes -----------------------------------------------------------------------

    def organisations(self, entities: list[OrgEntity]) -> None:
        fields = tuple(f for f in Actor.model_fields if f != "extra")
        for e in entities:
            name = _name([m for m in e.mentions if m.declared and m.name and m.how != "fuzzy"],
                         lambda m: m.how in ("id", "cvr"), "name", e.stored, e.name)
            label = (e.stored or {}).get("label") or e.label or "Actor"
            data = self._merge("organisations", e.id, e.stored, fields, e.mentions,
                               {"id": e.id, "name": name, "cvr": e.cvr})
            code = data.get("municipality_code")
            itself = municipality_itself(name)  # "Langeland Kommune" is in Langeland, wherever its office is
            if itself and code != itself and data.get("municipality_source") != "user":
                if code:
                    self.report.add(
                        "warning", f"{name!r} is the municipality {municipality_name(itself)} ({itself}); its "
                        f"{data.get('municipality_source') or 'row'} says {municipality_name(code)} ({code}); "
                        f"placed it in {municipality_name(itself)}",
                        "nothing to do if the address is an office elsewhere; otherwise correct the name",
                        code="place_conflict", **e.mentions[0].src.where())
                data["municipality_code"], data["municipality_source"] = itself, "name"
                code = itself
            if not code and data.get("municipality_source") is None:
                code = municipality_in_name(name)  # the weakest evidence, when nothing else places it
                if code:
                    data["municipality_code"], data["municipality_source"] = code, "name"
            if code:
                data["in_region"] = code in region_codes()
            self.report.placement[data.get("municipality_source") or "none"] = (
                self.report.placement.get(data.get("municipality_source") or "none", 0) + 1)
            kind, model = ("institutions", Institution) if label == "Institution" else ("actors", Actor)
            record = self._outcome(kind, model, data, e.stored, e.mentions[0], "name")
            if record is not None:
                getattr(self.records, kind).append(record)

    def things(self, kind: str, model: type[BaseModel], things: list[Thing], name_field: str,
               qualifier_field: str | None) -> None:
        fields = tuple(f for f in model.model_fields if f != "extra")
        for t in things:
            attr = "title" if name_field == "title" else "name"
            name = _name([m for m in t.mentions if m.declared and getattr(m, attr)], lambda m: bool(m.id),
                         attr, t.stored, t.name, stored_field=name_field)
            fixed = {"id": t.id, name_field: name}
            if qualifier_field:
                fixed[qualifier_field] = t.qualifier if t.qualifier is not None else (t.stored or {}).get(qualifier_field)
            data = self._merge(kind, t.id, t.stored, fields, t.mentions, fixed)
            record = self._outcome(kind, model, data, t.stored, t.mentions[0], name_field)
            if record is not None:
                getattr(self.records, kind).append(record)

    def municipalities(self, mentions: Mentions, stored: list[dict[str, Any]]) -> None:
        by_code = {row["code"]: row for row in stored}
        latest: dict[str, Any] = {}
        for m in mentions.municipalities:
            latest.setdefault(m.values["code"], []).append(m)
        for code, rows in latest.items():
            base = dict(by_code.get(code) or {})
            for m in rows:
                base.update(m.values)
            base.pop("extra", None)
            record = self._outcome("municipalities", Municipality, base, by_code.get(code), rows[-1], "name")
            if record is not None:
                self.records.municipalities.append(record)


def _ok(builder: _Builder, *ids: str | None) -> bool:
    return all(i is not None and i not in builder.excluded for i in ids)


def _links(builder: _Builder, mentions: Mentions, stored: dict[str, list[dict[str, Any]]]) -> None:
    report, records = builder.report, builder.records
    # participations: lead wins over partner within one import
    roles: dict[tuple[str, str], str] = {}
    for link in mentions.participations:
        org, project = link.org.resolved, link.project.resolved
        if org is None or project is None or not _ok(builder, org.id, project.id):
            continue
        key = (org.id, project.id)
        roles[key] = "lead" if "lead" in (roles.get(key), link.role) else link.role
    leads: dict[str, list[str]] = {}
    for (org_id, project_id), role in roles.items():
        if role == "lead":
            leads.setdefault(project_id, []).append(org_id)
    for project_id, orgs in leads.items():
        if len(orgs) > 1:
            report.add("warning", f"project {project_id} has {len(orgs)} leads: {', '.join(orgs)}",
                       "if they are separate projects with the same title and year, give them an id column",
                       code="several_leads")
    old = {(r["org_id"], r["project_id"]): r["role"] for r in stored.get("participations", [])}
    for (org_id, project_id), role in roles.items():
        if (org_id, project_id) not in old:
            report.count("participations", "created")
        elif old[(org_id, project_id)] != role:
            report.count("participations", "updated")
        else:
            report.count("participations", "unchanged")
            continue
        records.participations.append(Participation(org_id=org_id, project_id=project_id, role=role))

    old_pairs = {frozenset((r["source_id"], r["target_id"])): r for r in stored.get("collaborations", [])}
    pairs: dict[frozenset, dict[str, Any]] = {}
    for link in mentions.collaborations:
        a, b = link.a.resolved, link.b.resolved
        if a is None or b is None or not _ok(builder, a.id, b.id):
            continue
        if a is b:
            report.add("warning", f"{a.name!r} is listed as collaborating with itself; left out",
                       "check the two names in the row", code="self_collaboration", **link.src.where())
            continue
        key = frozenset((a.id, b.id))
        first = key not in pairs
        base = pairs.get(key) or dict(old_pairs.get(key) or {"source_id": a.id, "target_id": b.id, "since": None, "source": None})
        if link.since is not None:
            # a pair declared twice in one import collaborates since the earlier year
            base["since"] = link.since if first or base["since"] is None else min(base["since"], link.since)
        if link.source is not None:
            base["source"] = link.source
        pairs[key] = base
    for key, row in pairs.items():
        before = old_pairs.get(key)
        if before is None:
            report.count("collaborations", "created")
        elif (before["since"], before["source"]) != (row["since"], row["source"]):
            report.count("collaborations", "updated")
        else:
            report.count("collaborations", "unchanged")
            continue
        records.collaborations.append(Collaboration(**{k: row[k] for k in ("source_id", "target_id", "since", "source")}))

    for kind, model, links, other, field in (
        ("memberships", Membership, mentions.memberships, "network", "network_id"),
        ("attendances", Attendance, mentions.attendances, "event", "event_id"),
    ):
        old_set = {(r["org_id"], r[field]) for r in stored.get(kind, [])}
        seen: set[tuple[str, str]] = set()
        for link in links:
            org, thing = link.org.resolved, getattr(link, other).resolved
            if org is None or thing is None or not _ok(builder, org.id, thing.id):
                continue
            key = (org.id, thing.id)
            if key in seen:
                continue
            seen.add(key)
            if key in old_set:
                report.count(kind, "unchanged")
                continue
            report.count(kind, "created")
            getattr(records, kind).append(model(org_id=org.id, **{field: thing.id}))


def build_records(report: ImportReport, mentions: Mentions, *, orgs: list[OrgEntity], projects: list[Thing],
                  networks: list[Thing], events: list[Thing], stored: dict[str, list[dict[str, Any]]]) -> Records:
    """The records to write (only what is new or changed); counts and changes go to ``report``."""
    builder = _Builder(report)
    builder.municipalities(mentions, stored.get("municipalities", []))
    builder.organisations(orgs)
    builder.things("projects", Project, projects, "title", "start_year")
    builder.things("networks", Network, networks, "name", None)
    builder.things("events", Event, events, "name", "year")
    _links(builder, mentions, stored)
    return builder.records
