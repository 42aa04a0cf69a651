"""Where an organisation is: a municipality from a name, a code, a postcode or a town.

The region's 19 municipalities are recognised in any usual spelling ("Århus", "Aarhus
Kommune", "Ringkøbing Skjern", "ikast-brande", "751", "0751"); the other Danish
municipalities are recognised too, by the names and codes of the postcode table, so an
organisation outside the region is kept with its own kommunekode and ``in_region=False``.
A postcode (or town) that lies in several municipalities is reported, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from graphsvc.reference import municipalities, postcodes
from loaders.text import clean, fold

__all__ = ["Place", "PlaceNote", "locate", "municipality_code", "region_codes", "municipality_name", "place_words"]


@dataclass(frozen=True)
class PlaceNote:
    """Something to report about a place: which column, the value, what is wrong and what to do."""

    column: str
    value: str
    message: str
    action: str
    severity: str = "warning"


@dataclass
class Place:
    municipality_code: str | None = None
    in_region: bool | None = None
    postcode: str | None = None
    town: str | None = None
    notes: list[PlaceNote] = field(default_factory=list)


@cache
def region_codes() -> frozenset[str]:
    return frozenset(m.code for m in municipalities())


@cache
def _names() -> dict[str, str]:
    """Every Danish municipality's code by its name."""
    names = {m.code: m.name for m in municipalities()}
    for row in postcodes():
        code = row["municipality_code"]
        if code not in names:
            names[code] = re.sub(r"\s+(Regions)?[Kk]ommune$", "", row["municipality_name"]).strip()
    return names


def municipality_name(code: str) -> str:
    """The name of the municipality with kommunekode ``code`` ('751' -> 'Aarhus')."""
    return _names().get(code, code)


def _municipality_key(value: str) -> str:
    key = fold(value)
    key = re.sub(r"\b(regions)?kommune\b", " ", key)
    return " ".join(key.split())


# names a municipality had after the 2007 reform before it was renamed
_FORMER_NAMES = {"broenderslev dronninglund": "810"}


@cache
def _by_name() -> dict[str, str]:
    index: dict[str, str] = dict(_FORMER_NAMES)
    for code, name in _names().items():
        key = _municipality_key(name)
        index[key] = code
        if key.endswith("s"):  # "Københavns Kommune" is also written "København"
            index.setdefault(key[:-1], code)
        index[key.replace(" ", "")] = code  # "ringkøbingskjern"
    return index


@cache
def _by_postcode() -> dict[str, tuple[str, ...]]:
    found: dict[str, set[str]] = {}
    for row in postcodes():
        found.setdefault(row["postcode"], set()).add(row["municipality_code"])
    return {k: tuple(sorted(v)) for k, v in found.items()}


@cache
def _by_town() -> dict[str, tuple[str, ...]]:
    found: dict[str, set[str]] = {}
    for row in postcodes():
        found.setdefault(fold(row["town"]), set()).add(row["municipality_code"])
    return {k: tuple(sorted(v)) for k, v in found.items()}


@cache
def place_words() -> frozenset[str]:
    """Folded words that name a Danish town or municipality ("lemvig", "silkeborg")."""
    words: set[str] = set()
    for row in postcodes():
        words |= set(fold(row["town"]).split()) | set(_municipality_key(row["municipality_name"]).split())
    return frozenset(w for w in words if len(w) > 2 and not w.isdigit())


def municipality_code(value: Any) -> str | None:
    """The kommunekode of a municipality name or code, or ``None`` if not recognised.

    >>> [municipality_code(v) for v in ("Århus", "Aarhus Kommune", "Ringkøbing Skjern", "ikast-brande", "751", "0751", 751.0)]
    ['751', '751', '760', '756', '751', '751', '751']
    >>> municipality_code("Helsingør"), municipality_code("Atlantis")
    ('217', None)
    """
    raw = clean(value)
    if raw.endswith(".0"):
        raw = raw[:-2]
    if re.fullmatch(r"\d{1,4}", raw):
        code = raw.lstrip("0").zfill(3)
        return code if code in _names() else None
    return _by_name().get(_municipality_key(raw)) or _by_name().get(_municipality_key(raw).replace(" ", ""))


def _label(codes: tuple[str, ...]) -> str:
    return ", ".join(f"{municipality_name(c)} ({c})" for c in codes)


