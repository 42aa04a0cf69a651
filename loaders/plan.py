"""How to read one table: where its header is, what it holds and which column is what.

Every column ends up in exactly one place, and the report says which: a field the kind
uses, an extra property (``extra``) of the row's organisation, project, network or event,
or — for columns about private persons, columns mapped to ``ignore`` and columns a tie
list has no place for — left out with a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from loaders.columns import LIST_FIELDS, Column, detect_kind, map_columns
from loaders.readers import Table
from loaders.report import ImportReport
from loaders.values import is_empty

__all__ = ["TablePlan", "plan_table", "blank", "USES", "HAS_EXTRA"]

_PLACE = {"cvr", "website", "address", "postcode", "town", "municipality", "region", "lat", "lon", "east", "north"}
PLACE_FIELDS = frozenset({"municipality", "postcode", "town", "region", "address", "website", "in_region",
                          "lat", "lon", "east", "north"})
_ORG = {
    "id", "name", "label", "kind", "size", "art_forms", "target_groups", "lat", "lon", "staff",
    "amount", "in_region", "municipality_source", "extra", *_PLACE,
}
_PROJECT = {
    "id", "project_id", "title", "start_year", "end_year", "start_date", "end_date", "year",
    "programme", "amount", "themes", "art_forms", "target_groups", "project_municipalities",
    "extra", "lead", "name", "partners", "partner", *_PLACE,
}
# the fields each kind reads; other recognised columns are kept as extra (or left out)
USES: dict[str, set[str]] = {
    "actor": _ORG,
    "institution": _ORG,
    "project": _PROJECT,
    "grant": _PROJECT,
    "participation": {"org_id", "name", "project_id", "title", "start_year", "start_date", "year", "role", *_PLACE},
    "collaboration": {"source_id", "target_id", "name", "partner", "partners", "since", "year", "start_year", "source", *_PLACE},
    "membership": {"org_id", "name", "network_id", "network", "theme", "themes", *_PLACE},
    "attendance": {"org_id", "name", "event_id", "event", "year", *_PLACE},
    "network": {"id", "name", "theme", "themes", "extra"},
    "event": {"id", "name", "year", "municipality", "extra"},
    "municipality": {"code", "municipality", "name", "region", "population", "population_year", "lat", "lon", "area_km2"},
}
HAS_EXTRA = {"actor", "institution", "project", "grant", "network", "event"}


@dataclass
class TablePlan:
    table: Table
    kind: str
    header_index: int
    columns: list[Column]
    by_field: dict[str, list[Column]] = field(default_factory=dict)
    extra: list[Column] = field(default_factory=list)
    first: dict[str, int] = field(default_factory=dict)  # field -> index of its first column
    has_place: bool = False  # any column about where an organisation is

    @property
    def data_rows(self) -> range:
        return range(self.header_index + 1, len(self.table.rows))

    def has(self, *fields: str) -> bool:
        return any(f in self.by_field for f in fields)

    def summary(self) -> dict:
        where = {c.header: c.field for c in self.columns if c.field and c.field != "ignore" and c.field in self.by_field}
        where.update({c.header: "extra" for c in self.extra})
        for c in self.columns:
            where.setdefault(c.header, "left out")
        return {
            "file": self.table.file,
            "sheet": self.table.sheet,
            "kind": self.kind,
            "rows": len(self.data_rows),
            "encoding": self.table.encoding,
            "delimiter": self.table.delimiter,
            "columns": where,
        }


def _recognised(row: list, explicit: dict[str, str]) -> int:
    return sum(1 for c in map_columns([str(v) for v in row], explicit) if c.field)


def blank(row: list) -> bool:
    """Whether every cell of ``row`` is empty."""
    for cell in row:
        if cell.__class__ is str:
            if cell and not cell.isspace():
                return False
        elif not is_empty(cell):
            return False
    return True


def _header_index(table: Table, explicit: dict[str, str], search: int) -> int | None:
    filled = []
    for i, row in enumerate(table.rows):
        if not blank(row):
            filled.append(i)
            if len(filled) == search:
                break
    if not filled:
        return None
    first = filled[0]
    if table.keyed or _recognised(table.rows[first], explicit) >= 2:
        return first
    for i in filled[1:search]:
        if _recognised(table.rows[i], explicit) >= 2:
            return i
    return first


def plan_table(
    table: Table, kind: str | None, explicit: dict[str, str], report: ImportReport, *, header_search: int = 10
) -> TablePlan | None:
    """The plan for ``table``, or None (with an error in ``report``) when it cannot be read."""
    where = {"file": table.file, "sheet": table.sheet}
    header_index = _header_index(table, explicit, header_search)
    if header_index is None:
        report.add("error", "the file is empty" if table.fmt != "xlsx" else "the sheet is empty",
                   "choose the file (or sheet) that holds the data; nothing was read", code="empty_file", **where)
        return None
    header = [str(v).strip() if not is_empty(v) else "" for v in table.rows[header_index]]
    if header_index > 0 and not table.keyed:
        report.add("info", f"the header is in row {table.numbers[header_index]}; the rows above it were skipped",
                   "nothing to do if that is the header", code="header_row", **where)
    if all(blank(row) for row in table.rows[header_index + 1 :]):
        report.add("error", "the file has a header but no rows" if table.fmt != "xlsx" else "the sheet has a header but no rows",
                   "add rows under the header, or leave the file out", code="no_rows", **where)
        return None
    columns = map_columns(header, explicit)
    fields = {c.field for c in columns if c.field and c.field != "ignore"}
    found = kind or detect_kind(fields, table.sheet or table.file)
    if found is None:
        shown = ", ".join(repr(h) for h in header if h)[:300]
        report.add("error", f"cannot tell what this table holds (columns: {shown})",
                   "pass --kind (actor, institution, project, participation, collaboration, membership, "
                   "attendance, grant), or name the columns in a mapping file", code="unknown_kind", **where)
        return None
    plan = TablePlan(table, found, header_index, columns)
    uses = USES[found]
    for c in columns:
        if not c.header and all(is_empty(r[c.index]) for r in table.rows[header_index + 1 :] if c.index < len(r)):
            continue  # an empty column without a header (trailing delimiters)
        if c.personal:
            report.add("warning", f"column {c.header!r} holds personal contact data and was left out",
                       "nothing to do; keep names of persons, e-mails and phone numbers out of the graph",
                       code="personal_column", column=c.header, **where)
        elif c.field == "ignore":
            report.add("info", f"column {c.header!r} was left out as the mapping says", "nothing to do",
                       code="ignored_column", column=c.header, **where)
        elif c.field in uses:
            plan.by_field.setdefault(c.field, []).append(c)
        elif found in HAS_EXTRA:
            plan.extra.append(c)
        else:
            report.add("warning", f"column {c.header!r} has no place in a {found} list and was left out",
                       "load it with the organisations (an actor or institution list) or map it with --column",
                       code="unused_column", column=c.header, **where)
    for name, cols in plan.by_field.items():
        if len(cols) > 1 and name not in LIST_FIELDS:
            report.add("error", f"columns {', '.join(repr(c.header) for c in cols)} all hold {name!r}",
                       f"map all but one to ignore (--column '{cols[1].header}=ignore') or to another field",
                       code="duplicate_column", column=cols[1].header, **where)
            return None
    plan.first = {name: cols[0].index for name, cols in plan.by_field.items()}
    plan.has_place = bool(set(plan.by_field) & PLACE_FIELDS)
    return plan
