"""The words on the maps, in Danish and English."""

from __future__ import annotations

from graphsvc.errors import InputError

__all__ = ["LANGUAGES", "check_lang", "t", "metric_label"]

LANGUAGES = ("da", "en")

_TEXT: dict[str, dict[str, str]] = {
    "da": {
        "title.network": "Kultursamarbejdet i Region Midtjylland",
        "title.geo": "Kultursamarbejdet i Region Midtjylland – på kortet",
        "title.municipality": "Kultursamarbejdet i {name} Kommune",
        "title.neighbourhood": "{name} og samarbejdspartnere ({depth} led)",
        "title.municipalities": "Samarbejde mellem kommunerne i Region Midtjylland",
        "title.heatmap": "Samarbejde mellem kommuner: observeret i forhold til forventet",
        "legend.municipality": "Kommune",
        "legend.kind": "Type",
        "legend.community": "Fællesskab",
        "legend.community_n": "Fællesskab {n}",
        "legend.other": "Øvrige",
        "legend.unknown": "Ukendt",
        "legend.size": "Størrelse: {metric}",
        "legend.isolated": "Isoleret lille aktør",
        "legend.lacking": "Mangler samarbejde",
        "legend.lacking_top": "De {n} par der mest mangler samarbejde (af {total})",
        "legend.ties": "Stregtykkelse: antal bånd",
        "legend.organisations": "Cirkel: antal organisationer",
        "legend.focus": "Valgt organisation",
        "field.name": "Navn",
        "field.kind": "Type",
        "field.municipality": "Kommune",
        "field.community": "Fællesskab",
        "field.isolated": "Isoleret",
        "field.organisations": "Organisationer",
        "field.ties": "Bånd",
        "field.ties_within": "Bånd inden for kommunen",
        "field.ties_across": "Bånd til andre kommuner",
        "field.observed": "Observeret",
        "field.expected": "Forventet",
        "field.ratio": "Forhold",
        "ui.search": "Søg organisation …",
        "ui.all_municipalities": "Alle kommuner",
        "ui.all_kinds": "Alle typer",
        "ui.only_isolated": "Kun isolerede",
        "ui.no_match": "Ingen fundet",
        "ui.shown": "{shown} af {total} organisationer vist",
        "ui.full_network": "Vis hele netværket",
        "ui.overview": "Vis kommuneoversigt",
        "ui.loading": "Tegner …",
        "source": "Kilde: {source}",
        "made": "Udarbejdet {date}",
        "scope.region": "Region Midtjylland (19 kommuner)",
        "scope.all": "Alle kommuner i Danmark",
        "years": "projekter {start}–{end}",
        "outside": "Uden for regionen",
        "loners": "Uden partnere",
        "heatmap.colour": "Observeret ÷ forventet (logaritmisk skala)",
        "heatmap.lacking": "Kant: par der mangler samarbejde",
        "heatmap.lacking_top": "Kant: de {n} par der mest mangler samarbejde (af {total})",
        "heatmap.within": "Diagonal: samarbejde inden for kommunen",
        "heatmap.numbers": "Tal: observerede bånd",
    },
    "en": {
        "title.network": "Cultural collaboration in Region Midtjylland",
        "title.geo": "Cultural collaboration in Region Midtjylland – on the map",
        "title.municipality": "Cultural collaboration in {name} Municipality",
        "title.neighbourhood": "{name} and partners ({depth} steps)",
        "title.municipalities": "Collaboration between the municipalities of Region Midtjylland",
        "title.heatmap": "Collaboration between municipalities: observed against expected",
        "legend.municipality": "Municipality",
        "legend.kind": "Kind",
        "legend.community": "Community",
        "legend.community_n": "Community {n}",
        "legend.other": "Other",
        "legend.unknown": "Unknown",
        "legend.size": "Size: {metric}",
        "legend.isolated": "Isolated small actor",
        "legend.lacking": "Lacking ties",
        "legend.lacking_top": "The {n} pairs most lacking ties (of {total})",
        "legend.ties": "Line width: number of ties",
        "legend.organisations": "Circle: number of organisations",
        "legend.focus": "Chosen organisation",
        "field.name": "Name",
        "field.kind": "Kind",
        "field.municipality": "Municipality",
        "field.community": "Community",
        "field.isolated": "Isolated",
        "field.organisations": "Organisations",
        "field.ties": "Ties",
        "field.ties_within": "Ties within the municipality",
        "field.ties_across": "Ties to other municipalities",
        "field.observed": "Observed",
        "field.expected": "Expected",
        "field.ratio": "Ratio",
        "ui.search": "Search organisation …",
        "ui.all_municipalities": "All municipalities",
        "ui.all_kinds": "All kinds",
        "ui.only_isolated": "Isolated only",
        "ui.no_match": "None found",
        "ui.shown": "{shown} of {total} organisations shown",
        "ui.full_network": "Show the whole network",
        "ui.overview": "Show the municipality overview",
        "ui.loading": "Drawing …",
        "source": "Source: {source}",
        "made": "Made {date}",
        "scope.region": "Region Midtjylland (19 municipalities)",
        "scope.all": "All municipalities of Denmark",
        "years": "projects {start}–{end}",
        "outside": "Outside the region",
        "loners": "No partners",
        "heatmap.colour": "Observed ÷ expected (log scale)",
        "heatmap.lacking": "Outlined: pairs lacking ties",
        "heatmap.lacking_top": "Outlined: the {n} pairs most lacking ties (of {total})",
        "heatmap.within": "Diagonal: ties within the municipality",
        "heatmap.numbers": "Numbers: observed ties",
    },
}

_METRICS: dict[str, dict[str, str]] = {
    "da": {
        "degree": "antal partnere",
        "weighted_degree": "vægtet antal partnere",
        "betweenness": "brobygning (betweenness)",
        "closeness": "nærhed (closeness)",
        "harmonic": "harmonisk nærhed",
        "eigenvector": "eigenvektor-centralitet",
        "pagerank": "PageRank",
        "constraint": "begrænsning (Burt)",
        "effective_size": "effektiv netværksstørrelse",
        "municipalities_linked": "kommuner forbundet",
        "municipalities_reached": "kommuner nået",
        "ties_outside_region": "bånd uden for regionen",
        "organisations": "organisationer",
    },
    "en": {
        "degree": "partners",
        "weighted_degree": "weighted partners",
        "betweenness": "betweenness",
        "closeness": "closeness",
        "harmonic": "harmonic closeness",
        "eigenvector": "eigenvector centrality",
        "pagerank": "PageRank",
        "constraint": "constraint (Burt)",
        "effective_size": "effective size",
        "municipalities_linked": "municipalities linked",
        "municipalities_reached": "municipalities reached",
        "ties_outside_region": "ties outside the region",
        "organisations": "organisations",
    },
}


def check_lang(lang: str) -> str:
    """``lang`` if it is a language the maps speak, else an ``InputError``."""
    if lang not in LANGUAGES:
        raise InputError(f"no map labels in language {lang!r}; use one of: {', '.join(LANGUAGES)}")
    return lang


def t(lang: str, key: str, **values) -> str:
    """The text ``key`` in ``lang``, with ``values`` filled in.

    >>> t("da", "legend.size", metric="grad")
    'Størrelse: grad'
    """
    return _TEXT[check_lang(lang)][key].format(**values)


def metric_label(lang: str, metric: str) -> str:
    """A metric's name for people (the column name when there is no translation).

    >>> metric_label("en", "weighted_degree"), metric_label("da", "x_score")
    ('weighted partners', 'x_score')
    """
    return _METRICS[check_lang(lang)].get(metric, metric)
