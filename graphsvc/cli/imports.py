"""``graphsvc imports``: the imports that can be undone; ``graphsvc imports undo``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from graphsvc.cli._common import clean_errors, data_dir_option, main, opened_store

__all__ = ["imports"]

_COUNTED = ("Actor", "Institution", "Project", "Network", "Event")


def _change(entry: dict) -> str:
    before, after = entry["counts_before"], entry["counts_after"]
    parts = [f"{k} {after[k] - before[k]:+,}" for k in _COUNTED if after.get(k) != before.get(k)]
    return ", ".join(parts) or "no new nodes"


@main.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: a list of imports, oldest first.")
@data_dir_option
@click.pass_context
@clean_errors
def imports(ctx: click.Context, as_json: bool, data_dir: Path | None) -> None:
    """The imports that can be undone, oldest first: when, which files, what changed.

    A copy of the store from before each of the last GRAPHSVC_UNDO_KEEP imports is kept
    (docs/store.md, "Undoing an import"); `graphsvc imports undo` puts the newest back."""
    if ctx.invoked_subcommand is not None:
        return
    with opened_store(data_dir) as store:
        entries = store.list_imports()
    if as_json:
        click.echo(json.dumps(entries, ensure_ascii=False, indent=2))
        return
    if not entries:
        click.echo("no imports to undo")
        return
    for entry in entries:
        click.echo(f"{entry['at']}  {', '.join(entry['files'])}  ({_change(entry)})")


@imports.command()
@click.option("--force", is_flag=True, help="Undo even when the store changed after the import.")
@data_dir_option
@clean_errors
def undo(force: bool, data_dir: Path | None) -> None:
    """Put the store back as it was before the newest import, and forget that import."""
    with opened_store(data_dir) as store:
        entry = store.undo_import(force=force)
        counts = store.counts()
    click.echo(f"undid the import of {entry['at']} ({', '.join(entry['files'])}): "
               f"{counts['Actor'] + counts['Institution']:,} organisations, {counts['Project']:,} projects now")
