"""The offline evaluation of the suggestions on tiny cases worked out by hand."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pytest

from graphsvc.analysis.evaluation import (
    LinkSplit,
    evaluate_split,
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


def test_the_full_scorer_without_attributes_ranks_like_adamic_adar(split):
    report = evaluate_split(split, k=2, seed=3)
    full, aa = report.result("full"), report.result("adamic_adar")
    assert (full.precision, full.recall, full.mrr) == (aa.precision, aa.recall, aa.mrr)
    assert [r.scorer for r in report.results] == ["random", "common_neighbours", "adamic_adar", "full"]
    assert report.hidden_ties == 2 and report.train_ties == 6 and report.nodes == 6


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
    start = SuggestionParams(similarity_weight=0.0)
    assert evaluate_split(split, full={"start": start}, k=1).result("start").precision == 0.0
    best, steps = tune_params(split, start=start, grid={"similarity_weight": (0.0, 2.0)}, k=1, rounds=1)
    assert best.similarity_weight == 2.0
    assert steps == [{"param": "similarity_weight", "value": 2.0, "precision": 1.0, "mrr": 1.0}]


def test_cli_reports_every_scorer_on_davis():
    from click.testing import CliRunner

    import graphsvc.cli.suggest  # noqa: F401  (registers the commands)
    from graphsvc.cli import main

    out = CliRunner().invoke(main, ["evaluate-suggestions", "--set", "davis", "--no-tune", "--json"])
    assert out.exit_code == 0, out.output
    reports = json.loads(out.stdout)
    assert [r["dataset"] for r in reports] == ["Davis southern women", "Davis southern women, ≥ 3 shared events"]
    first = reports[0]
    assert (first["nodes"], first["train_ties"], first["hidden_ties"]) == (18, 111, 28)
    assert [r["scorer"] for r in first["results"]] == ["random", "common_neighbours", "adamic_adar", "full"]
    assert all(0 <= r[m] <= 1 for r in first["results"] for m in ("precision", "recall", "mrr"))


def test_cli_refuses_backward_years():
    from click.testing import CliRunner

    import graphsvc.cli.suggest  # noqa: F401
    from graphsvc.cli import main

    out = CliRunner().invoke(main, ["evaluate-suggestions", "--set", "demo", "--test-years", "2025-2024"])
    assert out.exit_code == 1
    assert out.output.strip() == "error: the years '2025-2024' run backwards; write the earlier year first"
