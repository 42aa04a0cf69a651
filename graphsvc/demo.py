"""Demo data: a seeded generator of a fictional but realistic cultural network.

``generate(size, seed=...)`` returns ``Records`` for the region's 19 municipalities: a few
large institutions and very many small actors, projects 2015–2025 with a heavy-tailed
number of partners, declared collaborations, thematic networks and yearly events.
``write_demo`` writes them as canonical CSV files. Same size and seed, same records.

How ties form (none of this is stored; it is what the analysis should rediscover):

- every organisation has a hidden *activity* (lognormal; institutions much higher), a
  local *scene* (a cluster in its municipality with a favourite art form) and, for about
  a quarter, a regional scene around a nearby municipality;
- projects are made in chronological order. A project's lead picks partners by a mix of
  mechanisms: partners from the lead's earlier projects return, partners of partners are
  pulled in (triadic closure over time), members of the lead's scenes, newcomers from the
  lead's municipality, organisations in a municipality chosen by a gravity model
  (population^0.9 / (distance + 30 km)^1.6; most often the lead's own, less so in small
  municipalities) that share the project's art form, institution hubs in the big towns,
  and plain noise. Later projects therefore depend on earlier ones;
- about 10% of the organisations (small or medium actors, never institutions) have no
  tie of any kind; every other organisation has at least one project or collaboration.

Municipality pairs with no tie at all (no shared project, collaboration, network or
event), at every size and seed — ``NO_TIE_PAIRS``: Samsø–Lemvig (741–665), Samsø–Struer
(741–671) and Lemvig–Odder (665–727). Small, distant municipalities, so the gap analysis
has clear cases to find. Other pairs of small, distant municipalities share no project
or collaboration by chance (16 pairs in the demo size with the default seed, mostly
Struer, Lemvig, Odder and Samsø with the far side of the region), but they do meet in
networks and at events; counting those, only ``NO_TIE_PAIRS`` have no tie.

Names are composed from place names of the postcode table and Danish words; no real
persons. CVR numbers are random 8-digit numbers with a valid modulus-11 check digit.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

import numpy as np
from pydantic import BaseModel

from graphsvc.model import (
    Actor,
    Attendance,
    Collaboration,
    Event,
    Institution,
    Membership,
    Network,
    Participation,
    Project,
    Records,
)
from graphsvc.reference import boundaries, municipalities, postcodes
from loaders.canonical import write_canonical

__all__ = ["SIZES", "SizeSpec", "NO_TIE_PAIRS", "ART_FORMS", "TARGET_GROUPS", "generate", "write_demo"]


@dataclass(frozen=True)
class SizeSpec:
    organisations: int
    projects: int


SIZES: dict[str, SizeSpec] = {
    "demo": SizeSpec(1_500, 600),
    "S": SizeSpec(2_000, 1_500),
    "M": SizeSpec(20_000, 15_000),
    "L": SizeSpec(100_000, 75_000),
}

NO_TIE_PAIRS: tuple[tuple[str, str], ...] = (("741", "665"), ("741", "671"), ("665", "727"))
"""Municipality pairs (kommunekode) that never share a project, collaboration, network
or event: Samsø–Lemvig, Samsø–Struer, Lemvig–Odder."""

ART_FORMS = (
    "teater", "scenekunst for børn", "dans", "klassisk musik", "rytmisk musik",
    "billedkunst", "kunsthåndværk", "design", "arkitektur", "litteratur", "film",
    "kulturarv", "digital kunst",
)  # fmt: skip
TARGET_GROUPS = (
    "børn", "unge", "ældre", "familier", "borgere i landdistrikter",
    "skoler og daginstitutioner", "nydanskere", "mennesker med handicap", "turister",
    "professionelle kunstnere",
)  # fmt: skip
_THEMES = (
    "fællesskab", "bæredygtighed", "digitalisering", "kultur og sundhed",
    "talentudvikling", "frivillighed", "byudvikling", "dannelse",
)  # fmt: skip
_WORDS = (
    "Fjordlys", "Lyngen", "Heden", "Kilden", "Gnisten", "Nordlys", "Havblik", "Stjernen",
    "Tusmørke", "Skovbrynet", "Engen", "Fyrtårnet", "Klitten", "Bølgen", "Vindmøllen",
    "Tranen", "Svalen", "Uglen", "Egetræet", "Birken", "Rønnebær", "Hyldeblomst",
    "Kastanjen", "Vestenvind", "Østerlys", "Karavanen", "Pakhuset", "Remisen", "Smedjen",
    "Mejeriet", "Kornmagasinet", "Stationen", "Bryggeriet", "Savværket", "Blækhuset",
    "Lanternen", "Hjertet", "Gløden", "Loftet", "Ladegården", "Valmuen", "Kornblomsten",
    "Blåklokken", "Marehalm", "Sandflugt", "Solsikken", "Lærken", "Ravnen", "Ålegræs",
    "Ådalen", "Mosen", "Bakkedraget", "Højskolebakken", "Tårnet", "Vævestuen", "Kompasset",
    "Ankeret", "Spejlet", "Perlen", "Kløveret", "Nattergalen", "Skumringen", "Morgengry",
    "Sommerfuglen", "Krukken", "Tømmerflåden", "Æblehaven", "Ørnereden", "Rugmarken",
    "Fyrresvinget", "Sejlet", "Kvadraten", "Cirklen", "Trappen", "Gården", "Broen",
    "Hedeblomsten", "Kulturkøkkenet", "Bogladen", "Rampelyset", "Kulissen", "Tonefaldet",
    "Akkorden", "Penselstrøget", "Lerklumpen", "Vandspejlet", "Sandkornet", "Strandvejen",
    "Digeløkken", "Markstien", "Lysthuset", "Sirenen", "Drivhuset", "Fabrikken", "Maskinhallen",
    "Tårnuret", "Gadekæret", "Fjordstien", "Hedegården", "Kragereden", "Stormfloden",
)  # fmt: skip
_PLACES = ("Åen", "Fjorden", "Torvet", "Havnen", "Søen", "Stationen", "Banen", "Kirken", "Skoven", "Engen")
_STREETS = (
    "Algade", "Vestergade", "Søndergade", "Østergade", "Nørregade", "Storegade",
    "Kirkevej", "Skolegade", "Havnevej", "Stationsvej", "Møllevej", "Bredgade", "Torvet",
    "Åboulevarden", "Industrivej", "Engvej", "Parkvej", "Banegårdsgade", "Kulturvej",
)  # fmt: skip


@dataclass(frozen=True)
class _Kind:
    """A kind of organisation: how common, its art forms (weights), name templates and
    size shares (small, medium, large)."""

    weight: float
    arts: dict[str, float]
    templates: tuple[str, ...]
    sizes: tuple[float, float, float]


_ART_INDEX = {a: k for k, a in enumerate(ART_FORMS)}
_ANY_ART = {a: 1.0 for a in ART_FORMS}
_ACTOR_KINDS: dict[str, _Kind] = {
    "forening": _Kind(0.22, _ANY_ART | {"kulturarv": 3.0, "litteratur": 2.0, "film": 2.0}, (
        "Kulturforeningen {word}", "{town} Kunstforening", "Foreningen {word}",
        "{town} Musikforening", "Litteraturforeningen {word}", "Filmklubben {word}",
        "{town} Lokalhistoriske Forening", "Venneforeningen {word}", "{word} Kulturforening",
    ), (0.9, 0.1, 0.0)),
    "amatørteater": _Kind(0.09, {"teater": 5.0, "scenekunst for børn": 2.0, "dans": 0.5}, (
        "{town} Amatørteater", "Teatret ved {place}", "Teaterforeningen {word}",
        "{word}scenen", "{town} Revyen", "Børneteatret {word}",
    ), (0.9, 0.1, 0.0)),
    "kor": _Kind(0.10, {"klassisk musik": 4.0, "rytmisk musik": 2.0}, (
        "{town} Kammerkor", "{town} Gospelkor", "Koret {word}", "{town} Pigekor",
        "Vokalgruppen {word}", "{town} Sangkor", "{town} Sangforening",
    ), (0.92, 0.08, 0.0)),
    "band": _Kind(0.07, {"rytmisk musik": 5.0}, (
        "{word} Band", "{town} Big Band", "{town} Brassband", "{word} Orkester",
    ), (0.95, 0.05, 0.0)),
    "ensemble": _Kind(0.05, {"klassisk musik": 4.0, "dans": 1.0, "teater": 0.5}, (
        "Ensemble {word}", "{word} Kvartet", "Trioen {word}", "{town} Kammerensemble",
        "Dansekompagniet {word}",
    ), (0.8, 0.2, 0.0)),
    "festival": _Kind(0.07, {"rytmisk musik": 3.0, "film": 1.0, "litteratur": 1.0,
                             "scenekunst for børn": 1.0, "teater": 1.0}, (
        "{town} Festival", "{word}festivalen", "{town} Jazzfestival", "Festivalen {word}",
        "{town} Børnekulturfestival", "{town} Litteraturfestival",
    ), (0.6, 0.36, 0.04)),
    "spillested": _Kind(0.05, {"rytmisk musik": 5.0, "teater": 0.5}, (
        "Spillestedet {word}", "{word} Musikcafé", "Pakhuset i {town}", "Scenen ved {place}",
    ), (0.65, 0.35, 0.0)),
    "kunstner": _Kind(0.17, {"billedkunst": 4.0, "kunsthåndværk": 2.0, "design": 1.0,
                             "digital kunst": 1.0, "litteratur": 1.0, "dans": 0.5}, (
        "Atelier {word}", "Studio {word}", "{word} Keramik", "Værkstedet {word}",
        "Kunstnerkollektivet {word}", "Glaspusteriet {word}",
    ), (0.97, 0.03, 0.0)),
    "galleri": _Kind(0.06, {"billedkunst": 4.0, "kunsthåndværk": 2.0, "design": 1.0}, (
        "Galleri {word}", "Galleri {town}", "{word} Kunstrum", "Udstillingsstedet {word}",
    ), (0.85, 0.15, 0.0)),
    "virksomhed": _Kind(0.12, {"film": 2.0, "design": 2.0, "digital kunst": 1.0,
                               "arkitektur": 1.0, "scenekunst for børn": 1.5}, (
        "{word} Film ApS", "{word} Produktion", "Forlaget {word}", "{word} Design",
        "Teaterkompagniet {word}", "Tegnestuen {word}",
    ), (0.75, 0.25, 0.0)),
}  # fmt: skip
_INSTITUTION_KINDS: dict[str, _Kind] = {
    "museum": _Kind(0.32, {"kulturarv": 5.0, "billedkunst": 2.0, "design": 1.0, "arkitektur": 1.0}, (
        "{town} Museum", "Museum {word}", "{muni} Kunstmuseum", "{town} Egnsmuseum",
        "Museet på {word}",
    ), (0.0, 0.6, 0.4)),
    "teater": _Kind(0.16, {"teater": 5.0, "scenekunst for børn": 2.0, "dans": 1.0}, (
        "{town} Teater", "Egnsteatret {word}", "Teatret {word}", "{muni} Børneteater",
    ), (0.0, 0.6, 0.4)),
    "koncerthus": _Kind(0.05, {"klassisk musik": 4.0, "rytmisk musik": 3.0, "dans": 1.0}, (
        "{town} Koncerthus", "Musikhuset {word}", "Koncertsalen {word}",
    ), (0.0, 0.3, 0.7)),
    "bibliotek": _Kind(0.05, {"litteratur": 5.0, "film": 1.0, "kulturarv": 1.0}, (
        "{town} Bibliotek", "{muni} Bibliotekerne", "Biblioteket i {town}",
    ), (0.0, 0.7, 0.3)),
    "kunstskole": _Kind(0.12, {"billedkunst": 4.0, "kunsthåndværk": 2.0, "design": 1.0}, (
        "{town} Billedskole", "Kunstskolen {word}", "{muni} Billedskole",
    ), (0.0, 0.9, 0.1)),
    "musikskole": _Kind(0.04, {"klassisk musik": 3.0, "rytmisk musik": 3.0}, (
        "{muni} Musikskole", "{town} Musik- og Kulturskole", "Musikskolen {word}",
    ), (0.0, 0.8, 0.2)),
    "kulturhus": _Kind(0.26, {"rytmisk musik": 2.0, "teater": 2.0, "film": 1.0,
                              "billedkunst": 1.0, "litteratur": 1.0}, (
        "Kulturhuset {word}", "{town} Kulturhus", "Kulturhus {word}", "{town} Kulturcenter",
    ), (0.0, 0.75, 0.25)),
}  # fmt: skip
# Names that need escaping in HTML and CSV, each given to one actor of the kind.
_SPECIAL_NAMES = (
    ("forening", "Musik & Ord"),
    ("amatørteater", 'Teatret "Bag Tæppet"'),
    ("kor", "Sang, Spil og Samvær"),
    ("galleri", "Kunst & Kaffe"),
    ("festival", "Ord, Billeder & Toner"),
    ("band", "Rock'n'Roll-klubben Gnisten"),
)
_MAIN_TOWNS = {
    "615": ("Horsens",), "657": ("Herning",), "661": ("Holstebro",), "665": ("Lemvig",),
    "671": ("Struer",), "706": ("Ebeltoft", "Rønde"), "707": ("Grenaa",),
    "710": ("Hinnerup", "Hadsten", "Hammel", "Bjerringbro"), "727": ("Odder",),
    "730": ("Randers C",), "740": ("Silkeborg",), "741": ("Samsø",), "746": ("Skanderborg",),
    "751": ("Aarhus C", "Aarhus N", "Aarhus V"), "756": ("Ikast", "Brande"),
    "760": ("Ringkøbing", "Skjern"), "766": ("Hedensted", "Juelsminde"), "779": ("Skive",),
    "791": ("Viborg",),
}  # fmt: skip
# Postcodes that reach into a municipality but whose town lies outside the region.
_FOREIGN_TOWNS = {"Vejle", "Vejle Øst", "Hobro", "Hurup Thy", "Give", "Aalestrup", "Gedsted",
                  "Ølgod", "Nørre Nebel", "Mariager"}
_PROGRAMMES_REGIONAL = ("Regional kulturpulje", "Kulturaftale Midtjylland", "Statens Kunstfond",
                        "Regional udviklingspulje")
# (the municipal pool twice: most single-municipality projects are funded by it)
_PROGRAMMES_LOCAL = ("Kommunal kulturpulje", "Lokal fondsstøtte", "Kommunal kulturpulje",
                     "Landdistriktspuljen")
_TITLES = (
    "{Art} for {group} i {town}", "{word}: {art} på tværs", "{Art} i {home}",
    "{word}-projektet", "Sommer i {town}", "{word} – kultur for alle",
)  # fmt: skip
_TITLES_ACROSS = ("{Art} mellem {home} og {other}", "Fra {home} til {other}")
_SPECIAL_TITLES = ("Børn, bøger & billeder", 'Projekt "Åbne døre"')
_COLLABORATION_SOURCES = ("survey", "survey", "survey", "interview", "agreement")

# How a project's partner slots are filled (shares; see the module docstring).
_PARTNER_MIX = (
    ("repeat", 0.20), ("closure", 0.12), ("scene", 0.24), ("newcomer", 0.15),
    ("gravity", 0.20), ("hub", 0.05), ("noise", 0.04),
)  # fmt: skip
M = TypeVar("M", bound=BaseModel)
_MAX_PARTICIPANTS = 60
_ISOLATED_SHARE = 0.10
_INSTITUTION_SHARE = 0.05
_COLLABORATIONS_PER_ORG = 0.12


def _builder(cls: type[M]) -> Callable[..., M]:
    """``cls.model_construct``: the values generated here are valid by construction, so
    they skip validation (the tests re-validate every record of the demo size)."""
    return cls.model_construct


def _shares(kinds: dict[str, _Kind]) -> np.ndarray:
    w = np.array([k.weight for k in kinds.values()])
    return w / w.sum()


def _haversine_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    lat, lon = np.radians(lat), np.radians(lon)
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


def _allocate(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder),
    each at least ``minimum``."""
    out = np.full(len(weights), minimum, dtype=np.int64)
    rest = total - out.sum()
    share = weights / weights.sum() * rest
    out += np.floor(share).astype(np.int64)
    order = np.argsort(-(share - np.floor(share)), kind="stable")
    out[order[: total - out.sum()]] += 1
    return out


