"""Maps (self-contained HTML) and exports (PNG, SVG, PDF, GEXF, GraphML, XLSX, CSV); each
takes ``scope=region|all`` (default region, see ``graphsvc.exports``)."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response

from graphsvc.api.deps import ServiceDep
from graphsvc.api.imports import safe_filename
from graphsvc.analysis.scope import check_scope
from graphsvc.api.models import ScopeQuery, errors
from graphsvc.exports import ExportFile, build_export

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["maps and exports"], responses=errors(404, 422, 503))

Lang = Annotated[Literal["da", "en"], Query(description="Language of titles, legends and labels.")]
ColorBy = Annotated[Literal["municipality", "kind", "community"], Query()]
SizeBy = Annotated[str, Query(max_length=40, description="Metric that sizes the organisations.")]
Depth = Annotated[int, Query(ge=1, le=2, description="Steps out from the organisation.")]
# years arrive as text: an empty field of the export form sends "from=" (no window)
YearFrom = Annotated[str | None, Query(alias="from", pattern=r"^\s*\d{0,4}\s*$",
                                       description="First year of the projects counted (1900–2100).")]
YearTo = Annotated[str | None, Query(alias="to", pattern=r"^\s*\d{0,4}\s*$",
                                     description="Last year of the projects counted (1900–2100).")]


def _year(value: str | None) -> int | None:
    """A year field: empty means none.

    >>> _year(" 2014 "), _year(""), _year(None)
    (2014, None, None)
    """
    return int(value) if value and value.strip() else None
Title = Annotated[str | None, Query(max_length=300, description="Title of the slide instead of the standard one.")]
Subtitle = Annotated[str | None, Query(max_length=300, description="Line under the title (default: scope and years).")]
Source = Annotated[str | None, Query(max_length=500, description="Source line after \"Kilde:\" (default: the data set's "
                                     "name and counts).")]
What = Literal["map", "geomap", "heatmap", "graph", "table"]
Format = Literal["html", "png", "svg", "pdf", "gexf", "graphml", "xlsx", "csv"]


_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def content_disposition(name: str, *, inline: bool = False) -> str:
    """The Content-Disposition of a file called ``name`` (made safe).

    Header values are Latin-1 only and browsers read non-ASCII ``filename`` differently,
    so a name beyond ASCII goes as ``filename*`` in UTF-8 (RFC 6266) with an ASCII
    ``filename`` for old clients: an organisation id like "a-łódź" must not break the
    response.

    >>> print(content_disposition("tabel-æøå.csv"))
    attachment; filename="tabel-aeoeaa.csv"; filename*=UTF-8''tabel-%C3%A6%C3%B8%C3%A5.csv
    """
    name = safe_filename(name)
    fallback = unicodedata.normalize("NFKD", name.translate(_ASCII))
    fallback = "".join(c if c.isascii() else "_" for c in fallback if not unicodedata.combining(c))
    kind = "inline" if inline else "attachment"
    if fallback == name:
        return f'{kind}; filename="{name}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _file(files: list[ExportFile], *, inline: bool = False) -> Response:
    if len(files) == 1:
        file = files[0]
        return Response(file.data, media_type=file.media_type,
                        headers={"Content-Disposition": content_disposition(file.name, inline=inline)})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            archive.writestr(safe_filename(file.name), file.data)
    name = files[0].name.rsplit("-", 1)[0] + ".zip"
    return Response(buffer.getvalue(), media_type="application/zip",
                    headers={"Content-Disposition": content_disposition(name)})


@router.get("/maps/network.html", response_class=Response)
def network_map(service: ServiceDep, lang: Lang = "da", color_by: ColorBy = "municipality",
                size_by: SizeBy = "degree", geographic: bool = False, scope: ScopeQuery = "region",
                year_from: YearFrom = None, year_to: YearTo = None) -> Response:
    """The whole network as an interactive map (one self-contained HTML file); above
    ``maps.overview_threshold`` organisations it opens on the municipalities."""
    what = "geomap" if geographic else "map"
    return _file(build_export(service, what, "html", lang=lang, color_by=color_by, size_by=size_by,
                              scope=check_scope(scope), year_from=_year(year_from), year_to=_year(year_to)), inline=True)


@router.get("/maps/municipalities.html", response_class=Response)
def municipalities_map(service: ServiceDep, lang: Lang = "da", scope: ScopeQuery = "region",
                       year_from: YearFrom = None, year_to: YearTo = None) -> Response:
    """The 19 municipalities, edge width by ties, the most lacking pairs marked."""
    return _file(build_export(service, "map", "html", lang=lang, level="municipality",
                              scope=check_scope(scope), year_from=_year(year_from), year_to=_year(year_to)), inline=True)


@router.get("/maps/organisation/{org_id}.html", response_class=Response)
def organisation_map(org_id: str, service: ServiceDep, lang: Lang = "da", depth: Depth = 1,
                     color_by: ColorBy = "municipality", size_by: SizeBy = "degree",
                     geographic: bool = False, scope: ScopeQuery = "region") -> Response:
    """One organisation's neighbourhood (1 or 2 steps) as an interactive map."""
    scope = check_scope(scope)
    service.organisation(org_id)
    what = "geomap" if geographic else "map"
    return _file(build_export(service, what, "html", org=org_id, depth=depth, lang=lang,
                              color_by=color_by, size_by=size_by, scope=scope), inline=True)


@router.get("/maps/municipality/{code}.html", response_class=Response)
def municipality_map(code: str, service: ServiceDep, lang: Lang = "da",
                     color_by: ColorBy = "municipality", size_by: SizeBy = "degree",
                     geographic: bool = False, scope: ScopeQuery = "region") -> Response:
    """One municipality's organisations and their partners as an interactive map."""
    scope = check_scope(scope)
    service.municipality(code)
    what = "geomap" if geographic else "map"
    return _file(build_export(service, what, "html", municipality=code, lang=lang,
                              color_by=color_by, size_by=size_by, scope=scope), inline=True)


@router.get("/exports/{what}.{fmt}", response_class=Response)
def export(
    what: What,
    fmt: Format,
    service: ServiceDep,
    lang: Lang = "da",
    org: Annotated[str | None, Query(max_length=200, description="Organisation id: its neighbourhood.")] = None,
    depth: Depth = 1,
    municipality: Annotated[str | None, Query(pattern=r"^\d{3}$")] = None,
    level: Literal["organisation", "municipality"] = "organisation",
    color_by: ColorBy = "municipality",
    size_by: SizeBy = "degree",
    table: Annotated[str | None, Query(max_length=20, description="CSV: only this table.")] = None,
    scope: ScopeQuery = "region",
    year_from: YearFrom = None,
    year_to: YearTo = None,
    title: Title = None,
    subtitle: Subtitle = None,
    source: Source = None,
) -> Response:
    """A map, the gap heatmap, the graph or tables as a file to download (several CSV tables
    come as a ZIP). ``title``, ``subtitle``, ``source``, ``scope``, ``from``, ``to`` and
    ``lang`` are the fields of the export page's form."""
    scope = check_scope(scope)
    if org is not None:
        service.organisation(org)
    files = build_export(service, what, fmt, org=org, depth=depth, municipality=municipality,
                         level=level, color_by=color_by, size_by=size_by, table_name=table, lang=lang,
                         scope=scope, year_from=_year(year_from), year_to=_year(year_to), title=title,
                         subtitle=subtitle, source=source)
    return _file(files, inline=fmt in ("png", "svg", "html"))
