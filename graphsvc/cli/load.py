"""``graphsvc load``: files into the graph."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graphsvc.cli._common import clean_errors, data_dir_option, main, settings_from

KIND_CHOICES = (
    "actor", "institution", "project", "participation", "collaboration", "membership",
    "attendance", "grant", "network", "event", "municipality",
)
_STAGES = {"read": "Reading  ", "resolve": "Resolving", "write": "Writing  "}


class _Bars:
    """One progress bar per stage (reading, resolving, writing) on stderr."""

    def __init__(self):
        self.stage: str | None = None
        self.bar = None
        self.done = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage, self.done = stage, 0
            self.bar = click.progressbar(length=max(total, 1), label=_STAGES.get(stage, stage), file=sys.stderr)
            self.bar.__enter__()
        step = max(done - self.done, 0)
        if step:
            self.bar.update(step)
            self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _column_pairs(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for value in values:
        header, sep, field = value.rpartition("=")
        if not sep or not header.strip() or not field.strip():
            raise click.BadParameter(f"{value!r}: write HEADER=FIELD, e.g. 'Ansøger=lead'", param_hint="--column")
        out[header.strip()] = field.strip()
    return out


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--kind", type=click.Choice(KIND_CHOICES), default=None,
              help="What the files hold, when their columns do not say.")
@click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Mapping file (TOML or JSON): columns, sheets, kinds, resolution; see docs/loading.md.")
@click.option("--sheet", "sheets", multiple=True, metavar="NAME", help="Workbook sheet to read (repeat for several; default all).")
@click.option("--column", "columns", multiple=True, metavar="HEADER=FIELD",
              help="Read column HEADER as FIELD (repeatable), e.g. --column 'Ansøger=lead'.")
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.option("--accept-valid", is_flag=True, help="Import the valid rows even when other rows have errors.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the whole report to this file: .xlsx, .json or .txt.")
@click.option("--lang", type=click.Choice(["en", "da"]), default="en", show_default=True,
              help="Language of the report (da: Danish).")
@data_dir_option
@clean_errors
def load(files: tuple[Path, ...], kind: str | None, mapping: Path | None, sheets: tuple[str, ...],
         columns: tuple[str, ...], dry_run: bool, accept_valid: bool, report_path: Path | None,
         lang: str, data_dir: Path | None) -> None:
    """Load FILES (CSV, XLSX, JSON, JSON Lines) into the graph in one transaction.

    Columns are recognised by their Danish or English headers; duplicates are merged;
    every problem is reported with its file, row and column. A file with errors writes
    nothing unless --accept-valid is given. Exit status 1 when there are errors.
    """
    from graphsvc.errors import ImportFailed
    from graphsvc.store import open_store
    from loaders import import_files

    explicit = _column_pairs(columns)
    settings = settings_from(data_dir, create=True)
    loader_settings = settings.loaders
    store = open_store(settings)
    bars = _Bars()
    failed = False
    try:
        report = import_files(
            store, list(files), kind=kind, mapping=mapping, sheet=list(sheets) or None, dry_run=dry_run,
            accept_valid=accept_valid, progress=bars, columns=explicit, settings=loader_settings,
        )
    except ImportFailed as e:
        report, failed = e.report, True
    finally:
        bars.close()
        store.close()
    click.echo(report.to_text(limit=loader_settings.report_limit, lang=lang))
    if report_path is not None:
        report.write(report_path)
        click.echo(f"\nreport written to {report_path}")
    if failed or (report.errors and not accept_valid):
        sys.exit(1)
