"""A cell that lists several organisations: "Lemvig Kommune; Struer Bibliotek og Musikskolen".

The rules (docs/loading.md, "Partner cells"):

1. The cell is cut at newlines, semicolons and ". " (sentence ends). A dot after an
   initial or an abbreviation does not end a name: "K. Balling-Engelsen A/S",
   "Th. Langs HF & VUC", "Dansk Metal Thisted afd.".
2. Each piece is then cut at " og ", " and ", "&", "+" and commas only where

   - every part is a **known organisation** (``known``: in the store, in an organisation
     list of the import, or standing alone in some cell of the import): "HEART og Herning
     Kunstforening" when both are known; or
   - the **cell's own separators say so**: a cell that lists with semicolons and joins its
     last item with "og"/"&"/"+" ("A; B og C"), or a cell that lists with commas
     ("A, B og C", "A, B, C"), each item a name of at least two words or a known one.

   Never at an "og" after a hyphen ("Social- og Sundhedsskolen"), before a lower-case
   word ("3F Horsens og omegn"), or at a comma before a unit ("Aarhus Universitet,
   Institut for Kultur", "Dansk Metal, Skive afdeling").
3. A part that names a private person ("Tobias Lau", "NIVU v/Jens-Jørgen Baastrup") is
   not an organisation (``loaders.persons``), unless the name is an organisation already
   (in the store or an organisation list).

A name listed in the mapping's ``[partners] keep_together`` (or ``organisations``) is
taken as written. Every decision — split, kept together, person — is returned for the
import report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from loaders.persons import split_person
from loaders.text import clean, ends_in_legal_form, fold, name_key

__all__ = ["Decision", "KnownNames", "PartnerCell", "report_partner_cell", "plain_pieces", "split_partners", "strong_pieces"]

_ABBREVIATIONS = frozenset({
    "st", "skt", "sct", "sdr", "nr", "dr", "hr", "fr", "mr", "ca", "bl", "evt", "afd", "inst",
    "th", "chr", "vilh", "jac", "joh", "kr", "edv", "ths",  # abbreviated first names: "Th. Langs HF & VUC"
    "att", "attn",  # "Struer Bibliotek att. Anne Holm"
})
_WEAK = re.compile(r",\s*|\s+(?:og|OG|and|AND)\s+|\s*[&+]\s*")  # not "Dansk And A/S"
_UNIT = re.compile(r"(?:institut|afdeling|afd\b|department|fakultet|faculty|sektion|center for|centre for)", re.I)
_UNIT_TAIL = re.compile(r"\b(?:afdeling|afd)\.?$", re.I)
_LEGAL = frozenset({"a/s", "aps", "i/s", "k/s", "p/s", "ivs", "smba", "fmba", "amba", "a.m.b.a.", "a.m.b.a",
                    "f.m.b.a.", "f.m.b.a", "s.m.b.a.", "v.m.b.a.", "ltd", "ltd."})


@dataclass
class KnownNames:
    """The organisation names an import knows, as ``name_key``\\ s: ``declared`` (in the
    store or an organisation list) and ``seen`` (standing alone in a cell of the import).
    Called with a name, it says whether the name is known at all."""

    declared: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)

    def __call__(self, name: str) -> bool:
        key = name_key(name)
        return key in self.declared or key in self.seen

    def is_declared(self, name: str) -> bool:
        return name_key(name) in self.declared


@dataclass(frozen=True)
class Decision:
    """One decision on a piece of a cell: ``split``, ``kept`` (together) or ``person``."""

    kind: str
    piece: str
    parts: tuple[str, ...]
    reason: str


@dataclass
class PartnerCell:
    """What a partner cell names: organisations (in order, without repeats), the persons
    left out, and the decisions taken."""

    names: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


def _sentence_end(before: str, after: str) -> bool:
    """Whether the dot between ``before`` and ``after`` (". Next") ends a name."""
    word = before.rsplit(None, 1)[-1] if before.strip() else ""
    following = after.split(None, 1)[0] if after.strip() else ""
    if word.endswith("."):
        return True  # "V.M.B.A.. Next"
    if re.split(r"\.\s", after, maxsplit=1)[0].strip(" .,").lower() in _LEGAL or following.startswith("("):
        return False  # "JØRGEN JEPPESENS EFTF. ApS", "GASA Kolding A.M.B.A. (Gartnernes …)"
    if ends_in_legal_form(before) and len(re.split(r"[.,;]", after, maxsplit=1)[0].split()) >= 2:
        return True  # "Karup Lufthavn A.M.B.A. Aarhus Lufthavn", not "TICAN A.M.B.A. Vejle"
    if len(word) == 1:
        # an initial ("K. Balling A/S"), unless an acronym follows ("SOSU Nykøbing F. VUC Storstrøm")
        return len(following) > 1 and following.isupper() and following.isalpha()
    return not (word.lower() in _ABBREVIATIONS or re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]", word))


def strong_pieces(text: str) -> list[str]:
    """The cell split at newlines, semicolons and sentence ends only.

    >>> strong_pieces("Teknologisk Institut.\\nK. Balling A/S. Nordvestjysk Erhvervsråd V.M.B.A.. Th. Langs HF & VUC")
    ['Teknologisk Institut', 'K. Balling A/S', 'Nordvestjysk Erhvervsråd V.M.B.A', 'Th. Langs HF & VUC']
    >>> strong_pieces("EnergyMap.dk. SOSU Nykøbing F. VUC Storstrøm. Karup Lufthavn A.M.B.A. Aarhus Lufthavn")
    ['EnergyMap.dk', 'SOSU Nykøbing F', 'VUC Storstrøm', 'Karup Lufthavn A.M.B.A', 'Aarhus Lufthavn']
    """
    pieces: list[str] = []
    for chunk in re.split(r"[\n\r;]+", text):
        start = 0
        for m in re.finditer(r"\.(?=\s+\S)", chunk):
            if _sentence_end(chunk[start : m.start()], chunk[m.end() :]):
                pieces.append(chunk[start : m.start()])
                start = m.end()
        pieces.append(chunk[start:])
    return [p for p in (clean(p).strip(" .,") for p in pieces) if p]


def plain_pieces(text: str) -> list[str]:
    """The pieces of a cell that hold no place to cut: names that stand alone.

    >>> plain_pieces("Mercantec. HEART og Herning Kunstforening. Social- og Sundhedsskolen")
    ['Mercantec', 'Social- og Sundhedsskolen']
    """
    return [p for p in strong_pieces(text) if not _separators(p)]


def _tidy(text: str) -> str:
    return clean(text).strip(" .,")


def _words(side: str) -> int:
    return sum(1 for w in side.split() if w.lower() not in _LEGAL and w != "-")


def _separators(piece: str) -> list[re.Match[str]]:
    """The places where ``piece`` may be cut: not after a hyphen, not before a lower-case
    word, not at a comma before a unit."""
    out = []
    for m in _WEAK.finditer(piece):
        left, right = piece[: m.start()], piece[m.end() :]
        comma = m.group(0).strip() == ","
        if not comma and left.rstrip().endswith("-"):
            continue  # "Social- og Sundhedsskolen"
        if not right[:1] or right[:1].islower():
            continue  # "Copenhagen Capacity, fonden til …", "3F Horsens og omegn"
        if comma:
            following = _WEAK.search(right)
            part = right[: following.start()] if following else right
            if _UNIT.match(right) or _UNIT_TAIL.search(part.strip(" .")):
                continue  # "Aarhus Universitet, Institut for Kultur", "Dansk Metal, Skive afdeling"
        out.append(m)
    return out


def _known_split(piece: str, cuts: list[re.Match[str]], known: Callable[[str], bool]) -> list[str] | None:
    """The cut of ``piece`` into the most parts that are all known organisations."""
    best: dict[int, list[str] | None] = {}

    def from_(start: int) -> list[str] | None:
        if start in best:
            return best[start]
        found = [_tidy(piece[start:])] if known(_tidy(piece[start:])) else None
        for m in cuts:
            if m.start() <= start:
                continue
            head = _tidy(piece[start : m.start()])
            if head and known(head):
                rest = from_(m.end())
                if rest and (found is None or len(rest) + 1 > len(found)):
                    found = [head, *rest]
        best[start] = found
        return found

    parts = from_(0)
    return parts if parts and len(parts) > 1 else None


def _listed_split(piece: str, cuts: list[re.Match[str]], style: str,
                  known: Callable[[str], bool]) -> list[str] | None:
    """The cut the cell's own separators call for, or None. ``style`` is ``semicolon``
    when ``piece`` is the last item of a semicolon list, ``comma`` when it is the whole cell."""
    commas = [m for m in cuts if m.group(0).strip() == ","]
    joins = [m for m in cuts if m.group(0).strip() != ","]
    if style == "semicolon" and len(joins) == 1 and not commas:
        chosen = joins
    elif style == "comma" and commas and (len(commas) >= 2 or joins):
        after = [m for m in joins if m.start() > commas[-1].start()]
        if len(after) > 1 or any(m.start() < commas[-1].start() for m in joins):
            return None  # "og" inside an item as well: unclear
        chosen = commas + after
    else:
        return None
    bounds = [0, *(x for m in chosen for x in (m.start(), m.end())), len(piece)]
    parts = [_tidy(piece[bounds[i] : bounds[i + 1]]) for i in range(0, len(bounds), 2)]
    if all(p and (_words(p) >= 2 or known(p)) for p in parts):
        return parts
    return None


def _style(cell: str, pieces: list[str], index: int) -> str | None:
    if len(pieces) == 1 and not re.search(r"[\n\r;]", cell) and not re.search(r"\.\s+\S", cell):
        return "comma"
    if index == len(pieces) - 1 and ";" in cell and not re.search(r"[\n\r]", cell.strip()):
        return "semicolon"
    return None


def _decide(piece: str, style: str | None, known: Callable[[str], bool]) -> tuple[list[str], Decision | None]:
    cuts = _separators(piece)
    if not cuts:
        return [piece], None
    parts = _known_split(piece, cuts, known)
    if parts:
        return parts, Decision("split", piece, tuple(parts), "each part is a known organisation")
    if known(piece):
        return [piece], Decision("kept", piece, (piece,), "the whole name is a known organisation")
    parts = _listed_split(piece, cuts, style, known) if style else None
    if parts:
        how = "lists with ';' and joins its last two names" if style == "semicolon" else "lists with commas"
        return parts, Decision("split", piece, tuple(parts), f"the cell {how}")
    return [piece], Decision("kept", piece, (piece,), "not every part is a known organisation")


def split_partners(
    cell: object,
    *,
    known: Callable[[str], bool] = lambda name: False,
    keep_together: frozenset[str] = frozenset(),
) -> PartnerCell:
    """The organisations a partner cell names, the persons it names, and the decisions.

    ``known(name)`` says whether a name is an organisation the import knows; when it has an
    ``is_declared`` method (``KnownNames``), a declared name is never read as a person.
    ``keep_together`` holds folded names taken as written.

    >>> split_partners("Lemvig Bibliotek, Struer Museum & Holstebro Kunstmuseum").names
    ['Lemvig Bibliotek', 'Struer Museum', 'Holstebro Kunstmuseum']
    >>> split_partners("Landbrug og Fødevarer. Erhvervsrådet Herning og Ikast-Brande. Social- og Sundhedsskolen").names
    ['Landbrug og Fødevarer', 'Erhvervsrådet Herning og Ikast-Brande', 'Social- og Sundhedsskolen']
    >>> split_partners("HEART og Herning Kunstforening", known=lambda n: n in ("HEART", "Herning Kunstforening")).names
    ['HEART', 'Herning Kunstforening']
    >>> cell = split_partners("Aalborg Universitet. NIVU v/Jens-Jørgen Baastrup. Tobias Lau")
    >>> cell.names, cell.persons
    (['Aalborg Universitet', 'NIVU'], ['Jens-Jørgen Baastrup', 'Tobias Lau'])
    """
    declared: Callable[[str], bool] = getattr(known, "is_declared", lambda name: False)
    if isinstance(cell, (list, tuple)):
        text = ""
        pieces = [_tidy(c) for c in cell if c is not None and _tidy(c)]
    else:
        text = str(cell)
        pieces = strong_pieces(text)
    out = PartnerCell()
    names: list[str] = []
    for i, piece in enumerate(pieces):
        if fold(piece) in keep_together:
            names.append(piece)
            if _separators(piece):
                out.decisions.append(Decision("kept", piece, (piece,), "listed in [partners] keep_together"))
            continue
        parts, decision = _decide(piece, _style(text, pieces, i) if text else None, known)
        if decision and decision not in out.decisions:
            out.decisions.append(decision)
        for part in parts:
            if declared(part) or fold(part) in keep_together:
                names.append(part)
                continue
            org, persons = split_person(part)
            if persons:
                out.persons += [p for p in persons if p not in out.persons]
                decision = Decision("person", part, tuple(persons), "looks like a person's name")
                if decision not in out.decisions:
                    out.decisions.append(decision)
            if org:
                names.append(org)
    seen: set[str] = set()
    for name in names:
        key = name_key(name)
        if key and key not in seen and re.search(r"[^\W\d_]", name):
            seen.add(key)
            out.names.append(name)
    return out


_ACTIONS = {
    "split": ("partner_split", "if it is one name, add it to [partners] keep_together in a mapping file"),
    "kept": ("partner_kept", "if it names several organisations, separate them with ';' or new lines in the "
                             "cell, or load them in an organisation list first"),
    "person": ("partner_person", "a private person is not imported as an organisation; if it is an "
                                 "organisation, add the name to [partners] organisations in a mapping file"),
}


def _quote(parts: tuple[str, ...]) -> str:
    return " | ".join(repr(p) for p in parts)


def report_partner_cell(report: Any, where: dict[str, Any], cell: PartnerCell) -> None:
    """Every decision on a cell as an info line of ``report`` (an ``ImportReport``);
    ``where`` is ``Src.where(column, cell)``."""
    for d in cell.decisions:
        if d.kind == "split":
            message = f"split {d.piece!r} into {len(d.parts)} partners: {_quote(d.parts)} ({d.reason})"
        elif d.kind == "kept":
            message = f"kept {d.piece!r} as one partner ({d.reason})"
        else:
            message = f"{_quote(d.parts)} in {d.piece!r} {d.reason}; not imported as an organisation"
        code, action = _ACTIONS[d.kind]
        report.add("info", message, action, code=code, **where)
