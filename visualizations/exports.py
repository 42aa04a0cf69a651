"""Exports for other tools: the graph as GEXF or GraphML (Gephi, yEd, Cytoscape) and
tables of nodes, edges and metrics as XLSX or CSV (Excel).

Every attribute is a scalar (lists are joined with "; ", missing values left out),
so both graph formats read back with networkx. Texts that a spreadsheet would run as
a formula stay text: XLSX cells are typed as strings, and in CSV a text starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or holding one after a separator,
gets an apostrophe there (``graphsvc.analysis.export.csv_text``).
"""

from __future__ import annotations

import io
import math
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from graphsvc.analysis.scope import in_region, municipality_label
from graphsvc.analysis.scope import municipality_names as all_municipality_names
from graphsvc.analysis.export import csv_line, csv_text
from graphsvc.errors import InputError
from graphsvc.reference import municipalities
from visualizations import geo, theme
from visualizations.views import metric_table

__all__ = [
    "GRAPH_FORMATS",
    "TABLE_FORMATS",
    "export_graph",
    "graph_bytes",
    "tables",
    "xlsx_bytes",
    "csv_bytes",
]

GRAPH_FORMATS = ("gexf", "graphml")
TABLE_FORMATS = ("xlsx", "csv")


def _scalar(value: Any) -> Any:
    """A value GEXF and GraphML can hold: lists joined, numpy numbers made plain,
    None and NaN dropped (returned as None)."""
    if value is None:
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(str(v) for v in value) or None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _hex_rgb(colour: str) -> dict[str, int]:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1.0}


def export_graph(
    G: nx.Graph,
    *,
    metrics: Any = None,
    membership: Mapping[Hashable, int] | None = None,
    isolated: Mapping[Hashable, Any] | Iterable[Hashable] = (),
    municipality_names: Mapping[str, str] | None = None,
    viz: bool = False,
    seed: int = 2026,
) -> nx.Graph:
    """A copy of ``G`` with scalar attributes only, ready for GEXF or GraphML.

    Nodes get their attributes (``label`` is the name, which Gephi shows, and ``type``
    Actor or Institution), ``municipality`` (the name of the municipality), every metric (as float),
    ``community`` and ``isolated`` (with ``isolated_reasons`` when given), and ``x``,
    ``y``: the geographic layout in km. With ``viz=True`` they also get GEXF's
    ``viz`` (position, colour by municipality, size by degree), which Gephi draws.
    Edges keep ``weight``, ``projects`` and ``collaborations``, and get
    ``cross_municipal``.
    """
    names = {m.code: m.name for m in municipalities()}
    names.update(municipality_names or {})
    table = metric_table(metrics)
    membership = membership or {}
    isolated_ids = set(isolated)
    reasons = dict(isolated) if isinstance(isolated, Mapping) else {}
    pos = geo.geographic_layout(G.nodes, seed=seed)
    palette = dict(zip(sorted(names), theme.MUNICIPALITY_COLOURS))
    H = nx.Graph()
    for n, attrs in G.nodes(data=True):
        out = {k: _scalar(v) for k, v in attrs.items()}
        # Gephi and yEd show an attribute called "label" as the node's name
        out["type"] = out.pop("label", None)
        out["label"] = _scalar(attrs.get("name")) or str(n)
        code = attrs.get("municipality_code")
        out["municipality"] = municipality_label(code, {**all_municipality_names(), **names})
        for metric, value in table.get(n, {}).items():
            value = _scalar(value)
            out[metric] = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
        out["community"] = membership.get(n)
        out["isolated"] = n in isolated_ids
        out["isolated_reasons"] = _scalar(reasons.get(n))
        out["x"], out["y"] = round(pos[n][0], 3), round(pos[n][1], 3)
        if viz:
            out["viz"] = {
                "position": {"x": out["x"] * 10, "y": out["y"] * 10, "z": 0.0},
                "color": _hex_rgb(palette.get(code, theme.OTHER_COLOUR)),
                "size": 2.0 + math.sqrt(G.degree(n)),
            }
        H.add_node(str(n), **{k: v for k, v in out.items() if v is not None})
    code = dict(G.nodes(data="municipality_code"))
    for a, b, attrs in G.edges(data=True):
        out = {k: _scalar(v) for k, v in attrs.items()}
        if "weight" in out:
            out["weight"] = float(out["weight"])
        out["cross_municipal"] = bool(code.get(a) and code.get(b) and code[a] != code[b])
        H.add_edge(str(a), str(b), **{k: v for k, v in out.items() if v is not None})
    return H


def graph_bytes(H: nx.Graph, fmt: str) -> bytes:
    """``H`` (from ``export_graph``) as GEXF 1.2 or GraphML, UTF-8."""
    buf = io.BytesIO()
    if fmt == "gexf":
        nx.write_gexf(H, buf, encoding="utf-8", version="1.2draft")
    elif fmt == "graphml":
        plain = nx.Graph()
        plain.add_nodes_from((n, {k: v for k, v in a.items() if k != "viz"}) for n, a in H.nodes(data=True))
        plain.add_edges_from(H.edges(data=True))
        nx.write_graphml(plain, buf, encoding="utf-8", infer_numeric_types=True)
    else:
        raise InputError(f"cannot write a graph as {fmt!r}; use one of: {', '.join(GRAPH_FORMATS)}")
    return buf.getvalue()


