"""The learned ranker: features computed by hand, the model's arithmetic, fitting, the
policy layer and the reasons."""

from __future__ import annotations

import json
import math

import networkx as nx
import numpy as np
import pytest

from graphsvc.analysis.linkpred import FEATURES, KATZ_BETA, RESTART, link_index, query_features
from graphsvc.analysis.policy import policy_bonus, small_reach
from graphsvc.analysis.ranker import (
    MODEL_FILE,
    RankerModel,
    TooLittleData,
    fit_ranker,
    load_model,
    shipped_model,
)
from graphsvc.analysis.suggestions import SuggestionParams, suggest_partners, suggestion_index
from graphsvc.errors import InputError

COL = {f: k for k, f in enumerate(FEATURES)}


@pytest.fixture
def G():
    """a–b, a–c, b–d, c–d, d–e; e has no place. Query a: d is two steps away via b and c,
    e three steps via d."""
    G = nx.Graph(reference_year=2023)
    places = {"a": "751", "b": "751", "c": "657", "d": "657", "e": None}
    sizes = {"a": "small", "b": None, "c": "medium", "d": "large", "e": "large"}
    for v in "abcde":
        G.add_node(v, label="Actor", name=v.upper(), municipality_code=places[v], size=sizes[v],
                   art_forms=["musik"] if v in "ad" else [], n_projects=2, last_project_year=2020)
    G.add_edges_from([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e")])
    return G


def _features(G, q="a"):
    base = suggestion_index(G)
    X = query_features(link_index(G, base), base.position[q], base.lack_matrix(None))
    return {v: dict(zip(FEATURES, X[base.position[v]])) for v in G}


def test_features_by_hand(G):
    f = _features(G)
    d, e = f["d"], f["e"]
    assert d["common_neighbours"] == pytest.approx(math.log(3))  # b and c
    assert d["adamic_adar"] == pytest.approx(2 / math.log(2))
    assert d["resource_allocation"] == pytest.approx(1.0)
    assert d["preferential_attachment"] == pytest.approx(math.log(1 + 2 * 3))
    assert d["candidate_degree"] == pytest.approx(math.log(4))
    # two paths of length 2, none of length 3 to d; e: two paths of length 3 (a-b-d-e, a-c-d-e)
    assert d["katz"] == pytest.approx(math.log(3))
    assert e["katz"] == pytest.approx(math.log1p(2 * KATZ_BETA))
    # walk from a: step 2 puts 1/2 on d; step 3 puts 1/2 · 1/3 on e
    assert d["rooted_pagerank"] == pytest.approx(math.log1p(5 * RESTART * (1 - RESTART) ** 2 / 2))
    assert e["rooted_pagerank"] == pytest.approx(math.log1p(5 * RESTART * (1 - RESTART) ** 3 / 6))
    assert d["art_jaccard"] == 1.0 and e["art_jaccard"] == 0.0
    assert d["complementarity"] == 1.0 and f["c"]["complementarity"] == 0.5
    assert f["b"]["complementarity"] == 0.0  # b's size is unknown: no free advantage
    assert f["b"]["same_municipality"] == 1.0 and d["same_municipality"] == 0.0
    assert d["candidate_recency"] == 3.0 and d["candidate_activity"] == pytest.approx(math.log(3))


def test_an_unknown_place_is_never_an_advantage(G):
    f = _features(G)
    # e has no place: it gets the largest known distance from a, never less
    assert f["e"]["log_distance"] == pytest.approx(max(f[v]["log_distance"] for v in "bcd"))
    assert f["e"]["same_municipality"] == 0.0


def _model(coef, mean=None, scale=None, intercept=0.5):
    n = len(FEATURES)
    return RankerModel(FEATURES, np.zeros(n) if mean is None else mean, np.ones(n) if scale is None else scale,
                       np.array(coef, float), intercept)


def test_model_score_contributions_and_json():
    coef = np.zeros(len(FEATURES))
    coef[COL["adamic_adar"]], coef[COL["log_distance"]] = 2.0, -1.0
    mean = np.full(len(FEATURES), 1.0)
    scale = np.full(len(FEATURES), 2.0)
    model = _model(coef, mean, scale)
    x = np.full(len(FEATURES), 3.0)
    # (3 − 1)/2 = 1 per feature: 2 · 1 − 1 · 1 + 0.5
    assert model.score(x[None, :])[0] == pytest.approx(1.5)
    contributions = model.contributions(x)
    assert contributions[COL["adamic_adar"]] == 2.0 and contributions[COL["log_distance"]] == -1.0
    back = RankerModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert back.score(x[None, :])[0] == pytest.approx(1.5)
    with pytest.raises(InputError, match="refit it with `graphsvc fit-suggestions`"):
        RankerModel.from_dict({**model.to_dict(), "features": ["x"]}, "m.json")


def test_shipped_and_user_models(tmp_path):
    assert shipped_model().features == FEATURES
    assert load_model(tmp_path) is shipped_model()
    own = _model(np.arange(len(FEATURES), dtype=float))
    (tmp_path / MODEL_FILE).write_text(json.dumps(own.to_dict()), encoding="utf-8")
    assert load_model(tmp_path).coef.tolist() == own.coef.tolist()
    (tmp_path / MODEL_FILE).write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="is not a suggestion model"):
        load_model(tmp_path)


def test_too_little_data_to_fit(G):
    with pytest.raises(TooLittleData, match="1 new ties of 2 organisations"):
        fit_ranker(G, [("a", "d")])


def test_fit_learns_what_predicts_the_new_ties():
    # 40 organisations in a ring; every new tie joins two of the same art form, which
    # nothing else predicts
    G = nx.Graph(reference_year=2023)
    for k in range(40):
        G.add_node(k, label="Actor", name=f"o{k}", art_forms=[f"art{k % 8}"], municipality_code="751")
    G.add_edges_from((k, (k + 1) % 40) for k in range(40))
    hidden = [(a, b) for a in range(40) for b in range(a + 2, 40) if a % 8 == b % 8 and (b - a) % 39 > 1]
    model = fit_ranker(G, hidden, seed=1)
    assert model.meta["positives"] > 0 and model.meta["queries"] == 40
    assert int(np.argmax(model.coef)) == COL["art_jaccard"]


def test_policy_layer():
    index = type("I", (), {"size_level": np.array([0, 2, 1, -1, 2])})()
    assert small_reach(index, 1).tolist() == [1.0, 0.0, 0.0, 0.0, 0.0]  # large reaches the small one
    assert small_reach(index, 3).tolist() == [0.0] * 5  # unknown size earns nothing
    regional = np.array([0.0, 0.5, 0.0, 1.0, 0.0])
    assert policy_bonus(index, 0, regional, 2.0).tolist() == [0.0, 3.0, 1.0, 2.0, 2.0]
    assert policy_bonus(index, 0, regional, 0.0).tolist() == [0.0] * 5


def test_learned_suggestions_rank_by_the_model_and_explain(G):
    coef = np.zeros(len(FEATURES))
    coef[COL["adamic_adar"]] = 1.0
    result = suggest_partners(G, "a", lacking=None, model=_model(coef, intercept=0.0), lang="en")
    ids = [s.id for s in result.suggestions]
    assert ids[0] == "d" and set(ids) == {"d", "e"}
    top = result.suggestions[0]
    assert top.score == pytest.approx(2 / math.log(2))
    assert top.reasons[0] == "shares 2 partners (B, C)"
    texts = [tuple(s.reasons) for s in result.suggestions]
    assert len(set(texts)) == len(texts)
    e = next(s for s in result.suggestions if s.id == "e")
    assert e.distance_km is None
    assert e.reasons[-1] == "distance unknown (no location): counted as the largest known distance"
    # the policy layer lifts the large e (a is small): +1 · reach 1
    lifted = suggest_partners(G, "a", model=_model(coef, intercept=0.0),
                              params=SuggestionParams(policy_strength=1.0))
    assert {s.id: s.score for s in lifted.suggestions}["e"] == pytest.approx(1.0)


def test_no_two_of_the_top_ten_say_the_same():
    from graphsvc.analysis.projection import graph_data_from_records, organisation_graph
    from graphsvc.demo import generate

    G = organisation_graph(graph_data_from_records(generate("demo", seed=2026)))
    for org in sorted(G)[::100]:
        for lang in ("da", "en"):
            texts = [" / ".join(s.reasons) for s in suggest_partners(G, org, lang=lang).suggestions]
            assert len(texts) == 10 and len(set(texts)) == 10, org
