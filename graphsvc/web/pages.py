"""The pages: dashboard, organisations, an organisation, a municipality, a pair of
municipalities, how the numbers are computed (``/metode``), import, export, errors.

The dashboard, the lists, the maps and the export page take ``scope=region|all`` (default
region); the page shows a selector for it, and its links carry it on (``scope_q``). The
dashboard and the organisation list also take ``from``, ``to``, ``municipality``, ``kind``,
``art_form`` and ``size`` (a filtered view is a link). Every link is relative to the site
(no host), and no page shows a server path.
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from graphsvc.analysis.scope import DEFAULT_SCOPE, REGION_CODES, check_scope, scope_nodes
from graphsvc.api.deps import ServiceDep
from graphsvc.api.models import ScopeQuery
from graphsvc.errors import InputError, NotFound
from graphsvc.page_filters import OrgFilter, check_size, check_sort, options
from graphsvc.service import Years, check_years
from graphsvc.web.i18n import LANGUAGES, translator

__all__ = ["mount", "router", "wants_page", "error_page"]

_HERE = resources.files("graphsvc.web")
templates = Jinja2Templates(directory=str(_HERE / "templates"))


def number(value: Any, decimals: int = 0, lang: str = "da") -> str:
    """``value`` with thousands separators and decimals as the language writes them."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "da" else text


templates.env.filters["number"] = number
router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "da"
    return lang if lang in LANGUAGES else "da"


def _scope_links(request: Request, scope: str) -> dict[str, Any]:
    """The scope of a page and what its links need to keep it: ``scope_q`` (``&scope=all``,
    empty for the default) and the page's own address in each scope (``scope_urls``)."""
    path = "/" + request.url.path.lstrip("/\\")
    kept = {k: v for k, v in request.query_params.items() if v and k not in ("scope", "offset")}
    urls = {s: f"{path}?{urlencode(kept | {'scope': s})}" for s in ("region", "all")}
    return {"scope": scope, "scope_q": "" if scope == DEFAULT_SCOPE else f"&scope={scope}", "scope_urls": urls}


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    lang = _lang(request)
    other = "en" if lang == "da" else "da"
    context = _scope_links(request, context.pop("scope", None) or DEFAULT_SCOPE) | context
    params = {k: v for k, v in request.query_params.items() if v} | {"lang": other}
    response = templates.TemplateResponse(
        request,
        template,
        {
            "lang": lang,
            "t": translator(lang),
            "other_lang": other,
            # one leading slash: "//host/" or "/\\host/" would be a link to another site
            "other_lang_url": "/" + request.url.path.lstrip("/\\") + f"?{urlencode(params)}",
            **context,
        },
    )
    response.set_cookie("lang", lang, samesite="lax")
    return response


# years as text: an empty form field ("from=") means no bound, not an error
From = Annotated[str | None, Query(alias="from", max_length=4)]
To = Annotated[str | None, Query(alias="to", max_length=4)]
Code = Annotated[str | None, Query(pattern=r"^(\d{3})?$")]
Text = Annotated[str | None, Query(max_length=200)]
PAGE = 25  # rows of a long list shown at a time (partners, projects)


def _year(text: str | None, name: str) -> int | None:
    if not text:
        return None
    if not text.isdigit() or not 1900 <= int(text) <= 2100:
        raise InputError(f"{'fra' if name == 'from' else 'til'} år {text!r} er ikke et år mellem 1900 og 2100; "
                         "skriv fx 2018 / "
                         f"{name}={text!r} is not a year between 1900 and 2100; write e.g. 2018")
    return int(text)


def _years(start_text: str | None, end_text: str | None) -> Years:
    start, end = _year(start_text, "from"), _year(end_text, "to")
    if start is not None and end is not None and start > end:
        raise InputError(f"årene {start}–{end} er et tomt interval: 'fra' må ikke ligge efter 'til' / "
                         f"the years {start}–{end} are an empty window: 'from' must not be after 'to'")
    return check_years(start, end)


def _filter_context(request: Request, service, scope: str, years: Years, filters: OrgFilter) -> dict[str, Any]:
    """What the filter form and the links need: the values, the choices and ``years_q``
    (the year window to carry on in links)."""
    names = service.municipality_names()
    codes = [c for c in service.municipalities() if scope == "all" or c in REGION_CODES]
    kept = {k: v for k, v in (("from", years and request.query_params.get("from")),
                              ("to", years and request.query_params.get("to"))) if v}
    return {
        "filters": filters,
        "years": years,
        "year_from": request.query_params.get("from") or "",
        "year_to": request.query_params.get("to") or "",
        "municipality_choices": sorted(((c, names.get(c, c)) for c in codes), key=lambda x: x[1].casefold()),
        "years_q": ("&" + urlencode(kept)) if kept else "",
    }


