"""The sentences that explain a municipality pair of the gaps analysis, in Danish and
English: what was observed against what was expected, with the interval, the verdict and
what the expectation rests on."""

from __future__ import annotations

import math

from graphsvc.analysis.params import Lang
from graphsvc.analysis.reasons import TEMPLATES, Reason, number, percent

__all__ = ["pair_reasons", "GAP_TEMPLATES"]


def _projects(lang: Lang, k: int) -> str:
    if lang == "da":
        return f"{k} {'fælles projekt' if k == 1 else 'fælles projekter'}"
    return f"{k} shared {'project' if k == 1 else 'projects'}"


def _interval(lang: Lang, low: float, high: float, coverage: float) -> str:
    if math.isnan(low) or math.isnan(high):
        return ""
    span = f"{number(low, lang)}–{number(high, lang)}"
    if lang == "da":
        return f" ({percent(coverage, lang)}-interval {span} af det forventede)"
    return f" ({percent(coverage, lang)} interval {span} of the expected)"


def _p(lang: Lang, x: float) -> str:
    return number(x, lang, 3) if x >= 0.001 else ("< 0,001" if lang == "da" else "< 0.001")


GAP_TEMPLATES = {
    "gap_counts": {
        "da": lambda lang, a, b, observed, expected, low, high, coverage: (
            f"{a} og {b} har {_projects(lang, observed)}, hvor {number(expected, lang)} var "
            f"forventet{_interval(lang, low, high, coverage)}"),
        "en": lambda lang, a, b, observed, expected, low, high, coverage: (
            f"{a} and {b} have {_projects(lang, observed)} where {number(expected, lang)} were "
            f"expected{_interval(lang, low, high, coverage)}"),
    },
    "gap_lacking": {
        "da": lambda lang, p, q, fdr: (
            f"mangler samarbejde: færre end forventet (p = {_p(lang, p)}, "
            f"q = {_p(lang, q)} ≤ {number(fdr, lang, 2)})"),
        "en": lambda lang, p, q, fdr: (
            f"lacking ties: fewer than expected (p = {_p(lang, p)}, q = {_p(lang, q)} ≤ "
            f"{number(fdr, lang, 2)})"),
    },
    "gap_ok": {
        "da": lambda lang, q: f"ikke sikkert færre end forventet (q = {_p(lang, q)})",
        "en": lambda lang, q: f"not clearly fewer than expected (q = {_p(lang, q)})",
    },
    "gap_too_little_data": {
        "da": lambda lang, expected: (
            f"for lidt data: med kun {number(expected, lang)} forventede ville selv 0 fælles "
            "projekter ikke vise, at parret mangler samarbejde"),
        "en": lambda lang, expected: (
            f"too little data: with only {number(expected, lang)} expected, even no shared "
            "project would not show that the pair lacks ties"),
    },
    "gap_null_gravity": {
        "da": "forventet ud fra de {d_a} og {d_b} projekter, kommunerne deler på tværs af kommunegrænser",
        "en": "expected from the {d_a} and {d_b} projects the municipalities share across borders",
    },
    "gap_null_gravity_distance": {
        "da": lambda lang, d_a, d_b, km: (
            f"forventet ud fra de {d_a} og {d_b} projekter, kommunerne deler på tværs af "
            f"kommunegrænser, og de {number(km, lang, 0)} km mellem dem"),
        "en": lambda lang, d_a, d_b, km: (
            f"expected from the {d_a} and {d_b} projects the municipalities share across "
            f"borders and the {number(km, lang, 0)} km between them"),
    },
    "gap_carriers": {
        "da": lambda lang, names, organisations, projects: (
            f"{'det ene fælles projekt' if projects == 1 else f'de {projects} fælles projekter'}"
            f", der er, går {_among(lang, names, organisations)}"),
        "en": lambda lang, names, organisations, projects: (
            f"{'the one shared project there is runs' if projects == 1 else f'the {projects} shared projects there are run'}"
            f" {_among(lang, names, organisations)}"),
    },
    "gap_inward": {
        "da": lambda lang, name, share: (
            f"{name} har {percent(share, lang)} af sine bånd inden for kommunen, flere end regionen som helhed"),
        "en": lambda lang, name, share: (
            f"{name} keeps {percent(share, lang)} of its ties inside the municipality, more than the region as a whole"),
    },
}
for _code in [c for c in TEMPLATES if c.startswith("gap_")]:
    del TEMPLATES[_code]
