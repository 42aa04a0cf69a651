"""Analysis routes: centrality, isolated small actors, gaps, communities, comparison,
partner and bridge suggestions. Every result says which parameters, data version and
scope made it (docs/analysis.md, docs/suggestions.md define the numbers); every route
takes ``scope=region|all`` (default region)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from graphsvc.analysis._results import frame_records, jsonable
from graphsvc.analysis.centrality import MEASURES
from graphsvc.api.deps import ServiceDep
from graphsvc.analysis.scope import check_scope
from graphsvc.api.models import ScopeQuery, errors
from graphsvc.errors import InputError
from graphsvc.service import check_years

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["analysis"], responses=errors(404, 422, 503))

From = Annotated[int | None, Query(alias="from", ge=1900, le=2100, description="First year of the window.")]
To = Annotated[int | None, Query(alias="to", ge=1900, le=2100, description="Last year of the window.")]
Lang = Annotated[Literal["da", "en"], Query(description="Language of the reasons.")]
Top = Annotated[int, Query(ge=1, le=5000, description="How many rows.")]
Code = Annotated[str | None, Query(pattern=r"^\d{3}$", description="Kommunekode.")]


def _window(text: str, name: str) -> tuple[int, int]:
    try:
        start, _, end = text.partition("-")
        window = check_years(int(start), int(end or start))
    except ValueError as e:
        raise InputError(f"{name}={text!r} is not a year window; write it as 2015-2019") from e
    assert window is not None
    return window


@router.get("/analysis/centrality")
def get_centrality(
    service: ServiceDep,
    start: From = None,
    end: To = None,
    by: Annotated[str | None, Query(description="Measure to rank by: " + ", ".join(MEASURES))] = None,
    municipality: Code = None,
    kind: str | None = None,
    top: Top = 50,
    scope: ScopeQuery = "region",
) -> dict:
    """Organisations ranked by a centrality measure, overall or within a municipality or kind."""
    scope = check_scope(scope)
    if by is not None and by not in MEASURES:
        raise InputError(f"by={by!r} is not a measure; choose one of {', '.join(MEASURES)}")
    result = service.centrality(check_years(start, end), scope=scope)
    rows = result.ranking(by, municipality=municipality, kind=kind)
    return {**result.provenance(), "data": frame_records(rows.head(top)), "count": len(rows)}


@router.get("/analysis/isolated")
def get_isolated(
    service: ServiceDep, start: From = None, end: To = None, lang: Lang = "da",
    municipality: Code = None, top: Top = 50, scope: ScopeQuery = "region",
) -> dict:
    """Isolated small actors, ranked, each with its reasons and nearest well-connected organisations."""
    result = service.isolated(check_years(start, end), lang, scope=check_scope(scope))
    rows = result.table
    if municipality:
        rows = rows[rows["municipality_code"] == municipality]
    return {**result.provenance(), "data": frame_records(rows.head(top)), "count": len(rows)}


@router.get("/analysis/gaps")
def get_gaps(service: ServiceDep, start: From = None, end: To = None, top: Top = 171,
             scope: ScopeQuery = "region") -> dict:
    """Cross-municipal gaps: the matrices of observed and expected ties, and the pairs most lacking."""
    result = service.gaps(check_years(start, end), scope=check_scope(scope))
    return {
        **result.provenance(),
        "matrix": {name: jsonable(getattr(result, name).to_dict(orient="index"))
                   for name in ("observed", "expected", "ratio", "residual")},
        "pairs": frame_records(result.pairs.head(top)),
        "ei": frame_records(result.ei),
    }


@router.get("/analysis/communities")
def get_communities(
    service: ServiceDep, start: From = None, end: To = None,
    resolution: Annotated[float | None, Query(gt=0, le=10, description="Modularity resolution of the communities.")] = None,
    scope: ScopeQuery = "region",
) -> dict:
    """Communities (Leiden) with their sizes and the municipalities they span."""
    result = service.communities(check_years(start, end), resolution, scope=check_scope(scope))
    return {**result.provenance(), "tables": {k: frame_records(v) for k, v in result.tables().items()
                                        if k != "membership"}}


@router.get("/analysis/compare")
def get_comparison(
    service: ServiceDep,
    before: Annotated[str, Query(pattern=r"^\d{4}(-\d{4})?$", examples=["2015-2019"])],
    after: Annotated[str, Query(pattern=r"^\d{4}(-\d{4})?$", examples=["2020-2025"])],
    scope: ScopeQuery = "region",
) -> dict:
    """Two year windows compared: new cross-border ties, organisations that became isolated, gaps that closed."""
    scope = check_scope(scope)
    result = service.compare(_window(before, "before"), _window(after, "after"), scope=scope)
    return {**result.provenance(), "tables": {k: frame_records(v) for k, v in result.tables().items()}}


@router.get("/organisations/{org_id}/suggestions")
def get_suggestions(
    org_id: str,
    service: ServiceDep,
    k: Annotated[int, Query(ge=1, le=100)] = 10,
    lang: Lang = "da",
    municipality: Annotated[list[str] | None, Query()] = None,
    kind: Annotated[list[str] | None, Query()] = None,
    art_form: Annotated[list[str] | None, Query()] = None,
    max_distance_km: Annotated[float | None, Query(ge=0)] = None,
    only_institutions: bool = False,
    only_small: bool = False,
    scope: ScopeQuery = "region",
) -> dict:
    """Partner suggestions for an organisation, each with its score, components and reasons.

    In scope "region" only organisations of the region are suggested (to any organisation)."""
    scope = check_scope(scope)
    filters = {
        "municipality": municipality, "kind": kind, "art_form": art_form,
        "max_distance_km": max_distance_km, "only_institutions": only_institutions,
        "only_small": only_small,
    }
    result = service.suggestions(org_id, k=k, lang=lang, scope=scope, **{n: v for n, v in filters.items() if v})
    return {**jsonable(result.to_dict()), "scope": scope}


@router.get("/analysis/bridges")
def get_bridges(
    service: ServiceDep,
    pairs: Annotated[int, Query(ge=1, le=50)] = 5,
    per_pair: Annotated[int, Query(ge=1, le=20)] = 3,
    lang: Lang = "da",
    scope: ScopeQuery = "region",
) -> dict:
    """For the municipality pairs that most lack ties, the best pairs of organisations to connect them."""
    scope = check_scope(scope)
    return {**jsonable(service.bridges(pairs=pairs, per_pair=per_pair, lang=lang, scope=scope).to_dict()),
            "scope": scope}
