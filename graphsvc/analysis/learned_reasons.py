"""Reasons for a learned suggestion, from the features that contributed most to the pair.

The features are grouped into what can be said of a pair (shared partners, the wider
network, shared art forms and groups, size, a lacking municipality pair, place, the
candidate's activity and partners). A group is said when its contribution to the pair's
log-odds (``RankerModel.contributions``, against an average pair) is positive and its
fact holds (a shared partner exists, the sizes are known, …), strongest first, at most
``MAX_REASONS``; a lacking municipality pair is always said, and the distance last. Within one list no two suggestions
carry the identical text: a repeat gets the candidate's own profile added.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graphsvc.analysis.linkpred import FEATURES
from graphsvc.analysis.suggestions import Explanation, SuggestionIndex, explain_pair

__all__ = ["GROUPS", "LEARNED_REASONS", "learned_explanation", "distinct"]

MAX_REASONS = 3
GROUPS = {
    "shared_partners": ("common_neighbours", "adamic_adar", "resource_allocation"),
    "network": ("katz", "rooted_pagerank"),
    "art": ("art_jaccard", "target_jaccard"),
    "size": ("complementarity",),
    "institution": ("candidate_institution",),
    "regional": ("lacking_pair",),
    "place": ("log_distance", "same_municipality"),
    "activity": ("candidate_activity", "candidate_recency"),
    "partners": ("preferential_attachment", "candidate_degree"),
}
_COL = {f: k for k, f in enumerate(FEATURES)}

LEARNED_REASONS: dict[str, dict[str, Any]] = {
    "network": {
        "da": lambda k: f"kan nås gennem jeres netværk ({k} veje over tre led)",
        "en": lambda k: f"reachable through your network ({k} paths of three steps)",
    },
    "institution": {
        "da": lambda name, kind: f"{name} er en institution" + (f" ({kind})" if kind else ""),
        "en": lambda name, kind: f"{name} is an institution" + (f" ({kind})" if kind else ""),
    },
    "activity": {
        "da": lambda name, n, year: f"{name} er aktiv: {_n(n, 'projekt', 'projekter')}, det seneste til {year}",
        "en": lambda name, n, year: f"{name} is active: {_n(n, 'project', 'projects')}, the latest until {year}",
    },
    "partners": {
        "da": lambda name, k: f"{name} har {_n(k, 'partner', 'partnere')}",
        "en": lambda name, k: f"{name} has {_n(k, 'partner', 'partners')}",
    },
    "distance_unknown": {
        "da": lambda: "afstanden er ukendt (intet sted): regnet som den største kendte afstand",
        "en": lambda: "distance unknown (no location): counted as the largest known distance",
    },
    "profile": {
        "da": lambda name, k, n: f"{name}: {_n(k, 'partner', 'partnere')}, {_n(n, 'projekt', 'projekter')}",
        "en": lambda name, k, n: f"{name}: {_n(k, 'partner', 'partners')}, {_n(n, 'project', 'projects')}",
    },
}


def _n(k: int, one: str, many: str) -> str:
    return f"{k} {one if k == 1 else many}"


def _say(code: str, lang: str, **values: Any) -> str:
    return LEARNED_REASONS[code][lang](**values)


def learned_explanation(index: SuggestionIndex, i: int, j: int, contributions: np.ndarray,
                        comps: dict[str, float], *, params, lang: str = "da",
                        paths3: float = 0.0) -> Explanation:
    """Reasons for suggesting ``j`` to ``i``: the groups of ``GROUPS`` with a positive
    contribution whose fact holds, strongest first, then the distance."""
    full = explain_pair(index, i, j, comps, params=params, lang=lang)
    by_code = dict(zip(full.codes, full.reasons))
    projects, last = index.n_projects[j], index.last_project_year[j]
    name = index.names[j]
    said: list[tuple[float, str, str]] = []
    for group, feats in GROUPS.items():
        weight = float(sum(contributions[_COL[f]] for f in feats))
        if weight <= 0 or group == "place":
            continue
        if group == "shared_partners" and "shared_partners" in by_code:
            said.append((weight, "shared_partners", by_code["shared_partners"]))
        elif group == "network" and paths3 > 0 and "shared_partners" not in by_code:
            said.append((weight, "network", _say("network", lang, k=int(round(paths3)))))
        elif group == "art":
            for code in ("shared_art_forms_and_groups", "shared_art_forms", "shared_target_groups"):
                if code in by_code:
                    said.append((weight, code, by_code[code]))
        elif group == "size":
            for code in ("small_and_large", "size_step"):
                if code in by_code:
                    said.append((weight, code, by_code[code]))
        elif group == "institution" and index.is_institution[j]:
            said.append((weight, "institution", _say("institution", lang, name=name,
                                                     kind=index.kinds[j])))
        elif group == "regional":
            for code in ("lacking_pair_no_ties", "lacking_pair_few_ties"):
                if code in by_code:
                    said.append((weight, code, by_code[code]))
        elif group == "activity" and projects and last:
            said.append((weight, "activity", _say("activity", lang, name=name, n=projects, year=last)))
        elif group == "partners" and index.degree[j] > 0:
            said.append((weight, "partners", _say("partners", lang, name=name, k=int(index.degree[j]))))
    said.sort(key=lambda x: -x[0])
    said = said[:MAX_REASONS]
    # a lacking municipality pair is always said (a fact the region cares about); the size
    # goal too when the policy layer is on
    goals = ("lacking_pair_no_ties", "lacking_pair_few_ties")
    if params.policy_strength > 0:
        goals += ("small_and_large", "size_step")
    for code in goals:
        if code in by_code and code not in {c for _, c, _ in said}:
            said.append((0.0, code, by_code[code]))
    place = next(c for c in ("same_municipality", "distance", "distance_unknown") if c in by_code)
    # the learned ranker counts an unknown distance as the largest known (linkpred)
    said.append((0.0, place, _say(place, lang) if place == "distance_unknown" else by_code[place]))
    return Explanation([t for _, _, t in said], [c for _, c, _ in said], full.shared_partners)


def distinct(explanations: list[Explanation], index: SuggestionIndex, top: list[int],
             lang: str) -> list[Explanation]:
    """The explanations with a candidate profile added where a text repeats an earlier one."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for why, j in zip(explanations, top):
        if tuple(why.reasons) in seen:
            text = _say("profile", lang, name=index.names[j], k=int(index.degree[j]),
                        n=index.n_projects[j] or 0)
            if (*why.reasons, text) in seen:
                text += f" ({index.ids[j]})"
            why = Explanation([*why.reasons, text], [*why.codes, "profile"], why.shared_partners)
        seen.add(tuple(why.reasons))
        out.append(why)
    return out

