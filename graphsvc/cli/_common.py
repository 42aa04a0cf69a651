"""What every command shares: the group, options, settings and clean errors."""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from graphsvc.errors import GraphsvcError, InputError
from graphsvc.settings import Settings

__all__ = [
    "DEMO_SIZES",
    "clean_errors",
    "data_dir_option",
    "host_option",
    "main",
    "opened_store",
    "port_option",
    "scope_option",
    "progress_write",
    "settings_from",
]

DEMO_SIZES = ("demo", "S", "M", "L")


def settings_from(data_dir: Path | None, *, create: bool = False, **overrides) -> Settings:
    """Settings from the environment and .env, with the CLI's options on top.

    Unless ``create`` (load, demo, serve), the embedded store's folder must exist: a
    mistyped --data-dir is an error, not a new empty store."""
    values = {k: v for k, v in overrides.items() if v is not None}
    if data_dir is not None:
        values["data_dir"] = data_dir
    settings = Settings(**values)
    if not create and not settings.neo4j_uri and not settings.in_memory and not settings.data_dir.is_dir():
        raise InputError(
            f"no store at {settings.data_dir} (the folder does not exist); check --data-dir "
            "(or GRAPHSVC_DATA_DIR), or make a store with `graphsvc load FILE` or `graphsvc demo`"
        )
    return settings


@contextmanager
def opened_store(data_dir: Path | None) -> Iterator:
    """The store of ``settings_from(data_dir)``, open for the block and closed after it."""
    from graphsvc.store import open_store

    store = open_store(settings_from(data_dir))
    try:
        yield store
    finally:
        store.close()


def _fail(message: str) -> None:
    click.echo("error: " + " ".join(str(message).split()), err=True)
    sys.exit(1)


def clean_errors(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except GraphsvcError as e:
            _fail(e.detail)
        except OSError as e:  # a file the user named cannot be written or read
            where = f"{e.filename}: " if e.filename else ""
            _fail(f"{where}{e.strerror or e}")

    return wrapper


# The module that registers each command. A command's module is imported only when the
# command runs, so `graphsvc load` does not load the analysis, map and server libraries
# (`import graphsvc.cli` with every module took 174 MB and 1.3 s).
_COMMAND_MODULES = {
    "analyse": "analyse", "bridges": "suggest", "decisions": "decisions", "demo": "core",
    "evaluate-suggestions": "suggest", "export": "export", "fit-suggestions": "suggest",
    "imports": "imports", "info": "core", "load": "load", "serve": "core", "suggest": "suggest",
}


class _Group(click.Group):
    """The command group; a usage error (unknown option, bad value) is one line on
    stderr and exit status 1, like every other error. Commands are imported on first use."""

    def get_command(self, ctx, name):
        if name not in self.commands and name in _COMMAND_MODULES:
            importlib.import_module(f"graphsvc.cli.{_COMMAND_MODULES[name]}")
        return super().get_command(ctx, name)

    def list_commands(self, ctx):
        for module in sorted(set(_COMMAND_MODULES.values())):
            importlib.import_module(f"graphsvc.cli.{module}")
        return super().list_commands(ctx)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            return super().main(args, "graphsvc", complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as e:
            sys.exit(e.exit_code)
        except click.Abort:
            _fail("aborted")
        except click.exceptions.NoArgsIsHelpError as e:  # a group without a command: its help
            click.echo(e.ctx.get_help())
            sys.exit(0)
        except click.UsageError as e:
            command = e.ctx.command_path if e.ctx else "graphsvc"
            _fail(f"{command}: {e.format_message()} (see `{command} --help`)")
        except click.ClickException as e:
            _fail(e.format_message())
        except GraphsvcError as e:
            _fail(e.detail)


data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the embedded store [env GRAPHSVC_DATA_DIR; default ./graphsvc-data].",
)
host_option = click.option("--host", default=None, help="Address to bind [default 127.0.0.1].")
port_option = click.option("--port", type=int, default=None, help="Port [default 8000].")
scope_option = click.option(
    "--scope", type=click.Choice(["region", "all"]), default="region", show_default=True,
    help="Organisations listed and ranked: those placed in the region's 19 municipalities, or all "
    "(ties to organisations outside the region count either way).",
)


@click.group(cls=_Group)
@click.version_option(package_name="graphsvc")
def main() -> None:
    """graphsvc: load, analyse and map a cultural collaboration network."""


def progress_write(store, records, label: str):
    """Write ``records`` with a progress bar over all their rows."""
    with click.progressbar(length=records.total(), label=label, file=sys.stderr) as bar:
        return store.write(records, progress=lambda _step, n: bar.update(n))
