"""Dependencies shared by the API routes and pages."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, Request

from graphsvc.errors import Forbidden, StoreUnavailable
from graphsvc.service import Service
from graphsvc.settings import Settings

__all__ = ["get_service", "get_settings", "require_token", "token_problem", "ServiceDep"]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_service(request: Request) -> Service:
    service = getattr(request.app.state, "service", None)
    if service is None:
        error = getattr(request.app.state, "store_error", None)
        raise error or StoreUnavailable("the store is not open yet; try again in a moment")
    return service


ServiceDep = Annotated[Service, Depends(get_service)]


def token_problem(settings: Settings, authorization: str | None) -> str | None:
    """Why ``authorization`` may not write (None when it may): a pure function of the
    header, so a request can be refused before its body is read."""
    expected = settings.admin_token
    if expected is None or not expected.get_secret_value():
        return (
            "writes are switched off: no admin token is configured. Set GRAPHSVC_ADMIN_TOKEN "
            "(in the environment or .env) and restart the service"
        )
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), expected.get_secret_value().encode()
    ):
        return "this needs a valid admin token: send 'Authorization: Bearer <token>'"
    return None


def require_token(
    request: Request,
    authorization: Annotated[str | None, Header(description="`Bearer <GRAPHSVC_ADMIN_TOKEN>`")] = None,
) -> None:
    """Writes need ``Authorization: Bearer <token>`` matching GRAPHSVC_ADMIN_TOKEN.

    ``graphsvc.api.guard`` checks the same before the request body is read; this keeps
    the requirement in the schema and covers a route called without the guard."""
    problem = token_problem(request.app.state.settings, authorization)
    if problem is not None:
        raise Forbidden(problem)
