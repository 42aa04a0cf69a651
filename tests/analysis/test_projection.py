"""The organisation graph and the organisation–project graph, with year windows."""

from __future__ import annotations

import pytest

from graphsvc.analysis.params import AnalysisParams
from graphsvc.reference import municipalities
from graphsvc.analysis.projection import (
    GraphData,
    graph_data_from_records,
    organisation_graph,
    organisation_project_graph,
    read_graph_data,
    resolve_size,
)


def org(oid, label="Actor", **kw):
    return {"id": oid, "label": label, "name": oid.upper(), "municipality_code": "751", **kw}


@pytest.fixture
def data() -> GraphData:
    """a, b, c, d, e; projects over the years; collaborations; a network and events."""
    return GraphData(
        version=7,
        municipalities=[],
        organisations=[org("d"), org("a"), org("b"), org("c", label="Institution"), org("e")],
        projects=[
            {"id": "p1", "title": "Gammel", "start_year": 2015, "end_year": 2016},
            {"id": "p2", "title": "Midt", "start_year": 2018, "end_year": 2020},
            {"id": "p3", "title": "Ny", "start_year": 2022, "end_year": None},
            {"id": "p4", "title": "Uden år", "start_year": None, "end_year": None},
        ],
        participations=[
            {"org_id": "a", "project_id": "p1"}, {"org_id": "b", "project_id": "p1"},
            {"org_id": "a", "project_id": "p2"}, {"org_id": "b", "project_id": "p2"},
            {"org_id": "c", "project_id": "p2"},
            {"org_id": "c", "project_id": "p3"}, {"org_id": "d", "project_id": "p3"},
            {"org_id": "d", "project_id": "p4"}, {"org_id": "e", "project_id": "p4"},
        ],
        collaborations=[
            {"source_id": "a", "target_id": "d", "since": 2023},
            {"source_id": "e", "target_id": "b", "since": None},
            {"source_id": "b", "target_id": "a", "since": 2018},
        ],
        networks=[{"id": "n1", "name": "Netværk"}],
        memberships=[{"org_id": "a", "network_id": "n1"}, {"org_id": "e", "network_id": "n1"}],
        events=[{"id": "e2019", "name": "Kulturmødet", "year": 2019},
                {"id": "e2024", "name": "Kulturmødet", "year": 2024}],
        attendances=[{"org_id": "c", "event_id": "e2019"}, {"org_id": "e", "event_id": "e2019"},
                     {"org_id": "c", "event_id": "e2024"}, {"org_id": "d", "event_id": "e2024"}],
    )


def edges(G):
    return {tuple(sorted((u, v))): d for u, v, d in G.edges(data=True)}


def test_all_years(data):
    G = organisation_graph(data)
    assert list(G) == ["a", "b", "c", "d", "e"]  # id order, whatever the rows' order
    # Newman weights: p1 (a, b) 1/(2 − 1) = 1; p2 (a, b, c) 1/(3 − 1) = ½ per pair; a–b
    # also declared a collaboration (1): 1 + ½ + 1 = 2.5
    assert edges(G) == {
        ("a", "b"): {"weight": 2.5, "projects": 2, "collaborations": 1},
        ("a", "c"): {"weight": 0.5, "projects": 1, "collaborations": 0},
        ("b", "c"): {"weight": 0.5, "projects": 1, "collaborations": 0},
        ("c", "d"): {"weight": 1.0, "projects": 1, "collaborations": 0},
        ("d", "e"): {"weight": 1.0, "projects": 1, "collaborations": 0},
        ("a", "d"): {"weight": 1.0, "projects": 0, "collaborations": 1},
        ("b", "e"): {"weight": 1.0, "projects": 0, "collaborations": 1},
    }
    units = {k: G.graph.pop(k) for k in ("tie_units", "tie_unit_weights")}
    assert G.graph == {"data_version": 7, "years": None, "reference_year": 2022}
    # p1..p4 in the order of the participations, then the three collaborations
    assert units["tie_units"] == [("a", "b"), ("a", "b", "c"), ("c", "d"), ("d", "e"),
                                  ("a", "d"), ("b", "e"), ("a", "b")]
    assert units["tie_unit_weights"] == [1.0, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0]
    assert G.nodes["a"]["n_projects"] == 2
    assert G.nodes["a"]["last_project_year"] == 2020
    assert G.nodes["d"]["last_project_year"] == 2022  # p4 has no year
    assert G.nodes["e"]["last_project_year"] is None
    assert G.nodes["a"]["n_networks"] == 1
    assert G.nodes["c"]["n_events"] == 2


