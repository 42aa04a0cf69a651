"""``graphsvc load``: files into the graph."""

from __future__ import annotations

from pathlib import Path

import click

from graphsvc.cli._common import clean_errors, data_dir_option, main, progress_write, settings_from


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@data_dir_option
@clean_errors
def load(files: tuple[Path, ...], data_dir: Path | None) -> None:
    """Load FILES (canonical CSV/JSON: actors.csv, projects.csv, …) in one transaction."""
    from graphsvc.store import open_store
    from loaders.canonical import read_canonical

    records = read_canonical(list(files))
    store = open_store(settings_from(data_dir))
    try:
        summary = progress_write(store, records, "Loading")
        click.echo("Loaded: " + ", ".join(f"{k} {v:,}" for k, v in summary.rows.items()))
    finally:
        store.close()
