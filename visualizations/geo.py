"""The geographic layout: organisations placed inside their municipality on the real
boundaries of the region's 19 municipalities.

Coordinates are kilometres east and north of a point in the middle of the region (an
equirectangular projection about latitude 56.2°N, good to a fraction of a percent over
a region this size).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from functools import cache
from typing import Any

import numpy as np
from matplotlib.path import Path

from graphsvc.reference import boundaries, municipalities

__all__ = [
    "LAT0",
    "LON0",
    "OUTSIDE_CENTRE",
    "OUTSIDE_RADIUS",
    "project",
    "boundary_rings",
    "municipality_centres",
    "geographic_layout",
]

LAT0, LON0 = 56.2, 9.6
_KX = 111.32 * math.cos(math.radians(LAT0))  # km per degree of longitude at LAT0
_KY = 110.57  # km per degree of latitude
# organisations outside the region (or with no municipality) are drawn on a disc in the
# Kattegat, east of Djursland, 25 km from any coast of the region
OUTSIDE_CENTRE = (100.0, -5.0)
OUTSIDE_RADIUS = 9.0
# islets smaller than this share of a municipality's largest polygon get no organisations
_MIN_SHARE = 0.1


def project(lon: float, lat: float) -> tuple[float, float]:
    """Kilometres east and north of (LON0, LAT0).

    >>> project(9.6, 56.2)
    (0.0, 0.0)
    >>> round(project(10.6, 56.2)[0], 1)
    61.9
    """
    return ((lon - LON0) * _KX, (lat - LAT0) * _KY)


def _project_ring(ring: list[list[float]]) -> np.ndarray:
    a = np.asarray(ring, dtype=float)[:, :2]
    return np.column_stack(((a[:, 0] - LON0) * _KX, (a[:, 1] - LAT0) * _KY))


def _polygons(geometry: dict) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))) / 2


@cache
def boundary_rings() -> tuple[tuple[str, np.ndarray], ...]:
    """Every ring (outer boundaries and holes) of every municipality, projected:
    ``(code, array of shape (n, 2))``, for drawing."""
    rings = []
    for feature in boundaries()["features"]:
        code = feature["properties"]["kommunekode"]
        for polygon in _polygons(feature["geometry"]):
            rings += [(code, _project_ring(ring)) for ring in polygon]
    return tuple(rings)


@cache
def _shapes() -> dict[str, list[tuple[Path, float]]]:
    """Per municipality: its polygons as paths (holes included) with their areas, the
    polygons too small to hold organisations left out."""
    found: dict[str, list[tuple[Path, float]]] = {}
    for feature in boundaries()["features"]:
        code = feature["properties"]["kommunekode"]
        for polygon in _polygons(feature["geometry"]):
            rings = [_project_ring(r) for r in polygon]
            codes = []
            for r in rings:
                codes += [Path.MOVETO] + [Path.LINETO] * (len(r) - 2) + [Path.CLOSEPOLY]
            area = _area(rings[0]) - sum(_area(r) for r in rings[1:])
            found.setdefault(code, []).append((Path(np.concatenate(rings), codes), area))
    for code, shapes in found.items():
        largest = max(a for _, a in shapes)
        found[code] = [(p, a) for p, a in shapes if a >= _MIN_SHARE * largest]
    return found


@cache
def municipality_centres() -> dict[str, tuple[float, float]]:
    """Projected mainland centroid of each municipality (it lies on land)."""
    return {m.code: project(m.lon, m.lat) for m in municipalities()}


def _inside(code: str, xy: np.ndarray) -> np.ndarray:
    hit = np.zeros(len(xy), dtype=bool)
    for path, _ in _shapes()[code]:
        hit |= path.contains_points(xy)
    return hit


def _org_rng(seed: int, org_id: str) -> np.random.Generator:
    return np.random.default_rng([seed & 0xFFFFFFFF, zlib.crc32(org_id.encode("utf-8"))])


def _point_in(code: str, rng: np.random.Generator) -> tuple[float, float]:
    shapes = _shapes()[code]
    areas = np.array([a for _, a in shapes])
    for _ in range(200):
        path, _ = shapes[int(rng.choice(len(shapes), p=areas / areas.sum()))]
        (x0, y0), (x1, y1) = path.vertices.min(axis=0), path.vertices.max(axis=0)
        candidates = np.column_stack((rng.uniform(x0, x1, 32), rng.uniform(y0, y1, 32)))
        inside = candidates[path.contains_points(candidates)]
        if len(inside):
            return float(inside[0, 0]), float(inside[0, 1])
    return municipality_centres()[code]  # a sliver no sample hit: its centre


def _outside_point(rng: np.random.Generator) -> tuple[float, float]:
    r = OUTSIDE_RADIUS * math.sqrt(rng.uniform())
    a = rng.uniform(0, 2 * math.pi)
    return OUTSIDE_CENTRE[0] + r * math.cos(a), OUTSIDE_CENTRE[1] + r * math.sin(a)


def geographic_layout(
    nodes: Mapping[str, Mapping[str, Any]], *, seed: int = 2026
) -> dict[str, tuple[float, float]]:
    """A position (km) for each organisation inside its municipality.

    An organisation with coordinates (``lat``, ``lon``) that fall inside its
    municipality is drawn there; any other is placed at a random point inside its
    municipality, drawn from a generator seeded by ``seed`` and its id, so an
    organisation keeps its place when others are added or removed. Organisations
    without a municipality of the region go on a disc east of the region
    (``OUTSIDE_CENTRE``).

    Parameters
    ----------
    nodes : mapping of organisation id to attributes (``municipality_code``, ``lat``,
        ``lon``), e.g. ``G.nodes`` of the organisation graph.
    seed : int

    Examples
    --------
    >>> pos = geographic_layout({"a": {"municipality_code": "751"}, "b": {}}, seed=1)
    >>> bool(_inside("751", np.array([pos["a"]]))[0])
    True
    >>> math.dist(pos["b"], OUTSIDE_CENTRE) <= OUTSIDE_RADIUS
    True
    """
    shapes = _shapes()
    pos: dict[str, tuple[float, float]] = {}
    for org_id, attrs in nodes.items():
        code = attrs.get("municipality_code")
        rng = _org_rng(seed, str(org_id))
        if code not in shapes:
            pos[org_id] = _outside_point(rng)
            continue
        lat, lon = attrs.get("lat"), attrs.get("lon")
        if lat is not None and lon is not None:
            xy = project(lon, lat)
            if _inside(code, np.array([xy]))[0]:
                pos[org_id] = xy
                continue
        pos[org_id] = _point_in(code, rng)
    return pos
