"""Partner and bridge suggestions on a small graph whose every figure is computed by hand."""

from __future__ import annotations

import itertools

import json
import math

import networkx as nx
import pytest
from click.testing import CliRunner

from graphsvc.analysis.bridges import suggest_bridges
from graphsvc.analysis.params import AnalysisParams
from graphsvc.analysis.suggestions import (
    SuggestionParams,
    gaps_lacking,
    lack_scores,
    resolved_size,
    suggest_partners,
    suggestion_index,
)
from graphsvc.errors import InputError, NotFound
from graphsvc.reference import municipalities

LEMVIG_AARHUS = frozenset({"665", "751"})
W = SuggestionParams(ranker="weighted")  # the weighted score, computed by hand below


def _centroid(code):
    m = next(m for m in municipalities() if m.code == code)
    return m.lat, m.lon


def _haversine(p, q):
    (la1, lo1), (la2, lo2) = (tuple(map(math.radians, x)) for x in (p, q))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@pytest.fixture
def G():
    """a (small, Lemvig) is tied to b and e; c and d are two steps away. Sizes: a small and
    c large as given, e medium given; with no size attribute the kind tells (docs/analysis.md,
    "Size"): b kor small, d spillested medium, g and h forening small."""
    G = nx.Graph()
    G.add_nodes_from([
        ("a", dict(label="Actor", name="Lemvig Amatørteater", kind="amatørteater", size="small",
                   art_forms=["teater", "dans"], target_groups=["børn"], municipality_code="665")),
        ("b", dict(label="Actor", name="Bøvling Kor", kind="kor", art_forms=["teater"],
                   municipality_code="665")),
        ("c", dict(label="Institution", name="Aarhus Teater", kind="teater", size="large",
                   art_forms=["teater", "musik"], target_groups=["børn", "unge"], municipality_code="751")),
        ("d", dict(label="Actor", name="Herning Spillested", kind="spillested", art_forms=["musik"],
                   municipality_code="657")),
        ("e", dict(label="Institution", name="Egnsteatret Æblehaven", kind="teater", size="medium",
                   art_forms=["dans"], target_groups=["børn"], municipality_code="751")),
        ("g", dict(label="Actor", name="Gnisten", kind="forening", target_groups=["børn"],
                   municipality_code="665")),
        ("h", dict(label="Actor", name="Havblik", kind="forening", municipality_code="661")),
    ])
    G.add_edges_from([("a", "b"), ("a", "e"), ("b", "c"), ("b", "d"), ("e", "c"), ("c", "d")])
    return G


def _by_id(result):
    return {s.id: s for s in result.suggestions}


def test_components_are_the_hand_computed_values(G):
    result = suggest_partners(G, "a", params=W, lacking={LEMVIG_AARHUS})
    s = _by_id(result)
    aa_c = 1 / math.log(3) + 1 / math.log(2)  # shared partners b (degree 3) and e (degree 2)
    assert aa_c == pytest.approx(next(nx.adamic_adar_index(G, [("a", "c")]))[2])
    c = s["c"].components
    assert c["adamic_adar"] == pytest.approx(aa_c)
    assert c["common_partners"] == 2
    assert c["structure"] == pytest.approx(aa_c / (aa_c + 1.0))
    # Jaccard: art forms {teater, dans} vs {teater, musik}: 1/3; groups {børn} vs {børn, unge}: 1/2
    assert c["similarity"] == pytest.approx(0.5 * (1 / 3) + 0.5 * (1 / 2))
    assert c["complementarity"] == 1.0  # small and large, both given
    assert c["regional"] == 1.0
    assert c["distance"] == 1.0  # Lemvig–Aarhus is more than 100 km
    assert s["c"].distance_km == pytest.approx(_haversine(_centroid("665"), _centroid("751")), rel=1e-9)
    assert s["c"].score == pytest.approx(
        aa_c / (aa_c + 1) + 0.4 * (5 / 12) + 0.2 * 1.0 + 0.3 * 1.0 - 0.2 * 1.0
    )
    d = s["d"].components
    assert d["adamic_adar"] == pytest.approx(next(nx.adamic_adar_index(G, [("a", "d")]))[2])
    assert d["adamic_adar"] == pytest.approx(1 / math.log(3))
    # d is a spillested: medium by its kind, one size from a (small): |0 − 1| / 2
    assert (d["similarity"], d["complementarity"], d["regional"]) == (0.0, 0.5, 0.0)
    assert (s["d"].size, s["d"].size_source) == ("medium", "kind")
    km = _haversine(_centroid("665"), _centroid("657"))
    assert d["distance"] == pytest.approx(km / 100)
    assert s["d"].score == pytest.approx(d["structure"] + 0.2 * 0.5 - 0.2 * km / 100)


