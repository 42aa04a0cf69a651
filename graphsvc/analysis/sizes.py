"""An organisation's size from its kind: the kind column, or the kind its name says.

The table (``AnalysisParams.kind_sizes``, defaults in ``graphsvc.params.DEFAULT_KIND_SIZES``,
docs/analysis.md) maps a kind to small, medium or large. A kind matches a key when it is
the key, or has the key as a whole word or as the end of a compound word
("Teaterforening" → forening, "statsanerkendt museum" before museum: the longest key
wins). Without a kind, the name is read for the few kinds a name states plainly: a name
ending in "Kommune", or holding "Universitet", "Museum"/"Museet", "Forening"/"Foreningen".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["kind_size", "name_kind"]

_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})

# what a name says plainly: (pattern on the normalised name, the kind)
_NAME_KINDS = (
    (re.compile(r"\b(regions)?kommune$"), "kommune"),
    (re.compile(r"\w*universitet(et)?\b"), "universitet"),
    (re.compile(r"\w*(museum|museet|museer)\b"), "museum"),
    (re.compile(r"\w*(forening|foreningen)\b"), "forening"),
)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(text).casefold().translate(_LETTERS)).split())


def name_kind(name: str | None) -> str | None:
    """The kind an organisation's name states, or None.

    >>> [name_kind(n) for n in ("Herning Kommune", "Aarhus Universitet", "Lemvig Museum",
    ...     "Herning Kunstforening", "Produktionsskolen i Herning Kommune", "Aarhus Teater")]
    ['kommune', 'universitet', 'museum', 'forening', None, None]
    """
    if not name:
        return None
    text = _norm(name)
    if text.startswith("produktionsskol"):
        return None
    for pattern, kind in _NAME_KINDS:
        if pattern.search(text):
            return kind
    return None


def _match(kind: str, table: Mapping[str, str | None]) -> str | None:
    text = _norm(kind)
    keys = sorted(((_norm(k), k) for k in table), key=lambda kk: -len(kk[0]))
    for key, original in keys:
        if text == key:
            return original
    words = text.split()
    for key, original in keys:
        n = len(key.split())
        if " " in key:
            if f" {key} " in f" {text} ":
                return original
        elif any(w == key or (len(key) >= 4 and w.endswith(key)) for w in words[: len(words) - n + 1]):
            return original
    return None


def kind_size(kind: str | None, name: str | None, table: Mapping[str, str | None]) -> tuple[str | None, str]:
    """(size, source): source ``kind`` when the kind column matched the table, ``kind_name``
    when the kind was read from the name, ``unknown`` (size None) otherwise.

    >>> t = {"forening": "small", "kommune": "large", "statsanerkendt museum": "medium", "museum": "medium"}
    >>> kind_size("Teaterforening", None, t), kind_size(None, "Silkeborg Kommune", t)
    (('small', 'kind'), ('large', 'kind_name'))
    >>> kind_size("virksomhed", "Vestas A/S", t)
    (None, 'unknown')
    """
    if kind:
        key = _match(kind, table)
        if key is not None and table[key] is not None:
            return table[key], "kind"
    from_name = name_kind(name)
    if from_name is not None:
        key = _match(from_name, table)
        if key is not None and table[key] is not None:
            return table[key], "kind_name"
    return None, "unknown"
