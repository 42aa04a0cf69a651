"""The filters of the pages and the organisation list: kind, art form and size of an
organisation (its resolved size, "unknown" when none), and what the forms offer.

A filter holds plain values, so a filtered page is a link (``scope``, ``from``, ``to``,
``municipality``, ``kind``, ``art_form``, ``size`` in the query).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graphsvc.errors import InputError

__all__ = ["OrgFilter", "SIZES", "SORTS", "check_size", "check_sort", "options", "pair_projects"]

SIZES = ("small", "medium", "large", "unknown")
SORTS = ("name", "municipality", "kind", "size", "partners")


def check_size(size: str | None) -> str | None:
    if size in (None, ""):
        return None
    if size not in SIZES:
        raise InputError(f"størrelsen {size!r} findes ikke; vælg lille, mellem, stor eller ukendt / "
                         f"size={size!r} is not a size; choose one of {', '.join(SIZES)}")
    return size


def check_sort(sort: str | None) -> str:
    if sort in (None, ""):
        return "name"
    if sort.lstrip("-") not in SORTS:
        raise InputError(f"sorteringen {sort!r} findes ikke; sortér efter navn, kommune, type, størrelse eller "
                         "partnere (klik på kolonnens overskrift) / "
                         f"sort={sort!r} is not a sort order; choose one of {', '.join(SORTS)}, '-' for descending")
    return sort


@dataclass(frozen=True)
class OrgFilter:
    """Organisations of one municipality, kind, art form and size (each optional)."""

    municipality: str | None = None
    kind: str | None = None
    art_form: str | None = None
    size: str | None = None

    def __post_init__(self):
        check_size(self.size)

    def matches(self, attrs: Mapping[str, Any]) -> bool:
        """Whether an organisation (its graph attributes: resolved ``size``) passes."""
        if self.municipality and attrs.get("municipality_code") != self.municipality:
            return False
        if self.kind and (attrs.get("kind") or "") != self.kind:
            return False
        if self.art_form and self.art_form not in (attrs.get("art_forms") or ()):
            return False
        if self.size and (attrs.get("size") or "unknown") != self.size:
            return False
        return True

    @property
    def active(self) -> bool:
        return any((self.municipality, self.kind, self.art_form, self.size))


def options(nodes: Iterable[Mapping[str, Any]], *, top: int = 60) -> dict[str, list[str]]:
    """The kinds and art forms a form offers: the ``top`` most common, alphabetically."""
    kinds: Counter[str] = Counter()
    arts: Counter[str] = Counter()
    for attrs in nodes:
        if attrs.get("kind"):
            kinds[attrs["kind"]] += 1
        arts.update(a for a in attrs.get("art_forms") or () if a)

    def pick(counter: Counter[str]) -> list[str]:
        return sorted((k for k, _ in counter.most_common(top)), key=str.casefold)

    return {"kinds": pick(kinds), "art_forms": pick(arts)}


def pair_projects(
    projects: Iterable[Mapping[str, Any]],
    participations: Iterable[Mapping[str, Any]],
    places: Mapping[str, str | None],
    a: str,
    b: str,
    years: tuple[int, int] | None = None,
) -> list[dict[str, Any]]:
    """The projects with organisations placed in both ``a`` and ``b`` (in the year
    window: years that overlap it; a project without years only without a window), newest
    first, each with the ids of its organisations on either side."""
    members: dict[str, list[str]] = {}
    for row in participations:
        members.setdefault(row["project_id"], []).append(row["org_id"])
    out = []
    for p in projects:
        ids = members.get(p["id"], [])
        side_a = sorted({i for i in ids if places.get(i) == a})
        side_b = sorted({i for i in ids if places.get(i) == b})
        if not side_a or not side_b:
            continue
        if years is not None:
            start = p.get("start_year")
            end = p.get("end_year") or start
            if start is None or end < years[0] or start > years[1]:
                continue
        out.append({**p, "ids_a": side_a, "ids_b": side_b, "organisations": len(set(ids))})
    out.sort(key=lambda p: (-(p.get("start_year") or 0), (p.get("title") or "").casefold()))
    return out
