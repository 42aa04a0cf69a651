"""What every request passes before a route sees it, and what every response carries.

- ``HostCheck``: the ``Host`` header must name a trusted host (GRAPHSVC_TRUSTED_HOSTS),
  so no page or cached response can depend on a host an attacker chose.
- ``RequestGuard``: the body is capped (GRAPHSVC_MAX_REQUEST_MB), by its declared length
  and while it streams; a route that writes checks the admin token before one byte of
  the body is read.
- ``SecurityHeaders``: a Content-Security-Policy without inline script on the pages,
  a sandboxed one on the self-contained maps, ``nosniff`` and no referrer everywhere.
- ``RouteTable``: the routes' declared query parameters and dependencies, which the
  guard and the response cache read instead of lists of their own.

docs/security.md describes each protection and its limit.
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi.dependencies.utils import field_annotation_is_sequence
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphsvc.api.deps import require_token, token_problem
from graphsvc.settings import Settings

__all__ = ["HostCheck", "RequestGuard", "RouteTable", "SecurityHeaders", "BodyTooLarge",
           "PAGE_POLICY", "MAP_POLICY", "FILE_POLICY"]

MB = 1024 * 1024

# pages: scripts and styles only from /static, maps only in a frame from here
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
               "frame-ancestors 'none'")
# the maps are one self-contained file with their script inlined (pyvis): they run in a
# sandbox with an origin of their own, load nothing and send nothing anywhere
MAP_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
              "img-src data: blob:; font-src data:; base-uri 'none'; form-action 'none'; "
              "frame-ancestors 'self'; sandbox allow-scripts")
# JSON and files: nothing runs, even when opened in the browser
FILE_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"
_COMMON = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]


def _json(status: int, detail: str, code: str) -> JSONResponse:
    return JSONResponse({"detail": detail, "code": code}, status_code=status)


class RouteTable:
    """The app's routes, found by path and method without running them."""

    def __init__(self, routes: Iterable[object]):
        self.routes = [r for r in routes if isinstance(r, APIRoute)]
        self._params: dict[int, tuple[tuple[str, bool], ...]] = {}
        self._token: dict[int, bool] = {}
        for route in self.routes:
            params, calls, stack = [], set(), [route.dependant]
            while stack:
                dependant = stack.pop()
                params += [(f.alias, field_annotation_is_sequence(f.field_info.annotation))
                           for f in dependant.query_params]
                calls.add(dependant.call)
                stack += dependant.dependencies
            self._params[id(route)] = tuple(dict.fromkeys(params))
            self._token[id(route)] = require_token in calls

    def find(self, scope: Scope) -> APIRoute | None:
        path, method = scope.get("path", ""), scope.get("method", "")
        for route in self.routes:
            if route.path_regex.match(path) and method in (route.methods or ()):
                return route
        return None

    def query_params(self, route: APIRoute) -> tuple[tuple[str, bool], ...]:
        """``(name, takes a list)`` for every query parameter the route declares."""
        return self._params[id(route)]

    def needs_token(self, route: APIRoute) -> bool:
        return self._token[id(route)]


def _host_name(header: str) -> str:
    """The host of a ``Host`` header without its port, lower case (IPv6 in brackets)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def trusted_hosts(settings: Settings) -> set[str]:
    """The configured trusted hosts, plus the address the service binds to when it is one
    host (not every address)."""
    names = [h.strip() for h in settings.trusted_hosts.split(",") if h.strip()]
    if settings.host not in ("0.0.0.0", "::", ""):
        names.append(settings.host)
    return {f"[{h}]" if ":" in h and not h.startswith("[") else h.lower() for h in names}


class HostCheck:
    """Refuse a request whose ``Host`` is not trusted (400); ``*`` trusts every host."""

    def __init__(self, app: ASGIApp, *, settings: Settings):
        self.app = app
        self.hosts = trusted_hosts(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "*" not in self.hosts:
            host = _host_name(Headers(scope=scope).get("host", ""))
            if host not in self.hosts:
                response = _json(400, f"the host {host[:100]!r} is not served here; whoever runs the "
                                 "service can add it to GRAPHSVC_TRUSTED_HOSTS", "untrusted_host")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BodyTooLarge(HTTPException):
    """Raised while the body streams; FastAPI passes an HTTPException on unchanged."""

    def __init__(self, limit_mb: int):
        super().__init__(413, too_large_message(limit_mb))


def too_large_message(limit_mb: int) -> str:
    return (f"the request is larger than the limit of {limit_mb} MB (GRAPHSVC_MAX_REQUEST_MB); "
            "send fewer or smaller files, or load them with `graphsvc load`")


class RequestGuard:
    """The body cap and the token of a write, both before the body is read."""

    def __init__(self, app: ASGIApp, *, settings: Settings, routes: RouteTable):
        self.app = app
        self.settings = settings
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit_mb = self.settings.max_request_mb
        limit = limit_mb * MB
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length is not None and (not length.strip().isdigit() or int(length) > limit):
            status, detail = (413, too_large_message(limit_mb)) if length.strip().isdigit() else (
                400, f"the Content-Length {length[:30]!r} is not a number of bytes")
            await _json(status, detail, "too_large" if status == 413 else "bad_request")(scope, receive, send)
            return
        route = self.routes.find(scope)
        if route is not None and self.routes.needs_token(route):
            problem = token_problem(self.settings, headers.get("authorization"))
            if problem is not None:
                await _json(403, problem, "forbidden")(scope, receive, send)
                return

        received = 0
        started = False

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit_mb)
            return message

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, watch)
        except BodyTooLarge as e:
            if started:
                raise
            await _json(413, e.detail, "too_large")(scope, receive, send)


class SecurityHeaders:
    """The security headers on every response, whichever part of the app made it."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope.get("path", "").startswith("/api/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                html = Headers(raw=headers).get("content-type", "").startswith("text/html")
                policy = (MAP_POLICY if api else PAGE_POLICY) if html else FILE_POLICY
                frame = b"SAMEORIGIN" if html and api else b"DENY"
                extra = [*_COMMON, (b"content-security-policy", policy.encode()), (b"x-frame-options", frame)]
                headers += [(k, v) for k, v in extra if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
