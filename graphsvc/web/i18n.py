"""The pages' words in Danish (the default) and English."""

from __future__ import annotations

__all__ = ["LANGUAGES", "translator"]

LANGUAGES = ("da", "en")

_WORDS: dict[str, tuple[str, str]] = {
    # key: (Danish, English)
    "app_title": ("Kulturelt samarbejde i Region Midtjylland", "Cultural collaboration in Region Midtjylland"),
    "dashboard": ("Overblik", "Overview"),
    "organisations": ("Organisationer", "Organisations"),
    "organisation": ("Organisation", "Organisation"),
    "municipalities": ("Kommuner", "Municipalities"),
    "municipality": ("Kommune", "Municipality"),
    "import": ("Import", "Import"),
    "export": ("Eksport", "Export"),
    "search": ("Søg", "Search"),
    "search_placeholder": ("Søg efter navn …", "Search by name …"),
    "counts": ("Indhold", "Contents"),
    "actors": ("Aktører", "Actors"),
    "institutions": ("Institutioner", "Institutions"),
    "projects": ("Projekter", "Projects"),
    "networks": ("Netværk", "Networks"),
    "events": ("Begivenheder", "Events"),
    "ties": ("Forbindelser", "Ties"),
    "name": ("Navn", "Name"),
    "kind": ("Type", "Kind"),
    "size": ("Størrelse", "Size"),
    "art_forms": ("Kunstarter", "Art forms"),
    "target_groups": ("Målgrupper", "Target groups"),
    "role": ("Rolle", "Role"),
    "years": ("År", "Years"),
    "partners": ("Partnere", "Partners"),
    "via": ("Via", "Via"),
    "collaboration": ("erklæret samarbejde", "declared collaboration"),
    "project": ("projekt", "project"),
    "none": ("Ingen", "None"),
    "no_results": ("Ingen resultater.", "No results."),
    "population": ("Indbyggere", "Population"),
    "population_note": ("Folketal pr. 1. januar {year} (Danmarks Statistik)", "Population on 1 January {year} (Statistics Denmark)"),
    "found": ("{n} fundet", "{n} found"),
    "previous": ("Forrige", "Previous"),
    "next": ("Næste", "Next"),
    "language": ("English", "Dansk"),
    "data_version": ("Dataversion", "Data version"),
    "profile": ("Profil", "Profile"),
    "website": ("Hjemmeside", "Website"),
    "small": ("lille", "small"),
    "medium": ("mellem", "medium"),
    "large": ("stor", "large"),
    "Actor": ("Aktør", "Actor"),
    "Institution": ("Institution", "Institution"),
    "lead": ("leder", "lead"),
    "partner": ("partner", "partner"),
    "gap_heatmap": ("Samarbejde mellem kommuner: faktisk mod forventet", "Ties between municipalities: observed against expected"),
    "gap_heatmap_note": ("Tal: fælles projekter på tværs af kommunegrænsen. Farve: faktisk i forhold til forventet ud fra hvor meget hver kommune samarbejder på tværs af grænser og afstanden (rød: færre end forventet). Skraveret: for lidt data til at sige noget.", "Numbers: projects shared across the border. Colour: observed relative to what each municipality's cross-border collaboration and the distance lead us to expect (red: fewer than expected). Hatched: too little data to tell."),
    "gap_verdict": ("{lacking} af {pairs} kommunepar mangler påviseligt samarbejde (falsk-fund-rate {fdr}); {ok} har det forventede; {too_little} har for lidt data til at sige noget. Listen viser de par, der har færrest fælles projekter i forhold til det forventede.", "{lacking} of {pairs} municipality pairs demonstrably lack ties (false discovery rate {fdr}); {ok} have what was expected; {too_little} have too little data to tell. The list shows the pairs with the fewest shared projects relative to what was expected."),
    "municipality_map": ("Kort over kommunerne", "Map of the municipalities"),
    "network_map": ("Netværkskort", "Network map"),
    "geo_map": ("Geografisk kort", "Geographic map"),
    "lacking_pairs": ("Kommunepar med mindst samarbejde i forhold til forventet", "Municipality pairs with the fewest ties relative to expected"),
    "observed": ("Faktisk", "Observed"),
    "expected": ("Forventet", "Expected"),
    "ratio": ("Forhold", "Ratio"),
    "why": ("Hvorfor", "Why"),
    "gap_state": ("Vurdering", "Verdict"),
    "isolated_actors": ("Isolerede små aktører", "Isolated small actors"),
    "isolated_note": ("{n} små aktører eller aktører af ukendt størrelse uden bånd, kun med bånd i egen kommune eller med få bånd. De første vises her.", "{n} small actors or actors of unknown size with no ties, ties only in their own municipality, or few ties. The first are shown here."),
    "nearest": ("Nærmeste velforbundne", "Nearest well-connected"),
    "central": ("Mest centrale", "Most central"),
    "reach": ("Kommuner nået", "Municipalities reached"),
    "suggestions": ("Forslag til partnere", "Partner suggestions"),
    "suggestions_note": ("Nye partnere, valgt ud fra fælles partnere, fælles kunstarter og målgrupper, stor–lille, kommunegrænser der mangler samarbejde, og afstand. Se docs/suggestions.md.", "New partners, chosen for shared partners, shared art forms and target groups, large–small, municipal borders lacking ties, and distance. See docs/suggestions.md."),
    "score": ("Score", "Score"),
    "neighbourhood": ("Netværk omkring", "Neighbourhood"),
    "position": ("Placering i netværket", "Position in the network"),
    "rank": ("Placering i regionen", "Rank in the region"),
    "rank_in_municipality": ("Placering i kommunen", "Rank in the municipality"),
    "outside_share": ("med bånd uden for kommunen", "with ties outside"),
    "all_organisations": ("Alle organisationer i kommunen", "All organisations in the municipality"),
    "ties_to_others": ("Bånd til de andre kommuner", "Ties to the other municipalities"),
    "lacking": ("mangler", "lacking"),
    "import_intro": ("Indlæs regneark med aktører, institutioner, projekter, tilskud, netværk og begivenheder (CSV, XLSX, JSON). Filerne kontrolleres først; intet skrives, før du bekræfter.", "Load spreadsheets of actors, institutions, projects, grants, networks and events (CSV, XLSX, JSON). The files are checked first; nothing is written until you confirm."),
    "files": ("Filer", "Files"),
    "file_holds": ("Filerne indeholder", "The files hold"),
    "detect": ("(genkend ud fra kolonnerne)", "(detect from the columns)"),
    "sheet": ("Ark (XLSX)", "Sheet (XLSX)"),
    "all_sheets": ("alle ark", "all sheets"),
    "token": ("Adgangsnøgle", "Admin token"),
    "token_note": ("Nøglen sættes af den, der driver tjenesten (GRAPHSVC_ADMIN_TOKEN).", "The token is set by whoever runs the service (GRAPHSVC_ADMIN_TOKEN)."),
    "accept_valid": ("Importér de gyldige rækker, selv om andre har fejl", "Import the valid rows even when others have errors"),
    "check": ("Kontrollér", "Check"),
    "confirm_import": ("Importér", "Import"),
    "undo_import": ("Fortryd seneste import", "Undo the last import"),
    "undo_note": ("Sætter grafen tilbage, som den var før seneste import (med adgangsnøglen ovenfor).", "Puts the graph back as it was before the last import (with the admin token above)."),
    "export_intro": ("Kort og tabeller til præsentationer: PNG, SVG og PDF i 16:9 med titel, signaturforklaring, kilde og dato; tabeller som Excel (XLSX) og CSV; netværket til Gephi (GEXF, GraphML).", "Maps and tables for presentations: PNG, SVG and PDF in 16:9 with title, legend, source and date; tables as Excel (XLSX) and CSV; the network for Gephi (GEXF, GraphML)."),
    "export_note": ("Kort over én organisation eller kommune findes på dens side. Kommandoen graphsvc export laver det samme fra terminalen.", "Maps of one organisation or municipality are on its page. The command graphsvc export makes the same from a terminal."),
    "what": ("Hvad", "What"),
    "formats": ("Formater", "Formats"),
    "graph_file": ("Netværket (til Gephi)", "The network (for Gephi)"),
    "tables": ("Tabeller: organisationer, bånd, mål", "Tables: organisations, ties, measures"),
    "interactive_maps": ("Interaktive kort", "Interactive maps"),
    "no_ties": ("Kommunepar helt uden samarbejde", "Municipality pairs with no ties at all"),
}


def translator(lang: str):
    """``t(key, **values)`` in ``lang``; an unknown key shows itself (easy to spot)."""
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 0

    def t(key: str, **values) -> str:
        pair = _WORDS.get(key)
        text = pair[index] if pair else key
        return text.format(**values) if values else text

    return t
