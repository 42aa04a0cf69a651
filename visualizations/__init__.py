"""Maps and exports: interactive HTML maps, slide-ready PNG/SVG/PDF, the gap heatmap,
GEXF/GraphML and XLSX/CSV.

Build a view with ``visualizations.maps`` (``network_map``, ``organisation_map``,
``municipality_map``, ``municipality_level_map``), then draw it with
``visualizations.html.render_html`` or ``visualizations.static.render_static``.

The names below are imported on first use, so that reading the settings
(``visualizations.settings``) does not load matplotlib, pandas and openpyxl.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "MapSettings": "settings",
    "MapView": "views",
    "network_map": "maps",
    "organisation_map": "maps",
    "municipality_map": "maps",
    "municipality_level_map": "maps",
    "render_html": "html",
    "write_html": "html",
    "render_static": "static",
    "map_figure": "static",
    "figure_bytes": "static",
    "save_figure": "static",
    "gap_heatmap": "heatmap",
    "export_graph": "exports",
    "graph_bytes": "exports",
    "tables": "exports",
    "xlsx_bytes": "exports",
    "csv_bytes": "exports",
    "readable_tables": "sheets",
}

__all__ = list(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f"visualizations.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'visualizations' has no attribute {name!r}")
