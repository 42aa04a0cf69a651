"""Slide-ready static maps (PNG, SVG, PDF) drawn with matplotlib.

16:9, title, legend, data-source line and date; names only on the top nodes, placed so
that they do not overlap; the municipality boundaries on geographic maps with their
attribution. SVG keeps text as text, PDF embeds its fonts (TrueType, Type 42).
"""

from __future__ import annotations

import io
import math
import textwrap
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle
from matplotlib.transforms import Bbox
from matplotlib.lines import Line2D

from graphsvc.errors import InputError
from visualizations import geo, theme
from visualizations.settings import MapSettings
from visualizations.slide import RC, footer, new_figure
from visualizations.text import t
from visualizations.views import MapView

__all__ = ["STATIC_FORMATS", "RC", "new_figure", "footer", "slide_positions", "map_figure", "figure_bytes", "save_figure", "render_static"]

STATIC_FORMATS = ("png", "svg", "pdf")
# a light box behind labels rather than a stroked outline: path effects would turn the
# text into outlines in SVG and PDF, where it must stay text
_LABEL_BOX = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.72}


def _node_scale(view: MapView) -> tuple[float, float]:
    """Smallest and largest marker diameter (points)."""
    if view.kind == "municipalities":
        return 14.0, 48.0
    n = len(view.nodes)
    return (2.0, 12.0) if n > 3000 else (4.0, 20.0) if n > 100 else (7.0, 26.0)


def slide_positions(view: MapView, aspect: float) -> np.ndarray:
    """Positions of a network view that fill a map area ``aspect`` times as wide as high
    (units 0..1 on both axes): the organisations with partners fill the area above a
    band of rows that holds those without; each axis is spread by rank, so a dense core
    opens up and no part of the slide stays empty."""
    n = len(view.nodes)
    xy = np.array([(nv.x, nv.y) for nv in view.nodes], dtype=float).reshape(-1, 2)
    if n < 2:
        return np.full((n, 2), 0.5)
    index = {nv.id: i for i, nv in enumerate(view.nodes)}
    linked = np.zeros(n, dtype=bool)
    for e in view.edges:
        linked[index[e.source]] = linked[index[e.target]] = True
    loners = np.flatnonzero(~linked)
    rows = math.ceil(math.sqrt(len(loners) / (6 * aspect))) if len(loners) else 0
    band = min(0.28, 0.065 * rows) if rows else 0.0
    out = np.empty((n, 2))
    main = np.flatnonzero(linked)
    if len(main):
        part = xy[main]
        for axis in (0, 1):
            v = part[:, axis]
            span = float(v.max() - v.min()) or 1.0
            rank = np.argsort(np.argsort(v, kind="stable"), kind="stable") / max(len(v) - 1, 1)
            part[:, axis] = 0.35 * (v - v.min()) / span + 0.65 * rank
        out[main, 0] = part[:, 0]
        out[main, 1] = (band + 0.04 if band else 0.0) + part[:, 1] * (1 - (band + 0.04 if band else 0.0))
    if len(loners):
        per_row = math.ceil(len(loners) / rows)
        for k, i in enumerate(loners):
            r, c = divmod(k, per_row)
            out[i, 0] = (c + 0.5) / per_row
            out[i, 1] = band * (1 - (r + 0.5) / rows)
    return out


