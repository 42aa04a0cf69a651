"""Isolated small actors: organisations of small or unknown size with no ties, ties only
inside their own municipality, or few ties and low reach — ranked, each with its reasons
in words, its size and where that came from, and the nearest well-connected organisations.

The sizes considered are ``isolation_sizes`` (default small and unknown): the size
resolved by ``projection.resolve_size`` (given, staff, budget, the kind, the kind the
name states), "unknown" when none of these tells. Most organisations in free-text
partner lists have no such evidence, so leaving the unknown out would leave the list
empty; an organisation of unknown size is listed as "størrelse ukendt" / "size unknown",
never called small. A considered organisation is listed in the first of these
categories that fits:

1. ``no_ties``: no partner at all;
2. ``only_local``: every partner is located in its own municipality;
3. ``few_ties``: at most ``isolation_max_ties`` partners, in at most
   ``isolation_max_reach`` other municipalities.

The list is ranked by category, then fewest partners, fewest other municipalities
reached, lowest weighted degree, oldest last project, fewest networks and events, id.
Well-connected organisations are among the ``well_connected_top_share`` with the most
partners, have at least ``well_connected_min_degree`` of them, and partners in at least
``well_connected_min_reach`` other municipalities; the nearest are measured as the
crow flies from the organisation's coordinates (or its municipality's centre), leaving
out its current partners.

Scope (``graphsvc.analysis.scope``): ties are counted on the whole graph (a partner
outside the region is a partner in another municipality), but in scope "region" only the
region's organisations are listed and offered as nearest well-connected organisations;
``ties_outside_region`` counts each listed organisation's partners outside the region.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

import networkx as nx
import numpy as np
import pandas as pd

from graphsvc.analysis._engine import indexed, node_column, without_gc
from graphsvc.analysis._places import EARTH_RADIUS_KM, municipality_rows
from graphsvc.analysis._results import AnalysisResult, graph_provenance
from graphsvc.analysis.brokerage import reach_counts
from graphsvc.analysis.params import AnalysisParams, Lang
from graphsvc.analysis.projection import resolve_size
from graphsvc.analysis.reasons import CATEGORY_NAMES, SIZE_NAMES, Reason, size_text
from graphsvc.analysis.scope import (
    Scope,
    check_scope,
    municipality_label,
    municipality_labels,
    municipality_names,
    scope_mask,
    ties_outside_region,
)

__all__ = ["IsolationResult", "isolated_actors", "considered_text", "CATEGORIES", "SIZE_KEYS"]

CATEGORIES = ("no_ties", "only_local", "few_ties")
SIZE_KEYS = ("small", "medium", "large", "unknown")
_SIZE_WORDS = {
    "da": {"small": "lille", "medium": "mellemstor", "large": "stor", "unknown": "ukendt"},
    "en": {"small": "small", "medium": "medium", "large": "large", "unknown": "unknown"},
}


def considered_text(considered: dict[str, int], lang: Lang) -> str:
    """How many organisations of which sizes an isolation result considered.

    >>> considered_text({"small": 3, "unknown": 125}, "en")
    '128 organisations of small or unknown size (3 small, 125 unknown)'
    >>> considered_text({"small": 1}, "da")
    '1 organisation af lille størrelse'
    """
    words = _SIZE_WORDS[lang]
    total = sum(considered.values())
    keys = list(considered)
    join = " eller " if lang == "da" else " or "
    sizes = ", ".join(words[k] for k in keys[:-1]) + (join if len(keys) > 1 else "") + words[keys[-1]]
    if lang == "da":
        text = f"{total} {'organisation' if total == 1 else 'organisationer'} af {sizes} størrelse"
    else:
        text = f"{total} {'organisation' if total == 1 else 'organisations'} of {sizes} size"
    if len(keys) > 1:
        text += " (" + ", ".join(f"{considered[k]} {words[k]}" for k in keys) + ")"
    return text


@dataclass(frozen=True)
class IsolationResult(AnalysisResult):
    """The ranked isolated actors (``table``, indexed by organisation id) with
    ``reasons`` in ``params.lang`` (``reasons_in`` gives the other language), ``size``
    (None when unknown), ``size_source`` and ``size_text``, and the ``nearest``
    well-connected organisations (``id``, ``name``, ``municipality_code``,
    ``municipality``, ``km``, ``shared_art_forms``). ``considered`` counts the
    organisations in scope of each size in ``params.isolation_sizes``;
    ``small_organisations`` the small ones in scope."""

    table: pd.DataFrame
    reason_objects: tuple[tuple[Reason, ...], ...]
    small_organisations: int
    well_connected: int
    scope: Scope = "all"
    considered: dict[str, int] = field(default_factory=dict)

    def reasons_in(self, lang: Lang) -> pd.Series:
        """Each listed organisation's reasons in ``lang`` ('da' or 'en')."""
        return pd.Series([[r.text(lang) for r in rs] for rs in self.reason_objects],
                         index=self.table.index, name="reasons")

    def summary(self) -> dict[str, Any]:
        counts = self.table["category"].value_counts()
        return {
            "isolated": len(self.table),
            "considered": sum(self.considered.values()),
            "considered_by_size": dict(self.considered),
            "small_organisations": self.small_organisations,
            "well_connected": self.well_connected,
            **{c: int(counts.get(c, 0)) for c in CATEGORIES},
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"isolated": self.table.drop(columns=["nearest", "reason_codes"])}

    def considered_text(self, lang: Lang) -> str:
        """The organisations considered, in words: '128 organisations of small or unknown
        size (3 small, 125 unknown)'."""
        return considered_text(self.considered, lang)


