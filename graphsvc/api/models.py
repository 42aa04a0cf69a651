"""Response models of the JSON API (lists are ``{data, count}``)."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from graphsvc.analysis.scope import DEFAULT_SCOPE, SCOPES

__all__ = [
    "ErrorOut",
    "ImportErrorOut",
    "errors",
    "Page",
    "OrganisationOut",
    "OrganisationDetailOut",
    "NeighbourOut",
    "ProjectOut",
    "MunicipalityOut",
    "ScopeQuery",
]

# A plain string checked by ``graphsvc.analysis.scope.check_scope`` in the route, so a bad
# value is answered 422 with a message in Danish and English (not pydantic's).
ScopeQuery = Annotated[str, Query(
    description="Which organisations are listed and ranked: 'region' (placed in the region's "
    "19 municipalities) or 'all'. Ties to organisations outside the region always count.",
    json_schema_extra={"enum": list(SCOPES), "default": DEFAULT_SCOPE},
)]

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    data: list[T]
    count: int = Field(description="How many match in all (data holds one page of them).")


class OrganisationOut(BaseModel):
    id: str
    label: str = Field(description="Actor or Institution")
    name: str
    kind: str | None = None
    size: str | None = None
    art_forms: list[str] = []
    target_groups: list[str] = []
    municipality_code: str | None = None
    municipality: str | None = Field(default=None, description="The municipality's name "
                                     "('ukendt kommune' when it has none).")
    cvr: str | None = None
    website: str | None = None
    postcode: str | None = None
    town: str | None = None
    in_region: bool | None = None
    lat: float | None = None
    lon: float | None = None
    size_resolved: str | None = Field(default=None, description="In lists: the size the analyses use "
                                      "(given or derived; 'unknown' when none).")
    partners: int | None = Field(default=None, description="In lists: partners (in the year window).")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"id": "org-00042", "label": "Actor", "name": "Lemvig Amatørteater",
                 "kind": "amatørteater", "size": "small", "art_forms": ["teater"],
                 "target_groups": ["børn"], "municipality_code": "665"}
            ]
        }
    }


class NeighbourOut(BaseModel):
    id: str
    name: str | None
    municipality_code: str | None
    via: str = Field(description="'project' or 'collaboration'")
    via_id: str
    via_name: str


class ProjectOut(BaseModel):
    id: str
    title: str
    start_year: int | None = None
    end_year: int | None = None
    programme: str | None = None
    budget_dkk: float | None = None
    themes: list[str] = []
    municipality_codes: list[str] = []
    role: str | None = Field(default=None, description="The organisation's role, on an organisation's page.")


class OrganisationDetailOut(OrganisationOut):
    extra: dict[str, Any] = {}
    neighbours: list[NeighbourOut]
    projects: list[ProjectOut]
    metrics: dict[str, Any] = Field(default_factory=dict, description="Centrality measures, when computed.")


class MunicipalityOut(BaseModel):
    code: str
    name: str
    region: str | None = None
    population: int | None = None
    population_year: int | None = None
    lat: float | None = None
    lon: float | None = None
    organisations: int = 0


class ErrorOut(BaseModel):
    """Every error of the API (``graphsvc.app``'s handlers write it)."""

    detail: str = Field(description="What is wrong, with the value, and what to do.")
    code: str = Field(description="Short code: not_found, invalid_request, invalid_input, forbidden, "
                                  "store_unavailable, …")


class ImportErrorOut(ErrorOut):
    report: dict[str, Any] | None = Field(default=None, description="The import's report with every problem.")


_ERRORS = {
    403: "A write without a valid admin token, or with none configured.",
    404: "No such organisation, municipality, upload or route.",
    422: "A parameter or input is invalid; `detail` says which and why.",
    503: "The store cannot be reached.",
}


def errors(*statuses: int, model: type[ErrorOut] = ErrorOut) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route for these error statuses, each with the ``ErrorOut`` body
    (instead of FastAPI's default 422 body, which this API does not send)."""
    return {status: {"model": model, "description": _ERRORS[status]} for status in statuses}
