"""Where an organisation is: a municipality from the best evidence a row has, and which.

Sources, strongest first (``SOURCES``; the value stored as ``municipality_source``):

1. ``column`` — a municipality column: a name in any usual spelling ("Århus", "Aarhus
   Kommune", "Ringkøbing Skjern", "ikast-brande") or a kommunekode ("751", "0751");
2. ``coordinates`` — WGS84 latitude/longitude or UTM 32N east/north, by point in polygon
   on the boundaries of every Danish municipality (``loaders.coordinates``);
3. ``postcode`` — a postcode that lies in one municipality;
4. ``postcode_town`` — a postcode that lies in several, narrowed by the row's town, or
   else by the post town itself: the municipality named like the post town
   ("7400 Herning" → Herning, "8960 Randers SØ" → Randers); a town alone that lies in one
   municipality;
5. ``name`` — the organisation's own name ("Silkeborg Kommune", "Produktionsskolen i
   Herning Kommune", "Lemvig Museum"), the weakest (``municipality_in_name``; applied
   when nothing else places it). One exception: an organisation whose whole name is
   "X Kommune" is the municipality X itself, and is placed in X whatever its address says
   (a project office elsewhere), with a warning when another source disagrees.

A stronger source wins. When two of the first three disagree (the coordinates lie in
another municipality than the column says; a postcode whose municipalities do not include
the one the column or coordinates give) the place keeps the stronger and a warning names
both. A postcode in several municipalities that nothing narrows is reported with the
candidates. All of Denmark's municipalities are recognised; ``in_region`` says whether
the place is one of the region's 19.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from graphsvc.reference import all_municipalities, municipalities, postcodes
from loaders.coordinates import COAST_TOLERANCE_M, looks_like_utm, municipality_at
from loaders.text import clean, fold

__all__ = [
    "SOURCES",
    "Place",
    "PlaceNote",
    "locate",
    "municipality_code",
    "municipality_in_name",
    "municipality_itself",
    "region_codes",
    "municipality_name",
    "place_words",
]

SOURCES = ("column", "coordinates", "postcode", "postcode_town", "name")
_STRONG = ("column", "coordinates", "postcode")


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
    source: str | None = None  # one of SOURCES
    candidates: tuple[str, ...] = ()  # an ambiguous postcode's municipalities
    lat: float | None = None  # the point, when coordinates were given (UTM converted)
    lon: float | None = None


@cache
def region_codes() -> frozenset[str]:
    return frozenset(m.code for m in municipalities())


@cache
def _names() -> dict[str, str]:
    """Every Danish municipality's name by its code."""
    return {m.code: m.name for m in all_municipalities()}


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
    spellings = list(_names().items())
    spellings += [(r["municipality_code"], r["municipality_name"]) for r in postcodes()]
    for code, name in spellings:
        key = _municipality_key(name)
        index[key] = code
        index.setdefault(key + "s", code)  # "Københavns Kommune", "Bornholms Regionskommune"
        if key.endswith("s"):  # "Nordfyns" is also written "Nordfyn"
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
def _post_town() -> dict[str, str]:
    return {row["postcode"]: row["town"] for row in postcodes()}


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


@cache
def _longest_name() -> int:
    return max(len(k.split()) for k in _by_name())


def municipality_itself(name: Any) -> str | None:
    """The code of the municipality an organisation *is*: its whole name is "X Kommune"
    (or "X Regionskommune"); None otherwise.

    >>> municipality_itself("Langeland Kommune"), municipality_itself("Produktionsskolen i Herning Kommune")
    ('482', None)
    """
    match = re.fullmatch(r"(.+?)\s+(regions)?kommune", fold(clean(name)))
    return _by_name().get(match.group(1)) if match else None


def municipality_in_name(name: Any) -> str | None:
    """The municipality an organisation's name says it is in, or None.

    "X Kommune" (also inside a longer name) names X; otherwise the name must hold the
    name of exactly one municipality as whole words, or else as the beginning or end of
    a compound word ("SilkeborgEgnens Erhvervsråd", "VisitHerning"); failing that, of
    exactly one post town that lies in one municipality ("Hanstholm Fiskeeksportørforening"
    -> Thisted).

    >>> [municipality_in_name(n) for n in ("Silkeborg Kommune", "Produktionsskolen i Herning Kommune",
    ...     "Lemvig Museum", "Erhvervsrådet Herning og Ikast-Brande", "Væksthus Midtjylland")]
    ['740', '657', '665', None, None]
    """
    words = fold(clean(name)).split()
    if not words:
        return None
    index, longest = _by_name(), _longest_name()
    for i, word in enumerate(words):
        if word in ("kommune", "regionskommune") and i:
            for n in range(min(longest, i), 0, -1):
                code = index.get(" ".join(words[i - n:i]))
                if code:
                    return code
    for index, longest in ((index, longest), (_unique_towns(), 3)):
        found: set[str] = set()
        i = 0
        while i < len(words):
            for n in range(min(longest, len(words) - i), 0, -1):
                code = index.get(" ".join(words[i:i + n]))
                if code and not words[i].isdigit():
                    found.add(code)
                    i += n - 1
                    break
            i += 1
        if found:
            return found.pop() if len(found) == 1 else None
        if index is not _unique_towns():
            found = {_compound(w) for w in words} - {None}
            if found:
                return found.pop() if len(found) == 1 else None
    return None