def test_resource_allocation_and_weights_from_params(G):
    params = SuggestionParams(ranker="weighted", structure_index="resource_allocation", structure_half=0.5,
                              similarity_weight=0, complementarity_weight=0, regional_weight=0,
                              distance_weight=0)
    s = _by_id(suggest_partners(G, "a", params=params))
    ra = next(nx.resource_allocation_index(G, [("a", "c")]))[2]
    assert ra == pytest.approx(1 / 3 + 1 / 2)
    assert s["c"].components["resource_allocation"] == pytest.approx(ra)
    assert s["c"].score == pytest.approx(ra / (ra + 0.5))
    assert list(s) == ["c", "d"]  # nothing else has a shared partner


def test_self_and_existing_partners_are_never_suggested(G):
    ids = [s.id for s in suggest_partners(G, "a", params=W, k=10).suggestions]
    assert "a" not in ids and "b" not in ids and "e" not in ids
    # h has nothing in common with a: no reason to suggest it
    assert ids == ["c", "d", "g"]


def test_ranking_and_reasons_in_danish_and_english(G):
    result = suggest_partners(G, "a", params=W, lacking={LEMVIG_AARHUS})
    top = result.suggestions[0]
    assert top.id == "c"
    assert top.reasons == [
        "deler 2 partnere (Bøvling Kor, Egnsteatret Æblehaven)",
        "begge arbejder med teater for børn",
        "Aarhus Teater (stor, oplyst) har viden, der kan nå Lemvig Amatørteater (lille, oplyst)",
        "Lemvig og Aarhus har kun 2 samarbejder – færre end forventet",
        f"{top.distance_km:.0f} km fra hinanden",
    ]
    en = suggest_partners(G, "a", params=W, lacking={LEMVIG_AARHUS}, lang="en").suggestions[0]
    assert en.reasons == [
        "shares 2 partners (Bøvling Kor, Egnsteatret Æblehaven)",
        "both work with teater for børn",
        "Aarhus Teater (large, given) has knowledge that can reach Lemvig Amatørteater (small, given)",
        "Lemvig and Aarhus have only 2 ties – fewer than expected",
        f"{top.distance_km:.0f} km apart",
    ]
    g = _by_id(result)["g"]
    assert g.reasons[0] == "begge henvender sig til børn"
    h = _by_id(suggest_partners(G, "a", params=W, lacking={frozenset({"665", "661"})}))["h"]
    assert h.reasons == ["Lemvig og Holstebro har ingen samarbejder endnu",
                         f"{h.distance_km:.0f} km fra hinanden"]
    assert g.reasons[-1].startswith("i samme kommune")
    assert all(s.reasons for s in result.suggestions)
    assert top.reason_codes == ["shared_partners", "shared_art_forms_and_groups", "small_and_large",
                                "lacking_pair_few_ties", "distance"]
    assert [len(s.reasons) for s in result.suggestions] == [len(s.reason_codes) for s in result.suggestions]


def test_reasons_for_a_pair_with_some_ties_and_a_medium_partner(G):
    G.add_edge("b", "x")
    G.nodes["x"].update(label="Actor", name="X", municipality_code="751")
    result = suggest_partners(G, "e", params=W, lacking={frozenset({"751", "665"}): 0.5})
    g = _by_id(result)["g"]
    assert g.components["regional"] == 0.5
    assert "Aarhus og Lemvig har kun 3 samarbejder – færre end forventet" in g.reasons
    assert ("Egnsteatret Æblehaven (mellemstor, oplyst) er større og har viden, der kan nå "
            "Gnisten (lille, ud fra typen)") in g.reasons


def test_filters(G):
    def ids(**filters):
        return [s.id for s in suggest_partners(G, "a", params=W, **filters).suggestions]

    assert ids(municipality=["Herning"]) == ["d"]
    assert ids(municipality=["657", "751"]) == ["c", "d"]
    assert ids(kind=["Teater"]) == ["c"]
    assert ids(art_form=["musik"]) == ["c", "d"]
    assert ids(only_institutions=True) == ["c"]
    assert ids(only_small=True) == ["g"]  # d is medium (spillested)
    km_herning = _haversine(_centroid("665"), _centroid("657"))
    assert ids(max_distance_km=km_herning + 1) == ["d", "g"]
    assert ids(max_distance_km=1) == ["g"]
    with pytest.raises(InputError, match="unknown municipality 'Atlantis'"):
        ids(municipality=["Atlantis"])
    with pytest.raises(InputError, match="no organisation has the art form 'opera'"):
        ids(art_form=["opera"])
    with pytest.raises(InputError, match="invalid suggestion filters"):
        ids(colour=["red"])