def map_figure(view: MapView, *, settings: MapSettings | None = None) -> Figure:
    """The figure of a map view: title and subtitle on top, the map on the left, the
    legend on the right, the source line at the foot, all inside the 16:9 slide."""
    settings = settings or MapSettings()
    with matplotlib.rc_context(RC):
        fig = new_figure(settings, view.title, view.subtitle or None)
        bottom = footer(fig, view.source_line, view.date, view.attribution) + 0.02
        top = fig.graphsvc_top - 0.02
        ax = fig.add_axes((0.015, bottom, 0.74, top - bottom))
        ax.set_axis_off()
        xy = np.array([(nv.x, nv.y) for nv in view.nodes]).reshape(-1, 2)
        # a spring layout is spread over the slide; the grouped layout of a larger network
        # keeps its discs (and its shape)
        spread = view.kind == "network" and 20 <= len(view.nodes) <= settings.spring_layout_max_nodes
        if spread:
            box = ax.get_window_extent()
            xy = slide_positions(view, box.width / box.height)
            ax.set_aspect("auto")
        else:
            ax.set_aspect("equal")
        if view.background:
            polys = [ring for _, ring in view.background]
            ax.add_collection(PolyCollection(polys, facecolors=theme.LAND_COLOUR,
                                             edgecolors=theme.BOUNDARY_COLOUR, linewidths=0.6,
                                             zorder=0))
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
                ax.scatter([xy[i, 0]], [xy[i, 1]], s=(diameter[i] * 1.3) ** 2, marker="D", c=nv.colour,
                           edgecolors="black", linewidths=1.5, zorder=4)
        if spread:
            ax.set_xlim(-0.03, 1.03)
            ax.set_ylim(-0.04, 1.04)
        else:
            _fit(ax, view, xy)
        placed = _group_labels(fig, ax, view, xy, spread)
        _labels(fig, ax, view, xy, diameter, placed, _row_markers(fig, ax, view, xy, diameter) if spread else [])
        _legend(fig, view, top=top, bottom=bottom)
    return fig


def _group_labels(fig: Figure, ax, view: MapView, xy: np.ndarray, spread: bool) -> list:
    """The names of groups drawn apart: the organisations outside the region on a
    geographic map (a dashed circle with its name and count), and the row of those
    without partners on a network map. Returns the boxes taken."""
    renderer = fig.canvas.get_renderer()
    boxes = []
    lang = view.lang
    if view.kind == "geo":
        inside = geo.municipality_centres()
        outside = [i for i, nv in enumerate(view.nodes) if nv.municipality not in inside]
        if outside:
            (cx, cy), r = geo.OUTSIDE_CENTRE, geo.OUTSIDE_RADIUS + 1.5
            ax.add_patch(Circle((cx, cy), r, fill=False, linestyle=(0, (4, 3)), linewidth=1.2,
                                edgecolor=theme.BOUNDARY_COLOUR, zorder=2))
            label = f"{t(lang, 'outside')} ({_count(len(outside), lang)})"
            text = ax.annotate(label, (cx, cy + r), xytext=(0, 4), textcoords="offset points",
                               ha="center", va="bottom", fontsize=11.5, fontweight="bold",
                               color="#333333", zorder=6, bbox=_LABEL_BOX)
            text.set_gid("group-outside")
            boxes.append(text.get_window_extent(renderer))
    elif spread:
        linked = {e.source for e in view.edges} | {e.target for e in view.edges}
        loners = [i for i, nv in enumerate(view.nodes) if nv.id not in linked]
        if loners:
            top = float(xy[loners, 1].max())
            label = f"{t(lang, 'loners')} ({_count(len(loners), lang)})"
            text = ax.annotate(label, (0.0, top), xytext=(0, 9), textcoords="offset points",
                               ha="left", va="bottom", fontsize=11.5, fontweight="bold",
                               color="#333333", zorder=6, bbox=_LABEL_BOX)
            text.set_gid("group-loners")
            boxes.append(text.get_window_extent(renderer))
    return boxes


def _row_markers(fig: Figure, ax, view: MapView, xy: np.ndarray, diameter: np.ndarray) -> list:
    """The boxes of the markers in the row of organisations without partners: names must
    not cover them (in the dense middle of a network a name may cross a node)."""
    linked = {e.source for e in view.edges} | {e.target for e in view.edges}
    boxes = []
    for i, nv in enumerate(view.nodes):
        if nv.id not in linked:
            x, y = ax.transData.transform(xy[i])
            r = diameter[i] / 2 * fig.dpi / 72
            boxes.append((i, Bbox.from_extents(x - r, y - r, x + r, y + r)))
    return boxes


def _count(n: int, lang: str) -> str:
    return f"{n:,}".replace(",", "." if lang == "da" else ",")


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


_OFFSETS = ((1, 0, "left", "center"), (-1, 0, "right", "center"), (0, 1, "center", "bottom"),
            (0, -1, "center", "top"), (0.8, 0.8, "left", "bottom"), (-0.8, 0.8, "right", "bottom"),
            (0.8, -0.8, "left", "top"), (-0.8, -0.8, "right", "top"))


