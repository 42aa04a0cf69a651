"""The reference data shipped with graphsvc (see ``graphsvc/data/README.md``)."""

from __future__ import annotations

import csv
import json
from functools import cache
from importlib import resources

from graphsvc.model import Municipality

__all__ = [
    "BOUNDARY_ATTRIBUTION",
    "POPULATION_SOURCE",
    "REGION_NAME",
    "municipalities",
    "boundaries",
    "postcodes",
]

REGION_NAME = "Region Midtjylland"
BOUNDARY_ATTRIBUTION = "Kommunegrænser: Geodatastyrelsen & Danske Kommuner (DAGI)"
POPULATION_SOURCE = "Folketal 1. januar 2013, Danmarks Statistik (FOLK1A)"
_DATA = resources.files("graphsvc") / "data"


@cache
def municipalities() -> tuple[Municipality, ...]:
    """The 19 municipalities of the region, ordered by code."""
    with (_DATA / "midtjylland_kommuner_reference.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return tuple(
        Municipality(
            code=r["kommunekode"],
            name=r["kommune_navn"],
            region=r["region_navn"],
            population=int(r["population_2013_01_01"]),
            population_year=2013,
            # the mainland centroid lies on land even for municipalities with islands
            lat=float(r["mainland_centroid_lat"]),
            lon=float(r["mainland_centroid_lon"]),
            area_km2=float(r["area_km2_approx"]),
        )
        for r in sorted(rows, key=lambda r: r["kommunekode"])
    )


@cache
def boundaries() -> dict:
    """GeoJSON FeatureCollection of the municipalities' boundaries (WGS84)."""
    return json.loads((_DATA / "kommuner_midtjylland.geojson").read_text(encoding="utf-8"))


@cache
def postcodes() -> tuple[dict[str, str], ...]:
    """PostNord's postcode table: rows of postcode, town, municipality code and name, region."""
    with (_DATA / "postnumre-2018.csv").open(encoding="utf-8") as f:
        return tuple(
            {
                "postcode": r["POSTNR"].zfill(4),
                "town": r["BYNAVN"],
                "municipality_code": r["KOMMUNE_NR"].zfill(3),
                "municipality_name": r["ADRESSERINGSNAVN_1"],
                "region_code": r["AMTS_NR"],
                "region_name": r["ADRESSERINGSNAVN"],
            }
            for r in csv.DictReader(f, delimiter=";")
        )