def test_errors(G):
    with pytest.raises(NotFound, match="no organisation with id 'zz'"):
        suggest_partners(G, "zz", params=W)
    with pytest.raises(InputError, match="k must be at least 1"):
        suggest_partners(G, "a", params=W, k=0)


def test_spreading_over_municipalities():
    G = nx.Graph()
    G.add_node("o", label="Actor", name="O", art_forms=["film"], municipality_code="751")
    for k, code in enumerate(["657", "657", "657", "661"]):
        G.add_node(f"c{k}", label="Actor", name=f"C{k}", art_forms=["film"], municipality_code=code)
    params = SuggestionParams(ranker="weighted", distance_weight=0)
    assert [s.id for s in suggest_partners(G, "o", k=3, params=params).suggestions] == ["c0", "c1", "c2"]
    spread = params.model_copy(update={"max_per_municipality": 1})
    assert [s.id for s in suggest_partners(G, "o", k=3, params=spread).suggestions] == ["c0", "c3"]


def test_same_input_same_output_and_ties_by_id(G):
    first = suggest_partners(G, "a", params=W, lacking={LEMVIG_AARHUS}).to_dict()
    assert suggest_partners(G, "a", params=W, lacking={LEMVIG_AARHUS}).to_dict() == first
    H = nx.Graph()
    H.add_nodes_from(["o", "z", "y", "x"], label="Actor", art_forms=["film"], municipality_code="751")
    assert [s.id for s in suggest_partners(H, "o", params=W).suggestions] == ["x", "y", "z"]


def test_the_index_is_cached_per_graph(G):
    assert suggestion_index(G) is suggestion_index(G)
    H = G.copy()
    assert suggestion_index(H) is not suggestion_index(G)
    rows = [{"code": "665", "name": "Lemvig", "lat": 56.5, "lon": 8.3}]
    with_rows = suggestion_index(G, rows)
    assert with_rows is suggestion_index(G, [dict(r) for r in rows])
    assert with_rows.municipality_names == {"665": "Lemvig"}


def test_lacking_pairs_come_from_the_gaps_analysis():
    # six municipalities, 20 ties between every two except A-B: A-B expects 12.8, has none
    G = nx.Graph()
    for a, b in itertools.combinations("ABCDEF", 2):
        if a + b != "AB":
            G.add_nodes_from(((f"{a}{b}{k}", {"municipality_code": a}) for k in range(20)))
            G.add_nodes_from(((f"{b}{a}{k}", {"municipality_code": b}) for k in range(20)))
            G.add_edges_from((f"{a}{b}{k}", f"{b}{a}{k}") for k in range(20))
    rows = [{"code": c, "name": c} for c in "ABCDEF"]
    params = AnalysisParams(null_model="gravity")
    assert gaps_lacking(G, rows, params=params) == {frozenset({"A", "B"}): 1.0}


def test_sizes_and_lack_scores():
    # as the projection resolved it; unknown stays unknown, never large or small by label
    assert resolved_size({"label": "Institution", "size": None, "size_source": "unknown"}) == (None, "unknown")
    assert resolved_size({"label": "Actor", "size": None}) == (None, "unknown")
    assert resolved_size({"label": "Institution", "size": "medium"}) == ("medium", "given")
    assert resolved_size({"label": "Actor", "size": "large", "size_source": "staff"}) == ("large", "staff")
    # no size attribute (a graph built by hand): the projection's rule
    assert resolved_size({"label": "Institution"}) == (None, "unknown")
    assert resolved_size({"label": "Actor", "kind": "Teaterforening"}) == ("small", "kind")
    assert resolved_size({"label": "Actor", "name": "Herning Kommune"}) == ("large", "kind_name")

    class Gaps:
        import pandas as pd

        pairs = pd.DataFrame({
            "code_a": ["665", "665", "751"], "code_b": ["751", "657", "751"],
            "observed": [1, 4, 9], "expected": [4.0, 2.0, 3.0], "lacking": [True, False, True],
        })

    assert lack_scores(Gaps()) == {LEMVIG_AARHUS: 0.75}


@pytest.fixture
def unknown():
    """Lemvig (665): o small, l large, u an institution and n an actor of unknown size (the
    projection's None); o, l and u work with teater, n with nothing; no ties."""
    G = nx.Graph()
    art = {"art_forms": ["teater"], "municipality_code": "665"}
    G.add_nodes_from([
        ("o", dict(label="Actor", name="O", size="small", size_source="given", **art)),
        ("l", dict(label="Institution", name="L", size="large", size_source="kind", **art)),
        ("u", dict(label="Institution", name="U", size=None, size_source="unknown", **art)),
        ("n", dict(label="Actor", name="N", size=None, size_source="unknown", municipality_code="665")),
    ])
    return G


