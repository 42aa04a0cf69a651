"""The import report in Danish: the status, the count table's words and every problem.

A problem's Danish text is made from its ``code`` and the structured parts it carries (the
value as written, the candidates), so it never mixes in the English message; a code
without a Danish text falls back to a Danish sentence naming the value.
"""

from __future__ import annotations

from typing import Any

__all__ = ["KIND_DA", "SEVERITY_DA", "OUTCOME_DA", "problem_da", "where_da", "status_da", "PLACE_DA"]

KIND_DA = {
    "municipalities": "kommuner", "actors": "aktører", "institutions": "institutioner", "projects": "projekter",
    "networks": "netværk", "events": "begivenheder", "participations": "deltagelser i projekter",
    "collaborations": "samarbejder", "memberships": "medlemskaber", "attendances": "deltagelser i begivenheder",
    "Municipality": "kommuner", "Actor": "aktører", "Institution": "institutioner", "Project": "projekter",
    "Network": "netværk", "Event": "begivenheder", "LOCATED_IN": "ligger i", "PARTICIPATES_IN": "deltager i",
    "TAKES_PLACE_IN": "finder sted i", "MEMBER_OF": "medlem af", "ATTENDS": "deltager i begivenhed",
    "COLLABORATES_WITH": "samarbejder med",
}
SEVERITY_DA = {"error": "fejl", "warning": "advarsler", "info": "oplysninger"}
OUTCOME_DA = {"created": "nye", "updated": "ændrede", "unchanged": "uændrede"}
PLACE_DA = {"column": "kolonne", "coordinates": "koordinater", "postcode": "postnummer",
            "postcode_town": "postnummer og by", "name": "navn", "user": "rettet af bruger", "none": "ingen"}

_TEXT: dict[str, tuple[str, str]] = {
    # code: (message with {value}, what to do)
    "ambiguous_name": ("»{value}« passer på {n} organisationer: {candidates}",
                       "vælg den rigtige på gennemgangssiden, eller skriv kommune eller CVR i rækken"),
    "fuzzy_match": ("»{value}« blev taget for at være »{candidate}« (næsten samme navn)",
                    "hvis det er to organisationer, så vælg »en ny organisation« på gennemgangssiden"),
    "unknown_id": ("»{value}« findes ikke i filerne eller i grafen",
                   "indlæs organisationen først, eller ret id'et"),
    "missing_name": ("rækken nævner ingen organisation", "skriv organisationens navn i rækken, eller slet rækken"),
    "missing_title": ("rækken har ingen projekttitel", "skriv projektets titel i rækken, eller slet rækken"),
    "bad_value": ("værdien »{value}« kan ikke læses", "ret værdien i filen"),
    "place": ("stedet »{value}« kan ikke placeres i en kommune", "ret kommune, postnummer eller adresse i filen"),
    "place_ambiguous": ("»{value}« kan ligge i flere kommuner; den bedste er valgt",
                        "ret kommunen på organisationens side, hvis den er forkert"),
    "place_conflict": ("»{value}« er selv en kommune; rækken placerer den et andet sted",
                       "intet at gøre, hvis adressen er et kontor andetsteds"),
    "unused_column": ("kolonnen »{column}« bruges ikke", "intet at gøre, eller knyt kolonnen til et felt"),
    "ignored_column": ("kolonnen »{column}« er udeladt", "intet at gøre"),
    "duplicate_column": ("kolonnen »{column}« findes to gange", "giv kolonnerne forskellige navne"),
    "personal_column": ("kolonnen »{column}« ser ud til at rumme personoplysninger og er udeladt", "intet at gøre"),
    "header_row": ("overskrifterne er fundet længere nede i arket", "intet at gøre, hvis overskrifterne er rigtige"),
    "unreadable": ("filen kan ikke læses", "ret filen og indlæs den igen"),
    "empty_file": ("filen er tom", "vælg den rigtige fil"),
    "no_rows": ("filen har ingen rækker med data", "vælg den rigtige fil eller det rigtige ark"),
    "unknown_kind": ("det kan ikke ses, hvad filen indeholder", "vælg hvad filen indeholder i feltet »Indhold«"),
    "numeric_id": ("id'et »{value}« er et tal", "intet at gøre, hvis det er et rigtigt id"),
    "several_leads": ("projektet har flere ledere", "giv projekterne en id-kolonne, hvis det er flere projekter"),
    "self_collaboration": ("»{value}« står som samarbejdspartner med sig selv; udeladt", "se de to navne i rækken"),
    "label_conflict": ("»{value}« er gemt som en anden slags organisation; den gemte er beholdt",
                       "slet organisationen først for at ændre det"),
    "invalid_record": ("»{value}« kan ikke gemmes", "ret værdien i filen"),
    "conflict": ("»{value}« står flere steder med forskellige værdier; denne rækkes værdier er beholdt",
                 "ret den værdi, der er forkert"),
    "not_organisation": ("»{value}« er ikke en organisation (en gemt beslutning); udeladt",
                         "fortryd beslutningen for at indlæse den"),
    "partner_split": ("partnerfeltet »{value}« er delt i flere navne",
                      "hvis det er ét navn, så vælg »hold samlet« på gennemgangssiden"),
    "partner_kept": ("partnerfeltet »{value}« er læst som ét navn", "intet at gøre, hvis det er ét navn"),
    "partner_person": ("»{value}« ligner en privatpersons navn og er udeladt",
                       "hvis det er en organisation, så vælg »denne«  på gennemgangssiden"),
}


def _candidates(candidates: list[dict[str, Any]]) -> str:
    return "; ".join(f"{c.get('name')} ({c.get('municipality') or 'ingen kommune'})" for c in candidates[:5])


def problem_da(p: Any) -> tuple[str, str]:
    """The Danish message and what to do for one ``Problem``."""
    message, action = _TEXT.get(p.code, ("der er et problem med »{value}«", "ret værdien i filen"))
    if p.value is None and "{value}" in message:
        message = message.replace("»{value}«", "rækken" if p.code != "place" else "stedet")
    candidates = list(getattr(p, "candidates", []) or [])
    return message.format(value=p.value, column=p.column or "", n=len(candidates),
                          candidates=_candidates(candidates),
                          candidate=candidates[0]["name"] if candidates else ""), action


def where_da(p: Any) -> str:
    parts = [x for x in (
        p.file,
        f"ark »{p.sheet}«" if p.sheet else None,
        f"række {p.row}" if p.row is not None else None,
        f"kolonne »{p.column}«" if p.column else None,
    ) if x]
    return ", ".join(parts)


def status_da(report: Any) -> str:
    if report.dry_run:
        return "prøvekørsel: intet er skrevet" + (
            "; indlæsningen ville fejle" if report.errors and not report.accept_valid else "")
    if report.written:
        return "indlæst" + (f", {report.skipped_rows} rækker med fejl sprunget over" if report.skipped_rows else "")
    if report.errors and not report.accept_valid:
        return "ikke indlæst: intet er skrevet på grund af fejlene nedenfor"
    return "intet at skrive: grafen rummer allerede det hele"