def test_year_window(data):
    """2019–2021: p2 overlaps; p1 ended before, p3 starts after, p4 has no year. The
    collaboration declared in 2023 is not there yet; the undated one is."""
    G = organisation_graph(data, years=(2019, 2021))
    assert edges(G) == {
        ("a", "b"): {"weight": 1.5, "projects": 1, "collaborations": 1},
        ("a", "c"): {"weight": 0.5, "projects": 1, "collaborations": 0},
        ("b", "c"): {"weight": 0.5, "projects": 1, "collaborations": 0},
        ("b", "e"): {"weight": 1.0, "projects": 0, "collaborations": 1},
    }
    assert G.graph["tie_units"] == [("a", "b", "c"), ("b", "e"), ("a", "b")]
    assert {k: G.graph[k] for k in ("data_version", "years", "reference_year")} == \
        {"data_version": 7, "years": (2019, 2021), "reference_year": 2021}
    assert G.nodes["c"]["n_projects"] == 1
    assert G.nodes["c"]["last_project_year"] == 2020  # p3 starts after the window
    assert G.nodes["c"]["n_events"] == 1
    assert G.nodes["d"]["n_events"] == 0
    assert G.number_of_nodes() == 5  # every organisation, with or without ties


def test_window_edges_of_a_running_project(data):
    """A project counts in every window its years overlap: 2020 alone still has p2."""
    G = organisation_graph(data, years=(2020, 2020))
    assert G["a"]["c"]["projects"] == 1
    assert organisation_graph(data, years=(2017, 2017)).number_of_edges() == 1  # only b–e


def test_weights_and_networks_and_events(data):
    G = organisation_graph(data, project_weight=2, collaboration_weight=0.5,
                           network_weight=0.25, event_weight=0.1)
    # 2 · (1 + ½) + 0.5 · 1
    assert G["a"]["b"] == {"weight": 3.5, "projects": 2, "collaborations": 1, "networks": 0, "events": 0}
    assert G["a"]["e"] == {"weight": 0.25, "projects": 0, "collaborations": 0, "networks": 1, "events": 0}
    assert G["c"]["e"]["weight"] == pytest.approx(0.1)
    assert G["c"]["d"]["weight"] == pytest.approx(2.1)


def test_weights_from_params(data):
    G = organisation_graph(data, params=AnalysisParams(collaboration_weight=0))
    assert not G.has_edge("a", "d")
    assert G["a"]["b"]["weight"] == 1.5


@pytest.mark.parametrize("weighting, cap, expected", [
    ("newman", 10, {"ab": 1 + 1 / 4, "cd": 1 / 4}),    # p (2 partners) 1; q (5) ¼ per pair
    ("count", 10, {"ab": 2.0, "cd": 1.0}),
    ("capped", 3, {"ab": 1 + 2 / 4, "cd": 2 / 4}),      # q above the cap 3: (3 − 1)/(5 − 1)
    ("capped", 5, {"ab": 2.0, "cd": 1.0}),              # q at the cap: 1
])
def test_project_weighting(weighting, cap, expected):
    data = GraphData(0, [], [org(x) for x in "abcde"], [{"id": "p"}, {"id": "q"}],
                     [{"org_id": x, "project_id": "p"} for x in "ab"]
                     + [{"org_id": x, "project_id": "q"} for x in "abcde"], [])
    G = organisation_graph(data, params=AnalysisParams(project_weighting=weighting, project_weight_cap=cap))
    assert G["a"]["b"]["weight"] == pytest.approx(expected["ab"])
    assert G["c"]["d"]["weight"] == pytest.approx(expected["cd"])
    assert (G["a"]["b"]["projects"], G["c"]["d"]["projects"]) == (2, 1)  # raw counts kept
    # every partner gets 1 in all from q under Newman: 4 pairs of ¼
    if weighting == "newman":
        assert sum(G["e"][x]["weight"] for x in "abcd") == pytest.approx(1.0)