class _Draw:
    """Weighted draws with replacement from a fixed pool, refilled in growing chunks so
    that a draw costs a list lookup, not a numpy call."""

    __slots__ = ("items", "cum", "rng", "buf", "pos", "chunk")

    def __init__(self, rng: np.random.Generator, items: Sequence[int], weights: Sequence[float]):
        self.items = np.asarray(items)
        cum = np.cumsum(np.asarray(weights, dtype=float))
        self.cum = cum / cum[-1]
        self.rng = rng
        self.buf: list[int] = []
        self.pos = 0
        self.chunk = 8

    def __call__(self) -> int:
        if self.pos == len(self.buf):
            u = self.rng.random(self.chunk)
            self.buf = self.items[np.searchsorted(self.cum, u, side="right")].tolist()
            self.pos = 0
            self.chunk = min(self.chunk * 2, 8192)
        self.pos += 1
        return self.buf[self.pos - 1]


@cache
def _base_town(town: str) -> str:
    """``Aarhus C`` -> ``Aarhus``, ``Karup J`` -> ``Karup``, ``Stoholm Jyll`` -> ``Stoholm``."""
    return re.sub(r" (C|N|V|J|Ø|S|SV|NV|NØ|SØ|St|Jyll)$", "", town)


def _slug(name: str) -> str:
    name = name.lower().replace("&", "og")
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e")):
        name = name.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "", name)