def tables(
    G: nx.Graph,
    *,
    metrics: Any = None,
    membership: Mapping[Hashable, int] | None = None,
    isolated: Mapping[Hashable, Any] | Iterable[Hashable] = (),
    municipality_names: Mapping[str, str] | None = None,
) -> dict[str, pd.DataFrame]:
    """The tables ``nodes``, ``edges`` and ``metrics`` of ``G``, sorted by id."""
    names = all_municipality_names()
    names.update(municipality_names or {})
    table = metric_table(metrics)
    membership = membership or {}
    isolated_ids = set(isolated)
    reasons = dict(isolated) if isinstance(isolated, Mapping) else {}
    ids = sorted(G.nodes, key=str)
    node_rows = []
    for n in ids:
        a = G.nodes[n]
        node_rows.append({
            "id": str(n), "name": a.get("name"), "label": a.get("label"), "kind": a.get("kind"),
            "size": a.get("size"), "municipality_code": a.get("municipality_code"),
            "municipality": municipality_label(a.get("municipality_code"), names),
            "municipality_source": a.get("municipality_source"), "size_source": a.get("size_source"),
            "in_region": in_region(a),
            "art_forms": _scalar(a.get("art_forms")), "target_groups": _scalar(a.get("target_groups")),
            "staff": a.get("staff"), "budget_dkk": a.get("budget_dkk"),
            "degree": G.degree(n), "community": membership.get(n), "isolated": n in isolated_ids,
            "isolated_reasons": _scalar(reasons.get(n)),
        })
    code = dict(G.nodes(data="municipality_code"))
    name = dict(G.nodes(data="name"))
    edge_rows = [
        {"source": str(a), "source_name": name.get(a), "target": str(b), "target_name": name.get(b),
         "weight": w.get("weight"), "projects": w.get("projects"),
         "collaborations": w.get("collaborations"),
         "source_municipality": municipality_label(code.get(a), names),
         "target_municipality": municipality_label(code.get(b), names),
         "cross_municipal": bool(code.get(a) and code.get(b) and code[a] != code[b])}
        for a, b, w in sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))
    ]
    base = {"degree": lambda n: float(G.degree(n)),
            "weighted_degree": lambda n: float(G.degree(n, weight="weight"))}
    # degree first, then the metrics in the order the table gives them
    metric_names = list(base)
    for row in table.values():
        metric_names += [k for k in row if k not in metric_names]
    metric_rows = [
        {"id": str(n), "name": G.nodes[n].get("name"),
         "municipality": municipality_label(G.nodes[n].get("municipality_code"), names),
         **{m: _scalar(table.get(n, {}).get(m, base[m](n) if m in base else None))
            for m in metric_names}}
        for n in ids
    ]
    edge_columns = ["source", "source_name", "target", "target_name", "weight", "projects",
                    "collaborations", "source_municipality", "target_municipality", "cross_municipal"]
    return {
        "nodes": pd.DataFrame(node_rows),
        "edges": pd.DataFrame(edge_rows, columns=edge_columns),
        "metrics": pd.DataFrame(metric_rows, columns=["id", "name", "municipality", *metric_names]),
    }


def _cell_value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, (bool, int, float)):
        return value
    return str(value)


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """A workbook with one sheet per table: bold header, frozen first row, an autofilter
    over the table, every text a string cell (never a formula). For people, pass the
    tables through ``visualizations.sheets.readable_tables`` first."""
    wb = Workbook(write_only=True)
    for title, df in sheets.items():
        ws = wb.create_sheet(title=title[:31])
        ws.freeze_panes = "A2"
        for i, column in enumerate(df.columns, start=1):
            sample = [len(str(v)) for v in df[column].head(200) if v is not None]
            ws.column_dimensions[get_column_letter(i)].width = min(max([len(str(column)), *sample]) + 2, 50)
        header = []
        for column in df.columns:
            cell = WriteOnlyCell(ws, value=str(column))
            cell.font = Font(bold=True)
            header.append(cell)
        ws.append(header)
        for row in df.itertuples(index=False, name=None):
            out = []
            for value in row:
                value = _cell_value(value)
                if isinstance(value, str) and value.startswith("="):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.data_type = "s"
                    out.append(cell)
                else:
                    out.append(value)
            ws.append(out)
        if len(df.columns):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{len(df) + 1}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv_text(value: Any, decimal: str) -> str:
    value = _cell_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = repr(value) if not value.is_integer() else str(int(value)) if abs(value) < 1e15 else repr(value)
        return text.replace(".", decimal)
    if isinstance(value, int):
        return str(value)
    return csv_text(value)


def csv_bytes(df: pd.DataFrame, *, lang: str = "da") -> bytes:
    """``df`` as CSV in UTF-8 with a byte-order mark, as Excel expects it: for Danish
    (``lang="da"``) separated by ";" with decimal commas, for English by "," with
    decimal points.

    Cells are written by ``graphsvc.analysis.export.csv_line``: one holding either
    separator is quoted, so the file reads the same in Excel of either language.

    >>> csv_bytes(pd.DataFrame({"navn": ["Århus"], "x": [0.5]}))[3:].decode("utf-8")
    'navn;x\\r\\nÅrhus;"0,5"\\r\\n'
    """
    sep, decimal = (";", ",") if lang == "da" else (",", ".")
    lines = [csv_line([csv_text(str(c)) for c in df.columns], sep)]
    lines += [csv_line([_csv_text(v, decimal) for v in row], sep) for row in df.itertuples(index=False, name=None)]
    return "".join(lines).encode("utf-8-sig")


def write_bytes(data: bytes, path: str | Path) -> Path:
    path = Path(path)
    path.write_bytes(data)
    return path
