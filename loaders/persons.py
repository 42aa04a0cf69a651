"""Parts of a partner cell that name a private person rather than an organisation.

A person is not imported as an organisation (docs/loading.md, "Partner cells"). A part is
read as a person's name when:

- it follows "v/", "v.", "att.", "attn." or "c/o" after an organisation
  ("NIVU v/Jens-Jørgen Baastrup", "Hanstholm Fiskeeksportørforening v. Carsten Beith"), or
  stands beside one after a comma ("Acura Advokatpartnerselskab, Andreas Kærsgaard Mylin"),
  and is two to four capitalised words, the first a common Danish first name
  (``FIRST_NAMES``), with no legal form and no organisation word;
- or it stands alone as two or three such words: "Tobias Lau", "Niels-Erik Wischmann".

A word is an organisation word when it ends like "Kommune", "Museum", "Forening", "Teater",
"Design", "Transport" … (``_ORG_ENDINGS``); with one, or a legal form (A/S, ApS …), or an
all-capital word, the part is an organisation: "Karl Morten ApS", "Jan C Design",
"Ib Karlskov Transport A/S", "NK Music". A bare name of three words must end in a surname ("…sen", "…gaard", "…rup" …), so
"Henning Larsen Tegnestue" stays an organisation. The first-name list is short on purpose — it only
has to recognise the names a partner list happens to hold; a name it misses stays an
organisation, and every part read as a person is reported so it can be overridden.
"""

from __future__ import annotations

import re

from loaders.text import fold

__all__ = ["FIRST_NAMES", "looks_like_person", "split_person"]

# Common Danish first names (the most frequent given names in Denmark, both sexes),
# folded as loaders.text.fold folds them (æ → ae, ø → oe, å → aa).
FIRST_NAMES = frozenset("""
    anders andreas anna anne annette bent birgit birthe bo camilla carsten charlotte
    christian christina claus dorthe erik eva finn flemming frank frederik hanne hans
    helle henning henrik ib inge inger jacob jakob jan jens jesper johannes johanne john
    jonas jytte jorgen joergen karen karin karl kasper katrine kim kirsten knud kristian
    lars lene lis lise louise mads maria marianne martin mathias mette michael mikkel
    morten niels nikolaj ole palle per peter pia poul preben rasmus rikke rune signe
    simon sofie soeren susanne svend thomas tine tobias tom tove troels ulla vibeke
""".split())

_MARKER = re.compile(r"(?:^|(?<=\s))(?:v/|v\.|att\.|att:|attn\.?|c/o)\s*", re.I)
_WORD = re.compile(r"[A-ZÆØÅÉÜÖ][a-zæøåéüöä]+(?:-[A-ZÆØÅÉÜÖ][a-zæøåéüöä]+)?|[A-ZÆØÅ]\.?")
_LEGAL = re.compile(r"\b(?:a/s|aps|i/s|k/s|p/s|ivs|s/i|smba|fmba|amba|a\.m\.b\.a|ltd|gmbh|ab|as)\b\.?", re.I)
# endings of words that name organisations, folded; "hus" and "kor" only as whole words
_ORG_ENDINGS = (
    "kommune", "region", "museum", "museet", "fond", "fonden", "forening", "foreningen", "forbund",
    "selskab", "selskabet", "skole", "skolen", "gymnasium", "akademi", "universitet", "institut",
    "instituttet", "center", "centret", "centeret", "centre", "huset", "teater", "teatret", "bibliotek",
    "biblioteket", "koret", "orkester", "festival", "galleri", "kunsthal", "klub", "klubben", "laug",
    "raad", "raadet", "design", "consult", "consulting", "kommunikation", "music", "musik", "media",
    "medier", "film", "studio", "scene", "hotel", "camping", "handel", "transport", "service",
    "group", "gruppe", "gruppen", "partner", "partners", "kirke", "sogn", "park", "radio", "kontor",
    "bureau", "agentur", "invest", "holding", "company", "kompagni", "vaerksted", "fabrik",
    "produktion", "kursus", "college", "sport", "idraet", "tech", "net", "byg", "erhverv",
    "afd", "afdeling", "arkitekter", "architects", "achitechts",
)
# endings of surnames, folded, that a bare three-word name must end with ("Mette Møller Johnsen")
_SURNAME_ENDINGS = (
    "sen", "son", "gaard", "gard", "rup", "borg", "berg", "holm", "lund", "baek", "dal", "mann", "man",
    "ler", "skov", "toft", "vig", "by", "strand", "feldt", "feld", "hoej", "dorf", "sted",
)
_ORG_WORDS = frozenset({"hus", "kor", "og", "and", "for", "i", "af", "til", "the", "of"})


