"""The municipality a point lies in: WGS84 latitude/longitude or UTM zone 32N (EPSG:25832)
east/north, by point in polygon on the shipped boundaries of every Danish municipality.

The boundaries are generalised (1:500 000), so a point on a quay or a beach may fall just
outside the coastline: a point within ``COAST_TOLERANCE_M`` of a municipality goes to the
nearest one. A point further away is not in Denmark.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from graphsvc.reference import UTM32, municipality_shapes

__all__ = ["COAST_TOLERANCE_M", "PointPlace", "municipality_at", "utm_to_wgs84", "looks_like_utm"]

COAST_TOLERANCE_M = 3000.0
# Denmark in UTM 32N, generously (Bornholm lies east of 860 000 in the extended zone)
_EAST, _NORTH = (400_000.0, 900_000.0), (6_040_000.0, 6_420_000.0)


@dataclass(frozen=True)
class PointPlace:
    code: str | None
    distance_m: float  # 0 inside a municipality; else to the nearest one
    lat: float
    lon: float


@cache
def _tree():
    from shapely import STRtree

    codes, polygons = municipality_shapes()
    return codes, STRtree(polygons)


@cache
def _transformer(source: str, target: str):
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=True)


def utm_to_wgs84(east: float, north: float) -> tuple[float, float]:
    """(lat, lon) of a UTM zone 32N point.

    >>> [round(x, 4) for x in utm_to_wgs84(501519.348, 6220559.185)]  # Herning
    [56.1301, 9.0244]
    """
    lon, lat = _transformer(UTM32, "EPSG:4326").transform(east, north)
    return lat, lon


def looks_like_utm(a: float, b: float) -> bool:
    """Whether (a, b) are UTM 32N metres in Denmark, as (east, north)."""
    return _EAST[0] <= a <= _EAST[1] and _NORTH[0] <= b <= _NORTH[1]


def municipality_at(*, lat: float | None = None, lon: float | None = None,
                    east: float | None = None, north: float | None = None) -> PointPlace | None:
    """The municipality of a point given as ``lat``/``lon`` (WGS84) or ``east``/``north``
    (UTM 32N); None without a complete point. ``code`` is None when the point is further
    than ``COAST_TOLERANCE_M`` from every municipality.

    >>> municipality_at(lat=56.13179935, lon=9.021837172764176).code  # HEART, Herning
    '657'
    >>> municipality_at(east=501519.348, north=6220559.185).code
    '657'
    >>> municipality_at(lat=55.0, lon=3.0).code is None  # the North Sea
    True
    """
    from shapely import Point

    if east is not None and north is not None:
        x, y = float(east), float(north)
        lat, lon = (round(v, 7) for v in utm_to_wgs84(x, y))  # 1 cm
    elif lat is not None and lon is not None:
        lat, lon = float(lat), float(lon)
        x, y = _transformer("EPSG:4326", UTM32).transform(lon, lat)
    else:
        return None
    if not all(math.isfinite(v) for v in (x, y)):
        return None
    codes, tree = _tree()
    point = Point(x, y)
    inside = tree.query(point, predicate="intersects")
    if len(inside):
        return PointPlace(codes[int(min(inside))], 0.0, lat, lon)
    nearest, distance = tree.query_nearest(point, max_distance=COAST_TOLERANCE_M, return_distance=True)
    if len(nearest):
        return PointPlace(codes[int(nearest[0])], float(distance[0]), lat, lon)
    return PointPlace(None, math.inf, lat, lon)
