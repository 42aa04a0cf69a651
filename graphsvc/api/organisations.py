"""Organisations, municipalities and projects; the lists take ``scope=region|all``
(default region: the organisations placed in the region's 19 municipalities)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from graphsvc.analysis.scope import REGION_CODES, check_scope
from graphsvc.api.deps import ServiceDep, require_token
from graphsvc.service import check_years
from graphsvc.api.models import (
    ScopeQuery,
    errors,
    MunicipalityOut,
    OrganisationDetailOut,
    OrganisationOut,
    Page,
    ProjectOut,
)

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["data"], responses=errors(404, 422, 503))

Limit = Annotated[int, Query(ge=1, le=1000, description="Page size.")]
Offset = Annotated[int, Query(ge=0, description="How many to skip.")]


@router.get("/organisations", response_model=Page[OrganisationOut])
def list_organisations(
    service: ServiceDep,
    q: Annotated[str | None, Query(max_length=200, description="Part of the name, any case.")] = None,
    municipality: Annotated[str | None, Query(pattern=r"^\d{3}$", description="Kommunekode.")] = None,
    label: Literal["Actor", "Institution"] | None = None,
    kind: str | None = None,
    art_form: Annotated[str | None, Query(max_length=200, description="Works with this art form.")] = None,
    size: Annotated[Literal["small", "medium", "large", "unknown"] | None, Query(
        description="Resolved size (docs/analysis.md, 'Size'); 'unknown' for none.")] = None,
    start: Annotated[int | None, Query(alias="from", ge=1900, le=2100, description="First year of the window: "
                                       "only organisations with a project or tie in it.")] = None,
    end: Annotated[int | None, Query(alias="to", ge=1900, le=2100, description="Last year of the window.")] = None,
    sort: Annotated[str, Query(pattern=r"^-?(name|municipality|kind|size|partners)$",
                               description="Order: name, municipality, kind, size, partners; '-' descending.")] = "name",
    offset: Offset = 0,
    limit: Limit = 50,
    scope: ScopeQuery = "region",
    lang: Annotated[Literal["da", "en"], Query(description="Language of the municipality names.")] = "da",
) -> dict:
    """Organisations (actors and institutions), filtered and searched, by name (or ``sort``)."""
    rows = service.search_organisations(q=q, municipality=municipality, label=label, kind=kind, size=size,
                                        scope=check_scope(scope), lang=lang, art_form=art_form,
                                        years=check_years(start, end), sort=sort)
    return {"data": rows[offset : offset + limit], "count": len(rows)}


@router.get("/organisations/{org_id}", response_model=OrganisationDetailOut)
def get_organisation(org_id: str, service: ServiceDep, scope: ScopeQuery = "region") -> dict:
    """One organisation with its neighbours (one row per tie), projects and metrics.

    The ranks are among the organisations of ``scope`` (among all for one outside it)."""
    scope = check_scope(scope)
    service.organisation(org_id)  # 404 with a helpful message
    org = service.store.get_organisation(org_id)
    return {**org, "municipality": service.municipality_name(org.get("municipality_code")),
            "projects": service.projects_of(org_id), "metrics": service.metrics_of(org_id, scope)}


@router.delete("/organisations/{org_id}", status_code=204, dependencies=[Depends(require_token)],
               responses=errors(403))
def delete_organisation(org_id: str, service: ServiceDep) -> None:
    """Delete an organisation and its ties (needs the admin token); its projects,
    networks and events stay."""
    service.store.delete_organisation(org_id)
    service.warm_in_background()


@router.get("/municipalities", response_model=Page[MunicipalityOut])
def list_municipalities(service: ServiceDep, scope: ScopeQuery = "region") -> dict:
    """The region's 19 municipalities (scope=all: every one in the store), with their organisations."""
    codes = sorted(service.municipalities())
    if check_scope(scope) == "region":
        codes = [c for c in codes if c in REGION_CODES]
    rows = [service.municipality_summary(code) for code in codes]
    return {"data": rows, "count": len(rows)}


@router.get("/municipalities/{code}", response_model=MunicipalityOut)
def get_municipality(code: str, service: ServiceDep) -> dict:
    """One municipality (population figures are from the year given)."""
    return service.municipality_summary(code)


@router.get("/projects", response_model=Page[ProjectOut])
def list_projects(
    service: ServiceDep,
    q: Annotated[str | None, Query(max_length=200, description="Part of the title.")] = None,
    municipality: Annotated[str | None, Query(pattern=r"^\d{3}$")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="Running in this year.")] = None,
    offset: Offset = 0,
    limit: Limit = 50,
    scope: ScopeQuery = "region",
) -> dict:
    """Projects by title, municipality and year (scope=region: in the region or with a partner there)."""
    rows = service.search_projects(q=q, municipality=municipality, year=year, scope=check_scope(scope))
    return {"data": rows[offset : offset + limit], "count": len(rows)}
