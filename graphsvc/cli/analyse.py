"""``graphsvc analyse``: centrality, isolated small actors, cross-municipal gaps,
communities, and the change between two windows of years."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from graphsvc.cli._common import clean_errors, data_dir_option, main, scope_option, settings_from
from graphsvc.errors import InputError

__all__ = ["analyse"]


def _params(settings, *, seed: int | None, lang: str | None, **overrides):
    from graphsvc.analysis.params import AnalysisParams

    params = getattr(settings, "analysis", None) or AnalysisParams()
    update = {k: v for k, v in {"seed": seed, "lang": lang, **overrides}.items() if v is not None}
    return params.model_copy(update=update) if update else params


def _window(start: int | None, end: int | None) -> tuple[int, int] | None:
    if start is None and end is None:
        return None
    start = 1900 if start is None else start
    end = 2100 if end is None else end
    if start > end:
        raise InputError(f"the year window {start}–{end} is empty: --from must not be after --to")
    return (start, end)


def _span(text: str, option: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{4})\s*[-–:]\s*(\d{4})\s*", text or "")
    if not match:
        raise InputError(f"{option} {text!r} is not a window of years; write it as 2018-2020")
    return _window(int(match[1]), int(match[2]))


@contextmanager
def _service(data_dir: Path | None, *, no_cache: bool = False, seed: int | None = None,
             lang: str | None = None, **overrides) -> Iterator:
    """The service over the store, with the command's parameters on top of the settings.

    It keeps the analyses' results on disk exactly as the running service does (same
    folder, same keys), so a command finds what another command or the service computed
    from the same data with the same parameters (docs/service.md, "Results kept on
    disk"); ``no_cache``: neither read nor keep them."""
    from graphsvc.service import Service
    from graphsvc.store import open_store

    settings = settings_from(data_dir)
    update = {"analysis": _params(settings, seed=seed, lang=lang, **overrides)}
    if no_cache:
        update["persist_results"] = False
    settings = settings.model_copy(update=update)
    store = open_store(settings)
    try:
        counts = store.counts()
        if counts["Actor"] + counts["Institution"] == 0:
            raise InputError(
                f"{settings.store_description()} holds no organisations, so there is nothing to "
                "analyse; load data first: `graphsvc load FILE …` (see docs/loading.md), or "
                "`graphsvc demo --no-serve` for the demo region"
            )
        yield Service(store, settings, one_shot=True)
    finally:
        store.close()


def _emit(result, *, as_json: bool, csv: Path | None, xlsx: Path | None, text) -> None:
    from graphsvc.analysis._results import dumps
    from graphsvc.analysis.export import write_csv, write_xlsx

    for path in (csv, xlsx):
        if path is not None and not Path(path).parent.exists():
            raise InputError(f"cannot write {path}: the folder {Path(path).parent} does not exist")
    if csv is not None:
        files = write_csv(result.tables(), csv)
        click.echo("Wrote " + ", ".join(str(f) for f in files), err=True)
    if xlsx is not None:
        click.echo(f"Wrote {write_xlsx(result.tables(), xlsx)}", err=True)
    if as_json:
        click.echo(dumps(result))
    elif csv is None and xlsx is None:
        click.echo(text(result))


def _output_options(f):
    f = click.option("--xlsx", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write every table to this Excel workbook.")(f)
    f = click.option("--csv", type=click.Path(dir_okay=False, path_type=Path),
                     help="Write the main table to FILE, the others beside it (FILE-<table>.csv).")(f)
    f = click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")(f)
    return f


def _window_options(f):
    f = click.option("--to", "end", type=int, help="Last year of the window.")(f)
    f = click.option("--from", "start", type=int, help="First year of the window.")(f)
    return f


def _common_options(f):
    f = click.option("--no-cache", is_flag=True,
                     help="Compute everything again: neither use nor keep the results kept on disk.")(f)
    f = click.option("--lang", type=click.Choice(["da", "en"]), help="Language of the reasons.")(f)
    f = click.option("--seed", type=int, help="Seed of every random choice [settings: 2026].")(f)
    f = click.option("--top", type=int, default=20, show_default=True, help="Rows shown as text.")(f)
    return f


def _header(result) -> str:
    years = f"{result.years[0]}–{result.years[1]}" if result.years else "all years"
    scope = getattr(result, "scope", None)
    where = {"region": ", the region's organisations", "all": ", all organisations"}.get(scope, "")
    return f"data version {result.data_version}, {years}{where}"


@main.group()
def analyse() -> None:
    """Centrality, isolated small actors, cross-municipal gaps and communities."""


@analyse.command("centrality")
@_window_options
@_output_options
@_common_options
@click.option("--by", help="Rank by this measure [settings: betweenness].")
@scope_option
@data_dir_option
@clean_errors
def centrality_command(start, end, as_json, csv, xlsx, lang, seed, top, no_cache, by, scope, data_dir) -> None:
    """Centrality and brokerage of every organisation, ranked."""
    from graphsvc.analysis.centrality import MEASURES

    if by is not None and by not in MEASURES:
        raise InputError(f"--by {by!r} is not a measure; choose one of {', '.join(MEASURES)}")
    window = _window(start, end)
    with _service(data_dir, no_cache=no_cache, seed=seed, lang=lang, rank_by=by) as service:
        result = service.centrality(window, scope=scope)

    def text(r):
        cols = ["rank", "name", "municipality", "degree", "betweenness", "municipalities_reached",
                "ties_outside_region", "constraint"]
        how = ("betweenness exact" if r.betweenness_method == "exact"
               else f"betweenness sampled from {r.sources} sources, seed {r.params.seed}")
        return f"{_header(r)}; {how}\n" + r.table[cols].head(top).to_string()

    _emit(result, as_json=as_json, csv=csv, xlsx=xlsx, text=text)


@analyse.command("isolated")
@_window_options
@_output_options
@_common_options
@scope_option
@data_dir_option
@clean_errors
def isolated_command(start, end, as_json, csv, xlsx, lang, seed, top, no_cache, scope, data_dir) -> None:
    """Isolated small actors, ranked, with their reasons."""
    window = _window(start, end)
    # the language is the result's own argument (as in the service), not a parameter
    with _service(data_dir, no_cache=no_cache, seed=seed) as service:
        result = service.isolated(window, lang=lang or service.settings.analysis.lang, scope=scope)

    def text(r):
        lines = [f"{_header(r)}; {len(r.table)} isolated of {r.considered_text('en')} considered"]
        for oid, row in r.table.head(top).iterrows():
            lines.append(f"{row['rank']:>4}. {row['name']} ({row['municipality']}) [{oid}] — "
                         f"{row['category_text']}; {row['size_text']}")
            lines.append("      " + "; ".join(row["reasons"]))
            if row["nearest_well_connected"]:
                lines.append("      → " + "; ".join(row["nearest_well_connected"]))
        return "\n".join(lines)

    _emit(result, as_json=as_json, csv=csv, xlsx=xlsx, text=text)


@analyse.command("gaps")
@_window_options
@_output_options
@_common_options
@click.option("--null-model", type=click.Choice(["gravity_distance", "gravity"]),
              help="Expected shared projects from each side's cross-border projects, with "
              "or without the distance between them.")
@scope_option
@data_dir_option
@clean_errors
def gaps_command(start, end, as_json, csv, xlsx, lang, seed, top, no_cache, null_model, scope, data_dir) -> None:
    """Municipality pairs with fewer ties than expected, and the E-I index."""
    window = _window(start, end)
    # the region's 19 municipalities, or (--scope all) every one with organisations
    with _service(data_dir, no_cache=no_cache, seed=seed, lang=lang, null_model=null_model) as service:
        result = service.gaps(window, scope=scope)

    def text(r):
        s = r.summary()
        lines = [f"{_header(r)}; null model {s['null_model']}; of {s['pairs']} pairs "
                 f"{s['pairs_lacking']} lack ties, {s['pairs_ok']} ok, "
                 f"{s['pairs_too_little_data']} too little data; {s['pairs_without_ties']} have "
                 f"no shared project (FDR {s['fdr']}, {s['bootstrap_replicates']} bootstrap "
                 f"replicates, seed {s['seed']})"]
        for _, row in r.pairs.head(top).iterrows():
            lines.append(f"  [{row['state_name']}] {row['name_a']}–{row['name_b']}: " + "; ".join(row["reasons"]))
        cols = ["name", "organisations", "share_with_outside_tie", "ei", "ei_expected", "p_value",
                "q_value", "inward"]
        return "\n".join(lines) + "\n\n" + r.ei[cols].to_string()

    _emit(result, as_json=as_json, csv=csv, xlsx=xlsx, text=text)


@analyse.command("communities")
@_window_options
@_output_options
@_common_options
@click.option("--resolution", type=float, help="Modularity resolution of the communities [settings: 1.0].")
@scope_option
@data_dir_option
@clean_errors
def communities_command(start, end, as_json, csv, xlsx, lang, seed, top, no_cache, resolution, scope,
                        data_dir) -> None:
    """Communities (Leiden) and the municipalities each spans."""
    if resolution is not None and resolution <= 0:
        raise InputError(f"--resolution must be above 0, not {resolution}")
    window = _window(start, end)
    with _service(data_dir, no_cache=no_cache, seed=seed, lang=lang) as service:
        result = service.communities(window, resolution=resolution, scope=scope)

    def text(r):
        s = r.summary()
        head = (f"{_header(r)}; {s['communities_of_two_or_more']} communities of two or more, "
                f"modularity {s['modularity']:.3f}")
        cols = ["size", "municipalities_spanned", "largest_municipality_share", "largest_organisations"]
        return head + "\n" + r.table[cols].head(top).to_string()

    _emit(result, as_json=as_json, csv=csv, xlsx=xlsx, text=text)


@analyse.command("compare")
@click.option("--before", required=True, help="The earlier window, e.g. 2018-2020.")
@click.option("--after", required=True, help="The later window, e.g. 2022-2024.")
@_output_options
@_common_options
@scope_option
@data_dir_option
@clean_errors
def compare_command(before, after, as_json, csv, xlsx, lang, seed, top, no_cache, scope, data_dir) -> None:
    """What changed between two windows: cross-border ties, isolation, gaps."""
    w_before, w_after = _span(before, "--before"), _span(after, "--after")
    with _service(data_dir, no_cache=no_cache, seed=seed, lang=lang) as service:
        result = service.compare(w_before, w_after, scope=scope)

    def text(r):
        s = r.summary()
        lines = [f"{before} → {after} (data version {r.data_version})"]
        lines += [f"  {k.replace('_', ' ')}: {v}" for k, v in s.items() if k not in ("before", "after")]
        for _, row in r.gaps_closed.head(top).iterrows():
            lines.append(f"  gap closed: {row['name_a']}–{row['name_b']} "
                         f"({row['observed_before']} → {row['observed_after']} ties)")
        return "\n".join(lines)

    _emit(result, as_json=as_json, csv=csv, xlsx=xlsx, text=text)
