"""What a map shows, independent of how it is drawn: ``MapView`` holds the nodes with
their positions, colours, sizes and tooltip values, the edges, the legend, the title
and the source line. ``visualizations.html`` draws a view in the browser,
``visualizations.static`` as PNG, SVG or PDF."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import networkx as nx

from graphsvc.analysis.scope import (
    OUTSIDE_REGION,
    UNKNOWN_MUNICIPALITY,
    in_region,
    municipality_label,
    municipality_names,
)
from graphsvc.errors import InputError, NotFound
from graphsvc.reference import BOUNDARY_ATTRIBUTION, municipalities
from visualizations import geo, theme
from visualizations.layout import grouped_layout, spring_layout
from visualizations.settings import MapSettings
from visualizations.text import check_lang, metric_label, t

__all__ = [
    "COLOR_BY",
    "NodeView",
    "EdgeView",
    "LegendItem",
    "MapView",
    "format_value",
    "sorted_names",
    "metric_table",
    "neighbourhood",
    "municipality_subgraph",
    "network_view",
]

COLOR_BY = ("municipality", "kind", "community")
Metrics = Mapping[Hashable, Mapping[str, Any]]


@dataclass
class NodeView:
    id: str
    name: str
    x: float  # layout units, y pointing north/up
    y: float
    colour: str
    size: float  # 0..1 of the map's size range
    group: str  # legend label of its colour
    municipality: str | None  # code
    kind: str | None
    values: tuple[str | None, ...]  # tooltip values, aligned with MapView.fields
    isolated: bool = False
    focus: bool = False
    show_label: bool = False
    label_rank: int | None = None  # static maps: the order in which names are placed


@dataclass
class EdgeView:
    source: str
    target: str
    width: float  # 0..1 of the map's width range
    weight: float = 1.0
    colour: str = theme.EDGE_COLOUR
    dashed: bool = False
    text: str = ""  # tooltip


@dataclass
class LegendItem:
    label: str
    colour: str
    symbol: Literal["dot", "ring", "line", "dash", "diamond"] = "dot"
    count: int | None = None


@dataclass
class MapView:
    kind: Literal["network", "geo", "municipalities"]
    lang: str
    title: str
    source_line: str
    date: str
    nodes: list[NodeView]
    edges: list[EdgeView]
    legend_title: str
    legend: list[LegendItem]
    fields: tuple[str, ...]  # tooltip field names
    size_note: str = ""
    subtitle: str = ""  # under the title: scope, years, what was chosen
    attribution: str | None = None  # on every geographic map
    background: tuple[tuple[str, Any], ...] = ()  # boundary rings (code, (n, 2) array)
    physics: bool = False
    municipalities: list[tuple[str, str]] = field(default_factory=list)  # filter choices
    kinds: list[str] = field(default_factory=list)
    overview: MapView | None = None  # drawn first when the map is too large to open on


def format_value(value: Any, lang: str = "en") -> str | None:
    """A metric value for people, as ``lang`` writes numbers: integers with thousands
    separators, numbers of 1 or more with at most two decimals, smaller ones with three
    significant digits, never in exponent notation; yes/no for truth values; lists
    joined with "; ".

    >>> format_value(3.0), format_value(0.012345), format_value(["a", "b"]), format_value(None)
    ('3', '0.0123', 'a; b', None)
    >>> format_value(1.323e-05, "da"), format_value(12345.678, "da"), format_value(True, "da")
    ('0,0000132', '12.345,68', 'ja')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return {"da": ("nej", "ja")}.get(lang, ("no", "yes"))[value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, (int, float)):
        if float(value).is_integer() and abs(value) < 1e15:
            text = f"{int(value):,}"
        elif abs(value) >= 1:
            text = f"{value:,.2f}".rstrip("0").rstrip(".")
        else:
            digits = min(2 - math.floor(math.log10(abs(value))), 12)
            text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
        return text.translate(str.maketrans(",.", ".,")) if lang == "da" else text
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(str(v) for v in value)
    return str(value)


