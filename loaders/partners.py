"""A cell that lists several organisations: "Lemvig Kommune; Struer Bibliotek og Musikskolen".

Names are separated by newlines, semicolons and ". " (sentence ends) first. Each piece is
then split at commas, " og ", " & " and " and " only where both sides look like whole
names: a known organisation (in the store, in an organisation list, or standing alone in
some partner cell of the import), or a name of at least two words. So:

- "Holstebro Kommune og Struer Bibliotek" is two names, and "Mercantec og Tradium" too
  when each of them stands alone somewhere else;
- "Landbrug og Fødevarer", "Bangsbo Museum og Arkiv", "Erhvervsrådet Herning og
  Ikast-Brande", "P.L. Jessen & Søn ApS" are one name each (one side is a single word);
- "Social- og Sundhedsskolen": the word before ends in a hyphen (a Danish compound);
- "Copenhagen Capacity, fonden til markedsføring og erhvervsfremme": a separator followed by a
  lower-case word continues the name;
- "K. Balling-Engelsen A/S": a dot after a single letter is an initial, not a sentence end.

A name listed in the mapping's ``[partners] keep_together`` is never split.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from loaders.text import clean, fold, name_key

__all__ = ["split_partners", "strong_pieces"]

_ABBREVIATIONS = frozenset({"st", "skt", "sct", "sdr", "nr", "dr", "hr", "fr", "mr", "ca", "bl", "evt", "afd", "inst"})
_WEAK = re.compile(r",\s*|\s+(?:og|&|and)\s+", re.I)
_LEGAL = frozenset({"a/s", "aps", "i/s", "k/s", "p/s", "ivs", "smba", "fmba", "amba", "a.m.b.a.", "a.m.b.a",
                    "f.m.b.a.", "f.m.b.a", "s.m.b.a.", "v.m.b.a.", "ltd", "ltd."})


def strong_pieces(text: str) -> list[str]:
    """The cell split at newlines, semicolons and sentence ends only.

    >>> strong_pieces("Teknologisk Institut.\\nK. Balling A/S. Nordvestjysk Erhvervsråd V.M.B.A.. Mercantec")
    ['Teknologisk Institut', 'K. Balling A/S', 'Nordvestjysk Erhvervsråd V.M.B.A', 'Mercantec']
    """
    pieces: list[str] = []
    for chunk in re.split(r"[\n\r;]+", text):
        start = 0
        for m in re.finditer(r"\.(?=\s+\S)", chunk):
            before = chunk[start : m.start()]
            word = before.rsplit(None, 1)[-1] if before.strip() else ""
            if not word.endswith(".") and (len(word) == 1 or word.lower() in _ABBREVIATIONS or "." in word):
                continue  # an initial or abbreviation; "V.M.B.A.. Next" ends at the second dot
            pieces.append(chunk[start : m.start()])
            start = m.end()
        pieces.append(chunk[start:])
    return [p for p in (clean(p).strip(" .,") for p in pieces) if p]


def _words(side: str) -> int:
    return sum(1 for w in side.split() if w.lower() not in _LEGAL and w != "-")


def _whole(side: str, known: Callable[[str], bool]) -> bool:
    side = side.strip(" .,")
    return bool(side) and (_words(side) >= 2 or known(side))


def _weak_split(piece: str, known: Callable[[str], bool]) -> list[str]:
    parts: list[str] = []
    start = 0
    for m in _WEAK.finditer(piece):
        left, right = piece[start : m.start()], piece[m.end() :]
        following = _WEAK.search(right)
        right_part = right[: following.start()] if following else right
        comma = m.group(0).strip() == ","
        if not comma and left.rstrip().endswith("-"):
            continue  # "Social- og Sundhedsskolen"
        if right_part[:1].islower():
            continue  # "Copenhagen Capacity, fonden til markedsføring og erhvervsfremme"
        if not (_whole(left, known) and _whole(right_part, known)):
            continue
        parts.append(left)
        start = m.end()
    parts.append(piece[start:])
    return [p for p in (clean(p).strip(" .,") for p in parts) if p]


def split_partners(
    cell: object,
    *,
    known: Callable[[str], bool] = lambda name: False,
    keep_together: frozenset[str] = frozenset(),
) -> tuple[list[str], list[str]]:
    """The names in a partner cell, and the pieces that were split at a comma or "og"
    (for the report). ``known(name)`` says whether a name is an organisation already;
    ``keep_together`` holds folded names never to split.

    >>> split_partners("Lemvig Bibliotek, Struer Museum & Holstebro Kunstmuseum; K. Balling-Engelsen A/S")[0]
    ['Lemvig Bibliotek', 'Struer Museum', 'Holstebro Kunstmuseum', 'K. Balling-Engelsen A/S']
    >>> split_partners("Landbrug og Fødevarer. Erhvervsrådet Herning og Ikast-Brande. Social- og Sundhedsskolen")[0]
    ['Landbrug og Fødevarer', 'Erhvervsrådet Herning og Ikast-Brande', 'Social- og Sundhedsskolen']
    >>> split_partners("Mercantec og Tradium", known=lambda n: n in ("Mercantec", "Tradium"))[0]
    ['Mercantec', 'Tradium']
    """
    if isinstance(cell, (list, tuple)):
        pieces = [clean(c).strip(" .,") for c in cell if c is not None and clean(c).strip(" .,")]
    else:
        pieces = strong_pieces(str(cell))
    names: list[str] = []
    split: list[str] = []
    for piece in pieces:
        if fold(piece) in keep_together or known(piece) or not _WEAK.search(piece):
            found = [piece]
        else:
            found = _weak_split(piece, known)
            if len(found) > 1:
                split.append(piece)
        names += found
    seen: set[str] = set()
    out = []
    for name in names:
        key = name_key(name)
        if key and key not in seen and re.search(r"[^\W\d_]", name):
            seen.add(key)
            out.append(name)
    return out, split
