"""The 19 × 19 gap matrix as a heatmap: observed ties over the number expected under
the gaps analysis' null model, on a log scale (red: fewer than expected, blue: more),
pairs lacking ties outlined."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import matplotlib
import numpy as np
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from graphsvc.reference import municipalities
from visualizations.settings import MapSettings
from visualizations.slide import RC, footer, new_figure
from visualizations.text import check_lang, t

__all__ = ["gap_heatmap"]

_TOO_LITTLE = {"da": "Skraveret grå: for lidt data til at sige noget",
               "en": "Hatched grey: too little data to tell"}
_LIMIT = 2.0  # colours saturate at 4× fewer or more than expected


def gap_heatmap(
    ratio: Any,
    *,
    observed: Any = None,
    state: Any = None,
    lacking: Iterable[tuple[str, str]] = (),
    lacking_total: int | None = None,
    municipality_names: Mapping[str, str] | None = None,
    note: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    lang: str = "da",
    source: str = "graphsvc",
    date: dt.date | None = None,
    settings: MapSettings | None = None,
) -> Figure:
    """The heatmap figure of a gap matrix.

    Parameters
    ----------
    ratio : DataFrame, code × code, observed ÷ expected ties (``GapsResult.ratio``);
        NaN where nothing was expected
    observed : DataFrame of observed ties (printed in the cells when given, else the ratio)
    state : DataFrame of the pairs' states (``GapsResult.state``); "too_little_data" cells
        are hatched grey whatever their ratio: the data cannot tell
    lacking : pairs of codes that lack ties (outlined)
    lacking_total : how many pairs lack ties in all, when ``lacking`` is only the worst
    note : a line under the title, e.g. the null model
    title, subtitle : instead of the standard title; a line under it (scope, years)
    """
    check_lang(lang)
    settings = settings or MapSettings()
    names = {m.code: m.name for m in municipalities()}
    names.update(municipality_names or {})
    # rows and columns in alphabetical order of the names, as readers look them up
    codes = sorted((str(c) for c in ratio.index), key=lambda c: names.get(c, c))
    values = np.asarray(ratio.loc[codes, codes].to_numpy(dtype=float))
    shown = np.asarray(observed.loc[codes, codes].to_numpy(dtype=float)) if observed is not None else None
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log2(values)
    logs = np.where(np.isfinite(values) & (values > 0), logs, np.where(values == 0, -_LIMIT, np.nan))
    logs = np.clip(logs, -_LIMIT, _LIMIT)
    with matplotlib.rc_context(RC):
        fig = new_figure(settings, title or t(lang, "title.heatmap"), subtitle)
        top = fig.graphsvc_top
        if note:
            text = fig.text(0.025, top - 0.01, note, fontsize=12, color="#333333", ha="left", va="top")
            top = text.get_window_extent(fig.canvas.get_renderer()).y0 / fig.bbox.height
        # the rotated names under the matrix need about 0.13 of the height above the source line
        bottom = max(0.175, footer(fig, t(lang, "source", source=source),
                                   t(lang, "made", date=(date or dt.date.today()).isoformat())) + 0.13)
        height = min(0.69, top - 0.03 - bottom)
        ax = fig.add_axes((0.13, bottom, 0.44, height))
        cmap = matplotlib.colormaps["RdBu"].with_extremes(bad="#dddddd")
        image = ax.imshow(np.ma.masked_invalid(logs), cmap=cmap,
                          norm=TwoSlopeNorm(0.0, -_LIMIT, _LIMIT), aspect="equal")
        n = len(codes)
        labels = [names.get(c, c) for c in codes]
        ax.set_xticks(range(n), labels, rotation=50, ha="right", rotation_mode="anchor", fontsize=10)
        ax.set_yticks(range(n), labels, fontsize=10)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        for i in range(n):
            for j in range(n):
                cell = shown[i, j] if shown is not None else values[i, j]
                if not np.isfinite(cell):
                    continue
                text = f"{cell:.0f}" if shown is not None else (f"{cell:.1f}" if cell < 10 else f"{cell:.0f}")
                dark = np.isfinite(logs[i, j]) and abs(logs[i, j]) > 1.2
                ax.text(j, i, text, ha="center", va="center", fontsize=7.5,
                        color="white" if dark else "#222222",
                        fontstyle="italic" if i == j else "normal")
        index = {c: k for k, c in enumerate(codes)}
        unsure = 0
        if state is not None:
            st = state.loc[codes, codes].to_numpy(dtype=object)
            for i, j in zip(*np.nonzero(st == "too_little_data")):
                unsure += 1
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="#eeeeee",
                                       edgecolor="#888888", hatch="////", linewidth=0, zorder=2))
        pairs = {tuple(p) for p in lacking}
        for a, b in pairs | {(b, a) for a, b in pairs}:
            if a in index and b in index:
                ax.add_patch(Rectangle((index[b] - 0.5, index[a] - 0.5), 1, 1, fill=False,
                                       edgecolor="black", linewidth=2.2, zorder=3))
        bar_ax = fig.add_axes((0.60, 0.2, 0.015, 0.6))
        bar = fig.colorbar(image, cax=bar_ax)
        ticks = [-2, -1, 0, 1, 2]
        bar.set_ticks(ticks, labels=["¼", "½", "1", "2", "4"])
        bar.set_label(t(lang, "heatmap.colour"), fontsize=11)
        shown_pairs = len(pairs)
        if lacking_total and lacking_total > shown_pairs:
            lacking_note = t(lang, "heatmap.lacking_top", n=shown_pairs, total=lacking_total)
        else:
            lacking_note = t(lang, "heatmap.lacking")
        notes = [lacking_note, t(lang, "heatmap.within")]
        if unsure:
            notes.append(_TOO_LITTLE[lang])
        if observed is not None:
            notes.insert(0, t(lang, "heatmap.numbers"))
        fig.text(0.68, 0.8, "\n".join(notes), fontsize=11.5, color="#333333", ha="left", va="top",
                 linespacing=1.6)
    return fig
