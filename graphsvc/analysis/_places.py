"""Municipalities and distances, as the analyses need them."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

__all__ = ["municipality_rows", "haversine_km", "EARTH_RADIUS_KM"]

EARTH_RADIUS_KM = 6371.0


def municipality_rows(municipalities: Iterable[Any] | None) -> dict[str, dict[str, Any]]:
    """``{code: {code, name, lat, lon}}`` from rows (dicts) or ``Municipality`` records,
    in the order given; the region's 19 when ``municipalities`` is None."""
    if municipalities is None:
        from graphsvc.reference import municipalities as reference

        municipalities = reference()
    out: dict[str, dict[str, Any]] = {}
    for m in municipalities:
        row = m if isinstance(m, dict) else m.model_dump()
        out[str(row["code"])] = {
            "code": str(row["code"]),
            "name": row.get("name") or str(row["code"]),
            "lat": row.get("lat"),
            "lon": row.get("lon"),
        }
    return out


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km (arrays broadcast).

    >>> round(float(haversine_km(56.15, 10.2, 56.49, 8.31)))  # Aarhus–Lemvig
    123
    """
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(x, float)) for x in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
