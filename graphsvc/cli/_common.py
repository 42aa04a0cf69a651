"""What every command shares: the group, options, settings and clean errors."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from graphsvc.errors import GraphsvcError
from graphsvc.settings import Settings

__all__ = [
    "DEMO_SIZES",
    "clean_errors",
    "data_dir_option",
    "host_option",
    "main",
    "port_option",
    "progress_write",
    "settings_from",
]

DEMO_SIZES = ("demo", "S", "M", "L")


def settings_from(data_dir: Path | None, **overrides) -> Settings:
    """Settings from the environment and .env, with the CLI's options on top."""
    values = {k: v for k, v in overrides.items() if v is not None}
    if data_dir is not None:
        values["data_dir"] = data_dir
    return Settings(**values)


def clean_errors(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except GraphsvcError as e:
            click.echo(f"error: {e.detail}", err=True)
            sys.exit(1)

    return wrapper


data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the embedded store [env GRAPHSVC_DATA_DIR; default ./graphsvc-data].",
)
host_option = click.option("--host", default=None, help="Address to bind [default 127.0.0.1].")
port_option = click.option("--port", type=int, default=None, help="Port [default 8000].")


@click.group()
@click.version_option(package_name="graphsvc")
def main() -> None:
    """graphsvc: load, analyse and map a cultural collaboration network."""


def progress_write(store, records, label: str):
    """Write ``records`` with a progress bar over all their rows."""
    with click.progressbar(length=records.total(), label=label, file=sys.stderr) as bar:
        return store.write(records, progress=lambda _step, n: bar.update(n))