def sorted_names(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(code, name)`` pairs in the alphabetical order of the names, æ, ø and å after z
    as in Danish ("Aarhus" stays under A, where a reader of a list looks for it).

    >>> sorted_names([("492", "Ærø"), ("665", "Lemvig"), ("741", "Samsø"), ("751", "Aarhus")])
    [('751', 'Aarhus'), ('665', 'Lemvig'), ('741', 'Samsø'), ('492', 'Ærø')]
    """
    order = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"})

    def key(pair):
        return (pair[1].casefold().translate(order), pair[0])

    return sorted(pairs, key=key)


def metric_table(metrics: Any) -> dict[Hashable, dict[str, Any]]:
    """``metrics`` as id -> {metric: value}: a mapping, or a DataFrame indexed by id
    (such as ``CentralityResult.table``), of which the numeric columns other than
    ranks are taken."""
    if metrics is None:
        return {}
    if hasattr(metrics, "select_dtypes") and hasattr(metrics, "index"):
        numeric = metrics.select_dtypes(include="number")
        numeric = numeric[[c for c in numeric.columns if not str(c).startswith("rank")]]
        return {k: dict(v) for k, v in numeric.to_dict(orient="index").items()}
    return {k: dict(v) for k, v in metrics.items()}


def _base_metrics(G: nx.Graph) -> dict[Hashable, dict[str, float]]:
    return {
        n: {"degree": float(G.degree(n)), "weighted_degree": float(G.degree(n, weight="weight"))}
        for n in G.nodes
    }


def neighbourhood(G: nx.Graph, org_id: str, *, depth: int = 1) -> nx.Graph:
    """The organisations at most ``depth`` steps from ``org_id`` and the ties among them."""
    if depth not in (1, 2):
        raise InputError(f"depth must be 1 or 2 steps, not {depth}")
    if org_id not in G:
        raise NotFound(f"no organisation with id {org_id!r} in the graph; list them with "
                       "`graphsvc export table --format csv`")
    return G.subgraph(nx.single_source_shortest_path_length(G, org_id, cutoff=depth)).copy()


def municipality_subgraph(G: nx.Graph, code: str, *, partners: bool = True) -> nx.Graph:
    """The organisations located in municipality ``code``, with (``partners=True``)
    their partners elsewhere, and the ties among them."""
    codes = {m.code: m.name for m in municipalities()}
    inside = {n for n, c in G.nodes(data="municipality_code") if c == code}
    if code not in codes and not inside:
        raise NotFound(f"no municipality with code {code!r}; the region's codes are "
                       + ", ".join(f"{c} {name}" for c, name in sorted(codes.items())))
    keep = set(inside)
    if partners:
        for n in inside:
            keep.update(G.neighbors(n))
    return G.subgraph(keep).copy()


def _municipality_names(names: Mapping[str, str] | None) -> dict[str, str]:
    """Every municipality's name (all of Denmark's), ``names`` over the shipped ones."""
    found = municipality_names()
    found.update(names or {})
    return found


def _place(attrs: Mapping[str, Any], names: Mapping[str, str], lang: str) -> str:
    """Where an organisation is, for a tooltip: its municipality's name, and "(uden for
    regionen)" when that is outside the region."""
    label = municipality_label(attrs.get("municipality_code"), names, lang)
    if attrs.get("municipality_code") and not in_region(attrs):
        label += f" ({OUTSIDE_REGION.get(lang, OUTSIDE_REGION['da'])})"
    return label


