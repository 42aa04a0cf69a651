"""Maps, the gap heatmap, the graph and tables as files: one function for the CLI
(``graphsvc export``) and the API (``/api/maps``, ``/api/exports``).

The analyses come from the ``Service``, so they are cached per store version.

Every export takes a ``scope`` ("region", the default, or "all"): the network map, the
graph files and the tables hold the organisations in scope only; a neighbourhood or
municipality map also draws partners outside the region, labelled as such; the heatmap
and the municipality map show the municipalities of the scope.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from graphsvc.analysis.projection import project_in_window
from graphsvc.analysis.scope import DEFAULT_SCOPE, Scope, check_scope, scope_subgraph
from graphsvc.errors import InputError, NotFound
from graphsvc.service import Service, Years, check_years

__all__ = ["ExportFile", "clean_source", "dataset_name", "ALLOWED", "SUBJECTS", "FORMATS", "TABLES", "GAP_TABLES",
           "MEDIA_TYPES", "build_export", "find_organisation", "find_municipality"]

SUBJECTS = ("map", "geomap", "heatmap", "graph", "table")
FORMATS = ("html", "png", "svg", "pdf", "gexf", "graphml", "xlsx", "csv")
ALLOWED = {
    "map": ("html", "png", "svg", "pdf"),
    "geomap": ("html", "png", "svg", "pdf"),
    "heatmap": ("png", "svg", "pdf", "xlsx", "csv"),
    "graph": ("gexf", "graphml"),
    "table": ("xlsx", "csv"),
}
TABLES = ("nodes", "edges", "metrics")
GAP_TABLES = ("pairs", "observed", "expected", "ratio", "residual")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "gexf": "application/gexf+xml",
    "graphml": "application/graphml+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
_WORDS = {"da": (("organisation", "organisationer"), ("projekt", "projekter")),
          "en": (("organisation", "organisations"), ("project", "projects"))}
_NULL_MODEL = {"da": "Forventet: nulmodellen “{model}” (se docs/analysis.md)",
               "en": "Expected: the “{model}” null model (see docs/analysis.md)"}
# a source given with its own "Kilde:" would read "Kilde: Kilde: …" on the slide
_SOURCE_PREFIX = re.compile(r"^\s*(kilde|source|kilder|sources)\s*:\s*", re.IGNORECASE)


def clean_source(given: str | None) -> str | None:
    """A source line given by a user, without a leading "Kilde:"/"Source:" (the slide
    adds its own) and with runs of white space made one space.

    >>> clean_source("Kilde: Kilde: EU-strukturfondene  2007–2020"), clean_source("  ")
    ('EU-strukturfondene 2007–2020', None)
    """
    if given is None:
        return None
    text = " ".join(given.split())
    while _SOURCE_PREFIX.match(text):
        text = _SOURCE_PREFIX.sub("", text, count=1)
    return text or None


def dataset_name(service: Service) -> str:
    """The name of the data set for the source line: the setting ``maps.dataset_name``,
    else the names of the imported files (of the imports that can be undone, newest
    first, at most three), else "graphsvc". Never a folder path."""
    named = clean_source(service.settings.maps.dataset_name)
    if named:
        return named
    try:
        imports = service.store.list_imports()
    except Exception:  # a store that keeps no history: no file names to tell
        imports = []
    files: list[str] = []
    for entry in reversed(imports):
        for name in entry.get("files") or ():
            base = PurePath(str(name).replace("\\", "/")).name
            if base and base not in files:
                files.append(base)
    if not files:
        return "graphsvc"
    return ", ".join(files[:3]) + (f" + {len(files) - 3}" if len(files) > 3 else "")


@dataclass(frozen=True)
class ExportFile:
    name: str
    data: bytes

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.name.rsplit(".", 1)[-1]]


def find_organisation(service: Service, given: str) -> str:
    """The id of the organisation ``given`` by id or exact name (any case)."""
    G = service.graph()
    if given in G:
        return given
    wanted = given.strip().casefold()
    exact = sorted(v for v, name in G.nodes(data="name") if (name or "").casefold() == wanted)
    if len(exact) == 1:
        return exact[0]
    if exact:
        raise NotFound(f"{len(exact)} organisations are named {given!r} ({', '.join(exact)}); give the id")
    near = sorted((name, v) for v, name in G.nodes(data="name") if wanted in (name or "").casefold())[:5]
    hint = "; did you mean " + ", ".join(f"{n} ({v})" for n, v in near) if near else ""
    raise NotFound(f"no organisation with id or name {given!r}{hint}")


def find_municipality(service: Service, given: str) -> str:
    """The code of the municipality ``given`` by code or name (any case)."""
    names = {code: m["name"] for code, m in service.municipalities().items()}
    if given in names:
        return given
    by_name = {name.casefold(): code for code, name in names.items()}
    if given.strip().casefold() in by_name:
        return by_name[given.strip().casefold()]
    raise NotFound(f"no municipality {given!r}; use a code or name: "
                   + ", ".join(f"{c} {n}" for c, n in sorted(names.items())))


class _Analyses:
    """What the drawings need from the service's (cached) analyses, in one language,
    for one scope and year window."""

    def __init__(self, service: Service, lang: str, scope: Scope = DEFAULT_SCOPE, years: Years = None):
        self.service, self.lang, self.scope, self.years = service, lang, check_scope(scope), years
        self.G = service.graph(years)  # the whole graph: neighbourhoods reach outside the scope
        self.scoped = scope_subgraph(self.G, self.scope)
        self.names = service.municipality_names()

    def source(self, given: str | None) -> str:
        """The source line after "Kilde:": the given text, or the data set's name with
        the counts of organisations in scope and projects."""
        given = clean_source(given)
        if given:
            return given
        sep = "." if self.lang == "da" else ","
        projects = self.service.data().projects
        if self.years:
            projects = [p for p in projects if project_in_window(p, self.years)]
        counts = (self.scoped.number_of_nodes(), len(projects))
        parts = [f"{n:,}".replace(",", sep) + " " + words[n != 1] for n, words in zip(counts, _WORDS[self.lang])]
        return f"{dataset_name(self.service)}: " + ", ".join(parts)

    def subtitle(self, given: str | None) -> str:
        """The line under the title: the given text, else the scope and the year window."""
        from visualizations.text import t

        if given is not None and given.strip():
            return " ".join(given.split())
        parts = [t(self.lang, f"scope.{self.scope}")]
        if self.years:
            parts.append(t(self.lang, "years", start=self.years[0], end=self.years[1]))
        return " · ".join(parts)

    def isolated(self) -> dict[str, list[str]]:
        result = self.service.isolated(self.years, lang=self.lang, scope=self.scope)
        reasons = result.reasons_in(self.lang)
        return {str(i): list(reasons.loc[i]) for i in result.table.index}

    def gaps(self):
        return self.service.gaps(self.years, scope=self.scope)

    def marked(self, top: int) -> dict[str, Any]:
        """The options that mark the ``top`` most lacking pairs on a map."""
        pairs = self.gaps().lacking()
        lacking = list(zip(pairs["code_a"].astype(str), pairs["code_b"].astype(str)))
        return {"lacking": lacking[:top], "lacking_total": len(lacking)}

    def all(self) -> dict[str, Any]:
        return {"metrics": self.service.centrality(self.years, scope=self.scope).table,
                "membership": self.service.communities(self.years, scope=self.scope).membership,
                "isolated": self.isolated(), "municipality_names": self.names}


def build_export(
    service: Service,
    what: str,
    fmt: str | None = None,
    *,
    org: str | None = None,
    depth: int = 1,
    municipality: str | None = None,
    level: str = "organisation",
    color_by: str = "municipality",
    size_by: str = "degree",
    table_name: str | None = None,
    lang: str = "da",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    scope: Scope = DEFAULT_SCOPE,
    year_from: int | None = None,
    year_to: int | None = None,
) -> list[ExportFile]:
    """The files of one export (several for CSV of several tables), for the organisations
    in ``scope`` and the projects of the years ``year_from``–``year_to`` (either may be
    left out). ``title``, ``subtitle`` and ``source`` replace the standard texts of a
    slide (the source after "Kilde:"/"Source:", which is not repeated when given)."""
    if what not in ALLOWED:
        raise InputError(f"cannot export {what!r}; choose one of {', '.join(SUBJECTS)}")
    fmt = fmt or ALLOWED[what][0]
    if fmt not in ALLOWED[what]:
        raise InputError(f"cannot export {what} as {fmt}; use the format " + " or ".join(ALLOWED[what]))
    if org and municipality:
        raise InputError("give either an organisation or a municipality, not both")
    if level == "municipality" and (org or municipality):
        raise InputError("the municipality level draws all 19 municipalities; leave out the "
                         "organisation and the municipality")
    if table_name and not (fmt == "csv" or what in ("table", "heatmap")):
        raise InputError("a table name only applies to table and heatmap exports")
    job = _Analyses(service, lang, scope, check_years(year_from, year_to))
    if job.G.number_of_nodes() == 0:
        raise InputError(f"{service.store.description} holds no organisations; load data with "
                         "`graphsvc load FILES` or build the demo with `graphsvc demo --no-serve`")
    org_id = find_organisation(service, org) if org else None
    code = find_municipality(service, municipality) if municipality else None
    part = f"-{org_id}" if org_id else f"-{code}" if code else "-kommuner" if level == "municipality" else ""
    stem = f"{what}{part}" + ("-alle" if job.scope == "all" else "") + (
        f"-{job.years[0]}-{job.years[1]}" if job.years else "")
    settings = service.settings.maps
    common = {"lang": lang, "source": job.source(source), "date": dt.date.today()}
    title = " ".join(title.split()) if title and title.strip() else None
    subtitle = job.subtitle(subtitle)
    if what in ("map", "geomap"):
        data = _map(job, what, fmt, org_id=org_id, depth=depth, code=code, level=level,
                    color_by=color_by, size_by=size_by, title=title, subtitle=subtitle, common=common,
                    settings=settings)
        return [ExportFile(f"{stem}.{fmt}", data)]
    if what == "heatmap":
        return _heatmap(job, fmt, stem, table_name=table_name, title=title, subtitle=subtitle,
                        common=common, settings=settings)
    from visualizations import exports
    from visualizations.views import municipality_subgraph, neighbourhood

    G = (neighbourhood(job.G, org_id, depth=depth) if org_id
         else municipality_subgraph(job.G, code) if code else job.G)
    G = scope_subgraph(G, job.scope)  # files and tables: the scope's organisations only
    if what == "graph":
        H = exports.export_graph(G, viz=fmt == "gexf", seed=settings.seed, **job.all())
        return [ExportFile(f"{stem}.{fmt}", exports.graph_bytes(H, fmt))]
    return _tables(exports.tables(G, **job.all()), fmt, stem, table_name, lang, job.names)


def _tables(tables: dict, fmt: str, stem: str, table_name: str | None, lang: str,
            names: dict[str, str]) -> list[ExportFile]:
    from visualizations import exports
    from visualizations.sheets import readable_tables

    if fmt == "xlsx":  # for people: headers in words, names, rounded values
        sheets = readable_tables(tables, lang, municipality_names=names)
        return [ExportFile(f"{stem}.xlsx", exports.xlsx_bytes(sheets))]
    if table_name:
        if table_name not in tables:
            raise InputError(f"no table {table_name!r} here; use one of: {', '.join(tables)}")
        return [ExportFile(f"{stem}-{table_name}.csv", exports.csv_bytes(tables[table_name], lang=lang))]
    return [ExportFile(f"{stem}-{name}.csv", exports.csv_bytes(df, lang=lang)) for name, df in tables.items()]


def _map(job: _Analyses, what, fmt, *, org_id, depth, code, level, color_by, size_by, title,
         subtitle, common, settings) -> bytes:
    from visualizations import maps
    from visualizations.html import render_html
    from visualizations.static import figure_bytes, map_figure

    geographic = what == "geomap"
    if level == "municipality":
        view = maps.municipality_level_map(job.scoped, expected=job.gaps().expected,
                                           municipality_names=job.names,
                                           **job.marked(settings.lacking_top), **common)
    else:
        options = {**job.all(), "color_by": color_by, "size_by": size_by, "settings": settings, **common}
        if org_id:
            view = maps.organisation_map(job.G, org_id, depth=depth, geographic=geographic, **options)
        elif code:
            view = maps.municipality_map(job.G, code, geographic=geographic, **options)
        else:
            interactive = fmt == "html"
            big = interactive and (job.scoped.number_of_nodes() > settings.overview_threshold
                                   or job.scoped.number_of_edges() > settings.overview_max_edges)
            extra = ({"expected": job.gaps().expected, **job.marked(settings.lacking_top)}
                     if big else {})
            view = maps.network_map(job.scoped, geographic=geographic, interactive=interactive,
                                    **extra, **options)
    if title:
        view.title = title
    view.subtitle = subtitle
    if fmt == "html":
        return render_html(view, settings=settings).encode("utf-8")
    return figure_bytes(map_figure(view, settings=settings), fmt, settings=settings)


def _heatmap(job: _Analyses, fmt, stem: str, *, table_name, title, subtitle, common,
             settings) -> list[ExportFile]:
    from visualizations.heatmap import gap_heatmap
    from visualizations.static import figure_bytes

    gaps = job.gaps()
    if fmt in ("png", "svg", "pdf"):
        note = _NULL_MODEL[job.lang].format(model=gaps.params.null_model)
        fig = gap_heatmap(gaps.ratio, observed=gaps.observed, state=gaps.state, municipality_names=job.names,
                          note=note, title=title, subtitle=subtitle, settings=settings,
                          **job.marked(settings.lacking_top), **common)
        return [ExportFile(f"{stem}.{fmt}", figure_bytes(fig, fmt, settings=settings))]
    tables = {"pairs": gaps.pairs.map(_flat_cell),
              **{name: getattr(gaps, name).reset_index() for name in GAP_TABLES[1:]}}
    return _tables(tables, fmt, stem, table_name, job.lang, job.names)


def _flat_cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return value
