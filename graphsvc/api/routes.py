"""Service routes: health and store information."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from graphsvc.api.deps import ServiceDep
from graphsvc.api.models import errors

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


@router.get("/api/info", response_model=InfoOut, tags=["service"], responses=errors(503))
def api_info(service: ServiceDep) -> dict:
    """Where the data lives and how many of each node label and relationship type.

    The same object as ``graphsvc info --json``."""
    return service.store.info()