def _in_region(codes: tuple[str, ...]) -> bool | None:
    inside = [c in region_codes() for c in codes]
    return True if all(inside) else False if not any(inside) else None


def _postcode(value: Any) -> str | None:
    raw = clean(value)
    if raw.endswith(".0"):
        raw = raw[:-2]
    raw = re.sub(r"(?i)^dk[- ]?", "", raw)
    return raw.zfill(4) if re.fullmatch(r"\d{3,4}", raw) else None


def locate(*, municipality: Any = None, postcode: Any = None, town: Any = None, region: Any = None) -> Place:
    """The place of a row from whichever of its cells are filled (the same cells give the
    same ``Place``, which must not be changed).

    A municipality column wins; without one, the postcode (narrowed by the town when the
    postcode spans several municipalities), then the town. A note's ``column`` is the
    field (municipality, postcode, town) the note is about.

    >>> p = locate(postcode="8600", town="Silkeborg")
    >>> p.municipality_code, p.in_region, p.notes[0].message
    (None, True, 'postcode 8600 lies in 3 municipalities: Silkeborg (740), Skanderborg (746), Ikast-Brande (756)')
    >>> locate(municipality="Århus", postcode="8000").municipality_code
    '751'
    """
    cells = (municipality, postcode, town, region)
    if all(c is None or isinstance(c, (str, int, float)) for c in cells):
        return _locate(*cells)
    return _locate.__wrapped__(*cells)


@lru_cache(maxsize=50_000)
def _locate(municipality: Any, postcode: Any, town: Any, region: Any) -> Place:
    """See ``locate``."""
    cols = {"municipality": "municipality", "postcode": "postcode", "town": "town", "region": "region"}
    place = Place()
    code: str | None = None
    if municipality not in (None, ""):
        code = municipality_code(municipality)
        if code is None:
            place.notes.append(PlaceNote(
                cols["municipality"], clean(municipality),
                f"municipality {clean(municipality)!r} is not a Danish municipality",
                "write the municipality's name (e.g. Ringkøbing-Skjern) or its kommunekode (e.g. 760)",
            ))
    candidates: tuple[str, ...] = ()
    if postcode not in (None, ""):
        place.postcode = _postcode(postcode)
        if place.postcode is None or place.postcode not in _by_postcode():
            place.notes.append(PlaceNote(
                cols["postcode"], clean(postcode),
                f"postcode {clean(postcode)!r} is not a Danish postcode",
                "write the 4-digit postcode (e.g. 7620)",
            ))
            place.postcode = place.postcode if place.postcode in _by_postcode() else None
        else:
            candidates = _by_postcode()[place.postcode]
    if town not in (None, ""):
        place.town = clean(town)
        by_town = _by_town().get(fold(town), ())
        if candidates and by_town and len(candidates) > 1:
            narrowed = tuple(c for c in candidates if c in by_town)
            candidates = narrowed or candidates
        elif not candidates and place.postcode is None:
            candidates = by_town
    if code is not None:
        if candidates and code not in candidates:
            place.notes.append(PlaceNote(
                cols["postcode"], place.postcode or place.town or "",
                f"{place.postcode or place.town} lies in {_label(candidates)}, the row says "
                f"{municipality_name(code)} ({code}); kept {municipality_name(code)}",
                "check the municipality and the postcode",
            ))
        place.municipality_code = code
        place.in_region = code in region_codes()
        return place
    if len(candidates) == 1:
        place.municipality_code = candidates[0]
        place.in_region = candidates[0] in region_codes()
        return place
    if len(candidates) > 1:
        column, value = (
            (cols["postcode"], place.postcode) if place.postcode else (cols["town"], place.town or "")
        )
        place.notes.append(PlaceNote(
            column, value or "",
            f"{'postcode ' + value if place.postcode else 'town ' + repr(value)} lies in "
            f"{len(candidates)} municipalities: {_label(candidates)}",
            "add a municipality (kommune) column; the organisation was kept without a municipality",
        ))
        place.in_region = _in_region(candidates)
        return place
    if region not in (None, ""):
        place.in_region = _region(region)
    return place


_OTHER_REGIONS = ("hovedstaden", "sjaelland", "syddanmark", "nordjylland", "bornholm")


def _region(value: Any) -> bool | None:
    """True for Region Midtjylland, False for another Danish region, None otherwise."""
    key = fold(value).replace(" ", "")
    if "midtjylland" in key:
        return True
    return False if any(r in key for r in _OTHER_REGIONS) else None
