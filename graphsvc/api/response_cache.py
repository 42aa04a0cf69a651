"""Finished responses to GET requests, cached per store version.

The analyses are cached already (``Service.cache``); under load the remaining cost is
turning a result into JSON or HTML again for every request. A response depends only on
the path, the query, the language cookie and the store's version, so the encoded body is
kept and served again until a write raises the version.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ResponseCache"]

_SKIP = ("/health", "/static", "/openapi.json")
_MAX_BODY = 32 * 1024 * 1024


class ResponseCache:
    def __init__(self, app: ASGIApp, *, maxsize: int = 512):
        self.app = app
        self.maxsize = maxsize
        self._entries: OrderedDict[tuple, tuple[int, list, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def _key(self, scope: Scope) -> tuple | None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        path = scope["path"]
        if path.startswith(_SKIP):
            return None
        service = getattr(scope["app"].state, "service", None)
        if service is None:
            return None
        headers = dict(scope.get("headers") or [])
        if b"authorization" in headers:
            return None
        cookie = headers.get(b"cookie", b"")
        lang = b"en" if b"lang=en" in cookie else b"da"
        accept_html = b"text/html" in headers.get(b"accept", b"")
        return (service.store.version, path, scope.get("query_string", b""), lang, accept_html)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
        if hit is not None:
            status, headers, body = hit
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
        if start.get("status") != 200 or len(body) > _MAX_BODY:
            return
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"set-cookie"]
        with self._lock:
            current = scope["app"].state.service.store.version
            for stale in [k for k in self._entries if k[0] != current]:
                del self._entries[stale]
            if key[0] == current:
                self._entries[key] = (200, headers, body)
                while len(self._entries) > self.maxsize:
                    self._entries.popitem(last=False)
