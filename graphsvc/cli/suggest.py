"""``graphsvc suggest``, ``graphsvc bridges`` and ``graphsvc evaluate-suggestions``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from graphsvc.cli._common import clean_errors, data_dir_option, main, scope_option, settings_from
from graphsvc.errors import NotFound

LABELS = {
    "da": {"structure": "struktur", "similarity": "lighed", "complementarity": "komplementaritet",
           "regional": "regionalt mål", "distance": "afstand"},
    "en": {"structure": "structure", "similarity": "similarity", "complementarity": "complementarity",
           "regional": "regional goal", "distance": "distance"},
}
lang_option = click.option("--lang", type=click.Choice(["da", "en"]), default=None,
                           help="Language of the reasons [default: the analysis setting, da].")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _params(settings):
    from graphsvc.analysis.suggestions import SuggestionParams

    return getattr(settings, "suggestions", None) or SuggestionParams()


def _analysis(settings):
    from graphsvc.analysis.params import AnalysisParams

    return getattr(settings, "analysis", None) or AnalysisParams()


def _graph_and_lacking(settings, scope: str = "region"):
    """The organisation graph of the store, the municipality rows of ``scope`` and their
    lacking pairs, with the analysis settings (tie weights, the gaps' null model and
    thresholds)."""
    from graphsvc.analysis.scope import scope_municipality_rows

    from graphsvc.analysis.projection import organisation_graph, read_graph_data
    from graphsvc.analysis.suggestions import gaps_lacking
    from graphsvc.store import open_store

    store = open_store(settings)
    try:
        data = read_graph_data(store)
    finally:
        store.close()
    analysis = _analysis(settings)
    G = organisation_graph(data, params=analysis)
    municipalities = scope_municipality_rows(G, scope, data.municipalities)
    return G, municipalities, gaps_lacking(G, municipalities, params=analysis)


def _resolve(G, org: str) -> str:
    """An organisation id from an id or an exact name (any case)."""
    if org in G:
        return org
    wanted = org.strip().casefold()
    exact = sorted(v for v, name in G.nodes(data="name") if (name or "").casefold() == wanted)
    if len(exact) == 1:
        return exact[0]
    if exact:
        raise NotFound(f"{len(exact)} organisations are named {org!r} ({', '.join(exact)}); give the id")
    near = sorted((name, v) for v, name in G.nodes(data="name") if wanted in (name or "").casefold())[:5]
    hint = "; did you mean " + ", ".join(f"{n} ({v})" for n, v in near) if near else ""
    raise NotFound(f"no organisation with id or name {org!r}{hint}")


def _components_line(components: dict, lang: str, km) -> str:
    labels = LABELS[lang]
    parts = [f"{labels[c]} {components[c]:.2f}" for c in ("structure", "similarity", "complementarity",
                                                         "regional")]
    distance = f"{labels['distance']} −{components['distance']:.2f}"
    if km is not None:
        distance += f" ({km:.0f} km)"
    return " · ".join([*parts, distance])


@main.command()
@click.argument("org")
@click.option("--k", type=click.IntRange(min=1), default=10, show_default=True, help="How many suggestions.")
@click.option("--municipality", multiple=True, help="Only candidates in this municipality (code or name); repeatable.")
@click.option("--kind", multiple=True, help="Only candidates of this kind (e.g. museum); repeatable.")
@click.option("--art-form", multiple=True, help="Only candidates working with this art form; repeatable.")
@click.option("--max-distance", type=click.FloatRange(min=0), default=None, help="Only candidates at most this many km away.")
@click.option("--only-institutions", is_flag=True, help="Only institutions.")
@click.option("--only-small", is_flag=True, help="Only small organisations.")
@click.option("--per-municipality", type=click.IntRange(min=1), default=None,
              help="Spread the list: at most this many from one municipality.")
@click.option("--policy", type=click.FloatRange(min=0), default=None,
              help="Strength of the policy layer (regional goals) [default: the setting, 0 = off].")
@lang_option
@json_option
@scope_option
@data_dir_option
@clean_errors
def suggest(org, k, municipality, kind, art_form, max_distance, only_institutions, only_small,
            per_municipality, policy, lang, as_json, scope, data_dir: Path | None) -> None:
    """Partner suggestions for ORG (an id or an exact name), each with its reasons.

    ORG may be any organisation; with --scope region (the default) only organisations of
    the region are suggested."""
    from graphsvc.analysis.reasons import size_text
    from graphsvc.analysis.scope import municipality_names, region_municipality_filter, scope_municipality_rows
    from graphsvc.analysis.suggestions import suggest_partners

    settings = settings_from(data_dir)
    lang = lang or _analysis(settings).lang
    G, municipalities, lacking = _graph_and_lacking(settings, scope)
    municipality = list(municipality)
    if scope == "region":
        municipality = region_municipality_filter(municipality, municipality_names(municipalities))
    # every municipality's name and centre for the candidates, whatever the scope
    municipalities = scope_municipality_rows(G, "all", municipalities)
    params = _params(settings)
    if per_municipality is not None:
        params = params.model_copy(update={"max_per_municipality": per_municipality})
    if policy is not None:
        params = params.model_copy(update={"policy_strength": policy})
    from graphsvc.analysis.ranker import load_model

    result = suggest_partners(
        G, _resolve(G, org), k, params=params, lacking=lacking, lang=lang, municipalities=municipalities,
        model=load_model(settings.data_dir),
        municipality=municipality, kind=list(kind), art_form=list(art_form),
        max_distance_km=max_distance, only_institutions=only_institutions, only_small=only_small,
    )
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    head = "Forslag til" if lang == "da" else "Suggestions for"
    click.echo(f"{head} {result.org_name} ({result.org_id})")
    if not result.suggestions:
        click.echo("Ingen forslag med disse filtre." if lang == "da" else "No suggestions with these filters.")
    for rank, s in enumerate(result.suggestions, 1):
        # an unknown size is said as such ("størrelse ukendt"), with where a size came from
        where = " · ".join(x for x in (s.municipality, s.kind, size_text(s.size, s.size_source, lang)) if x)
        click.echo(f"{rank:>2}. {s.name} ({s.id})  {where}  score {s.score:.3f}")
        click.echo(f"    {_components_line(s.components, lang, s.distance_km)}")
        for reason in s.reasons:
            click.echo(f"    – {reason}")


@main.command()
@click.option("--pairs", type=click.IntRange(min=1), default=5, show_default=True,
              help="How many of the municipality pairs that most lack ties.")
@click.option("--per-pair", type=click.IntRange(min=1), default=3, show_default=True,
              help="Organisation pairs proposed for each municipality pair.")
@lang_option
@json_option
@scope_option
@data_dir_option
@clean_errors
def bridges(pairs, per_pair, lang, as_json, scope, data_dir: Path | None) -> None:
    """Pairs of organisations that would connect the municipality pairs lacking ties (with
    --scope region: pairs of the region's municipalities, so only the region's organisations)."""
    from graphsvc.analysis.bridges import suggest_bridges

    settings = settings_from(data_dir)
    lang = lang or _analysis(settings).lang
    G, municipalities, lacking = _graph_and_lacking(settings, scope)
    result = suggest_bridges(G, lacking, pairs=pairs, per_pair=per_pair, params=_params(settings),
                             lang=lang, municipalities=municipalities)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    if not result.bridges:
        click.echo("Ingen kommunepar mangler samarbejder." if lang == "da" else "No municipality pair lacks ties.")
    for b in result.bridges:
        ties, lack = ("samarbejder", "mangel") if lang == "da" else ("ties", "lack")
        click.echo(f"{b.name_a} ({b.code_a}) – {b.name_b} ({b.code_b}): {b.observed} {ties}, {lack} {b.lack:.2f}")
        for p in b.pairs:
            click.echo(f"  {p.a_name} ({p.a_id}) ↔ {p.b_name} ({p.b_id})  score {p.score:.3f}")
            click.echo(f"    {_components_line(p.components, lang, p.distance_km)}")
            for reason in p.reasons:
                click.echo(f"    – {reason}")


SETS = ("demo", "S", "M", "davis", "store")


def _set_data(name: str, seed: int, data_dir):
    """The graph data of one evaluation set and its label."""
    from graphsvc.analysis.projection import graph_data_from_records, read_graph_data

    if name == "store":
        from graphsvc.store import open_store

        settings = settings_from(data_dir)
        store = open_store(settings)
        try:
            return read_graph_data(store), settings.store_description()
        finally:
            store.close()
    from graphsvc.demo import generate

    label = f"{'demo region' if name == 'demo' else name + ' benchmark set'} (seed {seed})"
    return graph_data_from_records(generate(name, seed=seed)), label


@main.command("evaluate-suggestions")
@click.option("--set", "sets", multiple=True, type=click.Choice(SETS), default=("demo", "davis"),
              show_default=True, help="Data sets: the demo region, the S or M benchmark set, the Davis "
              "southern women, or the store's own data (time split); repeatable.")
@click.option("--seed", type=int, default=2026, show_default=True, help="Seed of the generator, splits, "
              "baselines, the fit and the bootstrap.")
@click.option("--k", type=click.IntRange(min=1), default=10, show_default=True, help="Length of a suggestion list.")
@click.option("--test-years", default="2024-2025", show_default=True, help="Years whose new ties are hidden.")
@click.option("--validation-years", default="2022-2023", show_default=True,
              help="Years whose new ties the learned model is fitted on (features of the years before).")
@click.option("--present-in-both", is_flag=True, help="Only organisations in projects of the training years "
              "and of the test years (the real EU files: 2007–13 predicts 2014–20).")
@click.option("--max-queries", type=click.IntRange(min=1), default=None,
              help="Evaluate a seeded random sample of this many queries [default: all].")
@click.option("--tune/--no-tune", default=False, show_default=True,
              help="Also tune the weighted score on the validation window.")
@json_option
@data_dir_option
@clean_errors
def evaluate_suggestions(sets, seed, k, test_years, validation_years, present_in_both, max_queries, tune,
                         as_json, data_dir) -> None:
    """Offline quality of the suggestions: precision@k, recall@k, MRR and NDCG@k of the
    product's default and the classic link predictors, with paired bootstrap intervals
    against Adamic-Adar and the strata of docs/suggestions.md."""
    from graphsvc.analysis import evaluation as ev
    from graphsvc.analysis.suggestions import gaps_lacking

    test, validation = _years(test_years), _years(validation_years)
    reports = []
    for name in dict.fromkeys(sets):
        click.echo(f"evaluating {name} …", err=True)
        if name == "davis":
            reports.append(ev.evaluate_random(ev.women_graph(), name="Davis southern women", k=k, seed=seed))
            reports.append(ev.evaluate_random(ev.women_graph(3), name="Davis southern women, ≥ 3 shared events",
                                              k=k, seed=seed))
            continue
        data, label = _set_data(name, seed, data_dir)
        municipalities = data.municipalities or None
        reports.append(ev.evaluate_time(
            data, name=label, test_years=test, validation_years=validation, k=k, seed=seed, tune=tune,
            lacking=lambda G: gaps_lacking(G, municipalities), max_queries=max_queries,
            present_in_both=present_in_both,
        ))
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2))
        return
    for r in reports:
        click.echo(f"\n## {r.dataset}\n\n{r.description}; {r.nodes:,} organisations, {r.train_ties:,} "
                   f"training ties, {r.hidden_ties:,} hidden ({r.big_hidden_ties:,} from 20+ projects), "
                   f"{r.queries:,} queries.\n")
        click.echo(r.table())
        if any(x.strata for x in r.results):
            click.echo(f"\nPrecision@{r.k} by stratum, with the 95% interval of the difference to Adamic-Adar:\n")
            click.echo(r.strata_table())
        for note in r.notes:
            click.echo(f"\n{note}")


@main.command("fit-suggestions")
@click.option("--set", "set_name", type=click.Choice(("store", "demo", "S", "M")), default="store",
              show_default=True, help="Fit on the store's data, or on a generated set.")
@click.option("--years", "window", default=None, help="The window whose new ties are the labels, e.g. "
              "2022-2023 [default: the last two years with projects].")
@click.option("--seed", type=int, default=2026, show_default=True, help="Seed of the sample and the generator.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the model [default: suggestion_model.json in the data folder].")
@data_dir_option
@clean_errors
def fit_suggestions(set_name, window, seed, output, data_dir) -> None:
    """Fit the learned suggestion model on your own data (too little data: the shipped model
    stays in use, and this says so)."""
    from graphsvc.analysis.evaluation import fit_on_window
    from graphsvc.analysis.ranker import MODEL_FILE, TooLittleData
    from graphsvc.analysis.suggestions import gaps_lacking

    data, label = _set_data(set_name, seed, data_dir)
    if window is None:
        last = max((p["start_year"] for p in data.projects if p.get("start_year") is not None), default=None)
        if last is None:
            click.echo("Ingen projekter med årstal: den medfølgende model bruges. / No dated projects: "
                       "the shipped model is used.")
            return
        years = (last - 1, last)
    else:
        years = _years(window)
    municipalities = data.municipalities or None
    try:
        model = fit_on_window(data, years, lacking=lambda G: gaps_lacking(G, municipalities), seed=seed)
    except TooLittleData as e:
        click.echo(str(e))
        return
    model = type(model)(model.features, model.mean, model.scale, model.coef, model.intercept,
                        model.meta | {"data": label})
    path = output or (settings_from(data_dir).data_dir / MODEL_FILE)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(model.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    click.echo(f"fitted on {label}: {model.meta['positives']} new ties of {model.meta['queries']} "
               f"organisations {years[0]}–{years[1]}; written to {path}")


def _years(text: str) -> tuple[int, int]:
    from graphsvc.errors import InputError

    try:
        start, _, end = text.partition("-")
        years = (int(start), int(end or start))
    except ValueError:
        raise InputError(f"years must look like 2024-2025 (got {text!r})") from None
    if years[0] > years[1]:
        raise InputError(f"the years {text!r} run backwards; write the earlier year first")
    return years