@pytest.mark.parametrize("row, size", [
    ({"label": "Actor", "size": "large", "staff": 1}, ("large", "given")),
    ({"label": "Institution", "staff": 5}, ("small", "staff")),
    ({"label": "Institution", "staff": 6}, ("medium", "staff")),
    ({"label": "Actor", "staff": 50}, ("large", "staff")),
    ({"label": "Actor", "budget_dkk": 2_000_000}, ("small", "budget")),
    ({"label": "Actor", "budget_dkk": 30_000_000}, ("large", "budget")),
    ({"label": "Institution", "kind": "bibliotek"}, ("small", "kind")),
    ({"label": "Institution", "kind": "museum"}, ("medium", "kind")),
    ({"label": "Institution", "kind": "Statsanerkendt museum"}, ("medium", "kind")),
    ({"label": "Actor", "kind": "Ungdomsorkester"}, ("medium", "kind")),
    ({"label": "Actor", "name": "Aalborg Universitet"}, ("large", "kind_name")),
    ({"label": "Actor", "kind": "virksomhed", "name": "Herning Kommune"}, ("large", "kind_name")),
    ({"label": "Actor", "name": "Aarhus Teater"}, (None, "unknown")),
    ({"label": "Institution", "kind": "forening"}, (None, "unknown")),  # removed from the table
    ({"label": "Actor"}, (None, "unknown")),  # no size by label by default
    ({"label": None}, (None, "unknown")),
])
def test_resolve_size(row, size):
    params = AnalysisParams(kind_sizes={"bibliotek": "small", "forening": None})
    assert resolve_size(row, params) == size


def test_size_attributes(data):
    G = organisation_graph(data)
    assert (G.nodes["c"]["size"], G.nodes["c"]["size_given"], G.nodes["c"]["size_source"]) == \
        (None, None, "unknown")
    G = organisation_graph(data, params=AnalysisParams(label_sizes={"Institution": "large", "Actor": "small"}))
    assert (G.nodes["c"]["size"], G.nodes["c"]["size_source"]) == ("large", "label")
    assert G.nodes["a"]["size"] == "small"


def test_bipartite(data):
    B = organisation_project_graph(data, years=(2019, 2021))
    assert sorted(n for n, d in B.nodes(data="bipartite") if d == 1) == ["p2"]
    assert sorted(B["p2"]) == ["a", "b", "c"]
    assert B.nodes["p2"]["title"] == "Midt"
    assert B.nodes["a"]["bipartite"] == 0
    assert organisation_project_graph(data).number_of_edges() == 9


def test_from_the_store(store, small_records):
    store.write(small_records)
    data = read_graph_data(store)
    G = organisation_graph(data)
    assert G.graph["data_version"] == store.version
    assert sorted(edges(G)) == [("a-herning", "i-aros"), ("a-lemvig", "i-aros")]
    assert G.nodes["a-lemvig"]["name"] == "Lemvig Amatørteater"
    assert G.nodes["i-aros"]["size"] == "large"
    assert len(data.municipalities) == 99  # every Danish municipality, named
    assert sorted(m["code"] for m in data.municipalities if m["in_region"]) == sorted(
        m.code for m in municipalities())


def test_from_records(small_records):
    data = graph_data_from_records(small_records, version=3)
    assert len(data.municipalities) == 19
    G = organisation_graph(data, years=(2024, 2024))
    assert sorted(edges(G)) == [("a-herning", "i-aros")]  # the project ended in 2023
    assert G.nodes["a-herning"]["n_events"] == 1


def test_arrays_remembered_match_the_graph(data):
    """The projection hands its arrays to the analyses; they are the graph's own."""
    from graphsvc.analysis._engine import _build_indexed, indexed

    for years in (None, (2019, 2021)):
        G = organisation_graph(data, years=years, network_weight=0.5)
        cached, fresh = indexed(G), _build_indexed(G, "weight")
        assert cached.nodes == fresh.nodes
        assert cached.heads.tolist() == fresh.heads.tolist()
        assert cached.tails.tolist() == fresh.tails.tolist()
        assert cached.weights.tolist() == fresh.weights.tolist()


def test_tables_from_the_store_give_the_same_rows(store, small_records):
    """The columns read from the store (Arrow tables) turn into the rows ``list_*`` gives."""
    import pyarrow as pa

    store.write(small_records)
    data = read_graph_data(store)
    assert isinstance(data.table("organisations"), pa.Table)
    by_id = lambda rows: sorted(rows, key=lambda r: r["id"])  # noqa: E731
    assert by_id(data.organisations) == by_id(store.list_organisations())
    assert by_id(data.projects) == by_id(store.list_projects())
    pairs = lambda rows: sorted((r["org_id"], r["project_id"], r["role"]) for r in rows)  # noqa: E731
    assert pairs(data.participations) == pairs(store.list_participations())
    assert data.column("organisations", "no_such_field") == [None] * len(data.organisations)


