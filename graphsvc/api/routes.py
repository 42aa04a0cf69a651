"""Service routes: health and store information."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from graphsvc.api.deps import get_store
from graphsvc.store import GraphStore

__all__ = ["router"]

router = APIRouter()


class HealthOut(BaseModel):
    status: str


class InfoOut(BaseModel):
    store: str
    counts: dict[str, int]


@router.get("/health", response_model=HealthOut, tags=["service"])
def health() -> HealthOut:
    """Liveness: the process answers."""
    return HealthOut(status="ok")


@router.get("/api/info", response_model=InfoOut, tags=["service"])
def api_info(store: Annotated[GraphStore, Depends(get_store)]) -> dict:
    """Where the data lives and the count of every node label and relationship type —
    the same object as ``graphsvc info --json``."""
    return store.info()
