"""Finding organisations by a name as a Danish user types it.

Names and the search text are folded alike (``loaders.text.fold``: case, accents,
æ → ae, ø → oe, å → aa, so "Århus" finds "Aarhus" and "aarhus" finds "Erhverv Århus"), and
the word "kommune" is optional on both sides. When no name contains the folded text, the
names within a rapidfuzz ``partial_ratio`` of ``FUZZY_CUTOFF`` are the answer (a typo:
"Herning Musem" finds "Herning Museum").
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rapidfuzz import fuzz, process

from loaders.text import fold

__all__ = ["search_key", "matching_names", "FUZZY_CUTOFF"]

FUZZY_CUTOFF = 85.0
"""The least rapidfuzz ``partial_ratio`` (0–100) of a fuzzy match (docs/service.md, "Search")."""

_KOMMUNE = re.compile(r"\bkommune\b")


def search_key(text: str) -> str:
    """``text`` folded for searching, without the word "kommune".

    >>> search_key("Århus Kommune"), search_key("AARHUS")
    ('aarhus', 'aarhus')
    """
    return " ".join(_KOMMUNE.sub(" ", fold(text)).split())


def matching_names(q: str | None, names: Mapping[str, str | None]) -> set[str] | None:
    """The ids in ``names`` (id -> name) whose name matches ``q``; None when ``q`` is
    empty (no filter). Exact (folded) containment first; only on a miss, fuzzy."""
    needle = search_key(q or "")
    if not needle:
        return None
    keys = {i: search_key(n or "") for i, n in names.items()}
    found = {i for i, k in keys.items() if needle in k}
    if found or len(needle) < 4:  # a fuzzy match of a few letters would match anything
        return found
    choices = {i: k for i, k in keys.items() if k}
    return {i for _, _, i in process.extract(needle, choices, scorer=fuzz.partial_ratio,
                                              score_cutoff=FUZZY_CUTOFF, limit=50)}