@without_gc
def isolated_actors(
    G: nx.Graph,
    *,
    params: AnalysisParams | None = None,
    municipalities: Iterable[Any] | None = None,
    lang: Lang | None = None,
    scope: Scope = "all",
) -> IsolationResult:
    """The isolated actors of small or unknown size (``isolation_sizes``) of ``G``,
    ranked, with their reasons.

    Parameters
    ----------
    G : nx.Graph
        The organisation graph: nodes with ``name``, ``label``, ``kind``, ``size``,
        ``municipality_code``, ``lat``/``lon``, and the activity counts of
        ``organisation_graph`` (``n_projects``, ``last_project_year``, ``n_networks``,
        ``n_events``; reasons that need a missing one are left out).
    params : AnalysisParams, optional
        ``isolation_*`` (``isolation_sizes``: the sizes considered), ``well_connected_*``,
        ``nearest_count``, ``lang``.
    municipalities : iterable, optional
        Municipality rows (names and centres); the region's 19 when None.
    lang : {'da', 'en'}, optional
        Language of the reasons (default ``params.lang``).
    scope : {'all', 'region'}
        Which organisations are listed (and offered as nearest); ties always count on
        the whole graph.

    Returns
    -------
    IsolationResult

    Examples
    --------
    >>> G = nx.Graph([("a", "b")])
    >>> G.add_node("c")
    >>> nx.set_node_attributes(G, {"a": "751", "b": "751", "c": "665"}, "municipality_code")
    >>> nx.set_node_attributes(G, "small", "size")
    >>> r = isolated_actors(G, lang="en")
    >>> r.table[["category", "reasons"]].to_dict("index")["c"]
    {'category': 'no_ties', 'reasons': ['no shared project or declared collaboration']}
    >>> r.table.loc["a", "reasons"]
    ['its only partner, b, is in the same municipality']
    >>> G.nodes["c"]["size"] = None  # unknown: still considered, never called small
    >>> u = isolated_actors(G, lang="en").table.loc["c"]
    >>> u["size_text"], u["size_source"]
    ('size unknown', 'unknown')
    """
    params = params or AnalysisParams()
    lang = lang or params.lang
    params = params.model_copy(update={"lang": lang})
    scope = check_scope(scope)
    munis = municipality_rows(municipalities)
    names = municipality_names(munis.values() if municipalities is not None else None)
    ix = indexed(G)
    nodes = ix.nodes
    col = _Columns(G)
    scoped = scope_mask(G, scope)
    codes = col["municipality_code"]
    sized = _sizes(G, col, params)
    sizes = [size for size, _ in sized]
    size_keys = [size if size in SIZE_NAMES and size is not None else "unknown" for size in sizes]
    wanted = set(params.isolation_sizes)
    degree = ix.degree
    n_reach = reach_counts(G, ix=ix)
    years = G.graph.get("years")
    ref_year = G.graph.get("reference_year")
    networks_known, events_known = any(col["n_networks"]), any(col["n_events"])
    last_project = node_column(G, "last_project_year", _MISSING)

    known = {c: k for k, c in enumerate(sorted({c for c in codes if c is not None}))}
    code_ix = np.array([known.get(c, -1) for c in codes], np.int64)
    h, t = ix.heads, ix.tails
    foreign = (code_ix[h] != code_ix[t]) | (code_ix[h] < 0) | (code_ix[t] < 0)
    not_local = np.bincount(np.concatenate([h[foreign], t[foreign]]), minlength=ix.n)
    considered = np.array([k in wanted for k in size_keys], bool)
    local_all = (degree > 0) & (code_ix >= 0) & (not_local == 0)
    few = (degree <= params.isolation_max_ties) & (n_reach <= params.isolation_max_reach)
    candidates = np.flatnonzero(scoped & considered & ((degree == 0) | local_all | few))

    listed, reasons_all, categories = [], [], []
    for i in candidates.tolist():
        local = bool(local_all[i])
        if degree[i] == 0:
            category = "no_ties"
        elif local:
            category = "only_local"
        else:
            category = "few_ties"
        partners = [nodes[j] for j in ix.neighbours(i).tolist()] if local and degree[i] == 1 else []
        reasons: list[Reason] = []
        if category == "no_ties":
            reasons.append(Reason("no_ties", {"years": years}))
        elif partners:
            partner = col["name"][ix.index[partners[0]]] or str(partners[0])
            reasons.append(Reason("only_partner_same", {"partner": partner}))
        elif local:
            reasons.append(Reason("all_partners_same", {
                "k": int(degree[i]), "municipality": municipality_label(codes[i], names, lang)}))
        else:
            reasons.append(Reason("few_partners", {"k": int(degree[i]), "r": int(n_reach[i])}))
        last = last_project[i]
        if last is not _MISSING:
            if last is None:
                reasons.append(Reason("no_project_ever"))
            elif ref_year is not None and last <= ref_year - params.isolation_stale_years:
                reasons.append(Reason("no_project_since", {"year": last}))
        if networks_known and not col["n_networks"][i]:
            reasons.append(Reason("no_network"))
        if events_known and not col["n_events"][i]:
            reasons.append(Reason("no_event", {"years": years}))
        listed.append(i)
        reasons_all.append(tuple(reasons))
        categories.append(category)

    top = np.quantile(degree, 1 - params.well_connected_top_share) if len(degree) else 0
    well = np.flatnonzero(scoped & (degree >= max(params.well_connected_min_degree, top))
                          & (n_reach >= params.well_connected_min_reach))
    nearest = _nearest(col, ix, listed, well, munis, codes, params.nearest_count, names, lang)
    outside = ties_outside_region(G, [nodes[i] for i in listed])
    labels = municipality_labels([codes[i] for i in listed], names, lang)
    known = [sizes[i] if size_keys[i] != "unknown" else None for i in listed]
    table = pd.DataFrame({  # built by columns: a dict per row took 40 MB more on L
        "id": [nodes[i] for i in listed],
        "name": [col["name"][i] for i in listed],
        "label": [col["label"][i] for i in listed],
        "kind": [col["kind"][i] for i in listed],
        "size": known,
        "size_source": [sized[i][1] for i in listed],
        "size_text": [size_text(size, sized[i][1], lang) for size, i in zip(known, listed)],
        "municipality_code": [codes[i] for i in listed],
        "municipality": labels,
        "category": categories,
        "category_text": [CATEGORY_NAMES[c][lang] for c in categories],
        "partners": degree[listed].astype(np.int64) if listed else [],
        "municipalities_reached": n_reach[listed].astype(np.int64) if listed else [],
        "ties_outside_region": [outside[nodes[i]] for i in listed],
        "weighted_degree": ix.strength[listed].astype(float) if listed else [],
        "n_projects": [col["n_projects"][i] for i in listed],
        "last_project_year": [col["last_project_year"][i] for i in listed],
        "n_networks": [col["n_networks"][i] for i in listed],
        "n_events": [col["n_events"][i] for i in listed],
        "reasons": [[r.text(lang) for r in reasons] for reasons in reasons_all],
        "reason_codes": [[r.code for r in reasons] for reasons in reasons_all],
        "nearest": nearest,
        "nearest_well_connected": [[_nearest_text(x, lang) for x in found] for found in nearest],
    })
    order = _rank_order(table)
    table = table.iloc[order].reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    table = table.set_index("id")
    version, window = graph_provenance(G)
    return IsolationResult(
        params=params,
        data_version=version,
        years=window,
        table=table,
        reason_objects=tuple(reasons_all[k] for k in order),
        small_organisations=sum(1 for k, ok in zip(size_keys, scoped.tolist()) if k == "small" and ok),
        well_connected=len(well),
        scope=scope,
        considered={key: sum(1 for k, ok in zip(size_keys, scoped.tolist()) if k == key and ok)
                    for key in SIZE_KEYS if key in wanted},
    )


