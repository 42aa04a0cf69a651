"""Commands to run the service: demo, serve, info."""

from __future__ import annotations

import json
from pathlib import Path

import click

from graphsvc.cli._common import (
    DEMO_SIZES,
    clean_errors,
    data_dir_option,
    host_option,
    main,
    opened_store,
    port_option,
    progress_write,
    settings_from,
)
from graphsvc.errors import InputError
from graphsvc.settings import Settings


def _check_port(settings: Settings) -> None:
    """Refuse a port another process listens on, before anything starts (else the server
    stops at its first step while the background warm-up still runs: exit 134)."""
    import socket

    try:
        infos = socket.getaddrinfo(settings.host, settings.port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise InputError(f"cannot listen on {settings.host!r}: {e.strerror}; pass --host 127.0.0.1") from e
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as e:
            raise InputError(
                f"port {settings.port} on {settings.host} is in use ({e.strerror}): is graphsvc already "
                "running there? Stop it, or pass another --port"
            ) from e


def _serve(settings: Settings) -> None:
    import uvicorn

    from graphsvc.app import create_app

    _check_port(settings)
    click.echo(f"graphsvc on http://{settings.host}:{settings.port}  ({settings.store_description()})")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")


@main.command()
@click.option("--size", type=click.Choice(DEMO_SIZES), default=None,
              help="demo: the demo region (~1,500 organisations, the default); S, M, L: benchmark "
              "sizes. Only for a new store: with a store that holds data, pass --data-dir.")
@click.option("--seed", type=int, default=2026, show_default=True, help="Seed of the generator.")
@click.option("--no-serve", is_flag=True, help="Build the demo store and stop.")
@data_dir_option
@host_option
@port_option
@clean_errors
def demo(size: str | None, seed: int, no_serve: bool, data_dir: Path | None, host, port) -> None:
    """Build the demo store if it is missing, then serve it."""
    from graphsvc.demo import generate
    from graphsvc.store import open_store

    settings = settings_from(data_dir, create=True, host=host, port=port)
    if not no_serve:
        _check_port(settings)
    store = open_store(settings)
    try:
        counts = store.counts()
        if size is not None and counts["Actor"] + counts["Institution"] > 0:
            raise InputError(
                f"{settings.store_description()} already holds data, so --size {size} would not be "
                "used; pass --data-dir with a new folder to build that size, or leave --size out "
                "to serve this store"
            )
        size = size or "demo"
        if counts["Actor"] + counts["Institution"] == 0:
            what = "the demo region" if size == "demo" else f"the {size} benchmark network"
            click.echo(f"Generating {what} (seed {seed}) …", err=True)
            progress_write(store, generate(size, seed=seed), "Loading")
            counts = store.counts()
        else:
            click.echo(
                f"{settings.store_description()} already holds data; using it "
                "(pass --data-dir for a fresh store)",
                err=True,
            )
        click.echo(_counts_text(counts))
    finally:
        store.close()
    if not no_serve:
        _serve(settings)


@main.command()
@data_dir_option
@host_option
@port_option
@clean_errors
def serve(data_dir: Path | None, host, port) -> None:
    """Serve the JSON API and the pages (a missing store folder is made: load data on the
    import page)."""
    _serve(settings_from(data_dir, create=True, host=host, port=port))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON: {store, counts}.")
@data_dir_option
@clean_errors
def info(as_json: bool, data_dir: Path | None) -> None:
    """Counts of every node label and relationship type."""
    with opened_store(data_dir) as store:
        payload = store.info()
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(payload["store"])
        click.echo(_counts_text(payload["counts"]))


def _counts_text(counts: dict[str, int]) -> str:
    width = max(map(len, counts))
    return "\n".join(f"{k:<{width}}  {v:>9,}" for k, v in counts.items())
