"""The offline evaluation of the suggestions on tiny cases worked out by hand."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pytest

from graphsvc.analysis.evaluation import (
    BASELINES,
    LinkSplit,
    evaluate_split,
    paired_interval,
    query_metrics,
    random_split,
    rank_metrics,
    time_split,
    tune_params,
    women_graph,
)
from graphsvc.analysis.projection import GraphData
from graphsvc.analysis.suggestions import SuggestionParams


def test_rank_metrics_by_hand():
    # ranking of the candidates 1..5: 2 (0.9), then 1 and 4 tied at 0.5 (tiebreak: 4 first),
    # then 5 (0.3), then 3 (0.1)
    key = np.array([9.0, 0.5, 0.9, 0.1, 0.5, 0.3])
    tiebreak = np.array([0, 5, 1, 2, 3, 4])
    cands = np.array([1, 2, 3, 4, 5])
    # hidden partners 1 (rank 3) and 3 (rank 5)
    assert rank_metrics(key, cands, np.array([1, 3]), tiebreak, k=3) == (1 / 3, 1 / 2, 1 / 3)
    assert rank_metrics(key, cands, np.array([1, 3]), tiebreak, k=5) == (2 / 5, 1.0, 1 / 3)
    assert rank_metrics(key, cands, np.array([2]), tiebreak, k=1) == (1.0, 1.0, 1.0)
    assert rank_metrics(key, cands, np.array([3]), tiebreak, k=2) == (0.0, 0.0, 1 / 5)


@pytest.fixture
def split():
    """Training ties a-b, a-x, b-c, x-c, b-d, d-e; hidden a-c and b-e.

    Common neighbours of the queries with their candidates:
    a: c 2 (b, x), d 1, e 0            -> hidden c at rank 1
    b: x 2 (a, c), e 1 (d)             -> hidden e at rank 2
    c: a 2 (b, x), d 1, e 0            -> hidden a at rank 1
    e: b 1 (d), a 0, c 0, x 0          -> hidden b at rank 1
    """
    G = nx.Graph([("a", "b"), ("a", "x"), ("b", "c"), ("x", "c"), ("b", "d"), ("d", "e")])
    return LinkSplit("tiny", G, [("a", "c"), ("b", "e")], "hand-made")


def test_metrics_of_common_neighbours_by_hand(split):
    one = evaluate_split(split, k=1).result("common_neighbours")
    assert (one.precision, one.recall, one.mrr, one.queries) == (0.75, 0.75, 0.875, 4)
    two = evaluate_split(split, k=2).result("common_neighbours")
    assert (two.precision, two.recall, two.mrr) == (0.5, 1.0, 0.875)


def test_the_weighted_score_without_attributes_ranks_like_adamic_adar(split):
    weighted = {"weighted": SuggestionParams(ranker="weighted")}
    report = evaluate_split(split, full=weighted, default="weighted", k=2, seed=3)
    full, aa = report.result("weighted"), report.result("adamic_adar")
    assert (full.precision, full.recall, full.mrr, full.ndcg) == (aa.precision, aa.recall, aa.mrr, aa.ndcg)
    assert [r.scorer for r in report.results] == [*BASELINES, "weighted"]
    assert [r.scorer for r in report.results if r.default] == ["weighted"]
    # equal per query: the paired difference is 0 in every resample
    assert full.vs_adamic_adar == {"diff": 0.0, "low": 0.0, "high": 0.0, "ratio": 1.0}
    assert report.hidden_ties == 2 and report.train_ties == 6 and report.nodes == 6


def test_strata_by_past_ties_and_big_projects(split):
    # b-e comes from a big project: its stratum has the queries b and e, the other a and c
    big = LinkSplit(split.name, split.train, split.hidden, "hand-made", frozenset({("b", "e")}))
    report = evaluate_split(big, full={}, k=1)
    cn = report.result("common_neighbours").strata
    assert cn["with past ties"]["queries"] == 4 and "without past ties" not in cn
    # b ranks x (2) before its hidden e (1): P@1 0 for b, 1 for e
    assert cn["hidden ties from 20+ projects"] == pytest.approx(
        {"queries": 2, "precision": 0.5, "recall": 0.5, "mrr": 0.75, "ndcg": 0.5, "low": 0.0, "high": 0.0})
    assert cn["other hidden ties"]["queries"] == 2 and cn["other hidden ties"]["precision"] == 1.0


def test_paired_interval_by_hand():
    assert paired_interval(np.array([0.5, 0.5]), np.zeros(2), seed=1) == {"diff": 0.5, "low": 0.5, "high": 0.5}
    out = paired_interval(np.array([1.0, 0.0, 1.0, 0.0]), np.zeros(4), seed=1)
    assert out["diff"] == 0.5 and 0.0 <= out["low"] < 0.5 < out["high"] <= 1.0
    assert out == paired_interval(np.array([1.0, 0.0, 1.0, 0.0]), np.zeros(4), seed=1)


def test_ndcg_by_hand():
    key = np.array([0.0, 0.9, 0.5, 0.4, 0.1])
    # hits 2 (rank 2) and 4 (rank 4) in the top 4: (1/log2 3 + 1/log2 5) / (1 + 1/log2 3)
    ndcg = query_metrics(key, np.array([1, 2, 3, 4]), np.array([2, 4]), np.arange(5), k=4)[3]
    assert ndcg == pytest.approx((1 / np.log2(3) + 1 / np.log2(5)) / (1 + 1 / np.log2(3)))
    assert query_metrics(key, np.array([1, 2, 3, 4]), np.array([1]), np.arange(5), k=1)[3] == 1.0


def test_the_random_baseline_is_seeded(split):
    assert evaluate_split(split, seed=5).to_dict() == evaluate_split(split, seed=5).to_dict()


def _org(id, code, art):
    return {"id": id, "label": "Actor", "name": id.upper(), "municipality_code": code, "art_forms": [art]}


def test_time_split_hides_the_ties_first_formed_in_the_test_years():
    data = GraphData(
        version=0,
        municipalities=[],
        organisations=[_org(x, "751", "film") for x in "abcd"],
        projects=[{"id": "p1", "start_year": 2022}, {"id": "p2", "start_year": 2024},
                  {"id": "p3", "start_year": 2026}, {"id": "p4", "start_year": None}],
        participations=[{"org_id": o, "project_id": p} for p, orgs in
                        {"p1": "ab", "p2": "abc", "p3": "ad", "p4": "cd"}.items() for o in orgs],
        collaborations=[{"source_id": "d", "target_id": "b", "since": 2025},
                        {"source_id": "a", "target_id": "d", "since": None}],
    )
    split = time_split(data, test_years=(2024, 2025))
    # the undated collaboration counts from the start; the undated project p4 never does
    assert sorted(split.train.edges) == [("a", "b"), ("a", "d")]
    assert split.hidden == [("a", "c"), ("b", "c"), ("b", "d")]  # a-b is a repeat; p3 is later


def test_random_split_is_seeded_and_partitions_the_ties():
    G = nx.cycle_graph(10)
    one, two = random_split(G, fraction=0.3, seed=1), random_split(G, fraction=0.3, seed=1)
    assert one.hidden == two.hidden and len(one.hidden) == 3
    assert sorted(map(sorted, one.train.edges)) == sorted(
        sorted(e) for e in G.edges if tuple(sorted(e)) not in one.hidden)
    assert random_split(G, fraction=0.3, seed=2).hidden != one.hidden


def test_davis_women_projection():
    G = women_graph()
    assert (G.number_of_nodes(), G.number_of_edges()) == (18, 139)
    assert G["Evelyn Jefferson"]["Theresa Anderson"]["weight"] == 7


def test_tuning_picks_the_component_that_predicts_the_hidden_ties():
    # the hidden ties join the two film and the two dance organisations; shared partners
    # point every query elsewhere (a-g via c, b-h via d, c-h via g, d-g via h)
    G = nx.Graph()
    arts = {"a": "film", "b": "film", "c": "dans", "d": "dans", "g": "musik", "h": "musik"}
    for v, art in arts.items():
        G.add_node(v, label="Actor", name=v, art_forms=[art], municipality_code="751")
    G.add_edges_from([("a", "c"), ("b", "d"), ("c", "g"), ("d", "h"), ("g", "h")])
    split = LinkSplit("art forms", G, [("a", "b"), ("c", "d")], "hand-made")
    start = SuggestionParams(ranker="weighted", similarity_weight=0.0)
    assert evaluate_split(split, full={"start": start}, k=1).result("start").precision == 0.0
    best, steps = tune_params(split, start=start, grid={"similarity_weight": (0.0, 2.0)}, k=1, rounds=1)
    assert best.similarity_weight == 2.0
    assert steps == [{"param": "similarity_weight", "value": 2.0, "precision": 1.0, "mrr": 1.0}]


def test_cli_reports_every_scorer_on_davis():
    from click.testing import CliRunner

    import graphsvc.cli.suggest  # noqa: F401  (registers the commands)
    from graphsvc.cli import main

    out = CliRunner().invoke(main, ["evaluate-suggestions", "--set", "davis", "--json"])
    assert out.exit_code == 0, out.output
    reports = json.loads(out.stdout)
    assert [r["dataset"] for r in reports] == ["Davis southern women", "Davis southern women, ≥ 3 shared events"]
    first = reports[0]
    assert (first["nodes"], first["train_ties"], first["hidden_ties"]) == (18, 111, 28)
    assert [r["scorer"] for r in first["results"]] == [*BASELINES, "weighted score"]
    # no years, nothing to fit: the weighted score is what the product would use
    assert [r["scorer"] for r in first["results"] if r["default"]] == ["weighted score"]
    assert all(0 <= r[m] <= 1 for r in first["results"] for m in ("precision", "recall", "mrr", "ndcg"))


def test_cli_refuses_backward_years():
    from click.testing import CliRunner

    import graphsvc.cli.suggest  # noqa: F401
    from graphsvc.cli import main

    out = CliRunner().invoke(main, ["evaluate-suggestions", "--set", "demo", "--test-years", "2025-2024"])
    assert out.exit_code == 1
    assert out.output.strip() == "error: the years '2025-2024' run backwards; write the earlier year first"


def _big_data():
    """a–d in a 2021 project; 2024: a 20-organisation project (a, b, v00…v17) and a pair c–d
    that already had a tie; 2025: b–c in a small project."""
    orgs = [_org(x, "751", "film") for x in "abcd"] + [_org(f"v{k:02d}", "657", "dans") for k in range(18)]
    big = ["a", "b", *(f"v{k:02d}" for k in range(18))]
    parts = {"p0": "abcd", "p1": big, "p2": "cd", "p3": "bc"}
    return GraphData(
        version=0, municipalities=[], organisations=orgs,
        projects=[{"id": "p0", "start_year": 2021}, {"id": "p1", "start_year": 2024},
                  {"id": "p2", "start_year": 2024}, {"id": "p3", "start_year": 2025}],
        participations=[{"org_id": o, "project_id": p} for p, members in parts.items() for o in members],
        collaborations=[])


def test_time_split_marks_the_ties_of_big_projects_and_keeps_the_present():
    split = time_split(_big_data(), test_years=(2024, 2025))
    # a-b, b-c, c-d are old; every hidden tie touches a v: all from the 20-organisation project
    assert len(split.hidden) == 2 * 18 + 18 * 17 // 2 and split.big_pairs == frozenset(split.hidden)
    both = time_split(_big_data(), test_years=(2024, 2025), present_in_both=True)
    # only a, b, c, d had a project before 2024 and one starting in 2024–2025
    assert sorted(both.train) == ["a", "b", "c", "d"] and both.hidden == []


def test_evaluate_time_falls_back_to_the_shipped_model_on_too_little_data():
    from graphsvc.analysis.evaluation import evaluate_time

    report = evaluate_time(_big_data(), name="tiny", test_years=(2024, 2025), validation_years=(2021, 2021),
                           policy_strengths=(1.0,))
    # 2021 forms 6 new ties among 4 organisations: below 50 ties and 20 organisations
    assert report.notes == ["learned: too little data to fit the suggestion model: 6 new ties of 4 "
                            "organisations in the fitting window (needs 50 and 20); the shipped model is used"]
    learned, shipped = report.result("learned"), report.result("learned, shipped model")
    assert learned.default and not shipped.default
    assert (learned.precision, learned.mrr) == (shipped.precision, shipped.mrr)
    assert [r.scorer for r in report.results][-4:] == ["learned", "learned, shipped model", "learned + policy 1",
                                                       "weighted score"]
