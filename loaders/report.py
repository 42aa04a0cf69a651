"""The import report: what was (or would be) created, updated and left unchanged, every
problem with where it is and what to do, and the entity-resolution decisions.

It renders as text (the CLI), a JSON-able dict (the API) and an XLSX workbook. Text from
the files is written as data everywhere: in the workbook no cell becomes a formula.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from graphsvc.errors import InputError

__all__ = ["Problem", "ImportReport", "COUNT_KINDS", "SEVERITIES"]

SEVERITIES = ("error", "warning", "info")
COUNT_KINDS = (
    "municipalities", "actors", "institutions", "projects", "networks", "events",
    "participations", "collaborations", "memberships", "attendances",
)


@dataclass
class Problem:
    """One problem: ``severity`` is ``error`` (blocks the import unless valid rows are
    accepted; the row is then skipped), ``warning`` (imported, worth a look) or ``info``."""

    severity: str
    message: str
    action: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    code: str = ""
    # for a name that matches several organisations (or a fuzzy match): each candidate's
    # id, name, municipality, kind, label and cvr
    candidates: list[dict[str, Any]] = field(default_factory=list)

    def where(self) -> str:
        parts = [p for p in (
            self.file,
            f"sheet {self.sheet!r}" if self.sheet else None,
            f"row {self.row}" if self.row is not None else None,
            f"column {self.column!r}" if self.column else None,
        ) if p]
        return ", ".join(parts)

    def text(self) -> str:
        where = self.where()
        return f"{self.severity}: {where + ': ' if where else ''}{self.message} — {self.action}"


@dataclass
class ImportReport:
    """What one import did (or, with ``dry_run``, would do)."""

    dry_run: bool = False
    accept_valid: bool = False
    written: bool = False
    files: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    merges: list[dict[str, Any]] = field(default_factory=list)
    fuzzy: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    skipped_rows: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    # organisations read, by where their municipality came from (docs/loading.md), "none": unplaced
    placement: dict[str, int] = field(default_factory=dict)

    # --- building --------------------------------------------------------------------

    def add(self, severity: str, message: str, action: str, **where: Any) -> Problem:
        problem = Problem(severity, message, action, **where)
        self.problems.append(problem)
        return problem

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0})[outcome] += n

    # --- reading ---------------------------------------------------------------------

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def totals(self) -> dict[str, int]:
        out = {"created": 0, "updated": 0, "unchanged": 0}
        for counts in self.counts.values():
            for k, v in counts.items():
                out[k] += v
        return out

    def status(self) -> str:
        if self.dry_run:
            return "dry run: nothing written" + ("; the import would fail" if self.errors and not self.accept_valid else "")
        if self.written:
            return "imported" + (f", {self.skipped_rows} rows with errors skipped" if self.skipped_rows else "")
        if self.errors and not self.accept_valid:
            return "not imported: nothing was written because of the errors below"
        return "nothing to write: the store already holds all of it"

    def _problem_dict(self, p: Problem, lang: str) -> dict[str, Any]:
        out = asdict(p)
        if lang == "da":
            from loaders.report_da import problem_da, where_da

            out["message"], out["action"] = problem_da(p)
            out["where"] = where_da(p)
        else:
            out["where"] = p.where()
        return out

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """A JSON-able dict of everything in the report; ``lang="da"``: the status and the
        problems in Danish, and ``labels``: Danish words for the kinds and outcomes."""
        from loaders.report_da import KIND_DA, OUTCOME_DA, PLACE_DA, SEVERITY_DA, status_da

        da = lang == "da"
        return {
            "lang": "da" if da else "en",
            "labels": {"kinds": KIND_DA, "outcomes": OUTCOME_DA, "severities": SEVERITY_DA,
                       "placement": PLACE_DA} if da else {},
            "status": status_da(self) if da else self.status(),
            "dry_run": self.dry_run,
            "accept_valid": self.accept_valid,
            "written": self.written,
            "files": self.files,
            "counts": {k: self.counts[k] for k in COUNT_KINDS if k in self.counts},
            "totals": self.totals(),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "skipped_rows": self.skipped_rows,
            "problems": [self._problem_dict(p, lang) for p in self.problems],
            "merges": self.merges,
            "fuzzy_matches": self.fuzzy,
            "changes": self.changes,
            "placement": self.placement,
            "timings": self.timings,
        }

    def _count_table(self, names: dict[str, str], headings: tuple[str, str, str], empty: str) -> list[str]:
        """Rows created, updated and unchanged of each kind, as aligned lines (``names``:
        each kind's word; ``headings``: the three columns' words)."""
        rows = [(names[k], self.counts[k]) for k in COUNT_KINDS if k in self.counts]
        if not rows:
            return [empty]
        width = max(len(k) for k, _ in rows)
        return [f"{'':<{width}}  " + "  ".join(f"{h:>9}" for h in headings)] + [
            f"{kind:<{width}}  {c['created']:>9,}  {c['updated']:>9,}  {c['unchanged']:>9,}" for kind, c in rows]

    def summary_text(self, lang: str = "en") -> str:
        if lang == "da":
            return self._summary_da()
        lines = [self.status(), "", *self._count_table({k: k for k in COUNT_KINDS},
                                                      ("created", "updated", "unchanged"), "no rows")]
        if self.placement:
            order = ("column", "coordinates", "postcode", "postcode_town", "name", "user", "none")
            lines.append("")
            lines.append("organisations placed by: " + ", ".join(
                f"{k} {self.placement[k]:,}" for k in sorted(self.placement, key=lambda k: (k not in order, order.index(k) if k in order else 0, k))))
        lines.append("")
        lines.append(
            f"{len(self.errors)} errors, {len(self.warnings)} warnings; "
            f"{len(self.merges)} organisations under several spellings, "
            f"{len(self.fuzzy)} fuzzy matches to review"
        )
        return "\n".join(lines)

    def to_text(self, limit: int | None = 30, lang: str = "en") -> str:
        """The summary, then the problems (errors first; at most ``limit`` of each kind)
        and the fuzzy matches to review; ``lang="da"``: in Danish."""
        if lang == "da":
            return self._text_da(limit)
        lines = [self.summary_text()]
        for severity in SEVERITIES:
            found = [p for p in self.problems if p.severity == severity]
            if not found:
                continue
            lines += ["", f"{severity}s ({len(found)}):"]
            shown = found if limit is None else found[:limit]
            lines += [f"  {p.where()}: {p.message} — {p.action}" if p.where() else f"  {p.message} — {p.action}"
                      for p in shown]
            if len(shown) < len(found):
                lines.append(f"  … and {len(found) - len(shown)} more (write the whole report with --report report.xlsx)")
        if self.fuzzy:
            lines += ["", f"fuzzy matches to review ({len(self.fuzzy)}):"]
            shown = self.fuzzy if limit is None else self.fuzzy[:limit]
            lines += [f"  {f['name']!r} -> {f['matched_name']!r} ({f['id']}, score {f['score']:.0f})" for f in shown]
            if len(shown) < len(self.fuzzy):
                lines.append(f"  … and {len(self.fuzzy) - len(shown)} more")
        return "\n".join(lines)

    def _summary_da(self) -> str:
        from loaders.report_da import KIND_DA, PLACE_DA, status_da

        lines = [status_da(self), "", *self._count_table(KIND_DA, ("nye", "ændrede", "uændrede"), "ingen rækker")]
        if self.placement:
            lines += ["", "organisationer placeret efter: " + ", ".join(
                f"{PLACE_DA.get(k, k)} {n:,}" for k, n in sorted(self.placement.items()))]
        lines += ["", f"{len(self.errors)} fejl, {len(self.warnings)} advarsler; "
                      f"{len(self.merges)} organisationer med flere stavemåder, "
                      f"{len(self.fuzzy)} næsten-ens navne at se efter"]
        return "\n".join(lines)

    def _text_da(self, limit: int | None) -> str:
        from loaders.report_da import SEVERITY_DA, problem_da, where_da

        lines = [self._summary_da()]
        for severity in SEVERITIES:
            found = [p for p in self.problems if p.severity == severity]
            if not found:
                continue
            lines += ["", f"{SEVERITY_DA[severity]} ({len(found)}):"]
            shown = found if limit is None else found[:limit]
            for p in shown:
                message, action = problem_da(p)
                where = where_da(p)
                lines.append(f"  {where + ': ' if where else ''}{message} — {action}")
            if len(shown) < len(found):
                lines.append(f"  … og {len(found) - len(shown)} mere (skriv hele rapporten med --report rapport.xlsx)")
        return "\n".join(lines)

    # --- files -----------------------------------------------------------------------

    def to_xlsx(self, path: Path) -> Path:
        """Write the report as a workbook: Summary, Problems, Merges, Fuzzy matches,
        Changes, Files."""
        from openpyxl import Workbook

        wb = Workbook()
        summary = wb.active
        summary.title = "Summary"
        _rows(summary, ["", "created", "updated", "unchanged"],
              [[k, *self.counts[k].values()] for k in COUNT_KINDS if k in self.counts])
        summary.append([])
        _append(summary, ["status", self.status()])
        _append(summary, ["errors", len(self.errors)])
        _append(summary, ["warnings", len(self.warnings)])
        for source, n in self.placement.items():
            _append(summary, [f"organisations placed by {source}", n])
        _rows(wb.create_sheet("Problems"),
              ["severity", "file", "sheet", "row", "column", "value", "message", "what to do"],
              [[p.severity, p.file, p.sheet, p.row, p.column, p.value, p.message, p.action] for p in self.problems])
        _rows(wb.create_sheet("Merges"), ["id", "label", "name", "spellings"],
              [[m["id"], m["label"], m["name"], " | ".join(m["spellings"])] for m in self.merges])
        _rows(wb.create_sheet("Fuzzy matches"), ["name", "matched name", "id", "score", "file", "sheet", "row"],
              [[f["name"], f["matched_name"], f["id"], round(f["score"], 1), f["file"], f["sheet"], f["row"]]
               for f in self.fuzzy])
        _rows(wb.create_sheet("Changes"), ["kind", "id", "name", "field", "old", "new"],
              [[c["kind"], c["id"], c["name"], c["field"], _show(c["old"]), _show(c["new"])] for c in self.changes])
        _rows(wb.create_sheet("Files"), ["file", "sheet", "kind", "rows", "columns"],
              [[f["file"], f["sheet"], f["kind"], f["rows"],
                "; ".join(f"{h} -> {v}" for h, v in f["columns"].items())] for f in self.files])
        try:
            wb.save(path)
        except OSError as e:
            raise InputError(f"cannot write the report to {path}: {e.strerror}") from e
        return path

    def write(self, path: Path) -> Path:
        """Write the report to ``path``: .xlsx, .json, or text for anything else."""
        import json

        suffix = path.suffix.lower()
        if suffix == ".xlsx":
            return self.to_xlsx(path)
        try:
            if suffix == ".json":
                path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
            else:
                path.write_text(self.to_text(limit=None) + "\n", encoding="utf-8")
        except OSError as e:
            raise InputError(f"cannot write the report to {path}: {e.strerror}") from e
        return path


def _show(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return value


def _cell(value: Any) -> Any:
    value = _show(value)
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _append(sheet, values: list[Any]) -> None:
    sheet.append([_cell(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text from files is never a formula


def _rows(sheet, header: list[str], rows: list[list[Any]]) -> None:
    sheet.append(header)
    for row in rows:
        _append(sheet, row)
