"""``graphsvc decisions``: the stored curation decisions; ``undo ID``; ``--export FILE``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from graphsvc.cli._common import clean_errors, data_dir_option, main, opened_store

__all__ = ["decisions"]


def _line(d: dict) -> str:
    what = {"same": f"{d['name']!r} er {d['target']!r}", "distinct": f"{d['name']!r} er ikke {d['target']!r}",
            "keep_together": f"{d['name']!r} holdes samlet", "not_organisation": f"{d['name']!r} er ikke en organisation",
            "correct": f"{d['target']}: {d['field']} = {d['value']!r}",
            "merge": f"{d['value']} ({d['name']!r}) lagt sammen med {d['target']}"}[d["kind"]]
    return f"{d['id']}  {d['at']}  {d['who']}  {what}" + (f"  ({d['why']})" if d.get("why") else "")


@main.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: a list of decisions, oldest first.")
@click.option("--export", "export", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the decisions as a mapping file (TOML) to this path.")
@data_dir_option
@click.pass_context
@clean_errors
def decisions(ctx: click.Context, as_json: bool, export: Path | None, data_dir: Path | None) -> None:
    """The curation decisions stored in the graph, oldest first; every import follows them
    (docs/loading.md, "Decisions")."""
    if ctx.invoked_subcommand is not None:
        return
    from loaders.mapping import decisions_to_toml

    with opened_store(data_dir) as store:
        rows = store.list_decisions()
    if export is not None:
        export.write_text(decisions_to_toml(rows), encoding="utf-8")
        click.echo(f"wrote {len(rows)} decisions to {export}")
        return
    if as_json:
        click.echo(json.dumps([{k: v for k, v in r.items() if k != "undo"} for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no decisions")
    for row in rows:
        click.echo(_line(row))


@decisions.command()
@click.argument("decision_id")
@data_dir_option
@clean_errors
def undo(decision_id: str, data_dir: Path | None) -> None:
    """Undo one decision (a merge puts both organisations back)."""
    with opened_store(data_dir) as store:
        row = store.delete_decision(decision_id)
    click.echo(f"undid {row['kind']} {row['id']}")
