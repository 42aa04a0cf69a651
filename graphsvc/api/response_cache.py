"""Finished responses to GET requests, cached per store version.

The analyses are cached already (``Service.cache``); under load the remaining cost is
turning a result into JSON or HTML again for every request. A response depends only on
the route, the query parameters the route declares, the language and the store's
version, so the encoded body is kept and served again until a write raises the version.

The key never holds what a client may vary at will: parameters the route does not
declare are dropped from the request before it is answered (so they cannot change the
answer either), the declared ones are put in one order, and the language is the exact
``lang`` cookie. The memory is bounded in bytes (GRAPHSVC_RESPONSE_CACHE_MB).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphsvc.api.guard import RouteTable

__all__ = ["ResponseCache", "language"]

_SKIP = ("/health", "/ready", "/static", "/openapi.json")
_ALWAYS = (("lang", False),)  # the pages read the language from the query themselves
_OVERHEAD = 512  # bytes per entry beyond its body and headers (key, tuple, list)


def language(query: dict[str, str], cookie_header: str) -> str:
    """The language a page is shown in: ``?lang=``, else the ``lang`` cookie, else Danish."""
    lang = query.get("lang")
    if lang not in ("da", "en"):
        cookie = SimpleCookie()
        try:
            cookie.load(cookie_header)
        except Exception:  # noqa: BLE001 - a malformed cookie header means no cookie
            cookie = SimpleCookie()
        lang = cookie["lang"].value if "lang" in cookie else None
    return lang if lang in ("da", "en") else "da"


def normalised_query(raw: bytes, params: tuple[tuple[str, bool], ...]) -> bytes:
    """The declared parameters of ``raw`` in a fixed order: every value of a list
    parameter, the last value of any other (as the route reads it); the rest dropped."""
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    kept: list[tuple[str, str]] = []
    for name, is_list in sorted(dict.fromkeys(params + _ALWAYS)):
        values = [v for k, v in pairs if k == name]
        kept += [(name, v) for v in values] if is_list else [(name, values[-1])] if values else []
    return urlencode(kept).encode("latin-1")


class ResponseCache:
    def __init__(self, app: ASGIApp, *, routes: RouteTable, max_bytes: int = 64 * 1024 * 1024):
        self.app = app
        self.routes = routes
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[tuple, tuple[int, list, bytes, int]] = OrderedDict()
        self._lock = threading.Lock()

    def _key(self, scope: Scope) -> tuple | None:
        if scope["type"] != "http" or scope["method"] != "GET" or self.max_bytes <= 0:
            return None
        path = scope["path"]
        if path.startswith(_SKIP):
            return None
        service = getattr(scope["app"].state, "service", None)
        route = self.routes.find(scope)
        if service is None or route is None:
            return None
        headers = dict(scope.get("headers") or [])
        if b"authorization" in headers:
            return None
        query = normalised_query(scope.get("query_string", b""), self.routes.query_params(route))
        lang = language(dict(parse_qsl(query.decode("latin-1"))), headers.get(b"cookie", b"").decode("latin-1"))
        accept_html = b"text/html" in headers.get(b"accept", b"")
        return (service.store.version, path, query, lang, accept_html)

    def _drop(self, key: tuple) -> None:
        self.bytes -= self._entries.pop(key)[3]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        # the route answers the normalised query: what the key ignores cannot change the answer
        scope = {**scope, "query_string": key[2]}
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
        if hit is not None:
            status, headers, body, _ = hit
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return

        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                # a copy: middleware outside this one (CORS) adds headers to the message
                start = {**message, "headers": list(message.get("headers", []))}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        body = b"".join(chunks)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"set-cookie"]
        size = len(body) + sum(len(k) + len(v) for k, v in headers) + _OVERHEAD
        if start.get("status") != 200 or size > self.max_bytes // 4:
            return  # one response may take a quarter of the cache at most
        with self._lock:
            current = scope["app"].state.service.store.version
            for stale in [k for k in self._entries if k[0] != current]:
                self._drop(stale)
            if key[0] == current and key not in self._entries:
                self._entries[key] = (200, headers, body, size)
                self.bytes += size
                while self.bytes > self.max_bytes:
                    self._drop(next(iter(self._entries)))