TEMPLATES.update(GAP_TEMPLATES)


def _join(names: list[str], lang: Lang) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + (" og " if lang == "da" else " and ") + names[-1]


def _among(lang: Lang, names: list[str], organisations: int) -> str:
    """'gennem X og Y', or with more organisations than named 'bl.a. gennem X, Y og Z
    (3 af 130 fra de to kommuner)'."""
    listed = _join(names, lang)
    if organisations <= len(names):
        return f"gennem {listed}" if lang == "da" else f"through {listed}"
    if lang == "da":
        return f"bl.a. gennem {listed} ({len(names)} af {organisations} fra de to kommuner)"
    return f"through {listed}, among others ({len(names)} of {organisations} from the two municipalities)"


def pair_reasons(*, a, b, observed, expected, low, high, p, q, state, d_a, d_b, km, carriers,
                 inward, params) -> list[Reason]:
    """The reasons of one pair, the verdict second. ``km`` None: the expectation did not
    use the distance; ``carriers``: the organisations the pair's few shared projects run
    through (``names``, at most three, of ``organisations``; ``projects``) or None.

    >>> from graphsvc.analysis.params import AnalysisParams
    >>> rs = pair_reasons(a="Herning", b="Lemvig", observed=0, expected=3.1, low=0.0,
    ...     high=0.4, p=0.0001, q=0.01, state="lacking", d_a=40, d_b=9, km=None,
    ...     carriers=None, inward=[], params=AnalysisParams(null_model="gravity"))
    >>> rs[0].text("da")
    'Herning og Lemvig har 0 fælles projekter, hvor 3,1 var forventet (95 %-interval 0,0–0,4 af det forventede)'
    >>> rs[1].text("en")
    'lacking ties: fewer than expected (p = < 0.001, q = 0.010 ≤ 0.10)'
    >>> rs = pair_reasons(a="Samsø", b="Viborg", observed=2, expected=4.6, low=0.0,
    ...     high=0.7, p=0.16, q=float("nan"), state="too_little_data", d_a=42, d_b=111,
    ...     km=None, carriers={"names": ["Viborg Kommune", "Samsø Kommune", "LO Viborg"],
    ...     "organisations": 12, "projects": 2}, inward=[], params=AnalysisParams())
    >>> rs[-1].text("da")
    'de 2 fælles projekter, der er, går bl.a. gennem Viborg Kommune, Samsø Kommune og LO Viborg (3 af 12 fra de to kommuner)'
    >>> rs[-1].text("en")
    'the 2 shared projects there are run through Viborg Kommune, Samsø Kommune and LO Viborg, among others (3 of 12 from the two municipalities)'
    """
    lang = params.lang
    reasons = [Reason("gap_counts", {"a": a, "b": b, "observed": observed, "expected": expected,
                                     "low": low, "high": high, "coverage": params.gap_interval})]
    if state == "lacking":
        reasons.append(Reason("gap_lacking", {"p": p, "q": q, "fdr": params.gap_fdr}))
    elif state == "too_little_data":
        reasons.append(Reason("gap_too_little_data", {"expected": expected}))
    else:
        reasons.append(Reason("gap_ok", {"q": q}))
    if params.null_model == "gravity_distance" and km is not None:
        reasons.append(Reason("gap_null_gravity_distance", {"d_a": d_a, "d_b": d_b, "km": km}))
    else:
        reasons.append(Reason("gap_null_gravity", {"d_a": d_a, "d_b": d_b}))
    if carriers and carriers["names"]:
        reasons.append(Reason("gap_carriers", dict(carriers)))
    for name, share in inward:
        reasons.append(Reason("gap_inward", {"name": name, "share": share}))
    return reasons
