"""The pages: dashboard, organisations, an organisation, a municipality, import, export.

The dashboard, the lists, the maps and the export page take ``scope=region|all`` (default
region); the page shows a selector for it, and its links carry it on (``scope_q``).
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from graphsvc.analysis.scope import DEFAULT_SCOPE, check_scope
from graphsvc.api.deps import ServiceDep
from graphsvc.api.models import ScopeQuery
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
    kept = {k: v for k, v in request.query_params.items() if k not in ("scope", "offset")}
    urls = {s: f"{path}?{urlencode(kept | {'scope': s})}" for s in ("region", "all")}
    return {"scope": scope, "scope_q": "" if scope == DEFAULT_SCOPE else f"&scope={scope}", "scope_urls": urls}


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    lang = _lang(request)
    other = "en" if lang == "da" else "da"
    context = _scope_links(request, context.pop("scope", None) or DEFAULT_SCOPE) | context
    params = dict(request.query_params) | {"lang": other}
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


@router.get("/")
def dashboard(request: Request, service: ServiceDep, scope: ScopeQuery = "region"):
    return render(request, "dashboard.html", **service.dashboard(_lang(request), check_scope(scope)))


@router.get("/organisations")
def organisations(
    request: Request,
    service: ServiceDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    municipality: Annotated[str | None, Query(pattern=r"^\d{3}$")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    scope: ScopeQuery = "region",
):
    limit = 50
    scope = check_scope(scope)
    rows = service.search_organisations(q=q, municipality=municipality, scope=scope, lang=_lang(request))

    def page_url(new_offset: int) -> str:
        return "/organisations?" + urlencode(dict(request.query_params) | {"offset": new_offset})

    return render(
        request,
        "organisations.html",
        q=q,
        rows=rows[offset : offset + limit],
        count=len(rows),
        offset=offset,
        limit=limit,
        page_url=page_url,
        municipalities=service.municipalities(),
        scope=scope,
    )


@router.get("/organisations/{org_id}")
def organisation(request: Request, org_id: str, service: ServiceDep, scope: ScopeQuery = "region"):
    scope = check_scope(scope)
    service.organisation(org_id)
    return render(request, "organisation.html",
                  **service.organisation_page(org_id, lang=_lang(request), scope=scope))


@router.get("/municipalities/{code}")
def municipality(request: Request, code: str, service: ServiceDep, scope: ScopeQuery = "region"):
    scope = check_scope(scope)
    return render(request, "municipality.html",
                  **service.municipality_page(code, lang=_lang(request), scope=scope))


@router.get("/import")
def import_page(request: Request, service: ServiceDep):
    from graphsvc.api.imports import KINDS

    return render(request, "import.html", counts=service.store.counts(), kinds=KINDS)


@router.get("/export")
def export_page(request: Request, scope: ScopeQuery = "region"):
    items = [
        ("map", "network_map", ("png", "svg", "pdf", "html"), ""),
        ("geomap", "geo_map", ("png", "svg", "pdf", "html"), ""),
        ("map", "municipality_map", ("png", "svg", "pdf", "html"), "&level=municipality"),
        ("heatmap", "gap_heatmap", ("png", "svg", "pdf", "xlsx", "csv"), ""),
        ("graph", "graph_file", ("gexf", "graphml"), ""),
        ("table", "tables", ("xlsx", "csv"), ""),
    ]
    return render(request, "export.html", items=items, scope=check_scope(scope))


def wants_page(request: Request) -> bool:
    """Whether an error on this request should be shown as a page rather than JSON."""
    path = request.url.path
    return not path.startswith(("/api", "/health", "/static")) and "text/html" in request.headers.get("accept", "")


def error_page(request: Request, status: int, detail: str) -> HTMLResponse:
    response = render(request, "error.html", status=status, detail=detail)
    response.status_code = status
    return response


def mount(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(_HERE / "static")), name="static")
    app.include_router(router)