def test_an_unknown_size_is_neither_small_nor_large(unknown):
    """From o: l scores 0.4 · ½ · J(teater) + 0.2 · |0 − 2| / 2 = 0.2 + 0.2 = 0.4; u, of unknown
    size, only the similarity, 0.2 (the old rule, institutions large, gave it 0.4 too). All
    three sit at Lemvig's centre: 0 km."""
    s = _by_id(suggest_partners(unknown, "o", params=W))
    assert list(s) == ["l", "u"]
    assert (s["l"].components["complementarity"], s["l"].score) == (1.0, pytest.approx(0.4))
    assert (s["u"].components["complementarity"], s["u"].score) == (0.0, pytest.approx(0.2))
    assert (s["u"].size, s["u"].size_source) == (None, "unknown")
    assert s["u"].reason_codes == ["shared_art_forms", "same_municipality"]
    assert s["l"].reasons[1] == "L (stor, ud fra typen) har viden, der kan nå O (lille, oplyst)"
    # from l: n (an actor the old rule called small) has nothing to say for it: not suggested;
    # u gets no size bonus either way, and only_small leaves it out
    from_l = _by_id(suggest_partners(unknown, "l", params=W, lang="en"))
    assert list(from_l) == ["o", "u"]
    assert from_l["u"].components["complementarity"] == 0.0
    assert not any("small" in r or "large" in r for r in from_l["u"].reasons)
    assert [x.id for x in suggest_partners(unknown, "l", params=W, only_small=True).suggestions] == ["o"]
    # from u itself: o is small, but u's size is unknown, so no complementarity
    assert _by_id(suggest_partners(unknown, "u", params=W))["o"].components["complementarity"] == 0.0


def test_an_unknown_place_costs_the_mean_distance_penalty(unknown):
    """o in Lemvig; l moved to Aarhus (> 100 km: penalty 1), u and n stay in Lemvig (0), p has
    no place: it costs the mean penalty of the others with a known distance, (1 + 0 + 0) / 3
    — o's own 0 km does not count (with it, 1/4)."""
    unknown.nodes["l"]["municipality_code"] = "751"
    unknown.add_node("p", label="Actor", name="P", size=None, art_forms=["teater"])
    s = _by_id(suggest_partners(unknown, "o", params=W))
    assert s["l"].components["distance"] == 1.0 and s["u"].components["distance"] == 0.0
    assert s["p"].components["distance"] == pytest.approx(1 / 3)
    assert s["p"].distance_km is None
    assert s["p"].score == pytest.approx(0.2 - 0.2 / 3)
    assert s["p"].reasons[-1] == "afstanden er ukendt (intet sted): regnet med den gennemsnitlige afstandsstraf"
    # l: 0.2 + 0.2 · 1 − 0.2 · 1 = 0.2 ties u (0.2): by id; p 0.2 − 0.2/3 last
    assert list(s) == ["l", "u", "p"]


def test_davis_women_get_structural_suggestions():
    B = nx.davis_southern_women_graph()
    women = [n for n, d in B.nodes(data=True) if d["bipartite"] == 0]
    G = nx.bipartite.projected_graph(B, women)
    result = suggest_partners(G, "Flora Price", params=W, k=5)
    expected = sorted(
        ((v, s) for _, v, s in nx.adamic_adar_index(G, [("Flora Price", v) for v in G
                                                       if v != "Flora Price" and not G.has_edge("Flora Price", v)])),
        key=lambda t: (-t[1], t[0]),
    )[:5]
    assert [(s.id, pytest.approx(s.components["adamic_adar"])) for s in result.suggestions] == [
        (v, pytest.approx(a)) for v, a in expected]


# --- bridges ---------------------------------------------------------------------------


def test_bridges_cross_the_most_lacking_pair_once_per_organisation(G):
    lacking = {LEMVIG_AARHUS: 1.0, frozenset({"665", "657"}): 0.5}
    result = suggest_bridges(G, lacking, pairs=2, per_pair=3)
    assert [(b.code_a, b.code_b, b.lack) for b in result.bridges] == [("665", "751", 1.0), ("657", "665", 0.5)]
    lemvig_aarhus = result.bridges[0]
    # a–e are already tied; each organisation is proposed once per municipality pair
    assert [(p.a_id, p.b_id) for p in lemvig_aarhus.pairs] == [("a", "c"), ("b", "e")]
    top = lemvig_aarhus.pairs[0]
    assert top.score == pytest.approx(_by_id(suggest_partners(G, "a", params=W, lacking=lacking))["c"].score)
    assert all(p.reasons for b in result.bridges for p in b.pairs)
    assert "Lemvig og Aarhus har kun 2 samarbejder – færre end forventet" in top.reasons
    herning = result.bridges[1]
    assert {p.b_id for p in herning.pairs} <= {"a", "g"} and {p.a_id for p in herning.pairs} == {"d"}
    assert json.loads(json.dumps(result.to_dict(), ensure_ascii=False))["count"] == 2


