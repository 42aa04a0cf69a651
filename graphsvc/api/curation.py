"""Curation: the decisions every import follows, merging two organisations, correcting one.

Reads are open; every write needs the admin token (``require_token``). A decision is
undone with ``DELETE /api/decisions/{id}`` (a merge puts both organisations back).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from graphsvc.api.deps import ServiceDep, require_token
from graphsvc.api.models import errors
from graphsvc.errors import InputError

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["curation"], responses=errors(404, 422, 503))
Write = [Depends(require_token)]


class DecisionIn(BaseModel):
    kind: Literal["same", "distinct", "keep_together", "not_organisation", "correct", "merge"] = Field(
        description="same: `name` is the organisation `target` (an id or a name); distinct: `name` and "
        "`target` are two; keep_together: the partner-cell text `name` is one name; not_organisation: "
        "`name` is left out; correct: set `field` of the organisation `target` to `value`; merge: the "
        "organisation with id `name` into `target`.")
    name: str = Field(min_length=1, max_length=500)
    target: str | None = Field(default=None, max_length=500)
    field: Literal["municipality_code", "size", "kind", "art_forms"] | None = None
    value: str | list[str] | None = Field(default=None, max_length=2000)
    who: Annotated[str, Field(max_length=100)] = "admin"
    why: str | None = Field(default=None, max_length=2000)


class DecisionOut(BaseModel):
    id: str
    kind: str
    name: str
    target: str | None = None
    field: str | None = None
    value: str | None = None
    who: str | None = None
    at: str | None = None
    why: str | None = None


class DecisionsOut(BaseModel):
    data: list[DecisionOut]
    count: int


class MergeIn(BaseModel):
    into: str = Field(min_length=1, max_length=500, description="The id of the organisation that stays.")
    why: str | None = Field(default=None, max_length=2000)


class CorrectIn(BaseModel):
    field: Literal["municipality_code", "size", "kind", "art_forms"]
    value: str | list[str] | None = Field(default=None, max_length=2000)
    why: str | None = Field(default=None, max_length=2000)


def _out(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "undo"}


def store_decision(service, d: DecisionIn) -> dict[str, Any]:
    """Store one decision (a merge or a correction changes the graph at once)."""
    from graphsvc.store.decisions import new_decision

    store = service.store
    if d.kind == "merge":
        if not d.target:
            raise InputError("a merge needs `target`: the id of the organisation that stays")
        row = store.merge_organisations(d.name, d.target, who=d.who, why=d.why)
    elif d.kind == "correct":
        if not (d.target and d.field):
            raise InputError("a correction needs `target` (the organisation's id) and `field`")
        row = store.correct_organisation(d.target, field=d.field, value=d.value, who=d.who, why=d.why)
    else:
        if d.kind in ("same", "distinct") and not d.target:
            raise InputError(f"a {d.kind!r} decision needs `target`: the organisation's id or the other name")
        decision = new_decision(d.kind, d.name, target=d.target, who=d.who, why=d.why)
        store.upsert_decisions([decision])
        row = decision.row()
    service.warm_in_background()
    return _out(row)


@router.get("/decisions", response_model=DecisionsOut)
def list_decisions(service: ServiceDep) -> dict:
    """The stored decisions, oldest first (``graphsvc decisions --json``)."""
    rows = [_out(r) for r in service.store.list_decisions()]
    return {"data": rows, "count": len(rows)}


@router.get("/decisions/export", response_class=PlainTextResponse,
            responses={200: {"content": {"application/toml": {"schema": {"type": "string"}}}}})
def export_decisions(service: ServiceDep) -> PlainTextResponse:
    """The stored decisions as a mapping file (TOML) that says the same."""
    from loaders.mapping import decisions_to_toml

    return PlainTextResponse(decisions_to_toml(service.store.list_decisions()), media_type="application/toml",
                             headers={"Content-Disposition": 'attachment; filename="beslutninger.toml"'})


@router.post("/decisions", response_model=DecisionOut, status_code=201, dependencies=Write,
             responses=errors(403))
def add_decision(decision: DecisionIn, service: ServiceDep) -> dict:
    """Store a decision; every later import follows it."""
    return store_decision(service, decision)


@router.delete("/decisions/{decision_id}", response_model=DecisionOut, dependencies=Write,
               responses=errors(403))
def undo_decision(decision_id: str, service: ServiceDep) -> dict:
    """Undo a decision (a merge puts both organisations back as they were)."""
    row = service.store.delete_decision(decision_id)
    service.warm_in_background()
    return _out(row)


@router.post("/organisations/{org_id}/merge", response_model=DecisionOut, status_code=201,
             dependencies=Write, responses=errors(403))
def merge(org_id: str, body: MergeIn, service: ServiceDep) -> dict:
    """Merge this organisation into ``into``: ties, projects and properties combined."""
    return store_decision(service, DecisionIn(kind="merge", name=org_id, target=body.into, why=body.why))


@router.post("/organisations/{org_id}/correct", response_model=DecisionOut, status_code=201,
             dependencies=Write, responses=errors(403))
def correct(org_id: str, body: CorrectIn, service: ServiceDep) -> dict:
    """Set municipality, size, kind or art forms by hand (source "rettet af bruger")."""
    return store_decision(service, DecisionIn(kind="correct", name=org_id, target=org_id, field=body.field,
                                              value=body.value, why=body.why))
