"""Text as it comes from spreadsheets: cleaned for storing, folded for matching.

``clean`` is what is stored for names and values: Unicode NFC, no control or zero-width
characters, runs of whitespace as one space (``clean_text`` keeps the line breaks of free
text such as descriptions). ``fold`` is what is compared: ``clean`` plus case folding, Danish
letters spelled out (æ → ae, ø → oe, å → aa, so "Århus" and "Aarhus" agree), accents
dropped, ``&`` read as "og" and punctuation as space. ``name_key`` also drops a trailing
legal form (A/S, ApS, I/S, a.m.b.a. …), so "AgroTech A/S" and "AgroTech" are one name.
``slug`` turns a name into the ASCII part of a stable id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

__all__ = ["clean", "clean_text", "ends_in_legal_form", "fold", "name_key", "slug"]

_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
_PUNCT = re.compile(r"[^0-9a-z]+")
_LEGAL_FORMS = (
    "a s", "aps", "i s", "k s", "p s", "ivs", "smba", "fmba", "amba", "a m b a", "s m b a",
    "f m b a", "v m b a", "vmba",
)
_LEGAL_TAIL = re.compile(r"(?: (?:" + "|".join(map(re.escape, _LEGAL_FORMS)) + r"))+$")


def clean(value: object) -> str:
    """``value`` as text to store: NFC, visible characters, single spaces, trimmed.

    >>> clean("  Lemvig\\u00a0 Amatør\\u200bteater \\n")
    'Lemvig Amatørteater'
    """
    text = value if value.__class__ is str else str(value)
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " " and (
        text.isascii() or unicodedata.is_normalized("NFC", text)
    ):
        return text  # already clean: the common case, checked quickly
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


def clean_text(value: object) -> str:
    r"""Free text (a description) to store: like ``clean`` but keeping its line breaks.

    >>> clean_text(" Første linje.\r\n  Anden\u200b linje. ")
    'Første linje.\nAnden linje.'
    """
    text = value if value.__class__ is str else str(value)
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text)).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(" ".join(line.split()) for line in text.strip().split("\n"))


@lru_cache(maxsize=200_000)
def fold(value: str) -> str:
    """``value`` folded for comparison.

    >>> fold("Århus Kunst- & Kulturhus")
    'aarhus kunst og kulturhus'
    >>> fold("AARHUS kunst og kulturhus")
    'aarhus kunst og kulturhus'
    """
    text = clean(value).casefold()
    text = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa").replace("ß", "ss").replace("&", " og ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _PUNCT.sub(" ", text).strip()


@lru_cache(maxsize=200_000)
def name_key(value: str) -> str:
    """An organisation's name folded for matching, without a trailing legal form.

    >>> name_key("AgroTech A/S") == name_key("Agrotech")
    True
    >>> name_key("Nordvestjysk Erhvervsråd V.M.B.A.")
    'nordvestjysk erhvervsraad'
    """
    key = fold(value)
    stripped = _LEGAL_TAIL.sub("", key)
    return stripped or key


def ends_in_legal_form(value: str) -> bool:
    """Whether ``value`` ends in a legal form (A/S, ApS, a.m.b.a. …).

    >>> ends_in_legal_form("Karup Lufthavn A.M.B.A"), ends_in_legal_form("P.L")
    (True, False)
    """
    return bool(_LEGAL_TAIL.search(fold(value)))


def slug(value: str, limit: int = 48) -> str:
    """ASCII id part for ``value``; long names are cut and get a short hash, so two long
    names that share a beginning still differ.

    >>> slug("Lemvig Amatørteater")
    'lemvig-amatoerteater'
    >>> slug("'}) DETACH DELETE n //")
    'detach-delete-n'
    """
    text = fold(value).replace(" ", "-") or "x"
    if len(text) <= limit:
        return text
    digest = hashlib.sha1(text.encode()).hexdigest()[:6]
    return f"{text[: limit - 7].rstrip('-')}-{digest}"