@cache
def _compound(word: str) -> str | None:
    """The municipality a compound word begins or ends with ("silkeborgegnens",
    "visitherning", "naturkulturvarde"), for names of five letters or more."""
    for key, code in _single_word_names():
        if word != key and (word.startswith(key) or word.endswith(key)):
            return code
    return None


@cache
def _single_word_names() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((k, c) for k, c in _by_name().items() if " " not in k and len(k) >= 5),
                        key=lambda kc: -len(kc[0])))


_DISTRICT = re.compile(r"\s+(c|k|n|s|v|oe|m|nv|ne|soe|sv|noe|oest|vest|nord|syd)$")


@cache
def _unique_towns() -> dict[str, str]:
    """Post towns (without 'C', 'N', 'SØ' …) of four letters or more that lie in one
    municipality: 'hanstholm' -> Thisted."""
    towns: dict[str, set[str]] = {}
    for key, codes in _by_town().items():
        towns.setdefault(_DISTRICT.sub("", key), set()).update(codes)
    return {k: next(iter(v)) for k, v in towns.items() if len(v) == 1 and len(k) >= 4}


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


def _town_code(town: str, candidates: tuple[str, ...]) -> str | None:
    """The candidate municipality named like the post town ('Randers SØ' -> Randers)."""
    base = _DISTRICT.sub("", fold(town))
    code = municipality_code(base)
    return code if code in candidates else None


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) if math.isfinite(value) else None
    raw = clean(value).replace(" ", "")
    if re.fullmatch(r"-?\d+,\d+", raw):
        raw = raw.replace(",", ".")
    try:
        number = float(raw)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _point(place: Place, lat: Any, lon: Any, east: Any, north: Any) -> tuple[str | None, str, str]:
    """The municipality of the row's point (code, the column its note is about, the value)."""
    a, b = _number(lat), _number(lon)
    e, n = _number(east), _number(north)
    column, value = ("east", f"{east}, {north}") if e is not None or n is not None else ("lat", f"{lat}, {lon}")
    if e is not None and n is not None:
        found = municipality_at(east=e, north=n)
    elif a is not None and b is not None:
        if looks_like_utm(b, a) or looks_like_utm(a, b):  # UTM metres in lat/lon columns (x/y)
            east_, north_ = (b, a) if looks_like_utm(b, a) else (a, b)
            found = municipality_at(east=east_, north=north_)
        elif 54 <= b <= 58 and 7 <= a <= 16:  # written as (lon, lat)
            found = municipality_at(lat=b, lon=a)
            place.notes.append(PlaceNote(
                column, value, f"latitude {lat} and longitude {lon} look swapped; read as latitude {lon}, longitude {lat}",
                "check the coordinate columns", severity="info"))
        elif -90 <= a <= 90 and -180 <= b <= 180:
            found = municipality_at(lat=a, lon=b)
        else:
            found = None
    else:
        if any(x not in (None, "") for x in (lat, lon, east, north)):
            place.notes.append(PlaceNote(
                column, value, f"the coordinates {value} are not a point: both numbers are needed",
                "write latitude and longitude in degrees (56.1572, 10.2107), or UTM 32N east and north in metres"))
        return None, column, value
    if found is None or found.code is None:
        place.notes.append(PlaceNote(
            column, value, f"the coordinates {value} lie outside Denmark (more than {COAST_TOLERANCE_M / 1000:.0f} km "
            "from every municipality)", "check the coordinates (latitude/longitude in degrees, or UTM 32N east/north in metres)"))
        return None, column, value
    place.lat, place.lon = found.lat, found.lon
    return found.code, column, value


def locate(*, municipality: Any = None, postcode: Any = None, town: Any = None, region: Any = None,
           lat: Any = None, lon: Any = None, east: Any = None, north: Any = None) -> Place:
    """The place of a row from whichever of its cells are filled (the same cells give the
    same ``Place``, which must not be changed). A note's ``column`` is the field
    (municipality, postcode, town, lat, east) the note is about.

    >>> p = locate(postcode="8600")
    >>> p.municipality_code, p.source, p.in_region
    ('740', 'postcode_town', True)
    >>> locate(municipality="Århus", postcode="8000").source
    'column'
    >>> p = locate(postcode="7451")
    >>> p.municipality_code, p.candidates
    (None, ('657', '756'))
    """
    cells = (municipality, postcode, town, region, lat, lon, east, north)
    if all(c is None or isinstance(c, (str, int, float)) for c in cells):
        return _locate(*cells)
    return _locate.__wrapped__(*cells)


