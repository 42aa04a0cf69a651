"""The municipality-level map: 19 nodes on the municipalities' centres, edge width by
the ties between them, pairs that lack ties marked."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graphsvc.reference import BOUNDARY_ATTRIBUTION, municipalities
from visualizations import geo, theme
from visualizations.text import check_lang, t
from visualizations.views import EdgeView, LegendItem, MapView, NodeView, format_value, sorted_names

__all__ = ["municipality_ties", "municipality_view"]


def municipality_ties(G: nx.Graph) -> Counter:
    """Ties between organisations of two municipalities, by sorted pair of codes
    (``(c, c)`` counts ties inside ``c``); organisations with no municipality are left out.

    >>> G = nx.Graph([("a", "b"), ("a", "c")])
    >>> nx.set_node_attributes(G, {"a": "751", "b": "665", "c": "751"}, "municipality_code")
    >>> sorted(municipality_ties(G).items())
    [(('665', '751'), 1), (('751', '751'), 1)]
    """
    code = dict(G.nodes(data="municipality_code"))
    ties: Counter = Counter()
    for a, b in G.edges:
        ca, cb = code.get(a), code.get(b)
        if ca and cb:
            ties[tuple(sorted((ca, cb)))] += 1
    return ties


def _matrix_value(matrix: Any, a: str, b: str) -> float | None:
    if matrix is None:
        return None
    try:
        value = matrix.loc[a, b] if hasattr(matrix, "loc") else matrix[a][b]
    except KeyError:
        return None
    return float(value) if value is not None and not math.isnan(float(value)) else None


def municipality_view(
    G: nx.Graph,
    *,
    lacking: Iterable[tuple[str, str]] = (),
    lacking_total: int | None = None,
    expected: Any = None,
    municipality_names: Mapping[str, str] | None = None,
    title: str | None = None,
    lang: str = "da",
    source: str = "graphsvc",
    date: dt.date | None = None,
) -> MapView:
    """The municipality-level view of an organisation graph.

    Parameters
    ----------
    G : the organisation graph; ties are counted from its edges
    lacking : pairs of municipality codes that lack ties (drawn dashed, in red)
    lacking_total : how many pairs lack ties in all, when ``lacking`` is only the worst
    expected : code x code table (DataFrame or nested mapping) of expected ties, shown in
        the tooltips (``GapsResult.expected``)
    municipality_names : code -> name, over the reference names
    """
    check_lang(lang)
    names = {m.code: m.name for m in municipalities()}
    names.update(municipality_names or {})
    centres = geo.municipality_centres()
    codes = sorted(centres)
    ties = municipality_ties(G)
    orgs = Counter(c for _, c in G.nodes(data="municipality_code") if c in centres)
    sizes = theme.scale_sizes({c: orgs.get(c, 0) for c in codes}, smallest=0.15, largest=1)
    palette = dict(zip(codes, theme.MUNICIPALITY_COLOURS))
    across = Counter()
    for (a, b), n in ties.items():
        if a != b:
            across[a] += n
            across[b] += n
    fields = (t(lang, "field.organisations"), t(lang, "field.ties_within"),
              t(lang, "field.ties_across"))
    nodes = [
        NodeView(id=c, name=names.get(c, c), x=centres[c][0], y=centres[c][1],
                 colour=palette[c], size=sizes[c], group=names.get(c, c), municipality=c,
                 kind=None, show_label=True,
                 values=(format_value(orgs.get(c, 0), lang), format_value(ties.get((c, c), 0), lang),
                         format_value(across.get(c, 0), lang)))
        for c in codes
    ]
    lacking_pairs = {tuple(sorted(p)) for p in lacking}
    top = max((n for (a, b), n in ties.items() if a != b), default=1)
    edges = []
    for a, b in sorted(set(p for p in ties if p[0] != p[1] and p[0] in centres and p[1] in centres)
                       | {p for p in lacking_pairs if p[0] in centres and p[1] in centres}):
        n = ties.get((a, b), 0)
        text = f"{names.get(a, a)} – {names.get(b, b)}: {format_value(n, lang)} {t(lang, 'field.ties').lower()}"
        exp = _matrix_value(expected, a, b)
        if exp is not None:
            text += f" ({t(lang, 'field.expected').lower()} {format_value(round(exp, 1), lang)})"
        is_lacking = (a, b) in lacking_pairs
        edges.append(EdgeView(
            a, b, width=math.sqrt(n / top) if n else 0.0, weight=float(n),
            colour=theme.LACKING_COLOUR if is_lacking else theme.EDGE_COLOUR,
            dashed=is_lacking, text=text,
        ))
    legend = [LegendItem(t(lang, "legend.ties"), theme.EDGE_COLOUR, "line")]
    if lacking_pairs:
        if lacking_total and lacking_total > len(lacking_pairs):
            label = t(lang, "legend.lacking_top", n=len(lacking_pairs), total=lacking_total)
            legend.append(LegendItem(label, theme.LACKING_COLOUR, "dash"))
        else:
            legend.append(LegendItem(t(lang, "legend.lacking"), theme.LACKING_COLOUR, "dash",
                                     len(lacking_pairs)))
    return MapView(
        kind="municipalities",
        lang=lang,
        title=title or t(lang, "title.municipalities"),
        source_line=t(lang, "source", source=source),
        date=t(lang, "made", date=(date or dt.date.today()).isoformat()),
        nodes=nodes,
        edges=edges,
        legend_title=t(lang, "legend.municipality"),
        legend=legend,
        fields=fields,
        size_note=t(lang, "legend.organisations"),
        attribution=BOUNDARY_ATTRIBUTION,
        background=geo.boundary_rings(),
        physics=False,
        municipalities=sorted_names((c, names.get(c, c)) for c in codes),
    )