def test_bridges_give_an_unknown_size_no_complementarity(unknown):
    """l and u move to Aarhus; Lemvig–Aarhus lacks ties (1). o–l: 0.2 similarity + 0.2 size
    + 0.3 regional − 0.2 distance = 0.5; n–u: 0.3 − 0.2 = 0.1 (both of unknown size: no
    size bonus, where the old rule, actors small and institutions large, gave it 0.3)."""
    unknown.nodes["l"]["municipality_code"] = unknown.nodes["u"]["municipality_code"] = "751"
    pairs = suggest_bridges(unknown, {LEMVIG_AARHUS}, pairs=1, per_pair=2).bridges[0].pairs
    assert [(p.a_id, p.b_id) for p in pairs] == [("o", "l"), ("n", "u")]
    assert [p.score for p in pairs] == [pytest.approx(0.5), pytest.approx(0.1)]
    assert pairs[1].components["complementarity"] == 0.0
    assert (pairs[1].a_size, pairs[1].b_size) == (None, None)
    assert "small_and_large" not in pairs[1].reason_codes


def test_bridges_need_lacking_pairs(G):
    assert suggest_bridges(G, set()).bridges == []
    with pytest.raises(InputError):
        suggest_bridges(G, {LEMVIG_AARHUS}, pairs=0)


# --- command line ----------------------------------------------------------------------


@pytest.fixture
def data_dir(small_store_dir):
    return str(small_store_dir)


def test_cli_suggest_and_bridges(data_dir):
    import graphsvc.cli.suggest  # noqa: F401  (registers the commands)
    from graphsvc.cli import main

    runner = CliRunner()
    out = runner.invoke(main, ["suggest", "Lemvig Amatørteater", "--json", "--data-dir", data_dir])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.output)
    assert payload["org_id"] == "a-lemvig"
    assert isinstance(payload["data_version"], int) and payload["years"] is None
    assert [s["id"] for s in payload["data"]] == ["a-herning"]
    assert payload["data"][0]["reasons"][0] == "deler 1 partner (Kunstmuseum Århus)"

    out = runner.invoke(main, ["suggest", "a-lemvig", "--lang", "en", "--data-dir", data_dir])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[0] == "Suggestions for Lemvig Amatørteater (a-lemvig)"
    assert "    – shares 1 partner (Kunstmuseum Århus)" in out.output.splitlines()

    out = runner.invoke(main, ["suggest", "Ukendt", "--data-dir", data_dir])
    assert out.exit_code == 1
    assert out.output.strip() == "error: no organisation with id or name 'Ukendt'"

    out = runner.invoke(main, ["bridges", "--json", "--data-dir", data_dir])
    assert out.exit_code == 0, out.output
    assert all(p["reasons"] for b in json.loads(out.output)["data"] for p in b["pairs"])


def test_cli_fit_suggestions(data_dir, tmp_path):
    import graphsvc.cli.suggest  # noqa: F401
    from graphsvc.analysis.ranker import MODEL_FILE, RankerModel, load_model, shipped_model
    from graphsvc.cli import main

    runner = CliRunner()
    # the small store has a handful of ties: nothing is fitted, the shipped model stays
    out = runner.invoke(main, ["fit-suggestions", "--years", "2020-2025", "--data-dir", data_dir])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("too little data to fit the suggestion model: ")
    assert out.output.rstrip().endswith("the shipped model is used")
    assert load_model(data_dir) is shipped_model()

    path = tmp_path / MODEL_FILE
    out = runner.invoke(main, ["fit-suggestions", "--set", "demo", "--years", "2022-2023", "--output", str(path)])
    assert out.exit_code == 0, out.output
    assert out.output.strip() == (f"fitted on demo region (seed 2026): 5456 new ties of 453 organisations "
                                  f"2022–2023; written to {path}")
    model = RankerModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
    # the shipped model is made by exactly this command
    assert model.coef.tolist() == pytest.approx(shipped_model().coef.tolist())
    assert load_model(tmp_path).coef.tolist() == model.coef.tolist()