def _inside(lon: np.ndarray, lat: np.ndarray, rings: list[np.ndarray]) -> np.ndarray:
    """Even-odd point-in-polygon test of many points against a municipality's rings."""
    inside = np.zeros(len(lon), dtype=bool)
    for ring in rings:
        x1, y1 = ring[:-1, 0], ring[:-1, 1]
        x2, y2 = ring[1:, 0], ring[1:, 1]
        for i in range(len(x1)):
            crosses = (y1[i] > lat) != (y2[i] > lat)
            if not crosses.any():
                continue
            x_at = x1[i] + (lat - y1[i]) * (x2[i] - x1[i]) / (y2[i] - y1[i] or 1e-12)
            inside ^= crosses & (lon < x_at)
    return inside


def _rings_by_municipality() -> dict[str, list[np.ndarray]]:
    rings: dict[str, list[np.ndarray]] = {}
    for feature in boundaries()["features"]:
        code = feature["properties"]["kommunekode"]
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            rings.setdefault(code, []).extend(np.asarray(r, dtype=float) for r in polygon)
    return rings


class _Generator:
    def __init__(self, spec: SizeSpec, seed: int):
        self.spec = spec
        self.rng = np.random.default_rng(seed)
        self.r = random.Random(seed)
        munis = municipalities()
        self.codes = [m.code for m in munis]
        self.names = [m.name for m in munis]
        self.pop = np.array([m.population for m in munis], dtype=float)
        self.mlat = np.array([m.lat for m in munis])
        self.mlon = np.array([m.lon for m in munis])
        self.area = np.array([m.area_km2 for m in munis])
        self.dist = _haversine_km(self.mlat, self.mlon)
        index = {c: i for i, c in enumerate(self.codes)}
        self.forbid = [0] * len(munis)  # bit mask of municipalities m may never meet
        for a, b in NO_TIE_PAIRS:
            self.forbid[index[a]] |= 1 << index[b]
            self.forbid[index[b]] |= 1 << index[a]
        self.towns = self._towns()

    # --- places ----------------------------------------------------------------------

    def _towns(self) -> list[tuple[list[tuple[str, str]], np.ndarray]]:
        """Per municipality: (postcode, town) rows and the weight of each (main towns
        get most organisations; towns that are another municipality's main town or lie
        outside the region are left out)."""
        mains = {_base_town(t) for ts in _MAIN_TOWNS.values() for t in ts}
        out = []
        for code in self.codes:
            own = {_base_town(t) for t in _MAIN_TOWNS[code]}
            rows = sorted(
                {(r["postcode"], r["town"]) for r in postcodes() if r["municipality_code"] == code}
            )
            rows = [
                (p, t) for p, t in rows
                if t not in _FOREIGN_TOWNS and (_base_town(t) in own or _base_town(t) not in mains)
            ]  # fmt: skip
            weights = np.array([12.0 / len(_MAIN_TOWNS[code]) if t in _MAIN_TOWNS[code] else 1.0
                                for _, t in rows])
            out.append((rows, weights))
        return out

    def _coordinates(self, muni: np.ndarray, spread: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Points jittered around each municipality's centroid, inside its boundary."""
        lat, lon = self.mlat[muni].copy(), self.mlon[muni].copy()
        radius_km = np.sqrt(self.area[muni] / math.pi) * 0.45 * spread
        rings = _rings_by_municipality()
        for m, code in enumerate(self.codes):
            todo = np.flatnonzero(muni == m)
            for _ in range(30):
                if len(todo) == 0:
                    break
                dlat = self.rng.normal(0, 1, len(todo)) * radius_km[todo] / 111.0
                dlon = self.rng.normal(0, 1, len(todo)) * radius_km[todo] / (
                    111.0 * math.cos(math.radians(self.mlat[m]))
                )
                clat, clon = self.mlat[m] + dlat, self.mlon[m] + dlon
                ok = _inside(clon, clat, rings[code])
                lat[todo[ok]], lon[todo[ok]] = clat[ok], clon[ok]
                todo = todo[~ok]
            # whatever is left keeps the centroid, which lies inside the mainland
        return np.round(lat, 5), np.round(lon, 5)

    # --- organisations ---------------------------------------------------------------

    def organisations(self) -> None:
        """Who exists: kind, size, art forms, target groups, place, hidden activity."""
        r, rng = self.r, self.rng
        n = self.spec.organisations
        n_inst = round(n * _INSTITUTION_SHARE)
        nm = len(self.codes)
        # institutions: a library and a music school everywhere when there are enough,
        # the rest mostly in the big towns
        base = 2 if n_inst >= 3 * nm else 0
        inst_per = _allocate(n_inst - base * nm, self.pop**1.4) + base
        actor_per = _allocate(n - n_inst, self.pop**0.9, minimum=min(3, (n - n_inst) // nm))
        inst_kinds, act_kinds = list(_INSTITUTION_KINDS), list(_ACTOR_KINDS)
        kinds: list[str] = []
        muni: list[int] = []
        is_inst: list[bool] = []
        for m in range(nm):
            free = int(inst_per[m]) - min(base, int(inst_per[m]))
            kinds += ["bibliotek", "musikskole"][: int(inst_per[m])] if base else []
            kinds += rng.choice(inst_kinds, size=free, p=_shares(_INSTITUTION_KINDS)).tolist()
            kinds += rng.choice(act_kinds, size=int(actor_per[m]), p=_shares(_ACTOR_KINDS)).tolist()
            muni += [m] * int(inst_per[m] + actor_per[m])
            is_inst += [True] * int(inst_per[m]) + [False] * int(actor_per[m])
        # ids do not follow municipalities: shuffle once
        order = rng.permutation(n).tolist()
        self.muni = [muni[i] for i in order]
        self.is_inst = [is_inst[i] for i in order]
        self.kinds = [kinds[i] for i in order]
        for i in range(n):
            if self.kinds[i] == "koncerthus" and self.pop[self.muni[i]] < 80_000:
                self.kinds[i] = "kulturhus"  # concert halls only in the big towns
        specs = [(_INSTITUTION_KINDS if self.is_inst[i] else _ACTOR_KINDS)[self.kinds[i]] for i in range(n)]

        small_town = self.pop[self.muni] < 60_000
        shares = np.array([s.sizes for s in specs])
        # few large institutions in small towns
        move = np.array(self.is_inst) & small_town
        shares[move, 1] += shares[move, 2] * 0.7
        shares[move, 2] *= 0.3
        u = rng.random(n)
        size_idx = (u >= shares[:, 0]).astype(int) + (u >= shares[:, 0] + shares[:, 1])
        self.sizes = [("small", "medium", "large")[k] for k in size_idx.tolist()]

        n_arts = np.where(self.is_inst, rng.choice([1, 2, 3], n, p=[0.25, 0.45, 0.30]),
                          rng.choice([1, 2, 3], n, p=[0.45, 0.38, 0.17])).tolist()  # fmt: skip
        n_groups = rng.choice([0, 1, 2, 3], n, p=[0.25, 0.35, 0.25, 0.15]).tolist()
        cum = {id(s): (list(s.arts), list(itertools.accumulate(s.arts.values()))) for s in specs}
        self.arts, self.groups = [], []
        for i in range(n):
            names, cw = cum[id(specs[i])]
            chosen = [r.choices(names, cum_weights=cw)[0]]
            while len(chosen) < n_arts[i]:
                a = r.choices(names, cum_weights=cw)[0] if r.random() < 0.7 else r.choice(ART_FORMS)
                if a not in chosen:
                    chosen.append(a)
            self.arts.append(chosen)
            groups = ["børn", "familier"][: max(n_groups[i], 1)] if "scenekunst for børn" in chosen else []
            while len(groups) < n_groups[i]:
                g = r.choice(TARGET_GROUPS)
                if g not in groups:
                    groups.append(g)
            self.groups.append(groups)
        self.art_idx = [[_ART_INDEX[a] for a in arts] for arts in self.arts]

        size_factor = np.array([1.0, 2.5, 4.0])[size_idx]
        activity = rng.lognormal(0.0, 0.9, n) * np.where(self.is_inst, 4.0, 1.0) * size_factor
        self.activity = activity.tolist()
        # organisations with no partner at all: small actors mostly, never institutions
        w = np.where(self.is_inst, 0.0, np.where(size_idx == 0, 1.0, 0.3))
        isolated = rng.choice(n, size=round(n * _ISOLATED_SHARE), replace=False, p=w / w.sum())
        active = np.ones(n, dtype=bool)
        active[isolated] = False
        self.active = active.tolist()
        self._places()
        self._details(size_idx)

    def _places(self) -> None:
        """Postcode and town in the municipality; coordinates near its centroid."""
        rng, n = self.rng, len(self.kinds)
        muni = np.array(self.muni)
        inst = np.array(self.is_inst)
        self.postcode, self.town = [""] * n, [""] * n
        for m, (rows, weights) in enumerate(self.towns):
            for group, w in ((~inst, weights), (inst, np.where(weights > 1.0, weights * 3, weights))):
                idx = np.flatnonzero((muni == m) & group)
                picks = rng.choice(len(rows), size=len(idx), p=w / w.sum()).tolist()
                for i, k in zip(idx.tolist(), picks, strict=True):
                    self.postcode[i], self.town[i] = rows[k]
        lat, lon = self._coordinates(muni, np.where(inst, 0.5, 1.0))
        self.lat, self.lon = lat.tolist(), lon.tolist()

    def _details(self, size_idx: np.ndarray) -> None:
        """Names, CVR, website, address, staff and budget (some unknown, as in real lists)."""
        rng, n = self.rng, len(self.kinds)
        inst = np.array(self.is_inst)
        # CVR: 7 random digits and a modulus-11 check digit (redrawn when it would be 10)
        digits = rng.integers(0, 10, size=(n * 2, 7))
        digits[:, 0] = rng.integers(1, 10, size=n * 2)
        check = (-(digits @ np.array([2, 7, 6, 5, 4, 3, 2]))) % 11
        numbers = (digits @ (10 ** np.arange(7, 0, -1)) + check)[check < 10]
        _, first = np.unique(numbers, return_index=True)
        numbers = numbers[np.sort(first)][:n]
        has_cvr = (inst | (rng.random(n) < 0.75)).tolist()
        self.cvr = [str(c) if ok else None for c, ok in zip(numbers.tolist(), has_cvr, strict=True)]
        known = (inst | (rng.random(n) < 0.7)).tolist()
        low, high = np.array([0, 2, 20])[size_idx], np.array([3, 25, 250])[size_idx]
        staff = rng.integers(low, high + 1).tolist()
        budget = np.round(rng.lognormal(np.array([11.5, 14.5, 17.0])[size_idx], 0.6), -3).tolist()
        self.staff = [s if k else None for s, k in zip(staff, known, strict=True)]
        self.budget = [b if k else None for b, k in zip(budget, known, strict=True)]
        streets = rng.integers(0, len(_STREETS), n).tolist()
        numbers = rng.integers(1, 121, n).tolist()
        self.address = [f"{_STREETS[s]} {k}" for s, k in zip(streets, numbers, strict=True)]
        self.org_names = self._names()
        has_site = (inst | (rng.random(n) < 0.55)).tolist()
        self.website = [f"https://www.{_slug(name)}.dk" if ok else None
                        for name, ok in zip(self.org_names, has_site, strict=True)]  # fmt: skip

    def _names(self) -> list[str]:
        """Unique names from the kind's templates; a name already taken is tried again,
        then with the town, then with a founding year."""
        rng, n, tries = self.rng, len(self.kinds), 8
        # random choices drawn up front: a list lookup per try instead of random calls
        template = rng.integers(0, 1 << 30, size=(n, tries)).tolist()
        word = rng.integers(0, len(_WORDS), size=(n, tries)).tolist()
        place = rng.integers(0, len(_PLACES), size=(n, tries)).tolist()
        year = rng.integers(1890, 2021, size=(n, tries)).tolist()
        used: set[str] = set()
        out: list[str] = []
        special: dict[int, str] = {}  # each given to one actor of its kind, drawn at random
        for kind, name in _SPECIAL_NAMES:
            holders = [i for i, k in enumerate(self.kinds) if k == kind and not self.is_inst[i]]
            if holders:
                special[self.r.choice(holders)] = name
        for i, kind in enumerate(self.kinds):
            name = special.get(i)
            templates = (_INSTITUTION_KINDS if self.is_inst[i] else _ACTOR_KINDS)[kind].templates
            town, muni = _base_town(self.town[i]), self.names[self.muni[i]]
            for t in range(tries):
                if name is not None and name not in used:
                    break
                pattern = templates[template[i][t] % len(templates)]
                name = pattern.format(
                    town=town, muni=muni, word=_WORDS[word[i][t]], place=_PLACES[place[i][t]]
                )
                if t >= 2 and "{town}" not in pattern:
                    name = f"{name} i {town}"
                if t >= 4:  # common names recur: "… af 1952", as associations do
                    name = f"{name} af {year[i][t]}"
            k = 2
            while name in used:
                name = f"{name.rsplit(', afd. ', 1)[0]}, afd. {k}"
                k += 1
            used.add(name)
            out.append(name)
        return out

    # --- scenes and samplers ---------------------------------------------------------

    def scenes(self) -> None:
        """Hidden clusters: a local scene per ~35 organisations of a municipality, each
        with a favourite art form, and regional scenes around a seed municipality."""
        r, n, nm = self.r, len(self.kinds), len(self.codes)
        actives = [i for i in range(n) if self.active[i]]
        by_muni: list[list[int]] = [[] for _ in range(nm)]
        for i in actives:
            by_muni[self.muni[i]].append(i)
        self.local_scene = [-1] * n
        self.regional_scene = [-1] * n
        members: list[list[int]] = []
        for m in range(nm):
            k = max(1, round(len(by_muni[m]) / 35))
            first = len(members)
            by_flavour: dict[int, list[int]] = {}
            for s in range(k):
                by_flavour.setdefault(r.randrange(len(ART_FORMS)), []).append(s)
            members += [[] for _ in range(k)]
            for i in by_muni[m]:
                fits = [s for a in self.art_idx[i] for s in by_flavour.get(a, ())]
                s = r.choice(fits) if fits and r.random() < 0.7 else r.randrange(k)
                self.local_scene[i] = first + s
                members[first + s].append(i)
        n_regional = max(2, round(n / 250))
        seeds = self.rng.choice(nm, size=n_regional, p=self.pop / self.pop.sum())
        flavours = np.array([r.randrange(len(ART_FORMS)) for _ in range(n_regional)])
        first = len(members)
        members += [[] for _ in range(n_regional)]
        near = 1.0 / (self.dist[:, seeds] + 20.0) ** 2  # municipality x regional scene
        draws: dict[tuple[int, int], _Draw] = {}
        for i in actives:
            if r.random() < 0.25:
                # a regional scene nearby, three times likelier with the same favourite art form
                key = (self.muni[i], r.choice(self.art_idx[i]))
                if key not in draws:
                    w = near[key[0]] * np.where(flavours == key[1], 3.0, 1.0)
                    draws[key] = _Draw(self.rng, range(n_regional), w)
                s = draws[key]()
                self.regional_scene[i] = first + s
                members[first + s].append(i)
        act = self.activity
        self.scene_draw = [_Draw(self.rng, ms, [act[i] for i in ms]) if ms else None for ms in members]

    def samplers(self) -> None:
        rng, n, nm = self.rng, len(self.kinds), len(self.codes)
        act = self.activity
        actives = [i for i in range(n) if self.active[i]]
        lead_w = [act[i] * (2.0 if self.is_inst[i] else 1.0) for i in actives]
        self.lead_draw = _Draw(rng, actives, lead_w)
        self.noise_draw = _Draw(rng, actives, [1.0] * len(actives))
        pools: dict[tuple[int, int], list[int]] = {}
        by_muni: list[list[int]] = [[] for _ in range(nm)]
        inst_by_muni: list[list[int]] = [[] for _ in range(nm)]
        for i in actives:
            m = self.muni[i]
            by_muni[m].append(i)
            if self.is_inst[i]:
                inst_by_muni[m].append(i)
            for a in self.art_idx[i]:
                pools.setdefault((m, a), []).append(i)
        self.muni_draw = [_Draw(rng, ms, [act[i] for i in ms]) if ms else None for ms in by_muni]
        self.inst_draw = [_Draw(rng, ms, [act[i] for i in ms]) if ms else None for ms in inst_by_muni]
        self.muni_art_draw = {key: _Draw(rng, ms, [act[i] for i in ms]) for key, ms in sorted(pools.items())}

        # partners mostly from the lead's own municipality, less so in small ones (fewer
        # partners at home) and for institutions (they reach further); the rest by
        # gravity, never across NO_TIE_PAIRS
        home = np.clip(0.45 + 0.35 * np.log10(self.pop / 10_000), 0.3, 0.88)

        def gravity(exponent: float, own: np.ndarray) -> list[_Draw]:
            draws = []
            for m in range(nm):
                w = self.pop**exponent / (self.dist[m] + 30.0) ** 1.6
                w[m] = 0.0
                for b in range(nm):
                    if self.forbid[m] >> b & 1 or not by_muni[b]:
                        w[b] = 0.0
                w = w / w.sum() * (1.0 - own[m])
                w[m] = own[m]
                draws.append(_Draw(rng, range(nm), w))
            return draws

        self.gravity_draw = (gravity(0.9, home), gravity(0.9, np.maximum(home - 0.2, 0.1)))
        self.hub_gravity_draw = gravity(1.5, np.maximum(home - 0.35, 0.05))  # hubs: big towns
        # newcomers: organisations without ties yet, per municipality and region-wide
        self.used = bytearray(n)
        self.fresh_by_muni = [self._shuffled(ms) for ms in by_muni]
        self.fresh = self._shuffled(actives)

    def _shuffled(self, items: list[int]) -> list[int]:
        items = list(items)
        self.r.shuffle(items)
        return items

    def _fresh(self, pool: list[int]) -> int | None:
        """An organisation from ``pool`` without ties yet (pool is consumed lazily)."""
        while pool:
            c = pool[-1]
            if not self.used[c]:
                return c
            pool.pop()
        return None

    # --- projects --------------------------------------------------------------------

    def _earlier_partner(self, x: int, before: int | None = None) -> int | None:
        """A random co-participant of ``x`` in its projects (with index < ``before``)."""
        projs = self.org_projects[x]
        k = len(projs) if before is None else bisect_left(projs, before)
        if k == 0:
            return None
        members = self.members[projs[self.r.randrange(k)]]
        if len(members) < 2:
            return None
        j = self.r.randrange(len(members))
        return members[j] if members[j] != x else members[j - 1]

    def _candidate(self, mech: str, lead: int, m: int, art: int, members: list[int]) -> int | None:
        r = self.r
        if mech == "repeat":
            return self._earlier_partner(lead)
        if mech == "closure":
            y = self._earlier_partner(members[r.randrange(len(members))])
            return self._earlier_partner(y) if y is not None else None
        if mech == "scene":
            s = self.regional_scene[lead]
            if s < 0 or r.random() < 0.7:
                s = self.local_scene[lead]
            draw = self.scene_draw[s]
            return draw() if draw else None
        if mech == "newcomer":
            c = self._fresh(self.fresh_by_muni[m])
            if c is not None and art not in self.art_idx[c] and r.random() < 0.7:
                return None  # homophily: a newcomer of another art form joins less often
            return c
        if mech == "hub":
            draw = self.inst_draw[self.hub_gravity_draw[m]()]
            return draw() if draw else None
        if mech == "gravity":
            m2 = self.gravity_draw[self.is_inst[lead]][m]()
            draw = self.muni_art_draw.get((m2, art)) if r.random() < 0.85 else None
            draw = draw or self.muni_draw[m2]
            return draw() if draw else None
        return self.noise_draw()

    def projects(self) -> None:
        r, rng = self.r, self.rng
        n_proj = self.spec.projects
        years = np.arange(2015, 2026)
        weights = 1.0 + 0.06 * (years - 2015)
        weights[years == 2020] *= 0.8  # fewer projects in the pandemic year
        counts = _allocate(n_proj, weights)
        self.proj_year = np.repeat(years, counts).tolist()
        self.first_of_year = {int(y): int(np.searchsorted(self.proj_year, y)) for y in range(2000, 2030)}
        ks = np.arange(2, _MAX_PARTICIPANTS + 1)
        # participants: a truncated, shifted power law, heavier for institution leads
        size_inst = _Draw(rng, ks, (ks + 1.0) ** -2.8)
        size_actor = _Draw(rng, ks, (ks + 1.0) ** -3.0)
        mech_names = [name for name, _ in _PARTNER_MIX]
        mech_cum = np.cumsum([w for _, w in _PARTNER_MIX]).tolist()
        n = len(self.kinds)
        self.org_projects: list[list[int]] = [[] for _ in range(n)]
        self.members: list[list[int]] = []
        self.proj_art: list[int] = []
        self.proj_by_muni: list[list[int]] = [[] for _ in self.codes]
        for j in range(n_proj):
            lead = self._fresh(self.fresh) if r.random() < 0.15 else None
            if lead is None:
                lead = self.lead_draw()
            m = self.muni[lead]
            art = r.choice(self.art_idx[lead])
            target = size_inst() if self.is_inst[lead] else size_actor()
            members = [lead]
            present = {lead}
            mask = 1 << m
            for _ in range(6 * target + 10):
                if len(members) >= target:
                    break
                u = r.random()
                mech = mech_names[bisect_left(mech_cum, u)] if u < mech_cum[-1] else "noise"
                c = self._candidate(mech, lead, m, art, members)
                if c is None:
                    c = self._candidate("gravity", lead, m, art, members)
                if c is None or c in present or self.forbid[self.muni[c]] & mask:
                    continue
                members.append(c)
                present.add(c)
                mask |= 1 << self.muni[c]
            if len(members) < 2:  # a project has partners: take one from the lead's town
                for _ in range(50):
                    c = self.muni_draw[m]()
                    if c != lead:
                        members.append(c)
                        break
            for c in members:
                self.org_projects[c].append(j)
                self.used[c] = 1
            self.members.append(members)
            self.proj_art.append(art)
            self.proj_by_muni[m].append(j)

    # --- declared collaborations -----------------------------------------------------

    def collaborations(self) -> None:
        r = self.r
        count = round(self.spec.organisations * _COLLABORATIONS_PER_ORG)
        years = list(range(2005, 2026))
        since = sorted(r.choices(years, [1.0 + 0.15 * (y - 2005) for y in years], k=count))
        self.collab: list[tuple[int, int, int]] = []
        self.collab_pairs: set[tuple[int, int]] = set()
        for year in since:
            before = self.first_of_year[year + 1]
            for _ in range(20):
                a = self.lead_draw()
                m = self.muni[a]
                u = r.random()
                if u < 0.35:
                    b = self._earlier_partner(a, before)
                elif u < 0.50:
                    y = self._earlier_partner(a, before)
                    b = self._earlier_partner(y, before) if y is not None else None
                elif u < 0.75:
                    b = self._candidate("scene", a, m, r.choice(self.art_idx[a]), [a])
                elif u < 0.90:
                    b = self._candidate("gravity", a, m, r.choice(self.art_idx[a]), [a])
                else:
                    b = self.noise_draw()
                if self._add_collaboration(a, b, year):
                    break

    def _add_collaboration(self, a: int, b: int | None, year: int) -> bool:
        if b is None or a == b or self.forbid[self.muni[a]] >> self.muni[b] & 1:
            return False
        pair = (min(a, b), max(a, b))
        if pair in self.collab_pairs:
            return False
        self.collab_pairs.add(pair)
        self.collab.append((a, b, year))
        self.used[a] = self.used[b] = 1
        return True

    def complete(self) -> None:
        """Give every organisation meant to be active at least one tie: join a project
        led from its municipality, or declare a collaboration inside it."""
        r = self.r
        for i in range(len(self.kinds)):
            if not self.active[i] or self.used[i]:
                continue
            m = self.muni[i]
            done = False
            if self.proj_by_muni[m] and r.random() < 0.55:
                for _ in range(5):
                    j = r.choice(self.proj_by_muni[m])
                    mask = 0
                    for c in self.members[j]:
                        mask |= 1 << self.muni[c]
                    if not self.forbid[m] & mask:
                        self.members[j].append(i)
                        self.org_projects[i].append(j)
                        self.org_projects[i].sort()
                        self.used[i] = done = True
                        break
            for attempt in range(200):
                if done:
                    break
                art = r.choice(self.art_idx[i])
                b = self._candidate("scene", i, m, art, [i])
                if b is None or r.random() < 0.3 or attempt > 20:
                    b = self._candidate("gravity" if attempt < 100 else "noise", i, m, art, [i])
                done = self._add_collaboration(i, b, r.randint(2010, 2025))

    # --- networks and events ---------------------------------------------------------

    def _gather(self, weights: np.ndarray, size: int) -> list[int]:
        """``size`` organisations drawn without replacement by ``weights``, in draw order,
        leaving out any that would bring a pair of NO_TIE_PAIRS together."""
        size = min(size, int((weights > 0).sum()))
        if size == 0:
            return []
        drawn = self.rng.choice(len(weights), size=size, replace=False, p=weights / weights.sum())
        out, mask = [], 0
        for c in drawn.tolist():
            if self.forbid[self.muni[c]] & mask:
                continue
            out.append(c)
            mask |= 1 << self.muni[c]
        return out

    def networks_and_events(self) -> None:
        n = len(self.kinds)
        act = np.array(self.activity) * np.array(self.active, dtype=float)
        inst = np.where(self.is_inst, 3.0, 1.0)
        muni = np.array(self.muni)
        arts = np.zeros((n, len(ART_FORMS)), dtype=bool)
        for i, idx in enumerate(self.art_idx):
            arts[i, idx] = True
        rural = np.array(["borgere i landdistrikter" in g for g in self.groups]) | (self.pop[muni] < 50_000)
        festival = np.array([k == "festival" for k in self.kinds])
        west = np.array(self.lon) < 9.3

        def art(name: str) -> np.ndarray:
            return arts[:, _ART_INDEX[name]]

        # name, theme, who fits, share of those who are members
        spec = [
            ("Netværk for scenekunst for børn", "scenekunst for børn", art("scenekunst for børn"), 0.05),
            ("Kulturarvsnetværket Midt", "kulturarv", art("kulturarv"), 0.04),
            ("Musiknetværk Midtjylland", "musik", art("rytmisk musik") | art("klassisk musik"), 0.03),
            ("Billedkunstnetværket Vest", "billedkunst", art("billedkunst") & west, 0.04),
            ("Landdistrikternes Kulturnetværk", "landdistrikter", rural, 0.02),
            ("Festivalnetværket Midt", "festivaler", festival, 0.25),
            ("Litteraturnetværket Ord & Fjord", "litteratur", art("litteratur"), 0.04),
            ("Dansenetværk Midt", "dans", art("dans"), 0.08),
        ]
        self.networks = []
        self.memberships: list[tuple[int, str]] = []
        for k, (name, theme, fits, share) in enumerate(spec, start=1):
            nid = f"net-{k:02d}"
            self.networks.append(Network(id=nid, name=name, theme=theme))
            w = act * inst * fits
            size = max(8, round(share * fits.sum()))
            self.memberships += [(i, nid) for i in sorted(self._gather(w, size))]
        # a yearly regional culture forum in a big town, and a national culture meeting
        # held outside the region (no municipality); none in 2020
        venues = ["751", "657", "791", "730", "740", "615", "661", "779"]
        self.events: list[Event] = []
        self.attendances: list[tuple[int, str]] = []
        n_active = int(np.count_nonzero(act))
        for k, year in enumerate(range(2018, 2026)):
            code = venues[k % len(venues)]
            eid = f"evt-{year}-forum"
            self.events.append(Event(id=eid, name=f"Regionalt kulturforum {year}", year=year,
                                     municipality_code=code))
            near = 1.0 / (1.0 + self.dist[self.codes.index(code)][muni] / 40.0)
            attendees = self._gather(act * inst * near, round(0.05 * n_active))
            self.attendances += [(i, eid) for i in sorted(attendees)]
        for year in range(2016, 2026):
            if year == 2020:
                continue
            eid = f"evt-{year}-kulturmoede"
            self.events.append(Event(id=eid, name=f"Nationalt kulturmøde {year}", year=year,
                                     extra={"sted": "uden for regionen"}))
            w = act * np.where(self.is_inst, 4.0, 1.0) * np.where(np.array(self.sizes) == "small", 0.4, 1.0)
            self.attendances += [(i, eid) for i in sorted(self._gather(w, round(0.02 * n_active)))]

    # --- records ---------------------------------------------------------------------

    def records(self) -> Records:
        r, n = self.r, len(self.kinds)
        width = max(5, len(str(n)))
        oid = [f"org-{i + 1:0{width}d}" for i in range(n)]
        actors, institutions = [], []
        new_actor, new_institution = _builder(Actor), _builder(Institution)
        for i in range(n):
            extra = {}
            if self.kinds[i] == "museum":
                extra = {"statsanerkendt": r.random() < 0.6}
            elif self.kinds[i] == "festival":
                extra = {"publikum": int(round(r.lognormvariate(8.0, 1.0), -2))}
            fields = dict(
                id=oid[i], name=self.org_names[i], kind=self.kinds[i], size=self.sizes[i],
                art_forms=self.arts[i], target_groups=self.groups[i], cvr=self.cvr[i],
                website=self.website[i], address=self.address[i], postcode=self.postcode[i],
                town=self.town[i], municipality_code=self.codes[self.muni[i]], municipality_source="column",
                in_region=True,
                lat=float(self.lat[i]), lon=float(self.lon[i]), staff=self.staff[i],
                budget_dkk=self.budget[i], extra=extra,
            )  # fmt: skip
            if self.is_inst[i]:
                institutions.append(new_institution(**fields))
            else:
                actors.append(new_actor(**fields))
        projects, participations = self._projects(oid)
        new_collaboration = _builder(Collaboration)
        collaborations = [
            new_collaboration(source_id=oid[a], target_id=oid[b], since=year,
                              source=r.choice(_COLLABORATION_SOURCES))
            for a, b, year in self.collab
        ]  # fmt: skip
        new_membership, new_attendance = _builder(Membership), _builder(Attendance)
        return Records.model_construct(
            actors=actors,
            institutions=institutions,
            projects=projects,
            networks=self.networks,
            events=self.events,
            participations=participations,
            collaborations=collaborations,
            memberships=[new_membership(org_id=oid[i], network_id=k) for i, k in self.memberships],
            attendances=[new_attendance(org_id=oid[i], event_id=k) for i, k in self.attendances],
            municipalities=[],
        )

    def _projects(self, oid: list[str]) -> tuple[list[Project], list[Participation]]:
        """Project records (title, programme, budget, themes) and their participations."""
        rng, n = self.rng, len(self.members)
        width = max(5, len(str(n)))
        # random choices drawn up front, one column per choice
        u = rng.random((n, 4)).tolist()
        picks = rng.integers(0, 1 << 30, size=(n, 5)).tolist()
        end = rng.choice(4, size=n, p=[0.35, 0.35, 0.2, 0.1]).tolist()
        noise = rng.lognormal(0.0, 0.6, n).tolist()
        projects, participations = [], []
        new_project, new_participation = _builder(Project), _builder(Participation)
        for j, members in enumerate(self.members):
            pid = f"prj-{j + 1:0{width}d}"
            lead, (u_title, u_group, u_theme, _), pick = members[0], u[j], picks[j]
            art = ART_FORMS[self.proj_art[j]]
            codes = sorted({self.codes[self.muni[c]] for c in members})
            groups = self.groups[lead] or TARGET_GROUPS
            group = groups[pick[0] % len(groups)]
            if u_title < 0.01:
                title = _SPECIAL_TITLES[pick[1] % len(_SPECIAL_TITLES)]
            else:
                other = next((c for c in members if self.muni[c] != self.muni[lead]), None)
                templates = _TITLES if other is None else _TITLES + _TITLES_ACROSS
                title = templates[pick[1] % len(templates)].format(
                    Art=art.capitalize(), art=art, group=group, town=_base_town(self.town[lead]),
                    home=self.names[self.muni[lead]], word=_WORDS[pick[2] % len(_WORDS)],
                    other=self.names[self.muni[other]] if other is not None else "",
                )  # fmt: skip
            themes = [art]
            if u_group < 0.5:
                themes.append(group)
            if u_theme < 0.4:
                themes.append(_THEMES[pick[3] % len(_THEMES)])
            if len(codes) > 1:
                themes.append("tværkommunalt samarbejde")
            programmes = _PROGRAMMES_REGIONAL if len(codes) > 1 else _PROGRAMMES_LOCAL
            budget = max(5_000.0, round(40_000 * len(members) ** 0.9 * noise[j], -3))
            projects.append(new_project(
                id=pid, title=title, start_year=self.proj_year[j], end_year=self.proj_year[j] + end[j],
                programme=programmes[pick[4] % len(programmes)], budget_dkk=budget, themes=themes,
                municipality_codes=codes, extra={},
            ))  # fmt: skip
            participations += [
                new_participation(org_id=oid[c], project_id=pid, role="lead" if c == lead else "partner")
                for c in members
            ]
        return projects, participations


def generate(size: str = "demo", *, seed: int = 2026) -> Records:
    """A fictional cultural network of the region, the same for the same size and seed.

    Parameters
    ----------
    size : one of ``SIZES``: "demo" (1,500 organisations, 600 projects), "S", "M", "L".
    seed : seeds every random choice.

    Records are built without validation (see ``_builder``): every value is generated
    valid, and validating 100,000 organisations would dominate the run time. The test
    suite re-validates the demo size.
    """
    if size not in SIZES:
        raise ValueError(f"unknown demo size {size!r}; choose one of {', '.join(SIZES)}")
    g = _Generator(SIZES[size], seed)
    g.organisations()
    g.scenes()
    g.samplers()
    g.projects()
    g.collaborations()
    g.complete()
    g.networks_and_events()
    return g.records()


def write_demo(size: str, folder: Path, *, seed: int = 2026) -> list[Path]:
    """Generate the demo network and write it as canonical CSV files into ``folder``."""
    return write_canonical(generate(size, seed=seed), Path(folder))