def _org_word(word: str) -> bool:
    folded = fold(word).replace(" ", "")
    return folded in _ORG_WORDS or folded.endswith(_ORG_ENDINGS)


def looks_like_person(text: str, *, context: bool = False) -> bool:
    """Whether ``text`` reads as a private person's name: a first name of ``FIRST_NAMES``
    and one or two more capitalised words, the last of three a surname ("…sen", "…gaard" …).
    With ``context`` (after "v/" or beside an organisation) it may have four words, and the
    last need not look like a surname.

    >>> looks_like_person("Tobias Lau"), looks_like_person("Karl Morten ApS"), looks_like_person("Hotel Pepita")
    (True, False, False)
    >>> looks_like_person("Henning Larsen Tegnestue"), looks_like_person("Mette Møller Johnsen")
    (False, True)
    >>> looks_like_person("Carsten Beith", context=True), looks_like_person("HIH Development A/S", context=True)
    (True, False)
    """
    text = text.strip(" .,")
    words = text.split()
    if not 2 <= len(words) <= (4 if context else 3) or _LEGAL.search(text):
        return False
    if not all(_WORD.fullmatch(w) for w in words) or len(words[0].rstrip(".")) < 2:
        return False
    if any(_org_word(w) for w in words) or fold(words[0].split("-")[0]) not in FIRST_NAMES:
        return False
    return context or len(words) == 2 or fold(words[-1]).endswith(_SURNAME_ENDINGS)


def split_person(part: str) -> tuple[str | None, list[str]]:
    """``part`` as (the organisation it names, or None; the persons it names).

    >>> split_person("NIVU v/Jens-Jørgen Baastrup")
    ('NIVU', ['Jens-Jørgen Baastrup'])
    >>> split_person("v/ Rasmus Johnsen I/S v/ Mette Møller Johnsen")
    ('Rasmus Johnsen I/S', ['Mette Møller Johnsen'])
    >>> split_person("Acura Advokatpartnerselskab, Andreas Kærsgaard Mylin")
    ('Acura Advokatpartnerselskab', ['Andreas Kærsgaard Mylin'])
    >>> split_person("Hydrogen Innovation & Research Centre v/HIH Development A/S")
    ('Hydrogen Innovation & Research Centre v/HIH Development A/S', [])
    >>> split_person("Tobias Lau")
    (None, ['Tobias Lau'])
    """
    org, persons = part.strip(), []
    markers = list(_MARKER.finditer(org))
    if markers:
        last = markers[-1]
        tail = org[last.end():].strip(" .,")
        if last.start() > 0 and looks_like_person(tail, context=True):
            persons.append(tail)
            org = org[: last.start()].strip(" .,")
        lead = _MARKER.match(org)
        if lead and lead.start() == 0:  # "v/ Rasmus Johnsen I/S": the firm itself
            org = org[lead.end():].strip(" .,")
    if "," in org:
        left, _, right = org.rpartition(",")
        left, right = left.strip(" .,"), right.strip(" .,")
        if looks_like_person(right, context=True) and not looks_like_person(left, context=True):
            return left, persons + [right]
        left, _, right = org.partition(",")
        left, right = left.strip(" .,"), right.strip(" .,")
        if looks_like_person(left) and not looks_like_person(right, context=True) and not right[:1].islower():
            return right, persons + [left]
    if looks_like_person(org):
        return None, persons + [org]
    return org or None, persons
