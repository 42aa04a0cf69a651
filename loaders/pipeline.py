"""``import_files``: files into the graph, atomically, with a report.

Read every file, map its columns, read its rows, resolve duplicates against each other and
the store, compare with the store, and only then — when nothing is wrong, or the user
accepts the valid rows — write what is new or changed in one transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from graphsvc.errors import ImportFailed, InputError
from graphsvc.memory import without_gc
from graphsvc.model import Records
from graphsvc.store import GraphStore
from loaders.changes import build_records
from loaders.columns import KINDS
from loaders.decisions import apply_corrections, with_decisions
from loaders.mapping import Mapping, load_mapping
from loaders.mentions import Mentions
from loaders.plan import TablePlan, plan_table
from loaders.readers import ReadLimits, read_tables
from loaders.partners import KnownNames, plain_pieces
from loaders.report import ImportReport
from loaders.resolve import OrgResolver
from loaders.resolve_keyed import KeyedResolver
from loaders.rows import read_rows
from loaders.settings import LoaderSettings
from loaders.text import clean, fold, name_key

__all__ = ["import_files", "ImportProgress"]

ImportProgress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``; stage is ``read``, ``resolve`` or ``write``."""

# tables are read in this order, so a partner cell knows the organisations listed before
_ORDER = {k: i for i, k in enumerate((
    "municipality", "actor", "institution", "network", "event", "project", "grant",
    "participation", "collaboration", "membership", "attendance",
))}


def _display_names(paths: Sequence[Path], names: Sequence[str] | None) -> list[str]:
    if names is None:
        return [p.name for p in paths]
    if len(names) != len(paths):
        raise InputError(f"{len(names)} display names for {len(paths)} files; give one name per file")
    return [n or p.name for n, p in zip(names, paths)]


def _plans(paths: Sequence[Path], display: list[str], *, kind: str | None, mapping: Mapping,
           sheets: list[str] | None, columns: dict[str, str], settings: LoaderSettings, report: ImportReport,
           progress: ImportProgress | None) -> list[TablePlan]:
    plans = []
    for i, (path, name) in enumerate(zip(paths, display)):
        try:
            tables = read_tables(path, name=name, sheets=sheets, encoding=mapping.read.encoding,
                                 delimiter=mapping.read.delimiter, limits=ReadLimits.from_settings(settings))
        except InputError as e:
            detail = " ".join(e.detail.split())
            detail = detail[len(name) + 2 :] if detail.startswith(f"{name}: ") else detail
            report.add("error", detail, "correct the file and import it again", code="unreadable", file=name)
            continue
        for table in tables:
            table_kind, explicit = mapping.spec_for(name, table.sheet, kind)
            explicit = {**explicit, **columns}
            plan = plan_table(table, table_kind, explicit, report, header_search=settings.header_search_rows)
            if plan is not None:
                plans.append(plan)
                report.files.append(plan.summary())
        if progress:
            progress("read", i + 1, len(paths))
    return plans


def _standalone(plans: list[TablePlan]) -> tuple[set[str], set[str]]:
    """Names that stand alone in some lead or organisation cell of a tie list, and in some
    partner cell: a piece of another partner cell that matches one of them is a whole name."""
    orgs: set[str] = set()
    seen: set[str] = set()
    for plan in plans:
        if plan.kind not in ("project", "grant", "collaboration", "participation"):
            continue
        for field in ("partners", "partner", "lead", "name"):
            for column in plan.by_field.get(field, []):
                for i in plan.data_rows:
                    cells = plan.table.rows[i]
                    cell = cells[column.index] if column.index < len(cells) else None
                    if not isinstance(cell, str) or not cell.strip():
                        continue
                    if field == "partners":
                        seen.update(name_key(p) for p in plain_pieces(cell))
                    else:
                        orgs.add(name_key(clean(cell)))
    return orgs, seen


