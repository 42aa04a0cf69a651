"""The maps a user asks for, each as a ``MapView`` ready to draw:

- ``network_map``: the whole network (network layout, or ``geographic=True`` on the map);
  interactive maps too large to open quickly start on the municipality-level overview;
- ``organisation_map``: one organisation and its partners, 1 or 2 steps out;
- ``municipality_map``: the organisations of one municipality and their partners;
- ``municipality_level_map``: the 19 municipalities, edge width by ties, lacking pairs
  marked.

Isolated small actors are highlighted on every organisation map.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import networkx as nx

from graphsvc.reference import municipalities
from visualizations.municipalities import municipality_view
from visualizations.settings import MapSettings
from visualizations.text import t
from visualizations.views import MapView, municipality_subgraph, neighbourhood, network_view

__all__ = ["network_map", "organisation_map", "municipality_map", "municipality_level_map"]


def network_map(
    G: nx.Graph,
    *,
    metrics: Any = None,
    membership: Mapping[Hashable, int] | None = None,
    isolated: Mapping[Hashable, Any] | Iterable[Hashable] = (),
    color_by: str = "municipality",
    size_by: str = "degree",
    geographic: bool = False,
    interactive: bool = True,
    lacking: Iterable[tuple[str, str]] = (),
    lacking_total: int | None = None,
    expected: Any = None,
    municipality_names: Mapping[str, str] | None = None,
    lang: str = "da",
    source: str = "graphsvc",
    date: dt.date | None = None,
    settings: MapSettings | None = None,
) -> MapView:
    """The whole network. For an interactive map with more organisations than
    ``settings.overview_threshold`` (or more ties than ``settings.overview_max_edges``)
    the view carries the municipality-level overview, which the page draws first."""
    settings = settings or MapSettings()
    view = network_view(
        G, metrics=metrics, membership=membership, isolated=isolated,
        municipality_names=municipality_names, color_by=color_by, size_by=size_by,
        layout="geo" if geographic else "auto", lang=lang, source=source, date=date,
        settings=settings,
    )
    if interactive and (G.number_of_nodes() > settings.overview_threshold
                        or G.number_of_edges() > settings.overview_max_edges):
        view.overview = municipality_level_map(
            G, lacking=lacking, lacking_total=lacking_total, expected=expected, municipality_names=municipality_names,
            lang=lang, source=source, date=date,
        )
    return view


def organisation_map(
    G: nx.Graph, org_id: str, *, depth: int = 1, geographic: bool = False, **options: Any
) -> MapView:
    """``org_id`` and the organisations at most ``depth`` (1 or 2) steps from it; the
    other options are those of ``network_view``."""
    sub = neighbourhood(G, org_id, depth=depth)
    lang = options.get("lang", "da")
    name = G.nodes[org_id].get("name") or org_id
    return network_view(sub, focus=org_id, layout="geo" if geographic else "auto",
                        title=t(lang, "title.neighbourhood", name=name, depth=depth), **options)


def municipality_map(
    G: nx.Graph, code: str, *, geographic: bool = False, **options: Any
) -> MapView:
    """The organisations located in municipality ``code`` and their partners elsewhere;
    the other options are those of ``network_view``."""
    sub = municipality_subgraph(G, code)
    lang = options.get("lang", "da")
    names = {m.code: m.name for m in municipalities()}
    names.update(options.get("municipality_names") or {})
    inside = [n for n, c in sub.nodes(data="municipality_code") if c == code]
    return network_view(sub, layout="geo" if geographic else "auto", label_among=inside,
                        title=t(lang, "title.municipality", name=names.get(code, code)), **options)


def municipality_level_map(
    G: nx.Graph,
    *,
    lacking: Iterable[tuple[str, str]] = (),
    lacking_total: int | None = None,
    expected: Any = None,
    municipality_names: Mapping[str, str] | None = None,
    lang: str = "da",
    source: str = "graphsvc",
    date: dt.date | None = None,
) -> MapView:
    """The 19 municipalities on their centres: circle by organisations, edge width by
    ties between them, ``lacking`` pairs dashed in red (``lacking_total``: how many
    pairs lack ties in all, when ``lacking`` holds only the worst of them)."""
    return municipality_view(G, lacking=lacking, lacking_total=lacking_total, expected=expected,
                             municipality_names=municipality_names, title=None, lang=lang,
                             source=source, date=date)
