"""``graphsvc export``: maps, the gap heatmap, the graph and tables as files."""

from __future__ import annotations

from pathlib import Path

import click

from graphsvc.cli._common import clean_errors, data_dir_option, main, scope_option, settings_from
from graphsvc.exports import FORMATS, GAP_TABLES, SUBJECTS, TABLES
from graphsvc.errors import InputError

def _format_for(out: Path | None, fmt: str | None) -> str | None:
    """The format: --format, else the ending of --out; the folder of --out must exist and
    its ending must match the format."""
    if out is None:
        return fmt
    if not out.parent.is_dir():
        raise InputError(f"cannot write {out}: the folder {out.parent} does not exist; make it first, "
                         "or pass another --out")
    ending = out.suffix.lower().lstrip(".")
    if fmt is None:
        if ending not in FORMATS:
            raise InputError(f"--out {out}: cannot tell the format from {out.suffix or 'a name without an ending'!r}; "
                             f"end the name in one of .{', .'.join(FORMATS)}, or pass --format")
        return ending
    if ending != fmt:
        raise InputError(f"--out {out} ends in {out.suffix or '(nothing)'!r} but --format is {fmt}; "
                         f"name the file .{fmt}, or leave --format out")
    return fmt


@main.command()
@click.argument("what", type=click.Choice(SUBJECTS))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="File format [default: html for maps, png for heatmap, gexf for graph, "
              "xlsx for table].")
@click.option("--org", default=None, help="One organisation (id or exact name): its neighbourhood.")
@click.option("--depth", type=click.IntRange(1, 2), default=1, show_default=True,
              help="Steps out from --org.")
@click.option("--municipality", default=None,
              help="One municipality (code such as 751, or name): its organisations and their partners.")
@click.option("--level", type=click.Choice(["organisation", "municipality"]), default="organisation",
              show_default=True, help="map/geomap: organisations, or the 19 municipalities.")
@click.option("--color-by", type=click.Choice(["municipality", "kind", "community"]),
              default="municipality", show_default=True, help="Colour of the organisations.")
@click.option("--size-by", default="degree", show_default=True,
              help="Metric that sizes the organisations (degree, weighted_degree, betweenness, "
              "pagerank, eigenvector, closeness, harmonic, effective_size, …).")
@click.option("--table", "table_name", type=click.Choice(TABLES + GAP_TABLES), default=None,
              help="CSV: write only this table (default: all, one file each).")
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True,
              help="Language of titles, legends and labels; CSV: da uses ';' and decimal commas.")
@click.option("--title", default=None, help="Title instead of the standard one (long titles wrap).")
@click.option("--subtitle", default=None, help="Line under the title [default: the scope and years].")
@click.option("--source", default=None, help="Data-source line after 'Kilde:'/'Source:' instead of the "
              "data set's name and counts (a leading 'Kilde:' is not repeated).")
@click.option("--from", "year_from", type=click.IntRange(1900, 2100), default=None,
              help="First year of the projects counted.")
@click.option("--to", "year_to", type=click.IntRange(1900, 2100), default=None,
              help="Last year of the projects counted.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write; its ending sets the format when --format is not given "
              "[default: <what>[-<scope>].<format> here].")
@scope_option
@data_dir_option
@clean_errors
def export(what, fmt, org, depth, municipality, level, color_by, size_by, table_name, lang, title,
           subtitle, source, year_from, year_to, out, scope, data_dir) -> None:
    """Write a map, the gap heatmap, the graph or tables to a file.

    \b
    WHAT is one of:
      map      the network (interactive HTML, or PNG/SVG/PDF for slides)
      geomap   the organisations on the map of the municipalities
      heatmap  the 19 x 19 matrix of observed against expected ties (XLSX/CSV: the numbers)
      graph    the organisation graph for Gephi and other tools (GEXF, GraphML)
      table    nodes, edges and metrics (XLSX, CSV)
    """
    from graphsvc.exports import build_export
    from graphsvc.service import Service
    from graphsvc.store import open_store

    fmt = _format_for(out, fmt)
    settings = settings_from(data_dir)
    store = open_store(settings)
    try:
        files = build_export(
            Service(store, settings), what, fmt, org=org, depth=depth, municipality=municipality,
            level=level, color_by=color_by, size_by=size_by, table_name=table_name, lang=lang,
            title=title, subtitle=subtitle, source=source, scope=scope, year_from=year_from,
            year_to=year_to,
        )
    finally:
        store.close()
    for i, file in enumerate(files):
        path = out or Path(file.name)
        if out and len(files) > 1:  # several CSV tables: one file each beside --out
            path = out.with_name(f"{out.stem}-{file.name.rsplit('-', 1)[-1]}")
        path.write_bytes(file.data)
        click.echo(str(path))
