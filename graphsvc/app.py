"""The web application: ``create_app(settings)`` builds it; nothing happens at import."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from graphsvc import __version__
from graphsvc.errors import GraphsvcError, StoreUnavailable
from graphsvc.settings import Settings

__all__ = ["create_app"]

log = logging.getLogger("graphsvc")


class _CountRequests:
    """Counts the requests being served (``Service.in_flight``): the warm-up waits for a
    quiet moment between its steps, so it does not slow down a request it could not help."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        service = getattr(scope["app"].state, "service", None) if scope["type"] == "http" else None
        if service is None:
            return await self.app(scope, receive, send)
        service.in_flight.enter()
        try:
            await self.app(scope, receive, send)
        finally:
            service.in_flight.leave()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from graphsvc.store import open_store

        from graphsvc.service import Service

        from graphsvc.api.imports import remove_stale_uploads

        remove_stale_uploads(settings)  # left behind by a process that stopped
        app.state.service, app.state.store_error = None, None
        try:
            app.state.service = Service(open_store(settings), settings)
            app.state.service.warm_in_background()
        except StoreUnavailable as e:
            # serve anyway, so every request can say what is wrong (503)
            log.error("%s", e.detail)
            app.state.store_error = e
        yield
        if app.state.service is not None:
            app.state.service.store.close()

    app = FastAPI(
        title="graphsvc",
        version=__version__,
        summary="Graph analysis of cultural collaboration networks in Region Midtjylland.",
        lifespan=lifespan,
        # the interactive docs pages load their scripts from a CDN: off, so every page
        # works offline; the schema itself is served at /openapi.json
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    from graphsvc.api import routers
    from graphsvc.api.guard import HostCheck, RequestGuard, RouteTable, SecurityHeaders
    from graphsvc.api.response_cache import ResponseCache
    from graphsvc.web.pages import router as pages_router

    # the routes' own declarations (query parameters, the token) drive the guard and the cache
    app.state.route_table = table = RouteTable(r for rt in (*routers, pages_router) for r in rt.routes)
    # the last added runs first: headers on every answer, then the host, the body and the
    # token, then CORS, then the cache, then the count of requests the warm-up waits for
    app.add_middleware(_CountRequests)
    app.add_middleware(ResponseCache, routes=table, max_bytes=settings.response_cache_mb * 1024 * 1024)
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(RequestGuard, settings=settings, routes=table)
    app.add_middleware(HostCheck, settings=settings)
    app.add_middleware(SecurityHeaders)

    from graphsvc.web.pages import error_page, mount, wants_page

    def error(request: Request, status: int, detail: str, code: str, headers=None):
        if wants_page(request):
            return error_page(request, status, detail)
        return JSONResponse({"detail": detail, "code": code}, status_code=status, headers=headers)

    @app.exception_handler(GraphsvcError)
    async def graphsvc_error(request: Request, exc: GraphsvcError):
        report = getattr(exc, "report_dict", None)
        if report is not None and not wants_page(request):
            body = {"detail": exc.detail, "code": exc.code, "report": report}
            return JSONResponse(body, status_code=exc.status)
        return error(request, exc.status, exc.detail, exc.code)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(exc.status_code, "http_error")
        return error(request, exc.status_code, str(exc.detail), code, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def request_error(request: Request, exc: RequestValidationError):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        return error(request, 422, problems, "invalid_request")

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error(request, 500, "internal error; the server log has the details", "internal")

    for router in routers:
        app.include_router(router)

    @app.get("/ready", tags=["service"], responses={503: {"description": "The store cannot be opened."}})
    def ready() -> JSONResponse:
        """Readiness: the store is open (``state`` ok, or ``recovered`` with what was set
        aside to open it; see docs/store.md), or 503 with why not. ``/health`` is liveness."""
        service = app.state.service
        if service is None:
            failure = app.state.store_error
            detail = failure.detail if failure else "the store is not open yet; try again in a moment"
            return JSONResponse({"status": "unavailable", "detail": detail, "code": "store_unavailable"},
                                status_code=503)
        return JSONResponse({"status": "ready", **service.store.state()})

    mount(app)
    return app