def _labels(fig: Figure, ax, view: MapView, xy: np.ndarray, diameter: np.ndarray, placed: list,
            markers: list = ()) -> None:
    """Names of the labelled nodes: in ``label_rank`` order when the view ranks them
    (the top organisations, then the isolated), else the biggest first. A name is tried
    on eight sides of its node and left out where it would overlap a name already
    placed or leave the map. Each drawn name is an SVG group ``label-<n>``."""
    renderer = fig.canvas.get_renderer()
    ranked = [i for i, nv in enumerate(view.nodes) if nv.label_rank is not None]
    if ranked:
        chosen = sorted(ranked, key=lambda i: view.nodes[i].label_rank)
    else:
        chosen = sorted((i for i, nv in enumerate(view.nodes) if nv.show_label), key=lambda i: -diameter[i])
    size = 12 if view.kind == "municipalities" else 10.5
    area = ax.get_window_extent(renderer)
    px = fig.dpi / 72
    pad = size * 0.12 * px + 2  # the white backing's pad, and two pixels
    marks = np.array([b.extents for _, b in markers]).reshape(-1, 4)
    mark_ids = np.array([j for j, _ in markers], dtype=int)
    # each place is tried by arithmetic on the measured text; only the chosen one is drawn
    for i in chosen:
        nv = view.nodes[i]
        name = _short(nv.name)
        prop = FontProperties(family=RC["font.family"], size=size, weight="bold" if nv.focus else "normal")
        w, h, _ = renderer.get_text_width_height_descent(name, prop, ismath=False)
        # matplotlib lays a line out at least as high as "lp" (ascender and descender)
        h = max(h, renderer.get_text_width_height_descent("lp", prop, ismath=False)[1])
        x, y = ax.transData.transform(xy[i])
        offset = (diameter[i] / 2 + 2) * px
        for dx, dy, ha, va in _OFFSETS:
            ax_ = x + dx * offset
            ay = y + dy * offset
            x0 = ax_ if ha == "left" else ax_ - w if ha == "right" else ax_ - w / 2
            y0 = ay if va == "bottom" else ay - h if va == "top" else ay - h / 2
            box = Bbox.from_extents(x0 - pad, y0 - pad, x0 + w + pad, y0 + h + pad)
            if any(box.overlaps(b) for b in placed) or not (
                    area.contains(box.x0, box.y0) and area.contains(box.x1, box.y1)):
                continue
            if len(marks) and bool(np.any((marks[:, 0] < box.x1) & (marks[:, 2] > box.x0) & (marks[:, 1] < box.y1)
                                          & (marks[:, 3] > box.y0) & (mark_ids != i))):
                continue
            text = ax.annotate(name, (xy[i, 0], xy[i, 1]), xytext=(dx * offset / px, dy * offset / px),
                               textcoords="offset points", ha=ha, va=va, fontsize=size, zorder=6,
                               bbox=_LABEL_BOX, fontweight="bold" if nv.focus else "normal")
            text.set_gid(f"label-{len(placed)}")
            placed.append(box)
            break


def _short(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _legend(fig: Figure, view: MapView, *, top: float, bottom: float) -> None:
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
    legend = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.765, top),
                        frameon=False, fontsize=11, title=view.legend_title, title_fontsize=12.5,
                        alignment="left", borderaxespad=0, handlelength=1.8)
    legend.get_title().set_fontweight("bold")
    if note:
        fig.text(0.767, bottom, "\n".join(textwrap.wrap(note, 34)), fontsize=11, color="#333333",
                 ha="left", va="bottom")


def figure_bytes(fig: Figure, fmt: str, *, settings: MapSettings | None = None) -> bytes:
    """The figure as PNG, SVG or PDF."""
    settings = settings or MapSettings()
    if fmt not in STATIC_FORMATS:
        raise InputError(f"cannot draw a static map as {fmt!r}; use one of: {', '.join(STATIC_FORMATS)}")
    title = fig.texts[0].get_text().replace("\n", " ") if fig.texts else "graphsvc"
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
