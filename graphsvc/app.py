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


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from graphsvc.store import open_store

        try:
            app.state.store = open_store(settings)
            app.state.store_error = None
        except StoreUnavailable as e:
            # serve anyway, so every request can say what is wrong (503)
            log.error("%s", e.detail)
            app.state.store, app.state.store_error = None, e
        yield
        if app.state.store is not None:
            app.state.store.close()

    app = FastAPI(
        title="graphsvc",
        version=__version__,
        summary="Graph analysis of cultural collaboration networks in Region Midtjylland.",
        lifespan=lifespan,
    )
    app.state.settings = settings

    @app.exception_handler(GraphsvcError)
    async def graphsvc_error(request: Request, exc: GraphsvcError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail, "code": exc.code}, status_code=exc.status)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(
            {"detail": exc.detail, "code": code}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def request_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        return JSONResponse({"detail": problems, "code": "invalid_request"}, status_code=422)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(
            {"detail": "internal error; the server log has the details", "code": "internal"},
            status_code=500,
        )

    from graphsvc.api import router

    app.include_router(router)
    return app