_MISSING = object()


class _Columns(dict):
    """The node attributes the list reads, one column each in node order, read once."""

    def __init__(self, G: nx.Graph):
        super().__init__()
        self.G = G

    def __missing__(self, key: str) -> list:
        self[key] = node_column(self.G, key)
        return self[key]


def _sizes(G: nx.Graph, col: _Columns, params: AnalysisParams) -> list[tuple[str | None, str]]:
    """(size, source) of every node: as the projection resolved it (``size``,
    ``size_source``), else resolved here (a node of a graph built by hand)."""
    out = []
    for v, size, source in zip(G, node_column(G, "size", _MISSING), col["size_source"]):
        if size is _MISSING:
            out.append(resolve_size(dict(G.nodes[v]), params))
        else:
            out.append((size, source or ("given" if size else "unknown")))
    return out


def _rank_order(table: pd.DataFrame) -> np.ndarray:
    if table.empty:
        return np.arange(0)
    key = pd.DataFrame({
        "category": table["category"].map({c: k for k, c in enumerate(CATEGORIES)}),
        "partners": table["partners"],
        "reach": table["municipalities_reached"],
        "weight": table["weighted_degree"],
        "last": table["last_project_year"].fillna(-1).astype(float),
        "meeting": table["n_networks"].fillna(0) + table["n_events"].fillna(0),
        "id": table["id"].astype(str),
    })
    return np.lexsort([key[c].to_numpy() for c in reversed(key.columns)])


