"""Colours and sizes: which colour a municipality, kind or community gets, and how a
metric becomes a node size."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping

__all__ = [
    "MUNICIPALITY_COLOURS",
    "CATEGORY_COLOURS",
    "OTHER_COLOUR",
    "ISOLATED_COLOUR",
    "LACKING_COLOUR",
    "EDGE_COLOUR",
    "BOUNDARY_COLOUR",
    "LAND_COLOUR",
    "category_colours",
    "scale_sizes",
]

# tab20 without its two greys, dark shades first so that neighbouring codes differ in hue,
# and two more dark colours: 20 distinct colours for the 19 municipalities
MUNICIPALITY_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#bcbd22", "#17becf", "#393b79", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896",
    "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5", "#637939",
)
# for kinds and communities: distinct colours, the largest groups first
CATEGORY_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#843c39",
)
OTHER_COLOUR = "#b4b4b4"
ISOLATED_COLOUR = "#000000"
LACKING_COLOUR = "#d62728"
EDGE_COLOUR = "#8a8a8a"
BOUNDARY_COLOUR = "#6f6f6f"
LAND_COLOUR = "#f3f1ec"


def category_colours(
    values: Iterable[Hashable], *, palette: tuple[str, ...] = CATEGORY_COLOURS
) -> dict[Hashable, str]:
    """A colour for each of the most frequent values; the rest are left out (they get
    ``OTHER_COLOUR``). Ties in frequency are broken by the value's text, so the same data
    always gives the same colours.

    >>> category_colours(["b", "a", "a", "c"], palette=("red", "blue"))
    {'a': 'red', 'b': 'blue'}
    """
    counts = Counter(v for v in values if v is not None)
    ranked = sorted(counts, key=lambda v: (-counts[v], str(v)))
    return dict(zip(ranked, palette))


def scale_sizes(
    values: Mapping[Hashable, float | None], *, smallest: float, largest: float
) -> dict[Hashable, float]:
    """Sizes from ``smallest`` to ``largest``, by the square root of each value over the
    largest value (so the area grows with the value); missing or negative values get
    ``smallest``.

    >>> scale_sizes({"a": 0, "b": 4, "c": 16}, smallest=10, largest=30)
    {'a': 10.0, 'b': 20.0, 'c': 30.0}
    """
    clean = {k: (v if isinstance(v, (int, float)) and math.isfinite(v) and v > 0 else 0.0)
             for k, v in values.items()}
    top = max(clean.values(), default=0.0)
    if top <= 0:
        return {k: float(smallest) for k in clean}
    return {k: smallest + (largest - smallest) * math.sqrt(v / top) for k, v in clean.items()}
