"""The scope of an analysis: the region's own organisations, or all of them.

Scope ``"region"`` (the default) is the organisations placed in one of the region's 19
municipalities (``REGION_CODES``); scope ``"all"`` is every organisation. The analyses
always compute on the whole organisation graph — a tie to an organisation outside the
region still counts for an organisation's partners, reach and paths — and then list and
rank only the organisations in scope, so an organisation of another region is never
ranked beside the region's own. Each organisation's ties to organisations outside the
region are counted as ``ties_outside_region`` ("samarbejder uden for regionen").

An organisation is in the region when its ``municipality_code`` is one of the 19; when it
has no municipality, when its ``in_region`` flag is true (its place is known only to lie
in the region, e.g. an ambiguous postcode whose municipalities are all in it).

Municipalities are shown by name (``municipality_label``): the store's name, else the
name in the shipped postcode table (all of Denmark's municipalities), and "ukendt
kommune" / "unknown municipality" for an organisation without one — never a bare code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, Literal, get_args

import networkx as nx
import numpy as np

from graphsvc.analysis._engine import indexed, node_column
from graphsvc.errors import InputError

__all__ = [
    "Scope",
    "SCOPES",
    "DEFAULT_SCOPE",
    "REGION_CODES",
    "check_scope",
    "in_scope",
    "region_mask",
    "scope_mask",
    "in_region",
    "scope_codes",
    "scope_nodes",
    "scope_subgraph",
    "scope_ties",
    "ties_outside_region",
    "municipality_names",
    "municipality_label",
    "municipality_labels",
    "UNKNOWN_MUNICIPALITY",
    "OUTSIDE_REGION",
    "region_municipality_filter",
    "scope_municipality_rows",
]

Scope = Literal["region", "all"]
SCOPES: tuple[str, ...] = get_args(Scope)
DEFAULT_SCOPE: Scope = "region"

UNKNOWN_MUNICIPALITY = {"da": "ukendt kommune", "en": "unknown municipality"}
OUTSIDE_REGION = {"da": "uden for regionen", "en": "outside the region"}


@cache
def _region_codes() -> frozenset[str]:
    from graphsvc.reference import REGION_NAME, municipalities

    rows = municipalities()
    own = [m.code for m in rows if getattr(m, "region", None) in (None, "", REGION_NAME)]
    return frozenset(own or (m.code for m in rows))


REGION_CODES: frozenset[str] = _region_codes()


def check_scope(value: Any) -> Scope:
    """``value`` as a scope, or an ``InputError`` in Danish and English.

    >>> check_scope("all")
    'all'
    >>> check_scope("kommune")
    Traceback (most recent call last):
    ...
    graphsvc.errors.InputError: scope='kommune' er ikke et gyldigt omfang: brug 'region' (organisationer i regionens 19 kommuner) eller 'all' (alle) / scope='kommune' is not a valid scope: use 'region' (organisations in the region's 19 municipalities) or 'all'
    """
    if value is None:
        return DEFAULT_SCOPE
    if value in SCOPES:
        return value
    raise InputError(
        f"scope={value!r} er ikke et gyldigt omfang: brug 'region' (organisationer i regionens "
        f"19 kommuner) eller 'all' (alle) / scope={value!r} is not a valid scope: use 'region' "
        "(organisations in the region's 19 municipalities) or 'all'"
    )


def in_region(attrs: Mapping[str, Any]) -> bool:
    """Whether an organisation (its node attributes or store row) lies in the region.

    >>> in_region({"municipality_code": "751"}), in_region({"municipality_code": "851"})
    (True, False)
    >>> in_region({"municipality_code": None, "in_region": True}), in_region({})
    (True, False)
    """
    return _placed_in_region(attrs.get("municipality_code"), attrs.get("in_region"))


def _placed_in_region(code, flag) -> bool:
    """The municipality decides; without one, the stored ``in_region`` flag."""
    return str(code) in REGION_CODES if code else flag is True


def region_mask(G: nx.Graph) -> np.ndarray:
    """Whether each organisation of ``G`` lies in the region (``in_region``), in ``G``'s order.

    >>> G = nx.Graph([("a", "b")])
    >>> nx.set_node_attributes(G, {"a": "751", "b": "851"}, "municipality_code")
    >>> region_mask(G).tolist()
    [True, False]
    """
    codes, flags = node_column(G, "municipality_code"), node_column(G, "in_region")
    return np.array([_placed_in_region(c, f) for c, f in zip(codes, flags)], bool)


def in_scope(attrs: Mapping[str, Any], scope: Scope = DEFAULT_SCOPE) -> bool:
    """Whether an organisation with these attributes is listed in ``scope``.

    >>> in_scope({"municipality_code": "851"}, "region"), in_scope({"municipality_code": "851"}, "all")
    (False, True)
    """
    return check_scope(scope) == "all" or in_region(attrs)


def scope_mask(G: nx.Graph, scope: Scope = DEFAULT_SCOPE) -> np.ndarray:
    """Whether each organisation of ``G`` is listed in ``scope``, in ``G``'s order."""
    if check_scope(scope) == "all":
        return np.ones(len(G), bool)
    return region_mask(G)


def scope_nodes(G: nx.Graph, scope: Scope = DEFAULT_SCOPE) -> list:
    """The organisations of ``G`` in ``scope``, in ``G``'s order."""
    scope = check_scope(scope)
    if scope == "all":
        return list(G)
    return [v for v, inside in zip(G, region_mask(G).tolist()) if inside]


def scope_subgraph(G: nx.Graph, scope: Scope = DEFAULT_SCOPE, *, neighbours: bool = False) -> nx.Graph:
    """``G`` restricted to the organisations in ``scope`` (with ``neighbours``: and their
    partners outside it), and the ties among them; ``G`` itself for scope "all"."""
    if check_scope(scope) == "all":
        return G
    keep = set(scope_nodes(G, scope))
    if neighbours:
        keep |= {u for v in list(keep) for u in G[v]}
    H = G.subgraph(keep).copy()
    H.graph.update(G.graph)
    return H


def scope_ties(G: nx.Graph, scope: Scope = DEFAULT_SCOPE) -> int:
    """The ties of ``G`` with at least one end in ``scope`` (read from the graph's arrays).

    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "751", "b": "851", "c": "851", "d": "751"}, "municipality_code")
    >>> scope_ties(G), scope_ties(G, "all")
    (2, 3)
    """
    ix = indexed(G)
    if check_scope(scope) == "all":
        return len(ix.heads)
    inside = region_mask(G)
    return int((inside[ix.heads] | inside[ix.tails]).sum()) if len(inside) else 0


def scope_codes(G: nx.Graph, scope: Scope = DEFAULT_SCOPE) -> tuple[str, ...]:
    """The municipality codes analysed in ``scope``, sorted: the region's 19, or every
    code an organisation of ``G`` is placed in (the region's 19 among them).

    >>> G = nx.Graph([("a", "b")])
    >>> nx.set_node_attributes(G, {"a": "751", "b": "851"}, "municipality_code")
    >>> len(scope_codes(G)), scope_codes(G, "all")[-2:]
    (19, ('791', '851'))
    """
    if check_scope(scope) == "region":
        return tuple(sorted(REGION_CODES))
    found = {str(c) for c in node_column(G, "municipality_code") if c}
    return tuple(sorted(found | REGION_CODES))


def ties_outside_region(G: nx.Graph, nodes: Iterable | None = None) -> dict:
    """``{organisation: partners outside the region}`` for ``nodes`` (default: all of ``G``).

    >>> G = nx.Graph([("a", "b"), ("a", "c")])
    >>> nx.set_node_attributes(G, {"a": "751", "b": "851", "c": "665"}, "municipality_code")
    >>> ties_outside_region(G)
    {'a': 1, 'b': 0, 'c': 0}
    """
    nodes = G if nodes is None else nodes
    outside = ~region_mask(G)
    if not outside.any():
        return dict.fromkeys(nodes, 0)
    ix = indexed(G)  # G's nodes in G's order, as the mask
    counts = ix.count_neighbours(outside)
    return {v: int(counts[ix.index[v]]) for v in nodes}


@cache
def _reference_names() -> dict[str, str]:
    from graphsvc.reference import municipalities, postcodes

    names = {m.code: m.name for m in municipalities()}
    for row in postcodes():
        code = row["municipality_code"]
        if code not in names and row.get("municipality_name"):
            short = re.sub(r"\s+(Regions)?[Kk]ommune$", "", row["municipality_name"]).strip()
            # "Københavns Kommune" is København, "Bornholms Regionskommune" Bornholm
            names[code] = short[:-1] if short in ("Københavns", "Bornholms") else short
    return names


def municipality_names(rows: Iterable[Any] | None = None) -> dict[str, str]:
    """``{code: name}`` of every municipality: the names in ``rows`` (store rows or
    ``Municipality`` records) over the shipped names of all Denmark's municipalities.

    >>> municipality_names([{"code": "751", "name": "Aarhus"}])["851"]
    'Aalborg'
    """
    names = dict(_reference_names())
    for m in rows or ():
        row = m if isinstance(m, Mapping) else m.model_dump()
        code, name = row.get("code"), row.get("name")
        if code and name and str(name) != str(code):
            names[str(code)] = str(name)
    return names


def municipality_label(code: Any, names: Mapping[str, str] | None = None, lang: str = "da") -> str:
    """The name to show for a municipality code: its name, "ukendt kommune" for none,
    and "kommune <code>" for a code no table knows (never a bare code or "nan").

    >>> municipality_label("665"), municipality_label(None, lang="en"), municipality_label(float("nan"))
    ('Lemvig', 'unknown municipality', 'ukendt kommune')
    """
    if code is None or (isinstance(code, float) and code != code) or str(code).strip() in ("", "nan", "None"):
        return UNKNOWN_MUNICIPALITY.get(lang, UNKNOWN_MUNICIPALITY["da"])
    code = str(code)
    names = names if names is not None else _reference_names()
    name = names.get(code) or _reference_names().get(code)
    if name:
        return name
    return f"kommune {code}" if lang == "da" else f"municipality {code}"


def region_municipality_filter(given: Iterable[str] | None, names: Mapping[str, str]) -> list[str]:
    """The municipality filter of partner suggestions in scope "region": the region's
    codes among ``given`` (codes or names; all 19 when nothing is given). A value that
    names no municipality is passed on for the suggestions to report; one outside the
    region is an error, since scope "region" suggests only the region's organisations.

    >>> region_municipality_filter(["Lemvig", "751"], {"665": "Lemvig", "751": "Aarhus"})
    ['665', '751']
    >>> len(region_municipality_filter([], {}))
    19
    """
    given = [g for g in (given or []) if g is not None and str(g).strip()]
    if not given:
        return sorted(REGION_CODES)
    by_name = {name.casefold(): code for code, name in names.items()}
    out, outside = [], []
    for value in given:
        code = value if value in names or value in REGION_CODES else by_name.get(str(value).strip().casefold())
        if code is None:
            out.append(value)
        elif code in REGION_CODES:
            out.append(code)
        else:
            outside.append(f"{value} ({names.get(code, code)})" if value != names.get(code) else value)
    if outside and not out:
        listed = ", ".join(outside)
        raise InputError(
            f"{listed} ligger uden for regionen; brug scope=all (--scope all) for at få forslag "
            f"dér / {listed} is outside the region; use scope=all (--scope all) for suggestions there"
        )
    return out


def scope_municipality_rows(G: nx.Graph, scope: Scope = DEFAULT_SCOPE,
                            rows: Iterable[Any] | None = None) -> list[dict[str, Any]]:
    """The municipality rows (``code``, ``name``, ``lat``, ``lon``, …) of ``scope_codes(G,
    scope)``: the given ``rows`` (store rows or records) where they have one, else the
    shipped name without a centre.

    >>> G = nx.Graph([("a", "b")])
    >>> nx.set_node_attributes(G, {"a": "751", "b": "851"}, "municipality_code")
    >>> [(r["code"], r["name"]) for r in scope_municipality_rows(G, "all")][-1]
    ('851', 'Aalborg')
    """
    given: dict[str, dict[str, Any]] = {}
    for m in rows or ():
        row = dict(m) if isinstance(m, Mapping) else m.model_dump()
        given[str(row["code"])] = row
    names = municipality_names(given.values())
    return [given.get(code) or {"code": code, "name": names.get(code, code), "lat": None, "lon": None}
            for code in scope_codes(G, scope)]


def municipality_labels(codes: Iterable[Any], names: Mapping[str, str] | None = None, lang: str = "da") -> list[str]:
    """``municipality_label`` of each code (each distinct code looked up once).

    >>> municipality_labels(["665", None, "665"], lang="en")
    ['Lemvig', 'unknown municipality', 'Lemvig']
    """
    found: dict[Any, str] = {}
    out = []
    for code in codes:
        key = code if isinstance(code, (str, int)) or code is None else repr(code)
        label = found.get(key)
        if label is None:
            label = found[key] = municipality_label(code, names, lang)
        out.append(label)
    return out