def _stored(store: GraphStore, plans: list[TablePlan]) -> dict[str, list[dict[str, Any]]]:
    kinds = {p.kind for p in plans}
    wanted = {"organisations": kinds - {"municipality", "network", "event"}}
    wanted["projects"] = kinds & {"project", "grant", "participation"}
    wanted["networks"] = kinds & {"network", "membership"}
    wanted["events"] = kinds & {"event", "attendance"}
    wanted["participations"] = kinds & {"project", "grant", "participation"}
    wanted["collaborations"] = kinds & {"collaboration"}
    wanted["memberships"] = kinds & {"membership"}
    wanted["attendances"] = kinds & {"attendance"}
    wanted["municipalities"] = kinds & {"municipality"}
    return {name: getattr(store, f"list_{name}")() if need else [] for name, need in wanted.items()}


def _read(store: GraphStore, plans: list[TablePlan], mapping: Mapping,
          report: ImportReport) -> tuple[dict[str, list[dict[str, Any]]], Mentions]:
    """What the store holds, and the mentions of every table's rows."""
    order = {id(p): i for i, p in enumerate(plans)}  # file order: a later file updates an earlier one
    plans = sorted(plans, key=lambda p: _ORDER[p.kind])
    started = time.perf_counter()
    stored = _stored(store, plans) if plans else {}
    report.timings["read"] = 0.0  # first in the report; the time is added below
    report.timings["store_read"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    orgs, seen = _standalone(plans)
    known = KnownNames(declared=orgs | {name_key(r["name"]) for r in stored.get("organisations", []) if r.get("name")},
                       seen=seen)
    keep_together = frozenset(fold(n) for n in [*mapping.partners.keep_together, *mapping.partners.organisations])
    mentions = Mentions()
    for plan in plans:
        before = len(mentions.orgs), len(mentions.projects), len(mentions.networks), len(mentions.events)
        _, bad = read_rows(plan, mentions, report, keep_together=keep_together, known=known)
        report.skipped_rows += bad
        base = order[id(plan)] * 10**9
        for items, start in zip((mentions.orgs, mentions.projects, mentions.networks, mentions.events), before):
            for k, m in enumerate(items[start:]):
                m.seq = base + k
        known.declared.update(name_key(m.name) for m in mentions.orgs[before[0]:] if m.declared and m.name)
    report.timings["read"] = round(time.perf_counter() - started, 3)
    return stored, mentions


def _resolve(mentions: Mentions, stored: dict[str, list[dict[str, Any]]], mapping: Mapping,
             settings: LoaderSettings, report: ImportReport, progress: ImportProgress | None) -> Records:
    """Resolve the mentions and compare them with the store: the records to write."""
    started = time.perf_counter()
    total = len(mentions.orgs) + len(mentions.projects) + len(mentions.networks) + len(mentions.events)
    if progress:
        progress("resolve", 0, total)
    threshold = mapping.resolve.fuzzy_threshold
    orgs = OrgResolver(stored.get("organisations", []), report,
                       threshold=settings.fuzzy_threshold if threshold is None else threshold,
                       fuzzy=settings.fuzzy_matching, same=mapping.resolve.same, distinct=mapping.resolve.distinct,
                       not_organisations=mapping.resolve.not_organisations, merged=mapping.resolve.merged)
    orgs.resolve(mentions.orgs)
    if progress:
        progress("resolve", len(mentions.orgs), total)
    resolvers = {
        "projects": KeyedResolver(stored.get("projects", []), report, noun="project", prefix="prj",
                                  name_attr="title", name_field="title", qualifier_attr="start_year",
                                  qualifier_field="start_year", taken_ids=set()),
        "networks": KeyedResolver(stored.get("networks", []), report, noun="network", prefix="net",
                                  name_attr="name", name_field="name", qualifier_attr=None,
                                  qualifier_field=None, taken_ids=set()),
        "events": KeyedResolver(stored.get("events", []), report, noun="event", prefix="evt", name_attr="name",
                                name_field="name", qualifier_attr="year", qualifier_field="year", taken_ids=set()),
    }
    for name, resolver in resolvers.items():
        resolver.resolve(getattr(mentions, name))
    records = build_records(report, mentions, orgs=orgs.entities(), projects=resolvers["projects"].things(),
                            networks=resolvers["networks"].things(), events=resolvers["events"].things(),
                            stored=stored)
    apply_corrections(records, stored.get("organisations", []), mapping, report,
                      mentioned={e.id for e in orgs.entities()})
    _candidate_partners(report, stored)
    report.merges = orgs.merges()
    report.fuzzy = orgs.fuzzy_matches
    if progress:
        progress("resolve", total, total)
    report.timings["resolve"] = round(time.perf_counter() - started, 3)
    return records


def _candidate_partners(report: ImportReport, stored: dict[str, list[dict[str, Any]]], limit: int = 3) -> None:
    """Give each stored candidate of a problem (an ambiguous name, a fuzzy match) the names
    of a few of its partners in shared projects, so a user can tell the candidates apart."""
    wanted = {c["id"] for p in report.problems for c in p.candidates}
    if not wanted:
        return
    names = {o["id"]: o.get("name") or o["id"] for o in stored.get("organisations", [])}
    by_project: dict[str, list[str]] = {}
    for r in stored.get("participations", []):
        by_project.setdefault(r["project_id"], []).append(r["org_id"])
    partners: dict[str, dict[str, None]] = {}
    for members in by_project.values():
        for org_id in members:
            if org_id in wanted:
                found = partners.setdefault(org_id, {})
                for other in members:
                    if other != org_id and other in names and len(found) < limit:
                        found[names[other]] = None
    for p in report.problems:
        for c in p.candidates:
            c["partners"] = sorted(partners.get(c["id"], {}))


@without_gc  # the collector's runs took a third of re-importing M's files
def import_files(
    store: GraphStore,
    paths: Sequence[str | Path],
    *,
    kind: str | None = None,
    mapping: Mapping | dict[str, Any] | str | Path | None = None,
    sheet: str | Sequence[str] | None = None,
    dry_run: bool = False,
    accept_valid: bool = False,
    progress: ImportProgress | None = None,
    names: Sequence[str] | None = None,
    columns: dict[str, str] | None = None,
    settings: LoaderSettings | None = None,
) -> ImportReport:
    """Import ``paths`` into ``store`` and return the report.

    Parameters
    ----------
    store : the graph to import into.
    paths : CSV, XLSX, JSON or JSON Lines files.
    kind : what every file holds (actor, institution, project, grant, participation,
        collaboration, membership, attendance, network, event, municipality), when the
        columns do not say.
    mapping : a mapping file (TOML or JSON), or its content as a dict; see ``loaders.mapping``.
    sheet : the workbook sheet(s) to read (default: all).
    dry_run : report, write nothing.
    accept_valid : when some rows have errors, import the others (default: write nothing).
    progress : ``progress(stage, done, total)`` for the stages read, resolve, write.
    names : what the report calls each file (e.g. an upload's original name).
    columns : header -> field, on top of the mapping (the CLI's ``--column``).
    settings : ``LoaderSettings``.

    Raises
    ------
    ImportFailed
        When there are errors and neither ``dry_run`` nor ``accept_valid`` is set; its
        ``report`` holds them all. Nothing was written.
    StoreError
        When the database refuses the write; nothing was written.
    """
    settings = settings or LoaderSettings()
    if kind is not None and kind not in KINDS:
        raise InputError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    paths = [Path(p) for p in paths]
    display = _display_names(paths, names)
    mapping = with_decisions(load_mapping(mapping), store.list_decisions())
    sheets = [sheet] if isinstance(sheet, str) else list(sheet) if sheet else None
    report = ImportReport(dry_run=dry_run, accept_valid=accept_valid)
    started = time.perf_counter()

    plans = _plans(paths, display, kind=kind, mapping=mapping, sheets=sheets, columns=columns or {},
                   settings=settings, report=report, progress=progress)
    files_read = time.perf_counter() - started
    stored, mentions = _read(store, plans, mapping, report)
    report.timings["read"] += round(files_read, 3)
    records = _resolve(mentions, stored, mapping, settings, report, progress)
    errors = report.errors
    if errors and not accept_valid and not dry_run:
        raise ImportFailed(
            f"{len(errors)} error{'s' if len(errors) > 1 else ''} in the files; nothing was written. "
            f"First: {errors[0].where()}: {errors[0].message} — {errors[0].action}",
            report=report,
        )
    if dry_run or records.total() == 0:
        return report
    started = time.perf_counter()
    done, rows = 0, records.total()

    def on_batch(_step: str, n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress("write", min(done, rows), rows)

    store.write(records, progress=on_batch, undoable=display)
    report.written = True
    report.timings["write"] = round(time.perf_counter() - started, 3)
    return report