@router.get("/")
def dashboard(request: Request, service: ServiceDep, scope: ScopeQuery = "region", start: From = None,
              end: To = None, municipality: Code = None, kind: Text = None, art_form: Text = None,
              size: Text = None):
    scope = check_scope(scope)
    years = _years(start, end)
    filters = OrgFilter(municipality=municipality or None, kind=kind or None, art_form=art_form or None,
                        size=check_size(size))
    data = service.dashboard(_lang(request), scope, years=years, filters=filters)
    return render(request, "dashboard.html", **data, **_filter_context(request, service, scope, years, filters))


@router.get("/metode")
def method_page(request: Request, service: ServiceDep):
    """How each number is computed, for a strategist (docs/analysis.md in plain words)."""
    return render(request, "method.html", params=service.settings.analysis)


@router.get("/organisations")
def organisations(
    request: Request,
    service: ServiceDep,
    q: Text = None,
    municipality: Code = None,
    kind: Text = None,
    art_form: Text = None,
    size: Text = None,
    start: From = None,
    end: To = None,
    sort: Annotated[str | None, Query(max_length=20)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    scope: ScopeQuery = "region",
):
    limit = 50
    scope = check_scope(scope)
    years = _years(start, end)
    filters = OrgFilter(municipality=municipality or None, kind=kind or None, art_form=art_form or None,
                        size=check_size(size))
    sort = check_sort(sort)
    rows = service.search_organisations(q=q, municipality=filters.municipality, kind=filters.kind,
                                        art_form=filters.art_form, size=filters.size, years=years,
                                        sort=sort, scope=scope, lang=_lang(request))

    def page_url(new_offset: int) -> str:
        return "/organisations?" + urlencode(dict(request.query_params) | {"offset": new_offset})

    def sort_url(key: str) -> str:
        new = f"-{key}" if sort == key else key
        kept = {k: v for k, v in request.query_params.items() if k not in ("sort", "offset")}
        return "/organisations?" + urlencode(kept | {"sort": new})

    G = service.graph()
    return render(
        request,
        "organisations.html",
        q=q,
        rows=rows[offset : offset + limit],
        count=len(rows),
        offset=offset,
        limit=limit,
        page_url=page_url,
        sort=sort,
        sort_url=sort_url,
        municipalities=service.municipalities(),
        options=options(G.nodes[n] for n in scope_nodes(G, scope)),
        export_q=urlencode({k: v for k, v in (("municipality", filters.municipality),) if v}),
        scope=scope,
        **_filter_context(request, service, scope, years, filters),
    )


@router.get("/organisations/{org_id}")
def organisation(
    request: Request, org_id: str, service: ServiceDep, scope: ScopeQuery = "region",
    partners_offset: Annotated[int, Query(ge=0)] = 0, projects_offset: Annotated[int, Query(ge=0)] = 0,
):
    scope = check_scope(scope)
    if org_id not in service.organisations():
        raise NotFound(f"der findes ingen organisation med id {org_id!r}; søg efter den på siden "
                       f"Organisationer / no organisation with id {org_id!r}; search for it on the "
                       "Organisations page")
    data = service.organisation_page(org_id, lang=_lang(request), scope=scope)

    def page_url(name: str, new_offset: int) -> str:
        kept = {k: v for k, v in request.query_params.items() if k != name}
        return f"/organisations/{quote(org_id, safe='')}?" + urlencode(kept | {name: new_offset}) + f"#{name[:-7]}"

    return render(request, "organisation.html", **data, page=PAGE, partners_offset=partners_offset,
                  params_rank_by=service.settings.analysis.rank_by,
                  projects_offset=projects_offset, page_url=page_url)


def _municipality_or_404(service, code: str) -> None:
    if code not in service.municipalities():
        raise NotFound(f"der findes ingen kommune med koden {code!r}; regionens kommuner står på "
                       f"Overblik-siden / no municipality with code {code!r}; the region's municipalities "
                       "are on the Overview page")


@router.get("/municipalities/{code}")
def municipality(request: Request, code: str, service: ServiceDep, scope: ScopeQuery = "region",
                 start: From = None, end: To = None):
    scope = check_scope(scope)
    _municipality_or_404(service, code)
    years = _years(start, end)
    return render(request, "municipality.html",
                  **service.municipality_page(code, lang=_lang(request), scope=scope, years=years),
                  **_filter_context(request, service, scope, years, OrgFilter(municipality=code)))


@router.get("/municipalities/{a}/{b}")
def pair(request: Request, a: str, b: str, service: ServiceDep, scope: ScopeQuery = "region",
         start: From = None, end: To = None):
    scope = check_scope(scope)
    _municipality_or_404(service, a)
    _municipality_or_404(service, b)
    years = _years(start, end)
    data = service.pair_page(a, b, lang=_lang(request), scope=scope, years=years)
    return render(request, "pair.html", **data, **_filter_context(request, service, scope, years, OrgFilter()))


@router.get("/import")
def import_page(request: Request, service: ServiceDep):
    from graphsvc.api.imports import KINDS

    return render(request, "import.html", counts=service.store.counts(), kinds=KINDS)


@router.get("/export")
def export_page(request: Request, service: ServiceDep, scope: ScopeQuery = "region", municipality: Code = None):
    scope = check_scope(scope)
    if municipality:
        _municipality_or_404(service, municipality)
    items = [
        ("map", "network_map", ("png", "svg", "pdf", "html"), ""),
        ("geomap", "geo_map", ("png", "svg", "pdf", "html"), ""),
        ("map", "municipality_map", ("png", "svg", "pdf", "html"), "&level=municipality"),
        ("heatmap", "gap_heatmap", ("png", "svg", "pdf", "xlsx", "csv"), ""),
        ("graph", "graph_file", ("gexf", "graphml"), ""),
        ("table", "tables", ("xlsx", "csv"), ""),
    ]
    if municipality:  # one municipality's map and tables (the heatmap and the overview are the region's)
        items = [(w, label, f, f"&municipality={municipality}") for w, label, f, q in items
                 if w in ("map", "geomap", "graph", "table") and not q]
    from graphsvc.exports import dataset_name  # the source line's default, shown in the form

    return render(request, "export.html", items=items, scope=scope, municipality=municipality or "",
                  default_source=dataset_name(service),
                  **_filter_context(request, service, scope, None, OrgFilter(municipality=municipality)))


def wants_page(request: Request) -> bool:
    """Whether an error on this request should be shown as a page rather than JSON."""
    path = request.url.path
    return not path.startswith(("/api", "/health", "/static")) and "text/html" in request.headers.get("accept", "")


_STATUS = {
    400: ("Forkert forespørgsel", "Bad request"),
    403: ("Ingen adgang", "Forbidden"),
    404: ("Siden findes ikke", "Not found"),
    405: ("Det kan ikke lade sig gøre her", "Method not allowed"),
    413: ("For stor", "Too large"),
    422: ("Ugyldig værdi i adressen eller formularen", "Invalid value in the address or the form"),
    500: ("Fejl i tjenesten", "Internal error"),
    503: ("Data kan ikke nås lige nu", "The data cannot be reached right now"),
}


def page_detail(detail: str, lang: str, status: int) -> str:
    """The part of an error message to show in ``lang``: messages written "Danish / English"
    are split; an English-only message is shown in English only (in Danish the heading and a
    hint say what happened, and a field the address got wrong is named)."""
    if " / " in detail:
        danish, _, english = detail.partition(" / ")
        return danish if lang == "da" else english
    if lang != "da":
        return detail
    if status == 422:
        fields = sorted({part.split(":", 1)[0].rsplit(".", 1)[-1] for part in detail.split("; ") if ":" in part})
        if fields:
            return "Ret " + ", ".join(fields) + " i adressen, og prøv igen."
    return {404: "Tjek adressen, eller find det via Overblik eller Organisationer.",
            500: "Prøv igen om lidt; tjenestens log har detaljerne.",
            503: "Prøv igen om lidt."}.get(status, "Prøv igen, eller gå til Overblik.")


def error_page(request: Request, status: int, detail: str) -> HTMLResponse:
    lang = _lang(request)
    heading = _STATUS.get(status, ("Fejl", "Error"))[0 if lang == "da" else 1]
    response = render(request, "error.html", status=status, heading=heading,
                      detail=page_detail(detail, lang, status))
    response.status_code = status
    return response


def mount(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
    app.include_router(router)
