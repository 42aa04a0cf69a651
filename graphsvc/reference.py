"""The reference data shipped with graphsvc (see ``graphsvc/data/README.md``).

``municipalities()`` is the region's 19; ``all_municipalities()`` every Danish
municipality (the 98, and Christiansø, which has a kommunekode of its own), named as in
the postcode table, with a centroid computed from the DAGI boundaries.
"""

from __future__ import annotations

import csv
import json
import re
from functools import cache
from importlib import resources

from graphsvc.model import Municipality

__all__ = [
    "BOUNDARY_ATTRIBUTION",
    "POPULATION_SOURCE",
    "REGION_NAME",
    "municipalities",
    "all_municipalities",
    "municipality_codes",
    "boundaries",
    "country_boundaries",
    "municipality_shapes",
    "postcodes",
]

REGION_NAME = "Region Midtjylland"
BOUNDARY_ATTRIBUTION = "Kommunegrænser: Geodatastyrelsen & Danske Kommuner (DAGI)"
POPULATION_SOURCE = "Folketal 1. januar 2013, Danmarks Statistik (FOLK1A)"
UTM32 = "EPSG:25832"  # ETRS89 / UTM zone 32N, Denmark's official grid
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
            in_region=True,
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
    """GeoJSON FeatureCollection of the region's 19 municipalities' boundaries (WGS84)."""
    return json.loads((_DATA / "kommuner_midtjylland.geojson").read_text(encoding="utf-8"))


@cache
def country_boundaries() -> dict:
    """GeoJSON FeatureCollection of every Danish municipality's boundaries (WGS84;
    properties ``KOMKODE`` '0751', ``KOMNAVN``; one feature per island or part)."""
    return json.loads((_DATA / "kommuner_danmark.geojson").read_text(encoding="utf-8"))


@cache
def municipality_shapes() -> tuple[tuple[str, ...], tuple]:
    """The parts of every municipality as shapely polygons in UTM zone 32N (metres):
    ``(codes, polygons)``, one code per polygon."""
    import numpy as np
    import shapely
    from pyproj import Transformer
    from shapely.geometry import shape

    features = country_boundaries()["features"]
    codes = tuple(f["properties"]["KOMKODE"].lstrip("0").zfill(3) for f in features)
    wgs84 = np.array([shape(f["geometry"]) for f in features], dtype=object)
    to_utm = Transformer.from_crs("EPSG:4326", UTM32, always_xy=True)
    utm = shapely.transform(wgs84, lambda xy: np.column_stack(to_utm.transform(xy[:, 0], xy[:, 1])))
    return codes, tuple(utm)


def _short_name(name: str) -> str:
    """'Københavns Kommune' -> 'København', 'Bornholms Regionskommune' -> 'Bornholm'."""
    short = re.sub(r"\s+(Regions)?[Kk]ommune$", "", name).strip()
    return re.sub(r"s$", "", short) if short in ("Københavns", "Bornholms") else short


@cache
def municipality_codes() -> frozenset[str]:
    """The codes ``all_municipalities()`` gives, without building them (no boundaries read).

    >>> municipality_codes() == {m.code for m in all_municipalities()}
    True
    """
    return frozenset({row["municipality_code"] for row in postcodes()} | {m.code for m in municipalities()})


@cache
def all_municipalities() -> tuple[Municipality, ...]:
    """Every Danish municipality, ordered by code: the region's 19 as ``municipalities()``
    gives them (with population), the others with their name and region from the postcode
    table, ``in_region`` False, and the centroid and area of their largest part computed
    from the boundaries (no population: load figures to add it)."""
    import shapely
    from pyproj import Transformer

    region = {m.code: m for m in municipalities()}
    names: dict[str, tuple[str, str]] = {}
    for row in postcodes():
        names.setdefault(row["municipality_code"], (_short_name(row["municipality_name"]), row["region_name"]))
    codes, polygons = municipality_shapes()
    largest: dict[str, object] = {}
    area: dict[str, float] = {}
    for code, polygon in zip(codes, polygons):
        area[code] = area.get(code, 0.0) + polygon.area
        if code not in largest or polygon.area > largest[code].area:
            largest[code] = polygon
    to_wgs84 = Transformer.from_crs(UTM32, "EPSG:4326", always_xy=True)
    out = []
    for code in sorted(municipality_codes()):
        if code in region:
            out.append(region[code])
            continue
        lat = lon = None
        if code in largest:
            point = largest[code].centroid
            if not largest[code].contains(point):  # a bent coastline: a point on the land instead
                point = shapely.point_on_surface(largest[code])
            lon, lat = to_wgs84.transform(point.x, point.y)
        name, region_name = names[code]
        out.append(Municipality(
            code=code, name=name, region=region_name, in_region=False,
            lat=None if lat is None else round(lat, 5), lon=None if lon is None else round(lon, 5),
            area_km2=round(area[code] / 1e6, 1) if code in area else None,
        ))
    return tuple(out)


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