def _unit_vectors(lat, lon) -> np.ndarray:
    lat, lon = np.radians(np.asarray(lat, float)), np.radians(np.asarray(lon, float))
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def _location(col: _Columns, i: int, munis, code) -> tuple[float, float] | None:
    lat, lon = col["lat"][i], col["lon"][i]
    if lat is not None and lon is not None:
        return lat, lon
    m = munis.get(code)
    if m and m.get("lat") is not None and m.get("lon") is not None:
        return m["lat"], m["lon"]
    return None


def _nearest(col: _Columns, ix, listed, well, munis, codes, count, names, lang) -> list[list[dict[str, Any]]]:
    """The ``count`` well-connected organisations nearest to each listed one."""
    out: list[list[dict[str, Any]]] = [[] for _ in listed]
    if count == 0 or len(well) == 0 or not listed:
        return out

    wells = [(i, _location(col, i, munis, codes[i])) for i in well.tolist()]
    wells = [(i, loc) for i, loc in wells if loc is not None]
    if not wells:
        return out
    w_index = np.array([i for i, _ in wells])
    w_set = set(w_index.tolist())
    from scipy.spatial import cKDTree  # imported when used: scipy.spatial takes 0.07 s

    tree = cKDTree(_unit_vectors([loc[0] for _, loc in wells], [loc[1] for _, loc in wells]))
    located = [(k, i, _location(col, i, munis, codes[i])) for k, i in enumerate(listed)]
    located = [(k, i, loc) for k, i, loc in located if loc is not None]
    if not located:
        return out
    skips = [set(ix.neighbours(i).tolist()) | {i} for _, i, _ in located]
    want = min(count + max(len(skip & w_set) for skip in skips), len(w_index))
    points = _unit_vectors([loc[0] for *_, loc in located], [loc[1] for *_, loc in located])
    dist, pos = tree.query(points, k=want)
    dist, pos = dist.reshape(len(located), -1), pos.reshape(len(located), -1)
    kms = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(dist / 2, 1.0))
    distinct = list(set(codes))
    label = dict(zip(distinct, municipality_labels(distinct, names, lang)))
    # a row at a time: the whole of ``kms`` and ``pos`` as lists took 55 MB on L
    for (k, i, _), skip, km_row, places in zip(located, skips, kms, pos):
        arts = set(col["art_forms"][i] or [])
        for km, p in zip(km_row.tolist(), places.tolist()):
            j = int(w_index[p])
            if j in skip:
                continue
            node = ix.nodes[j]
            out[k].append({
                "id": node,
                "name": col["name"][j],
                "municipality_code": codes[j],
                "municipality": label[codes[j]],
                "km": round(km, 1),
                "shared_art_forms": sorted(arts & set(col["art_forms"][j] or [])),
            })
            if len(out[k]) == count:
                break
    return out


def _nearest_text(x: dict[str, Any], lang: Lang) -> str:
    km = f"{x['km']:.1f}".replace(".", ",") if lang == "da" else f"{x['km']:.1f}"
    where = f"{x['municipality']}, " if x.get("municipality") else ""
    return f"{x['name'] or x['id']} ({where}{km} km)"