@lru_cache(maxsize=50_000)
def _locate(municipality: Any, postcode: Any, town: Any, region: Any,
            lat: Any = None, lon: Any = None, east: Any = None, north: Any = None) -> Place:
    """See ``locate``."""
    place = Place()
    found: dict[str, tuple[str, str, str]] = {}  # source -> (code, column, value)
    if municipality not in (None, ""):
        code = municipality_code(municipality)
        if code is None:
            place.notes.append(PlaceNote(
                "municipality", clean(municipality),
                f"municipality {clean(municipality)!r} is not a Danish municipality",
                "write the municipality's name (e.g. Ringkøbing-Skjern) or its kommunekode (e.g. 760)",
            ))
        else:
            found["column"] = (code, "municipality", clean(municipality))
    code, column, value = _point(place, lat, lon, east, north)
    if code is not None:
        found["coordinates"] = (code, column, value)
    candidates: tuple[str, ...] = ()
    if postcode not in (None, ""):
        place.postcode = _postcode(postcode)
        if place.postcode is None or place.postcode not in _by_postcode():
            place.notes.append(PlaceNote(
                "postcode", clean(postcode), f"postcode {clean(postcode)!r} is not a Danish postcode",
                "write the 4-digit postcode (e.g. 7620)",
            ))
            place.postcode = None
        else:
            candidates = _by_postcode()[place.postcode]
    if town not in (None, ""):
        place.town = clean(town)
    by_town = _by_town().get(fold(town), ()) if place.town else ()
    if len(candidates) == 1:
        found["postcode"] = (candidates[0], "postcode", place.postcode)
    elif candidates:
        narrowed = tuple(c for c in candidates if c in by_town)
        code = (narrowed[0] if len(narrowed) == 1 else None) or _town_code(place.town or "", candidates) \
            or _town_code(_post_town()[place.postcode], candidates)
        if code is not None:
            found["postcode_town"] = (code, "postcode", place.postcode)
    elif place.postcode is None and len(by_town) == 1:
        candidates = by_town
        found["postcode_town"] = (by_town[0], "town", place.town)
    elif place.postcode is None and by_town:
        candidates = by_town
    best = next((s for s in SOURCES if s in found), None)
    if best is not None:
        code = found[best][0]
        place.municipality_code, place.source, place.in_region = code, best, code in region_codes()
        _conflicts(place, found, best, candidates)
        return place
    if candidates:
        column, value = ("postcode", place.postcode) if place.postcode else ("town", place.town or "")
        place.candidates = candidates
        place.notes.append(PlaceNote(
            column, value or "",
            f"{'postcode ' + value if place.postcode else 'town ' + repr(value)} lies in "
            f"{len(candidates)} municipalities: {_label(candidates)}",
            "add a municipality (kommune) column or coordinates; the organisation was kept without a municipality "
            "unless its name says where it is",
        ))
        place.in_region = _in_region(candidates)
        return place
    if region not in (None, ""):
        place.in_region = _region(region)
    return place


_WHAT = {"column": "the municipality column", "coordinates": "the coordinates", "postcode": "the postcode"}


def _conflicts(place: Place, found: dict[str, tuple[str, str, str]], best: str, candidates: tuple[str, ...]) -> None:
    """A warning for each strong source that disagrees with the one kept."""
    code = found[best][0]
    for source in _STRONG:
        if source == best or source not in found:
            continue
        other, column, value = found[source]
        if other == code:
            continue
        place.notes.append(PlaceNote(
            column, value,
            f"{_WHAT[best]} ({found[best][2]}) and {_WHAT[source]} ({value}) disagree: "
            f"{municipality_name(code)} ({code}) / {municipality_name(other)} ({other}); "
            f"kept {municipality_name(code)} ({best})",
            f"check {_WHAT[best]} and {_WHAT[source]}",
        ))
    if "postcode" not in found and candidates and code not in candidates and best in ("column", "coordinates") \
            and place.postcode:
        place.notes.append(PlaceNote(
            "postcode", place.postcode,
            f"{_WHAT[best]} ({found[best][2]}) and the postcode ({place.postcode}) disagree: "
            f"{municipality_name(code)} ({code}) / {_label(candidates)}; kept {municipality_name(code)} ({best})",
            f"check {_WHAT[best]} and the postcode",
        ))


_OTHER_REGIONS = ("hovedstaden", "sjaelland", "syddanmark", "nordjylland", "bornholm")


def _region(value: Any) -> bool | None:
    """True for Region Midtjylland, False for another Danish region, None otherwise."""
    key = fold(value).replace(" ", "")
    if "midtjylland" in key:
        return True
    return False if any(r in key for r in _OTHER_REGIONS) else None