def network_view(
    G: nx.Graph,
    *,
    metrics: Any = None,
    membership: Mapping[Hashable, int] | None = None,
    isolated: Mapping[Hashable, Any] | Iterable[Hashable] = (),
    municipality_names: Mapping[str, str] | None = None,
    color_by: str = "municipality",
    size_by: str = "degree",
    layout: Literal["auto", "spring", "grouped", "geo"] = "auto",
    focus: str | None = None,
    label_among: Iterable[Hashable] | None = None,
    title: str | None = None,
    lang: str = "da",
    source: str = "graphsvc",
    date: dt.date | None = None,
    settings: MapSettings | None = None,
) -> MapView:
    """The view of an organisation graph (the whole network or a part of it).

    Parameters
    ----------
    G : the organisation graph (``graphsvc.analysis.organisation_graph``) or a subgraph
    metrics : id -> {metric: value}, or a DataFrame indexed by id; degree and
        weighted degree are computed from ``G`` when missing
    membership : id -> community number (needed for ``color_by="community"``)
    isolated : ids of isolated small actors (highlighted), or id -> reasons
    municipality_names : code -> name, over the reference names
    color_by : "municipality", "kind" or "community"
    size_by : a metric name
    layout : "geo" places organisations on the map; "spring" and "grouped" compute a
        network layout; "auto" takes spring up to ``settings.spring_layout_max_nodes``
        and grouped above
    focus : an organisation drawn as a diamond (the centre of a neighbourhood map)
    label_among : the organisations that may get a name label on static maps (default all)
    """
    settings = settings or MapSettings()
    check_lang(lang)
    if color_by not in COLOR_BY:
        raise InputError(f"cannot colour by {color_by!r}; use one of: {', '.join(COLOR_BY)}")
    membership = dict(membership or {})
    if color_by == "community" and not membership:
        raise InputError("colouring by community needs the community of each organisation "
                         "(the communities analysis); colour by municipality or kind instead")
    table = _base_metrics(G)
    for n, row in metric_table(metrics).items():
        if n in table:
            table[n].update(row)
    available = sorted({k for row in table.values() for k in row})
    if size_by not in available:
        raise InputError(f"no metric {size_by!r} to size the nodes by; available: "
                         + ", ".join(available))
    names = _municipality_names(municipality_names)
    isolated_ids = set(isolated)
    reasons = dict(isolated) if isinstance(isolated, Mapping) else {}

    group_of, colour_of, legend_title = _colouring(G, color_by, membership, names, lang)
    sizes = theme.scale_sizes({n: table[n].get(size_by) for n in G.nodes}, smallest=0, largest=1)
    candidates = G.nodes if label_among is None else [n for n in G.nodes if n in set(label_among)]
    top = sorted(candidates, key=lambda n: (-(_num(table[n].get(size_by))), str(n)))
    labelled = set(top[: settings.label_top])
    # static maps try more names: the top organisations, then the isolated ones
    rank_of = {n: i for i, n in enumerate(top[: settings.static_labels])}
    loners = sorted((n for n in candidates if n in isolated_ids and n not in rank_of), key=str)
    for n in loners[: settings.static_labels // 2]:
        rank_of[n] = len(rank_of)

    is_geo = layout == "geo"
    pos = _positions(G, layout, group_of, {n: _num(table[n].get(size_by)) for n in G.nodes},
                     settings)
    metric_names = [size_by] + [m for m in available if m != size_by]
    fields = (t(lang, "field.kind"), t(lang, "field.municipality")) + (
        (t(lang, "field.community"),) if membership else ()
    ) + tuple(metric_label(lang, m) for m in metric_names) + (t(lang, "field.isolated"),)

    nodes = []
    for n, attrs in G.nodes(data=True):
        code = attrs.get("municipality_code")
        row = table[n]
        values = (attrs.get("kind"), _place(attrs, names, lang)) + (
            (format_value(membership.get(n), lang),) if membership else ()
        ) + tuple(format_value(row.get(m), lang) for m in metric_names) + (
            (format_value(reasons.get(n), lang) or "✓") if n in isolated_ids else None,
        )
        nodes.append(NodeView(
            id=str(n), name=str(attrs.get("name") or n), x=pos[n][0], y=pos[n][1],
            colour=colour_of(n), size=sizes[n], group=group_of(n), municipality=code,
            kind=attrs.get("kind"), values=values, isolated=n in isolated_ids,
            focus=n == focus, show_label=n in labelled or n == focus,
            label_rank=-1 if n == focus else rank_of.get(n),
        ))
    top_weight = max((w for _, _, w in G.edges(data="weight", default=1.0)), default=1.0) or 1.0
    edges = [
        EdgeView(str(a), str(b), width=math.sqrt(min((w or 1.0) / top_weight, 1.0)),
                 weight=float(w or 1.0))
        for a, b, w in G.edges(data="weight", default=1.0)
    ]
    legend = _legend(nodes, lang)
    if isolated_ids & set(G.nodes):
        legend.append(LegendItem(t(lang, "legend.isolated"), theme.ISOLATED_COLOUR, "ring",
                                 len(isolated_ids & set(G.nodes))))
    if focus is not None and focus in G:
        legend.append(LegendItem(t(lang, "legend.focus"), theme.ISOLATED_COLOUR, "diamond"))
    used_codes = sorted({nv.municipality for nv in nodes if nv.municipality})
    return MapView(
        kind="geo" if is_geo else "network",
        lang=lang,
        title=title or t(lang, "title.geo" if is_geo else "title.network"),
        source_line=t(lang, "source", source=source),
        date=t(lang, "made", date=(date or dt.date.today()).isoformat()),
        nodes=nodes,
        edges=edges,
        legend_title=legend_title,
        legend=legend,
        fields=fields,
        size_note=t(lang, "legend.size", metric=metric_label(lang, size_by)),
        attribution=BOUNDARY_ATTRIBUTION if is_geo else None,
        background=geo.boundary_rings() if is_geo else (),
        physics=not is_geo and G.number_of_nodes() <= settings.static_layout_threshold,
        municipalities=sorted_names((c, municipality_label(c, names, lang)) for c in used_codes),
        kinds=sorted({nv.kind for nv in nodes if nv.kind}),
    )


def _num(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else 0.0


def _colouring(G, color_by, membership, names, lang):
    other = t(lang, "legend.other")
    unknown = t(lang, "legend.unknown")
    if color_by == "municipality":
        codes = [m.code for m in municipalities()]
        palette = dict(zip(codes, theme.MUNICIPALITY_COLOURS))
        outside = OUTSIDE_REGION.get(lang, OUTSIDE_REGION["da"]).capitalize()
        no_place = UNKNOWN_MUNICIPALITY.get(lang, UNKNOWN_MUNICIPALITY["da"]).capitalize()

        def key(n):
            return G.nodes[n].get("municipality_code")

        def group(n):
            c = key(n)
            if c in palette:
                return names.get(c, c)
            # an organisation of another region is labelled as outside, not "unknown"
            return outside if c else no_place

        return group, lambda n: palette.get(key(n), theme.OTHER_COLOUR), t(lang, "legend.municipality")
    if color_by == "kind":
        palette = theme.category_colours(k for _, k in G.nodes(data="kind"))

        def group(n):
            k = G.nodes[n].get("kind")
            return k if k in palette else (other if k else unknown)

        return (group, lambda n: palette.get(G.nodes[n].get("kind"), theme.OTHER_COLOUR),
                t(lang, "legend.kind"))
    palette = theme.category_colours(membership.get(n) for n in G.nodes)

    def group(n):
        c = membership.get(n)
        return t(lang, "legend.community_n", n=c) if c in palette else (
            other if c is not None else unknown)

    return (group, lambda n: palette.get(membership.get(n), theme.OTHER_COLOUR),
            t(lang, "legend.community"))


def _legend(nodes: list[NodeView], lang: str) -> list[LegendItem]:
    colours: dict[str, str] = {}
    counts: dict[str, int] = {}
    for nv in nodes:
        colours.setdefault(nv.group, nv.colour)
        counts[nv.group] = counts.get(nv.group, 0) + 1
    last = {t(lang, "legend.other"), t(lang, "legend.unknown"),
            OUTSIDE_REGION.get(lang, OUTSIDE_REGION["da"]).capitalize(),
            UNKNOWN_MUNICIPALITY.get(lang, UNKNOWN_MUNICIPALITY["da"]).capitalize()}
    order = sorted(counts, key=lambda g: (g in last, -counts[g], g))
    return [LegendItem(g, colours[g], "dot", counts[g]) for g in order]


def _positions(G, layout, group_of, order, settings: MapSettings):
    if layout == "geo":
        return geo.geographic_layout(G.nodes, seed=settings.seed)
    if layout == "auto":
        layout = "spring" if G.number_of_nodes() <= settings.spring_layout_max_nodes else "grouped"
    if layout == "spring":
        return _spring_with_loners(G, settings.seed)
    if layout == "grouped":
        return grouped_layout(G, {n: group_of(n) for n in G.nodes}, order=order, seed=settings.seed)
    raise InputError(f"unknown layout {layout!r}; use auto, spring, grouped or geo")


def _spring_with_loners(G: nx.Graph, seed: int) -> dict:
    """A spring layout of the largest connected component, spread to about one unit
    per node, and every other organisation (no ties, or ties only within a small group)
    in rows under it, group by group (a spring layout would fling them to a wide ring
    around the rest)."""
    components = sorted(nx.connected_components(G), key=lambda c: (-len(c), min(map(str, c))))
    if not components:
        return {}
    main = G.subgraph(components[0]) if len(components[0]) > 1 else nx.Graph()
    rest = [n for c in components[1 if main else 0:] for n in sorted(c, key=str)]
    scale = math.sqrt(max(main.number_of_nodes(), 1)) * 1.2
    # a little wider than tall, for 16:9 slides and screens
    pos = {n: (x * scale * 1.5, y * scale) for n, (x, y) in spring_layout(main, seed=seed).items()}
    if not rest:
        return pos
    xs = [x for x, _ in pos.values()] or [0.0]
    ys = [y for _, y in pos.values()] or [0.0]
    left, width = min(xs), max(max(xs) - min(xs), 1.0)
    step = max(width / max(math.ceil(math.sqrt(len(rest) * 4)), 1), 0.8)
    per_row = max(int(width / step) + 1, 1)
    top = min(ys) - 2 * step
    for i, n in enumerate(rest):
        pos[n] = (left + (i % per_row) * step, top - (i // per_row) * step)
    return pos
