"""The rows of a planned table into mentions, with every bad cell in the report.

A row with an error gives no mentions at all (with ``accept_valid`` it is skipped; without,
the import writes nothing). Warnings leave the row in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from loaders import values as v
from loaders.columns import Column
from loaders.mentions import (
    AttendanceLink,
    CollaborationLink,
    EventMention,
    MembershipLink,
    Mentions,
    MunicipalityRow,
    NetworkMention,
    OrgMention,
    ParticipationLink,
    ProjectMention,
    Src,
)
from loaders.partners import report_partner_cell, split_partners
from loaders.places import SOURCES, locate, municipality_code
from loaders.plan import PLACE_FIELDS, TablePlan, blank
from loaders.report import ImportReport
from loaders.text import clean_text, fold

__all__ = ["read_rows"]

_LABELS = {"actor": "Actor", "aktoer": "Actor", "institution": "Institution"}


class _Row:
    """One row being read: its non-empty cells by field, and the problems found in it."""

    __slots__ = ("plan", "cells", "values", "src", "report", "bad")

    def __init__(self, plan: TablePlan, index: int, report: ImportReport):
        self.plan = plan
        self.cells = cells = plan.table.rows[index]
        width = len(cells)
        values = {}
        for name, i in plan.first.items():
            if i < width:
                cell = cells[i]
                if cell.__class__ is str:
                    if cell and not cell.isspace():
                        values[name] = cell
                elif not v.is_empty(cell):
                    values[name] = cell
        self.values = values
        self.src = Src(plan.table.file, plan.table.sheet, plan.table.numbers[index])
        self.report = report
        self.bad = False

    def raw(self, field: str) -> Any:
        return self.values.get(field)

    def _cell(self, column: Column) -> Any:
        return self.cells[column.index] if column.index < len(self.cells) else None

    def header(self, field: str) -> str | None:
        cols = self.plan.by_field.get(field)
        return cols[0].header if cols else None

    def all_raw(self, field: str) -> list[tuple[Column, Any]]:
        return [(c, self._cell(c)) for c in self.plan.by_field.get(field, []) if not v.is_empty(self._cell(c))]

    def problem(self, severity: str, field: str | None, value: Any, message: str, action: str, code: str = "") -> None:
        self.report.add(severity, message, action, code=code, **self.src.where(self.header(field) if field else None, value))
        if severity == "error":
            self.bad = True

    def get(self, field: str, parser: Callable[[Any], Any], *fallbacks: str) -> Any:
        """The parsed value of the first of ``field, *fallbacks`` that has a cell."""
        for name in (field, *fallbacks) if fallbacks else (field,):
            raw = self.values.get(name)
            if raw is None:
                continue
            try:
                return parser(raw)
            except v.BadValue as e:
                self.problem(e.severity, name, raw, e.message, e.action, code="bad_value")
                return e.value
        return None

    def text(self, field: str) -> str | None:
        raw = self.values.get(field)
        return None if raw is None else v.text(raw)

    def listed(self, *fields: str) -> list[str]:
        out: list[str] = []
        for name in fields:
            if name not in self.values:
                continue
            if len(self.plan.by_field[name]) == 1:
                out += [x for x in v.text_list(self.values[name]) if x not in out]
                continue
            for _, raw in self.all_raw(name):
                out += [x for x in v.text_list(raw) if x not in out]
        return out

    def extra(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        raw = self.raw("extra")
        if raw is not None:
            try:
                found.update(v.extra_json(raw))
            except v.BadValue as e:
                self.problem("error", "extra", raw, e.message, e.action, code="bad_value")
        for column in self.plan.extra:
            value = self._cell(column)
            if not v.is_empty(value):
                found[column.header or f"column {column.index + 1}"] = (
                    value if isinstance(value, (int, float, bool, list, dict)) else clean_text(value)
                )
        return found


def _place_props(row: _Row, *, explicit_region: bool = True) -> dict[str, Any]:
    if not row.plan.has_place or PLACE_FIELDS.isdisjoint(row.values):
        return {}
    headers = {f: row.header(f) or f for f in ("municipality", "postcode", "town", "region", "lat", "east")}
    if "lat" not in row.plan.by_field:
        headers["lat"] = row.header("lon") or "lon"
    if "east" not in row.plan.by_field:
        headers["east"] = row.header("north") or "north"
    place = locate(municipality=row.raw("municipality"), postcode=row.raw("postcode"), town=row.raw("town"),
                   region=row.raw("region"), lat=row.raw("lat"), lon=row.raw("lon"), east=row.raw("east"),
                   north=row.raw("north"))
    for note in place.notes:
        code = "place_ambiguous" if place.candidates and note.column in ("postcode", "town") else (
            "place_conflict" if " disagree: " in note.message else "place")
        row.report.add(note.severity, note.message, note.action, code=code,
                       **row.src.where(headers.get(note.column, note.column), note.value))
    props = {
        "municipality_code": place.municipality_code,
        "municipality_source": place.source,
        "lat": place.lat,
        "lon": place.lon,
        "in_region": place.in_region,
        "postcode": place.postcode or v.text(row.raw("postcode")),
        "town": place.town,
        "address": row.text("address"),
        "website": row.get("website", v.website),
    }
    if place.municipality_code is None and explicit_region:
        in_region = row.get("in_region", v.boolean)
        if in_region is not None:
            props["in_region"] = in_region
    return props


def _org(row: _Row, *, name_field: str, id_field: str | None, declared: bool, label: str | None,
         with_place: bool = True, full: bool = False) -> OrgMention | None:
    """The organisation a row is about (or its lead): name, id, CVR and place."""
    name = row.text(name_field)
    org_id = row.text(id_field) if id_field else None
    extra: dict[str, Any] = {}
    if org_id is not None and org_id.isdigit() and declared:
        row.problem("warning", id_field, org_id, f"id {org_id!r} is only digits, so it was read as a row number",
                    "nothing to do; it is kept as the extra property 'id'. Ids are names such as org-00012",
                    code="numeric_id")
        extra["id"], org_id = org_id, None
    if name is None and org_id is None:
        return None
    cvr = row.get("cvr", v.cvr)
    props = _place_props(row) if with_place else {}
    if full:
        props.update({
            "kind": row.text("kind"),
            "size": row.get("size", v.size),
            "art_forms": row.listed("art_forms"),
            "target_groups": row.listed("target_groups"),
            "staff": row.get("staff", v.integer),
            "budget_dkk": row.get("amount", v.amount),
        })
        given_source = row.text("municipality_source")
        if given_source is not None and props.get("municipality_code"):
            if given_source in (*SOURCES, "user"):
                props["municipality_source"] = given_source  # a file written by graphsvc, or corrected by hand
            else:
                row.problem("warning", "municipality_source", given_source,
                            f"municipality source {given_source!r} is not one of {', '.join((*SOURCES, 'user'))}",
                            "leave the cell empty (the source is then found again) or write one of them",
                            code="bad_value")
        raw_label = row.text("label")
        if raw_label:
            found = _LABELS.get(fold(raw_label))
            if found is None:
                row.problem("error", "label", raw_label, f"label {raw_label!r} is neither Actor nor Institution",
                            "write Actor or Institution, or leave the cell empty", code="bad_value")
            label = found or label
        extra.update(row.extra())
    props = {k: val for k, val in props.items() if val not in (None, [])}
    return OrgMention(row.src, row.header(name_field), name=name, id=org_id, cvr=cvr, label=label,
                      declared=declared, props=props, extra=extra)


def _project(row: _Row, *, declared: bool, id_fields: tuple[str, ...]) -> ProjectMention | None:
    title = row.text("title")
    project_id = next((row.text(f) for f in id_fields if row.raw(f) is not None), None)
    if title is None and project_id is None:
        return None
    return ProjectMention(row.src, row.header("title"), title=title, id=project_id, declared=declared)


def _codes(row: _Row, field: str) -> list[str]:
    out = []
    for item in row.listed(field):
        code = municipality_code(item)
        if code is None:
            row.problem("warning", field, item, f"municipality {item!r} is not a Danish municipality",
                        "write the municipality's name or kommunekode; it was left out", code="place")
        elif code not in out:
            out.append(code)
    return out


def _project_row(row: _Row, out: Mentions, keep_together: frozenset[str], known) -> None:
    plan = row.plan
    project = _project(row, declared=True, id_fields=("id", "project_id"))
    lead_field = "lead" if plan.has("lead") else "name" if plan.has("name") else None
    lead = _org(row, name_field=lead_field, id_field=None, declared=False, label=None) if lead_field else None
    if project is None:
        row.problem("error", "title", None, "the row has no project title",
                    "write the project's title in the row, or delete the row", code="missing_title")
        return
    project.start_year = row.get("start_year", v.year, "start_date", "year")
    extra = row.extra()
    if lead_field is None:
        for f in ("cvr", "address", "postcode", "town", "website", "region"):
            if row.raw(f) is not None:
                extra[row.header(f)] = v.text(row.raw(f))
    if lead_field == "lead" and plan.has("name"):
        extra[row.header("name")] = row.text("name")
    project.props = {
        "end_year": row.get("end_year", v.year, "end_date"),
        "programme": row.text("programme"),
        "budget_dkk": row.get("amount", v.amount),
        "themes": row.listed("themes", "art_forms", "target_groups"),
        "municipality_codes": _codes(row, "project_municipalities") or ([] if lead_field else _codes(row, "municipality")),
    }
    project.props = {k: val for k, val in project.props.items() if val not in (None, [])}
    project.extra = extra
    if row.bad:
        return
    out.projects.append(project)
    context = lead.municipality_code if lead else (project.props.get("municipality_codes") or [None])[0]
    if lead is not None:
        out.orgs.append(lead)
        out.participations.append(ParticipationLink(row.src, lead, project, "lead"))
    lead_key = None if lead is None else (lead.name or "")
    for column, raw in row.all_raw("partners") + row.all_raw("partner"):
        cell = split_partners(raw, known=known, keep_together=keep_together)
        report_partner_cell(row.report, row.src.where(column.header, raw), cell)
        for name in cell.names:
            if lead_key and name == lead_key:
                continue
            partner = OrgMention(row.src, column.header, name=name, context_municipality=context)
            out.orgs.append(partner)
            out.participations.append(ParticipationLink(row.src, partner, project, "partner"))


def _link_row(row: _Row, out: Mentions, keep_together: frozenset[str], known) -> None:
    kind = row.plan.kind
    org = _org(row, name_field="name", id_field="source_id" if kind == "collaboration" else "org_id",
               declared=False, label=None)
    if org is None:
        row.problem("error", "name", None, "the row names no organisation",
                    "write the organisation's name in the row, or delete the row", code="missing_name")
        return
    if kind == "participation":
        project = _project(row, declared=False, id_fields=("project_id",))
        role = row.get("role", v.role) or "partner"
        if project is None:
            row.problem("error", "title", None, "the row names no project",
                        "write the project's title in the row, or delete the row", code="missing_title")
            return
        project.start_year = row.get("start_year", v.year, "start_date", "year")
        if not row.bad:
            org.context_municipality = org.municipality_code
            out.orgs.append(org)
            out.projects.append(project)
            out.participations.append(ParticipationLink(row.src, org, project, role))
    elif kind == "collaboration":
        others = []
        if row.raw("target_id") is not None:
            others.append(OrgMention(row.src, row.header("target_id"), id=row.text("target_id")))
        for column, raw in row.all_raw("partner") + row.all_raw("partners"):
            if column.field == "partners":
                cell = split_partners(raw, known=known, keep_together=keep_together)
                report_partner_cell(row.report, row.src.where(column.header, raw), cell)
                names = cell.names
            else:
                names = [v.text(raw)]
            others += [OrgMention(row.src, column.header, name=n, context_municipality=org.municipality_code) for n in names if n]
        since = row.get("since", v.year, "year", "start_year")
        if not others:
            row.problem("error", "partner", None, "the row names no partner organisation",
                        "write the second organisation in the row, or delete the row", code="missing_name")
            return
        if not row.bad:
            out.orgs.append(org)
            for other in others:
                out.orgs.append(other)
                out.collaborations.append(CollaborationLink(row.src, org, other, since, row.text("source")))
    elif kind == "membership":
        name, network_id = row.text("network"), row.text("network_id")
        if name is None and network_id is None:
            row.problem("error", "network", None, "the row names no network",
                        "write the network's name in the row, or delete the row", code="missing_name")
            return
        theme = row.text("theme") or (row.listed("themes") or [None])[0]
        network = NetworkMention(row.src, row.header("network"), name=name, id=network_id,
                                 props={"theme": theme} if theme else {})
        if not row.bad:
            out.orgs.append(org)
            out.networks.append(network)
            out.memberships.append(MembershipLink(row.src, org, network))
    elif kind == "attendance":
        name, event_id = row.text("event"), row.text("event_id")
        if name is None and event_id is None:
            row.problem("error", "event", None, "the row names no event",
                        "write the event's name (and year) in the row, or delete the row", code="missing_name")
            return
        event = EventMention(row.src, row.header("event"), name=name, id=event_id, year=row.get("year", v.year))
        if not row.bad:
            out.orgs.append(org)
            out.events.append(event)
            out.attendances.append(AttendanceLink(row.src, org, event))


def _org_row(row: _Row, out: Mentions) -> None:
    label = "Institution" if row.plan.kind == "institution" else None
    org = _org(row, name_field="name", id_field="id", declared=True, label=label, full=True)
    if org is None or org.name is None:
        row.problem("error", "name", None, "the row has no name",
                    "write the organisation's name in the row, or delete the row", code="missing_name")
        return
    if org.label is None:
        org.label = "Actor" if row.plan.kind == "actor" else None
    if not row.bad:
        out.orgs.append(org)


def _network_row(row: _Row, out: Mentions) -> None:
    name = row.text("name")
    if name is None:
        row.problem("error", "name", None, "the row has no name", "write the network's name", code="missing_name")
        return
    theme = row.text("theme") or (row.listed("themes") or [None])[0]
    mention = NetworkMention(row.src, row.header("name"), name=name, id=row.text("id"), declared=True,
                             props={"theme": theme} if theme else {}, extra=row.extra())
    if not row.bad:
        out.networks.append(mention)


def _event_row(row: _Row, out: Mentions) -> None:
    name = row.text("name")
    if name is None:
        row.problem("error", "name", None, "the row has no name", "write the event's name", code="missing_name")
        return
    code = None
    if row.raw("municipality") is not None:
        code = municipality_code(row.raw("municipality"))
        if code is None:
            row.problem("warning", "municipality", row.raw("municipality"), "not a Danish municipality",
                        "write the municipality's name or kommunekode; it was left out", code="place")
    mention = EventMention(row.src, row.header("name"), name=name, id=row.text("id"), year=row.get("year", v.year),
                           declared=True, props={"municipality_code": code} if code else {}, extra=row.extra())
    if not row.bad:
        out.events.append(mention)


def _municipality_row(row: _Row, out: Mentions) -> None:
    raw = row.raw("code") if row.raw("code") is not None else row.raw("municipality")
    code = municipality_code(raw) if raw is not None else None
    if code is None:
        row.problem("error", "code" if row.raw("code") is not None else "municipality", raw,
                    f"{raw!r} is not a Danish kommunekode", "write the 3-digit kommunekode, e.g. 751", code="place")
        return
    values = {
        "code": code,
        "name": row.text("name"),
        "region": row.text("region"),
        "population": row.get("population", v.integer),
        "population_year": row.get("population_year", v.year),
        "lat": row.get("lat", lambda x: v.coordinate(x, low=-90, high=90, name="latitude")),
        "lon": row.get("lon", lambda x: v.coordinate(x, low=-180, high=180, name="longitude")),
        "area_km2": row.get("area_km2", v.amount),
    }
    if not row.bad:
        out.municipalities.append(MunicipalityRow(row.src, {k: x for k, x in values.items() if x is not None}))


def read_rows(plan: TablePlan, out: Mentions, report: ImportReport, *,
              keep_together: frozenset[str] = frozenset(), known=lambda name: False) -> tuple[int, int]:
    """Add the mentions of ``plan``'s rows to ``out``; return (rows read, rows with errors)."""
    kind = plan.kind
    read = bad = 0
    for index in plan.data_rows:
        if blank(plan.table.rows[index]):
            continue
        row = _Row(plan, index, report)
        read += 1
        if kind in ("actor", "institution"):
            _org_row(row, out)
        elif kind in ("project", "grant"):
            _project_row(row, out, keep_together, known)
        elif kind in ("participation", "collaboration", "membership", "attendance"):
            _link_row(row, out, keep_together, known)
        elif kind == "network":
            _network_row(row, out)
        elif kind == "event":
            _event_row(row, out)
        elif kind == "municipality":
            _municipality_row(row, out)
        bad += row.bad
    return read, bad
