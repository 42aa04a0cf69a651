"""Slide-ready static maps (PNG, SVG, PDF) drawn with matplotlib.

16:9, title, legend, data-source line and date; names only on the top nodes, placed so
that they do not overlap; the municipality boundaries on geographic maps with their
attribution. SVG keeps text as text, PDF embeds its fonts (TrueType, Type 42).
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from graphsvc.errors import InputError
from visualizations import theme
from visualizations.settings import MapSettings
from visualizations.views import MapView

__all__ = ["STATIC_FORMATS", "new_figure", "map_figure", "figure_bytes", "save_figure", "render_static"]

STATIC_FORMATS = ("png", "svg", "pdf")
RC = {
    "svg.fonttype": "none",  # text stays text in SVG
    "pdf.fonttype": 42,  # TrueType fonts embedded in PDF
    "font.family": "DejaVu Sans",  # ships with matplotlib; has æøå
    "svg.hashsalt": "graphsvc",  # the same map gives the same SVG
}
# a light box behind labels rather than a stroked outline: path effects would turn the
# text into outlines in SVG and PDF, where it must stay text
_LABEL_BOX = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.72}


def new_figure(settings: MapSettings, title: str) -> Figure:
    """A 16:9 figure with the title set, drawn with the Agg canvas (no GUI)."""
    width = settings.width_px / settings.dpi
    fig = Figure(figsize=(width, width * 9 / 16), dpi=settings.dpi)
    FigureCanvasAgg(fig)
    fig.text(0.025, 0.955, title, fontsize=22, fontweight="bold", va="top", ha="left")
    return fig


def footer(fig: Figure, *parts: str | None) -> None:
    fig.text(0.025, 0.022, " · ".join(p for p in parts if p), fontsize=10.5, color="#444444",
             ha="left", va="bottom")


def _node_scale(view: MapView) -> tuple[float, float]:
    """Smallest and largest marker diameter (points)."""
    if view.kind == "municipalities":
        return 14.0, 48.0
    n = len(view.nodes)
    return (2.0, 12.0) if n > 3000 else (4.0, 20.0) if n > 300 else (7.0, 26.0)


def map_figure(view: MapView, *, settings: MapSettings | None = None) -> Figure:
    """The figure of a map view."""
    settings = settings or MapSettings()
    with matplotlib.rc_context(RC):
        fig = new_figure(settings, view.title)
        ax = fig.add_axes((0.015, 0.065, 0.74, 0.82))
        ax.set_axis_off()
        ax.set_aspect("equal")
        if view.background:
            polys = [ring for _, ring in view.background]
            ax.add_collection(PolyCollection(polys, facecolors=theme.LAND_COLOUR,
                                             edgecolors=theme.BOUNDARY_COLOUR, linewidths=0.6,
                                             zorder=0))
        xy = np.array([(nv.x, nv.y) for nv in view.nodes]).reshape(-1, 2)
        index = {nv.id: i for i, nv in enumerate(view.nodes)}
        _draw_edges(ax, view, xy, index)
        small, large = _node_scale(view)
        diameter = np.array([small + (large - small) * nv.size for nv in view.nodes])
        # thousands of small markers: thin rings, no white rim, or the map turns black
        ring, rim = (0.5, 0.0) if len(view.nodes) > 3000 else (1.4, 0.4)
        plain = [i for i, nv in enumerate(view.nodes) if not nv.focus]
        order = sorted(plain, key=lambda i: diameter[i], reverse=True)  # small on top
        if order:
            ax.scatter(xy[order, 0], xy[order, 1], s=diameter[order] ** 2,
                       c=[view.nodes[i].colour for i in order],
                       edgecolors=[theme.ISOLATED_COLOUR if view.nodes[i].isolated else "white"
                                   for i in order],
                       linewidths=[ring if view.nodes[i].isolated else rim for i in order],
                       zorder=3)
        for i, nv in enumerate(view.nodes):
            if nv.focus:
                ax.scatter([nv.x], [nv.y], s=(diameter[i] * 1.3) ** 2, marker="D", c=nv.colour,
                           edgecolors="black", linewidths=1.5, zorder=4)
        _fit(ax, view, xy)
        _labels(fig, ax, view, diameter)
        _legend(fig, view)
        footer(fig, view.source_line, view.date, view.attribution)
    return fig


def _draw_edges(ax, view: MapView, xy: np.ndarray, index: dict[str, int]) -> None:
    if not view.edges:
        return
    municipal = view.kind == "municipalities"
    solid = [e for e in view.edges if not e.dashed and e.width > 0]
    dashed = [e for e in view.edges if e.dashed]
    if solid:
        segs = np.array([(xy[index[e.source]], xy[index[e.target]]) for e in solid])
        widths = np.array([e.width for e in solid])
        if municipal:
            lw, alpha = 0.6 + 11 * widths, 0.45
        else:
            # many edges: thinner and fainter, so the map is not a solid mass of grey
            alpha = float(np.clip(15 / np.sqrt(len(solid)), 0.01, 0.5))
            lw = (0.15 if len(solid) > 50_000 else 0.25) + 2.0 * widths
        ax.add_collection(LineCollection(segs, linewidths=lw, colors=theme.EDGE_COLOUR,
                                         alpha=alpha, zorder=1, capstyle="round"))
    if dashed:
        segs = np.array([(xy[index[e.source]], xy[index[e.target]]) for e in dashed])
        ax.add_collection(LineCollection(segs, linewidths=2.2, colors=theme.LACKING_COLOUR,
                                         linestyles=(0, (4, 3)), alpha=0.9, zorder=2))


def _fit(ax, view: MapView, xy: np.ndarray) -> None:
    """Limits around the nodes and the land (islets far out, such as Anholt, are
    left out unless a node lies there)."""
    points = [xy] if len(xy) else []
    points += [ring for _, ring in view.background if _ring_area(ring) >= 50.0]
    if not points:
        return
    allxy = np.concatenate(points)
    lo, hi = allxy.min(axis=0), allxy.max(axis=0)
    pad = 0.03 * max(hi - lo) or 1.0
    ax.set_xlim(lo[0] - pad, hi[0] + pad)
    ax.set_ylim(lo[1] - pad, hi[1] + pad)


def _ring_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))) / 2


def _labels(fig: Figure, ax, view: MapView, diameter: np.ndarray) -> None:
    """Names of the labelled nodes, biggest first; a label that would overlap one
    already placed is tried on the other side, then left out."""
    renderer = fig.canvas.get_renderer()
    placed = []
    chosen = sorted((i for i, nv in enumerate(view.nodes) if nv.show_label),
                    key=lambda i: -diameter[i])
    size = 12 if view.kind == "municipalities" else 10.5
    for i in chosen:
        nv = view.nodes[i]
        offset = diameter[i] / 2 + 2
        for dx, dy, ha, va in ((offset, 0, "left", "center"), (-offset, 0, "right", "center"),
                               (0, offset, "center", "bottom"), (0, -offset, "center", "top")):
            text = ax.annotate(_short(nv.name), (nv.x, nv.y), xytext=(dx, dy),
                               textcoords="offset points", ha=ha, va=va, fontsize=size,
                               zorder=6, bbox=_LABEL_BOX,
                               fontweight="bold" if nv.focus else "normal")
            box = text.get_window_extent(renderer)
            if not any(box.overlaps(b) for b in placed) and ax.bbox.contains(box.x0, box.y0) \
                    and ax.bbox.contains(box.x1, box.y1):
                placed.append(box)
                break
            text.remove()


def _short(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _legend(fig: Figure, view: MapView) -> None:
    handles = []
    for item in view.legend[:24]:
        label = item.label if item.count is None else f"{item.label} ({item.count:,})".replace(",", ".")
        label = "\n".join(textwrap.wrap(label, 30)) or label
        if item.symbol == "dot":
            h = Line2D([], [], marker="o", linestyle="", markersize=10, markerfacecolor=item.colour,
                       markeredgecolor="white", label=label)
        elif item.symbol == "ring":
            h = Line2D([], [], marker="o", linestyle="", markersize=10, markerfacecolor="white",
                       markeredgecolor=item.colour, markeredgewidth=2, label=label)
        elif item.symbol == "diamond":
            h = Line2D([], [], marker="D", linestyle="", markersize=9, markerfacecolor="white",
                       markeredgecolor=item.colour, markeredgewidth=2, label=label)
        elif item.symbol == "dash":
            h = Line2D([], [], color=item.colour, linewidth=2.2, linestyle=(0, (4, 3)), label=label)
        else:
            h = Line2D([], [], color=item.colour, linewidth=4, label=label)
        handles.append(h)
    if view.kind == "municipalities":
        handles.insert(0, Line2D([], [], marker="o", linestyle="", markersize=12,
                                 markerfacecolor="#bbbbbb", markeredgecolor="white",
                                 label="\n".join(textwrap.wrap(view.size_note, 30))))
        note = None
    else:
        note = view.size_note
    legend = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.765, 0.885),
                        frameon=False, fontsize=11, title=view.legend_title, title_fontsize=12.5,
                        alignment="left", borderaxespad=0, handlelength=1.8)
    legend.get_title().set_fontweight("bold")
    if note:
        fig.text(0.767, 0.08, "\n".join(textwrap.wrap(note, 34)), fontsize=11, color="#333333",
                 ha="left", va="bottom")


def figure_bytes(fig: Figure, fmt: str, *, settings: MapSettings | None = None) -> bytes:
    """The figure as PNG, SVG or PDF."""
    settings = settings or MapSettings()
    if fmt not in STATIC_FORMATS:
        raise InputError(f"cannot draw a static map as {fmt!r}; use one of: {', '.join(STATIC_FORMATS)}")
    title = fig.texts[0].get_text() if fig.texts else "graphsvc"
    metadata = {
        "png": {"Title": title, "Software": "graphsvc"},
        "svg": {"Title": title, "Creator": "graphsvc", "Date": None},
        "pdf": {"Title": title, "Creator": "graphsvc", "CreationDate": None},
    }[fmt]
    buf = io.BytesIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buf, format=fmt, dpi=settings.dpi, metadata=metadata, facecolor="white")
    return buf.getvalue()


def save_figure(fig: Figure, path: str | Path, fmt: str, *, settings: MapSettings | None = None) -> Path:
    path = Path(path)
    path.write_bytes(figure_bytes(fig, fmt, settings=settings))
    return path


def render_static(view: MapView, fmt: str, *, settings: MapSettings | None = None) -> bytes:
    """A map view as PNG, SVG or PDF bytes."""
    if fmt not in STATIC_FORMATS:
        raise InputError(f"cannot draw a static map as {fmt!r}; use one of: {', '.join(STATIC_FORMATS)}")
    return figure_bytes(map_figure(view, settings=settings), fmt, settings=settings)