def test_projection_is_the_sum_over_projects_of_the_pair_weight():
    """On the demo region, every tie's weight and counts against a plain loop over the
    projects (Newman 1/(n − 1) per project) and the declared collaborations."""
    from collections import Counter
    from itertools import combinations

    from graphsvc.demo import generate

    data = graph_data_from_records(generate("demo", seed=2026))
    G = organisation_graph(data)
    members: dict[str, set] = {}
    for r in data.participations:
        members.setdefault(r["project_id"], set()).add(r["org_id"])
    weight, shared = Counter(), Counter()
    for group in members.values():
        for a, b in combinations(sorted(group), 2):
            weight[a, b] += 1 / (len(group) - 1)
            shared[a, b] += 1
    declared = Counter(tuple(sorted((c["source_id"], c["target_id"]))) for c in data.collaborations
                       if c["source_id"] != c["target_id"])
    expected = {pair: (weight[pair] + declared[pair], shared[pair], declared[pair])
                for pair in weight.keys() | declared.keys()}
    got = {tuple(sorted((u, v))): (d["weight"], d["projects"], d["collaborations"])
           for u, v, d in G.edges(data=True)}
    assert got.keys() == expected.keys()
    for pair, (w, p, c) in expected.items():
        assert got[pair][1:] == (p, c)
        assert got[pair][0] == pytest.approx(w, rel=1e-12)


def test_ties_are_made_only_when_the_adjacency_is_walked(data):
    import pickle

    from graphsvc.analysis import centrality, communities, isolated_actors, municipality_gaps

    G = organisation_graph(data)
    assert G.__dict__["_deferred"] is not None
    assert G.number_of_edges() == 7  # a–b, a–c, b–c, c–d, d–e, a–d, b–e (test_all_years)
    centrality(G)
    isolated_actors(G)
    municipality_gaps(G, municipalities())
    communities(G)
    assert G.__dict__["_deferred"] is not None  # the four analyses read the arrays only
    copy = pickle.loads(pickle.dumps(G))
    assert sorted(edges(G)) == [("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("b", "e"), ("c", "d"), ("d", "e")]
    assert G.__dict__["_deferred"] is None
    assert G["a"]["b"] is G["b"]["a"]  # one dict per tie, as networkx keeps it
    assert edges(copy) == edges(G)
    assert G.number_of_edges() == 7


def test_node_dicts_are_made_on_first_use():
    """The analyses read the node attributes as columns; the dicts come on G.nodes."""
    from graphsvc.analysis import centrality, communities, isolated_actors, municipality_gaps
    from graphsvc.analysis._engine import node_column
    from graphsvc.analysis.scope import scope_municipality_rows
    from graphsvc.analysis.suggestions import suggest_partners
    from graphsvc.demo import generate

    demo_data = graph_data_from_records(generate("demo", seed=2026))
    G = organisation_graph(demo_data)
    before = {key: node_column(G, key) for key in ("name", "size", "size_source", "n_projects", "lat")}
    centrality(G)
    isolated_actors(G)
    municipality_gaps(G, scope_municipality_rows(G, "region", demo_data.municipalities))
    communities(G)
    suggestions = suggest_partners(G, list(G)[0], 5)
    assert G.__dict__["_deferred_nodes"] is not None and G.__dict__["_deferred"] is not None
    assert len(G) == len(before["name"]) and list(G) == sorted(G) and list(G)[0] in G and "nobody" not in G
    nodes = dict(G.nodes(data=True))  # makes them
    assert G.__dict__["_deferred_nodes"] is None
    for key, column in before.items():
        assert [nodes[v].get(key) for v in G] == column == node_column(G, key)
    # the suggestions read the columns, and are the same from the dicts
    assert suggest_partners(G, list(G)[0], 5) == suggestions
    G.nodes[list(G)[0]]["name"] = "changed"  # the dicts are the attributes from now on
    assert node_column(G, "name")[0] == "changed"


def test_python_values_equal_to_pylist_and_share_strings():
    """The columns made with one Python string per distinct value hold what
    ``to_pylist`` gives, nulls, empty lists and sliced arrays included."""
    import random

    import pyarrow as pa

    from graphsvc.analysis.projection import python_values

    rnd = random.Random(5)
    words = ["751", "730", "Musik", "Teater", "", "æøå"]
    strings = pa.array([rnd.choice(words + [None]) for _ in range(500)])
    lists = pa.array([None if rnd.random() < 0.1 else [rnd.choice(words + [None]) for _ in range(rnd.randrange(4))]
                      for _ in range(500)], pa.list_(pa.string()))
    for array in (strings, lists, strings.slice(37, 200), lists.slice(11, 300), lists.take(pa.array([5, 3, 499, 0]))):
        assert python_values(array) == array.to_pylist()
    made = python_values(strings)
    assert len({id(x) for x in made if x is not None}) == len({x for x in made if x is not None})
    inner = [w for row in python_values(lists) if row for w in row if w is not None]
    assert len({id(w) for w in inner}) == len(set(inner))
    assert python_values(pa.array([1.5, None])) == [1.5, None]
