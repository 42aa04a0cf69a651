"""Dependencies shared by the API routes."""

from __future__ import annotations

from fastapi import Request

from graphsvc.errors import StoreUnavailable
from graphsvc.settings import Settings
from graphsvc.store import GraphStore

__all__ = ["get_store", "get_settings"]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> GraphStore:
    store = getattr(request.app.state, "store", None)
    if store is None:
        error = getattr(request.app.state, "store_error", None)
        raise error or StoreUnavailable("the store is not open yet; try again in a moment")
    return store
