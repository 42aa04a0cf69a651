"""The frame of a slide: a 16:9 figure with its title and subtitle at the top and the
source line at the foot, each wrapped to the slide's width as the font measures it, so
that a long title or source never runs off the slide."""

from __future__ import annotations

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from visualizations.settings import MapSettings

__all__ = ["RC", "new_figure", "footer", "wrap_text"]

RC = {
    "svg.fonttype": "none",  # text stays text in SVG
    "pdf.fonttype": 42,  # TrueType fonts embedded in PDF
    "font.family": "DejaVu Sans",  # ships with matplotlib; has æøå
    "svg.hashsalt": "graphsvc",  # the same map gives the same SVG
}
def _text_width(fig: Figure, text: str, size: float, weight: str = "normal") -> float:
    """Width of ``text`` in pixels, as the figure draws it."""
    prop = FontProperties(family=RC["font.family"], size=size, weight=weight)
    width, _, _ = fig.canvas.get_renderer().get_text_width_height_descent(text, prop, ismath=False)
    return width


def wrap_text(fig: Figure, text: str, *, size: float, width: float, weight: str = "normal",
              max_lines: int = 3) -> str:
    """``text`` broken into lines no wider than ``width`` (a share of the figure's width),
    measured with the figure's font; a word longer than a line is cut, and text beyond
    ``max_lines`` lines ends in "…"."""
    limit = width * fig.bbox.width
    fits = lambda line: _text_width(fig, line, size, weight) <= limit  # noqa: E731
    lines: list[str] = []
    line = ""
    for word in text.split():
        while not fits(word):  # a word wider than a line (a long address): cut it
            cut = len(word) - 1
            while cut > 1 and not fits(word[:cut]):
                cut -= 1
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        trial = f"{line} {word}" if line else word
        if line and not fits(trial):
            lines.append(line)
            line = word
        else:
            line = trial
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and not fits(last + " …"):
            last = last[:-1]
        lines = lines[: max_lines - 1] + [last.rstrip() + " …"]
    return "\n".join(lines)


def _bottom_of(fig: Figure, text) -> float:
    box = text.get_window_extent(fig.canvas.get_renderer())
    return box.y0 / fig.bbox.height


def new_figure(settings: MapSettings, title: str, subtitle: str | None = None) -> Figure:
    """A 16:9 figure with the title (and subtitle) set, wrapped to the slide's width,
    drawn with the Agg canvas (no GUI). ``fig.graphsvc_top`` is where the space under
    them begins (a share of the figure's height)."""
    width = settings.width_px / settings.dpi
    fig = Figure(figsize=(width, width * 9 / 16), dpi=settings.dpi)
    FigureCanvasAgg(fig)
    with matplotlib.rc_context(RC):
        text = fig.text(0.025, 0.955, wrap_text(fig, title, size=22, width=0.95, weight="bold", max_lines=2),
                        fontsize=22, fontweight="bold", va="top", ha="left", linespacing=1.1)
        text.set_gid("title")
        top = _bottom_of(fig, text)
        if subtitle:
            text = fig.text(0.025, top - 0.012, wrap_text(fig, subtitle, size=14, width=0.95, max_lines=2),
                            fontsize=14, color="#333333", va="top", ha="left", linespacing=1.1)
            text.set_gid("subtitle")
            top = _bottom_of(fig, text)
    fig.graphsvc_top = top
    return fig


def footer(fig: Figure, *parts: str | None) -> float:
    """The source line, date and attribution at the foot of the slide, wrapped to its
    width (at most three lines); returns where it ends at the top (a share of the
    figure's height)."""
    with matplotlib.rc_context(RC):
        line = wrap_text(fig, " · ".join(p for p in parts if p), size=10.5, width=0.95, max_lines=3)
        text = fig.text(0.025, 0.022, line, fontsize=10.5, color="#444444", ha="left", va="bottom",
                        linespacing=1.15)
        text.set_gid("footer")
        box = text.get_window_extent(fig.canvas.get_renderer())
    return box.y1 / fig.bbox.height
