"""Which column holds what: the usual Danish and English headers, and what a file holds.

A header is folded (case, accents, æøå, punctuation) and looked up in ``SYNONYMS``; a
bilingual header such as "Postnr / Operation postcode" is tried part by part; a trailing
number ("Partner 2") is dropped. What a header means can depend on the kind of file:
``name`` is the organisation of the row, and in a project or grant list its lead.

``detect_kind`` tells what a table holds from its fields (or its file/sheet name for the
canonical names such as ``actors.csv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.text import fold

__all__ = [
    "FIELDS",
    "KINDS",
    "LIST_FIELDS",
    "PERSONAL",
    "SYNONYMS",
    "Column",
    "field_of",
    "map_columns",
    "detect_kind",
    "kind_from_name",
]

KINDS = (
    "actor", "institution", "project", "grant", "participation", "collaboration",
    "membership", "attendance", "network", "event", "municipality",
)

# field -> headers (as ``fold`` writes them) that mean it
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "org_id": ("org id", "organisation id", "organization id", "aktoer id"),
    "project_id": ("project id", "projekt id"),
    "source_id": ("source id",),
    "target_id": ("target id",),
    "network_id": ("network id", "netvaerk id"),
    "event_id": ("event id", "arrangement id"),
    "label": ("label",),
    "name": (
        "navn", "name", "organisation", "organization", "org", "aktoer", "actor", "aktoernavn",
        "organisationsnavn", "organisation name", "organization name", "institution",
        "institutionsnavn", "forening", "foreningsnavn", "virksomhed", "virksomhedsnavn",
        "museum", "museumsnavn", "spillested", "kunstner", "ensemble",
    ),
    "title": (
        "projekt", "project", "projekttitel", "projektitel", "projektnavn", "project title",
        "project name", "titel", "title", "operation name", "projekt titel", "aktivitet",
    ),
    "lead": (
        "lead", "leder", "lead partner", "leadpartner", "ansoeger", "hovedansoeger", "modtager",
        "tilskudsmodtager", "recipient", "grantee", "beneficiary", "beneficiary name",
        "kontraktansvarlig", "kontraktansvarlig partner", "projektejer", "lead organisation",
        "lead organization", "koordinator", "coordinator", "applicant", "bevillingsmodtager",
    ),
    "partners": (
        "partnere", "parter", "partere", "partners", "project partners", "samarbejdspartnere",
        "medansoegere", "deltagere", "participants", "partnerorganisationer",
    ),
    "partner": (
        "partner", "samarbejdspartner", "organisation 2", "organization 2", "org 2",
        "organisation b", "partner organisation", "partnerorganisation", "med",
        "samarbejder med", "samarbejde med", "samarbejdspartner navn", "collaborates with",
    ),
    "role": ("rolle", "role", "funktion"),
    "year": ("aar", "year", "bevillingsaar", "tilskudsaar", "aarstal"),
    "since": ("siden", "since", "siden aar", "fra aar"),
    "start_year": ("startaar", "start aar", "start year", "start", "start year"),
    "end_year": ("slutaar", "slut aar", "end year", "slut", "til aar"),
    "start_date": ("startdato", "start dato", "start date", "operation start date", "fra dato"),
    "end_date": ("slutdato", "slut dato", "end date", "operation end date", "til dato"),
    "amount": (
        "beloeb", "tilskud", "bevilling", "bevilget", "bevilget beloeb", "budget", "budget dkk",
        "amount", "grant", "stoette", "tilskud kr", "beloeb kr", "bevilling kr", "budget kr",
        "tildelt", "tildelt beloeb", "stoettebeloeb",
    ),
    "programme": ("ordning", "program", "programme", "pulje", "tilskudsordning", "puljenavn"),
    "themes": ("tema", "temaer", "themes", "emne", "emner", "tags", "noegleord"),
    "theme": ("theme",),
    "project_municipalities": (
        "projektkommune", "projektkommuner", "project municipality", "project municipalities",
        "afholdelseskommune", "municipality codes",
    ),
    "kind": ("type", "kind", "organisationstype", "kategori", "category", "aktoertype"),
    "size": ("stoerrelse", "size"),
    "art_forms": (
        "kunstart", "kunstarter", "art form", "art forms", "genre", "genrer", "kunstform",
        "kunstformer", "disciplin", "discipliner",
    ),
    "target_groups": ("maalgruppe", "maalgrupper", "target group", "target groups", "publikum"),
    "cvr": ("cvr", "cvr nr", "cvr nummer", "cvrnr", "cvr no", "company number", "cvr number"),
    "website": ("hjemmeside", "website", "web", "url", "www", "webadresse"),
    "address": ("adresse", "address", "vejnavn", "vej", "gade", "street", "street name", "gadenavn"),
    "postcode": (
        "postnr", "postnummer", "post nr", "postcode", "zip", "zipcode", "zip code",
        "postal code", "post code", "operation postcode",
    ),
    "town": ("by", "bynavn", "town", "city", "city name", "postdistrikt"),
    "municipality": (
        "kommune", "kommunenavn", "kommunekode", "municipality", "municipality code",
        "kommune nr", "kommunenr", "municipality name",
    ),
    "in_region": ("in region",),
    "municipality_source": ("municipality source", "kommunekilde", "placeret ud fra"),
    "region": ("region", "region navn"),
    "lat": ("lat", "latitude", "breddegrad", "wgs84 lat", "bredde"),
    "lon": ("lon", "lng", "long", "longitude", "laengdegrad", "wgs84 lon", "laengde"),
    # UTM zone 32N (EPSG:25832) metres, as Danish registers write them
    "east": (
        "east", "easting", "oest", "x", "x koordinat", "utm x", "utm east", "koordinat east", "koordinat oest",
        "koordinat x", "coordinates east", "coordinate east", "oestkoordinat", "etrs89 x", "utm32 x",
    ),
    "north": (
        "north", "northing", "nord", "y", "y koordinat", "utm y", "utm north", "koordinat north", "koordinat nord",
        "koordinat y", "coordinates north", "coordinate north", "nordkoordinat", "etrs89 y", "utm32 y",
    ),
    "staff": ("ansatte", "medarbejdere", "antal ansatte", "staff", "employees", "aarsvaerk"),
    "network": ("netvaerk", "network", "network name", "netvaerksnavn"),
    "event": ("arrangement", "begivenhed", "event", "event name", "moede", "konference", "arrangementsnavn"),
    "source": ("kilde", "source"),
    "extra": ("extra",),
    # the canonical format's own names
    "code": ("code",),
    "population": ("population", "folketal", "indbyggere"),
    "population_year": ("population year",),
    "area_km2": ("area km2", "areal"),
}
FIELDS = tuple(SYNONYMS) + ("ignore",)
LIST_FIELDS = frozenset({"partners", "partner", "art_forms", "target_groups", "themes", "project_municipalities"})

# Columns about private persons are not imported (they are reported).
PERSONAL = frozenset({
    "email", "e mail", "mail", "telefon", "tlf", "tlf nr", "telefonnummer", "phone", "mobil",
    "mobile", "kontaktperson", "contact", "contacts", "kontakt", "cpr", "cpr nr", "fornavn",
    "efternavn", "first name", "last name", "personnummer",
})

_LOOKUP = {synonym: name for name, synonyms in SYNONYMS.items() for synonym in synonyms}
# the canonical CSV headers (municipality_code, budget_dkk, …) fold to these
_LOOKUP.update({
    "municipality code": "municipality", "municipality codes": "project_municipalities",
    "budget dkk": "amount", "art forms": "art_forms", "target groups": "target_groups",
})


@dataclass
class Column:
    """One column of a table: its header, position and the field it holds (None: kept
    as an extra property, or reported when the kind has no place for it)."""

    index: int
    header: str
    field: str | None
    personal: bool = False
    explicit: bool = False  # named by the user's mapping


def field_of(header: str) -> str | None:
    """The field a header names, or None.

    >>> [field_of(h) for h in ("Postnr / Operation postcode", "Målgruppe", "Partner 2", "CVR-nr.")]
    ['postcode', 'target_groups', 'partner', 'cvr']
    """
    key = fold(header)
    if key in _LOOKUP:
        return _LOOKUP[key]
    for part in re.split(r"\s*/\s*|\s+\(|\)", header):
        part_key = fold(part)
        if part_key in _LOOKUP:
            return _LOOKUP[part_key]
    stripped = re.sub(r"\s*\d+$", "", key)
    if stripped != key and stripped in _LOOKUP:
        return _LOOKUP[stripped]
    return None


def _is_personal(header: str) -> bool:
    key = fold(header)
    return key in PERSONAL or any(fold(p) in PERSONAL for p in re.split(r"\s*/\s*", header))


def map_columns(header: list[str], explicit: dict[str, str]) -> list[Column]:
    """The columns of ``header``; ``explicit`` maps headers (exactly, or folded) to fields
    and wins over the synonyms."""
    folded_explicit = {fold(k): v for k, v in explicit.items()}
    columns = []
    numbered_names = [h for h in header if re.search(r"\d+$", str(h)) and field_of(re.sub(r"\s*\d+$", "", str(h))) == "name"]
    for i, raw in enumerate(header):
        text = str(raw).strip()
        if text in explicit or fold(text) in folded_explicit:
            target = explicit.get(text, folded_explicit.get(fold(text)))
            columns.append(Column(i, text, target, explicit=True))
            continue
        found = field_of(text)
        # "Organisation 1" / "Organisation 2": the first is the row's, the second its partner
        if text in numbered_names and len(numbered_names) > 1:
            found = "name" if text == numbered_names[0] else "partner"
        columns.append(Column(i, text, found, personal=found is None and _is_personal(text)))
    return columns


_NAME_KINDS = {
    "actors": "actor", "aktoerer": "actor", "aktoer": "actor",
    "institutions": "institution", "institutioner": "institution",
    "projects": "project", "projekter": "project",
    "grants": "grant", "tilskud": "grant", "bevillinger": "grant",
    "participations": "participation", "deltagelse i projekter": "participation",
    "collaborations": "collaboration", "samarbejder": "collaboration",
    "memberships": "membership", "medlemskaber": "membership", "medlemmer": "membership",
    "attendances": "attendance", "deltagelse": "attendance", "deltagere": "attendance",
    "networks": "network", "netvaerk": "network",
    "events": "event", "arrangementer": "event",
    "municipalities": "municipality", "kommuner": "municipality",
}


def kind_from_name(name: str) -> str | None:
    """The kind a file or sheet name says ('actors.csv', sheet 'Projekter'), or None."""
    stem = fold(name.rsplit(".", 1)[0] if "." in name else name)
    return _NAME_KINDS.get(stem)


def detect_kind(fields: set[str], name_hint: str | None) -> str | None:
    """What a table holds, from the fields its columns hold (the name hint breaks ties:
    actor vs institution, and the canonical network/event/municipality files)."""
    hint = kind_from_name(name_hint) if name_hint else None
    org = bool(fields & {"name", "org_id"})
    project = bool(fields & {"title", "project_id"})
    if hint in ("network", "event", "municipality"):
        return hint
    if fields & {"network", "network_id"} and org:
        return "membership"
    if fields & {"event", "event_id"} and org:
        return "attendance"
    if (fields & {"source_id", "target_id"}) or ("partner" in fields and org and not project):
        return "collaboration"
    if project and (fields & {"org_id", "role"} or ("project_id" in fields and org)):
        return "participation"
    if project:
        if fields & {"lead", "partners", "partner", "name"} and "amount" in fields and "year" in fields:
            return "grant"
        return hint if hint in ("project", "grant", "participation") else "project"
    if "lead" in fields or "partners" in fields:
        return None
    if org:
        return hint if hint in ("actor", "institution") else "actor"
    return hint

