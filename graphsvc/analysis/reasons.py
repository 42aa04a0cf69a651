"""The sentences that explain a result, in Danish and in English.

Every reason is a code with values (``Reason``), rendered by ``say`` in either language,
so a result can be shown in both. Numbers follow the language: "4,2" in Danish, "4.2"
in English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphsvc.analysis.params import Lang

__all__ = ["Reason", "say", "number", "percent", "size_text", "TEMPLATES", "CATEGORY_NAMES",
           "SIZE_NAMES", "SIZE_SOURCES"]


@dataclass(frozen=True)
class Reason:
    """One reason: a code from ``TEMPLATES`` and the values it names."""

    code: str
    values: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: Lang) -> str:
        return say(self.code, lang, **self.values)


def number(x: float, lang: Lang, digits: int = 1) -> str:
    """``x`` with ``digits`` decimals, a decimal comma in Danish.

    >>> number(4.25, "da"), number(1234.5, "en", 0)
    ('4,2', '1,234')
    """
    text = f"{x:,.{digits}f}"
    if lang == "da":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def percent(x: float, lang: Lang) -> str:
    """``x`` (a share) as a whole percentage: '37 %' in Danish, '37%' in English."""
    return f"{x * 100:.0f} %" if lang == "da" else f"{x * 100:.0f}%"


def _plural(k: int, one: str, many: str) -> str:
    return one if k == 1 else many


def _partners(lang: Lang, k: int) -> str:
    if lang == "da":
        return f"{k} {_plural(k, 'partner', 'partnere')}"
    return f"{k} {_plural(k, 'partner', 'partners')}"


def _others(lang: Lang, r: int) -> str:
    if lang == "da":
        return "ingen andre kommuner" if r == 0 else f"{r} {_plural(r, 'anden kommune', 'andre kommuner')}"
    return "no other municipality" if r == 0 else f"{r} other {_plural(r, 'municipality', 'municipalities')}"


def _window(lang: Lang, years) -> str:
    if not years:
        return ""
    return f" i {years[0]}–{years[1]}" if lang == "da" else f" in {years[0]}–{years[1]}"


TEMPLATES: dict[str, dict[str, Any]] = {
    # isolated small actors
    "no_ties": {
        "da": lambda lang, years=None: "ingen fælles projekter eller erklærede samarbejder" + _window(lang, years),
        "en": lambda lang, years=None: "no shared project or declared collaboration" + _window(lang, years),
    },
    "no_project_ever": {"da": "ingen registrerede projekter", "en": "no project on record"},
    "no_project_since": {"da": "intet projekt siden {year}", "en": "no project since {year}"},
    "only_partner_same": {
        "da": "dens eneste partner, {partner}, er i samme kommune",
        "en": "its only partner, {partner}, is in the same municipality",
    },
    "all_partners_same": {
        "da": lambda lang, k, municipality: f"alle dens {_partners(lang, k)} er i {municipality}",
        "en": lambda lang, k, municipality: f"all its {_partners(lang, k)} are in {municipality}",
    },
    "few_partners": {
        "da": lambda lang, k, r: f"kun {_partners(lang, k)}, i {_others(lang, r)}",
        "en": lambda lang, k, r: f"only {_partners(lang, k)}, reaching {_others(lang, r)}",
    },
    "no_network": {"da": "ikke med i noget netværk", "en": "in no network"},
    "no_event": {
        "da": lambda lang, years=None: "ikke med ved noget arrangement" + _window(lang, years),
        "en": lambda lang, years=None: "at no event" + _window(lang, years),
    },
    # cross-municipal gaps
    "gap_counts": {
        "da": lambda lang, a, b, observed, expected: (
            f"{a} og {b} har {observed} bånd, "
            f"hvor {number(expected, lang)} var forventet"),
        "en": lambda lang, a, b, observed, expected: (
            f"{a} and {b} share {observed} {_plural(observed, 'tie', 'ties')} "
            f"where {number(expected, lang)} were expected"),
    },
    "gap_null_organisations": {
        "da": "forventet ud fra deres {n_a} og {n_b} organisationer",
        "en": "expected from their {n_a} and {n_b} organisations",
    },
    "gap_null_degree": {
        "da": "forventet ud fra de {d_a} og {d_b} bånd, deres organisationer har i alt",
        "en": "expected from the {d_a} and {d_b} ties their organisations have in all",
    },
    "gap_ratio": {
        "da": lambda lang, ratio, residual: (
            f"{percent(ratio, lang)} af det forventede (standardiseret residual {number(residual, lang)})"),
        "en": lambda lang, ratio, residual: (
            f"{percent(ratio, lang)} of what was expected (standardised residual {number(residual, lang)})"),
    },
    "gap_none": {
        "da": "ingen fælles projekter eller erklærede samarbejder overhovedet",
        "en": "no shared project or declared collaboration at all",
    },
    "gap_carriers": {
        "da": "de bånd, der er, går gennem {names}",
        "en": "the ties there are run through {names}",
    },
    "gap_distance": {
        "da": lambda lang, km: f"{number(km, lang, 0)} km mellem kommunernes midtpunkter",
        "en": lambda lang, km: f"{number(km, lang, 0)} km between the municipalities' centres",
    },
    "gap_inward": {
        "da": lambda lang, name, share: f"{name} har {percent(share, lang)} af sine bånd inden for kommunen",
        "en": lambda lang, name, share: f"{name} keeps {percent(share, lang)} of its ties inside the municipality",
    },
}

CATEGORY_NAMES: dict[str, dict[str, str]] = {
    "no_ties": {"da": "ingen bånd", "en": "no ties"},
    "only_local": {"da": "kun bånd i egen kommune", "en": "ties only in own municipality"},
    "few_ties": {"da": "få bånd, lav rækkevidde", "en": "few ties, low reach"},
}


SIZE_NAMES: dict[str | None, dict[str, str]] = {
    "small": {"da": "lille", "en": "small"},
    "medium": {"da": "mellemstor", "en": "medium"},
    "large": {"da": "stor", "en": "large"},
    None: {"da": "størrelse ukendt", "en": "size unknown"},
}

# where a size came from (``projection.resolve_size``'s source), in words
SIZE_SOURCES: dict[str, dict[str, str]] = {
    "given": {"da": "oplyst", "en": "given"},
    "staff": {"da": "ud fra antal ansatte", "en": "from staff"},
    "budget": {"da": "ud fra budget", "en": "from budget"},
    "kind": {"da": "ud fra typen", "en": "from its kind"},
    "kind_name": {"da": "ud fra navnet", "en": "from its name"},
    "label": {"da": "ud fra aktør/institution", "en": "from actor/institution"},
}


def size_text(size: str | None, source: str | None, lang: Lang, *, inline: bool = False) -> str:
    """An organisation's size and where it came from, in words; an unknown size is said
    as such, never as small. ``inline``: "lille, oplyst" (for use inside brackets).

    >>> size_text("small", "kind", "da"), size_text("large", "given", "en")
    ('lille (ud fra typen)', 'large (given)')
    >>> size_text(None, "unknown", "da"), size_text(None, None, "en")
    ('størrelse ukendt', 'size unknown')
    >>> size_text("medium", "kind_name", "da", inline=True)
    'mellemstor, ud fra navnet'
    """
    name = SIZE_NAMES.get(size, SIZE_NAMES[None])[lang]
    if size not in SIZE_NAMES or size is None or source not in SIZE_SOURCES:
        return name
    source_text = SIZE_SOURCES[source][lang]
    return f"{name}, {source_text}" if inline else f"{name} ({source_text})"


def say(code: str, lang: Lang, **values: Any) -> str:
    """The sentence for ``code`` in ``lang``.

    >>> say("no_project_since", "da", year=2021)
    'intet projekt siden 2021'
    >>> say("few_partners", "en", k=1, r=0)
    'only 1 partner, reaching no other municipality'
    """
    template = TEMPLATES[code][lang]
    if callable(template):
        return template(lang, **values)
    return template.format(**values)
