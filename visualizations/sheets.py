"""Tables for people: the export tables (``visualizations.exports.tables``, the gap
tables) with headers, sheet names and values in Danish or English, for XLSX.

Headers are words ("Antal partnere", not ``degree``); "Actor"/"Institution" become
"Aktør"/"Institution", sizes "lille/mellem/stor/ukendt", truth values "ja/nej";
municipality codes give way to names; decimals are rounded (``round_value``). CSV keeps
the column names and values of the data, for other tools.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from graphsvc.analysis.scope import municipality_label
from graphsvc.analysis.scope import municipality_names as all_municipality_names
from visualizations.text import check_lang, metric_label

__all__ = ["HEADERS", "SHEETS", "readable_tables", "round_value"]

SHEETS = {
    "da": {"nodes": "Organisationer", "edges": "Forbindelser", "metrics": "Mål", "pairs": "Kommunepar",
           "observed": "Observeret", "expected": "Forventet", "ratio": "Forhold", "residual": "Residual"},
    "en": {"nodes": "Organisations", "edges": "Ties", "metrics": "Measures", "pairs": "Municipality pairs",
           "observed": "Observed", "expected": "Expected", "ratio": "Ratio", "residual": "Residual"},
}
HEADERS = {
    "da": {
        "id": "Id", "name": "Navn", "label": "Aktør eller institution", "kind": "Type", "size": "Størrelse",
        "municipality": "Kommune", "municipality_source": "Kommune ud fra", "size_source": "Størrelse ud fra",
        "in_region": "I regionen", "art_forms": "Kunstarter", "target_groups": "Målgrupper",
        "staff": "Ansatte", "budget_dkk": "Budget (kr.)", "community": "Fællesskab",
        "isolated": "Isoleret", "isolated_reasons": "Hvorfor isoleret",
        "source": "Fra (id)", "source_name": "Fra", "target": "Til (id)", "target_name": "Til",
        "weight": "Vægt", "projects": "Fælles projekter", "collaborations": "Erklærede samarbejder",
        "source_municipality": "Fra kommune", "target_municipality": "Til kommune",
        "cross_municipal": "På tværs af kommuner",
        "name_a": "Kommune A", "name_b": "Kommune B", "observed": "Observeret", "expected": "Forventet",
        "ratio": "Forhold (observeret ÷ forventet)", "ratio_low": "Forhold, nedre grænse",
        "ratio_high": "Forhold, øvre grænse", "residual": "Residual", "p_value": "p-værdi",
        "q_value": "q-værdi (FDR)", "state_name": "Vurdering", "lacking": "Mangler samarbejde",
        "km": "Afstand (km)", "reasons": "Begrundelse", "code": "Kommune",
    },
    "en": {
        "id": "Id", "name": "Name", "label": "Actor or institution", "kind": "Kind", "size": "Size",
        "municipality": "Municipality", "municipality_source": "Municipality from", "size_source": "Size from",
        "in_region": "In the region", "art_forms": "Art forms", "target_groups": "Target groups",
        "staff": "Staff", "budget_dkk": "Budget (DKK)", "community": "Community",
        "isolated": "Isolated", "isolated_reasons": "Why isolated",
        "source": "From (id)", "source_name": "From", "target": "To (id)", "target_name": "To",
        "weight": "Weight", "projects": "Shared projects", "collaborations": "Declared collaborations",
        "source_municipality": "From municipality", "target_municipality": "To municipality",
        "cross_municipal": "Across municipalities",
        "name_a": "Municipality A", "name_b": "Municipality B", "observed": "Observed", "expected": "Expected",
        "ratio": "Ratio (observed ÷ expected)", "ratio_low": "Ratio, lower bound",
        "ratio_high": "Ratio, upper bound", "residual": "Residual", "p_value": "p-value",
        "q_value": "q-value (FDR)", "state_name": "Assessment", "lacking": "Lacking ties",
        "km": "Distance (km)", "reasons": "Reasons", "code": "Municipality",
    },
}
_VALUES = {
    "da": {
        "label": {"Actor": "Aktør", "Institution": "Institution"},
        "size": {"small": "lille", "medium": "mellem", "large": "stor", None: "ukendt"},
        "source": {"column": "kolonne", "postcode": "postnummer", "postcode_town": "postby",
                   "coordinates": "koordinater", "name": "navn", "given": "angivet", "staff": "ansatte",
                   "budget": "budget", "unknown": "ukendt"},
        "bool": ("nej", "ja"),
    },
    "en": {
        "label": {"Actor": "Actor", "Institution": "Institution"},
        "size": {"small": "small", "medium": "medium", "large": "large", None: "unknown"},
        "source": {"postcode_town": "post town"},
        "bool": ("no", "yes"),
    },
}
# codes and machine states: the names and words beside them say it for people
_DROPPED = ("municipality_code", "code_a", "code_b", "state", "reason_codes")


def round_value(value: Any) -> Any:
    """A number rounded for a table: whole numbers as they are, 100 or more to one
    decimal, 1 or more to two, smaller ones to three significant digits.

    >>> round_value(0.22267763937365911), round_value(12.3456), round_value(1234.56), round_value(3.0)
    (0.223, 12.35, 1234.6, 3.0)
    """
    if isinstance(value, bool) or not isinstance(value, float) or not math.isfinite(value):
        return value
    if value.is_integer():
        return value
    size = abs(value)
    if size >= 100:
        return round(value, 1)
    if size >= 1:
        return round(value, 2)
    return round(value, 2 - math.floor(math.log10(size)))


def _cell(column: str, value: Any, lang: str) -> Any:
    words = _VALUES[lang]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        value = None
    if column == "size":
        return words["size"].get(value, value)
    if value is None:
        return None
    if isinstance(value, bool):
        return words["bool"][value]
    if column == "label":
        return words["label"].get(value, value)
    if column in ("municipality_source", "size_source"):
        return words["source"].get(value, value)
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return round_value(value)


def _header(column: str, lang: str) -> str:
    return HEADERS[lang].get(column) or metric_label(lang, column)[:1].upper() + metric_label(lang, column)[1:]


def readable_tables(
    tables: Mapping[str, pd.DataFrame], lang: str = "da", *, municipality_names: Mapping[str, str] | None = None
) -> dict[str, pd.DataFrame]:
    """``tables`` for people in ``lang``: sheet names and headers in words, values
    translated and rounded, municipality codes replaced by names (a matrix indexed by
    codes gets names on both sides)."""
    check_lang(lang)
    names = all_municipality_names()
    names.update(municipality_names or {})
    out: dict[str, pd.DataFrame] = {}
    for key, df in tables.items():
        df = df.drop(columns=[c for c in _DROPPED if c in df.columns])
        if "code" in df.columns:  # a code x code matrix: names on both sides
            df = df.copy()
            df["code"] = [municipality_label(c, names, lang) for c in df["code"]]
            df = df.rename(columns={c: municipality_label(c, names, lang) for c in df.columns if c != "code"})
        columns = list(df.columns)
        rows = [[_cell(str(c), v, lang) for c, v in zip(columns, row)]
                for row in df.itertuples(index=False, name=None)]
        headers = [_header(str(c), lang) if c in HEADERS[lang] or str(c).islower() else str(c) for c in columns]
        out[SHEETS[lang].get(key, key)] = pd.DataFrame(rows, columns=headers, dtype=object)
    return out
