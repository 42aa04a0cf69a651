import math

import pytest

from graphsvc.errors import InputError, NotFound
from visualizations import theme
from visualizations.maps import municipality_level_map, municipality_map, network_map, organisation_map
from visualizations.municipalities import municipality_ties
from visualizations.settings import MapSettings
from visualizations.views import format_value, metric_table, municipality_subgraph, neighbourhood, network_view


def test_nodes_carry_colour_size_and_tooltip_values(G):
    view = network_view(G, isolated={"e": ["ingen bånd"]}, lang="en")
    by_id = {nv.id: nv for nv in view.nodes}
    # Aarhus is the 14th of the 19 codes in order: its colour is the 14th of the palette
    assert by_id["b"].colour == theme.MUNICIPALITY_COLOURS[13]
    assert by_id["f"].colour == theme.OTHER_COLOUR
    # degree: b has 4 partners, a and d 2, c and f 1, e none; size = sqrt(degree / 4)
    assert by_id["b"].size == 1.0
    assert by_id["a"].size == pytest.approx(math.sqrt(0.5))
    assert by_id["c"].size == pytest.approx(0.5)
    assert by_id["e"].size == 0.0
    assert view.fields[:3] == ("Kind", "Municipality", "partners")
    assert by_id["b"].values[:3] == ("museum", "Aarhus", "4")
    assert by_id["e"].isolated and by_id["e"].values[-1] == "ingen bånd"
    assert not by_id["a"].isolated and by_id["a"].values[-1] is None


def test_legend_counts_each_colour_and_the_isolated(G):
    view = network_view(G, isolated=["e"], lang="da")
    assert [(li.label, li.count) for li in view.legend] == [
        ("Aarhus", 2), ("Herning", 1), ("Lemvig", 1), ("Samsø", 1), ("Ukendt kommune", 1),
        ("Isoleret lille aktør", 1),
    ]
    assert view.legend[-1].symbol == "ring"


def test_colour_by_kind_and_by_community(G):
    kinds = network_view(G, color_by="kind")
    assert {li.label: li.count for li in kinds.legend} == {
        "forening": 2, "kor": 2, "museum": 1, "teatergruppe": 1}
    membership = {"a": 0, "b": 0, "d": 0, "c": 1, "f": 1, "e": 2}
    communities = network_view(G, color_by="community", membership=membership, lang="en")
    assert [li.label for li in communities.legend] == ["Community 0", "Community 1", "Community 2"]
    with pytest.raises(InputError, match="colouring by community needs"):
        network_view(G, color_by="community")


def test_size_by_a_given_metric(G):
    metrics = {n: {"pagerank": v} for n, v in zip("abcdef", [0.2, 0.8, 0.1, 0.1, 0.0, 0.05])}
    view = network_view(G, metrics=metrics, size_by="pagerank", lang="en")
    by_id = {nv.id: nv for nv in view.nodes}
    assert by_id["a"].size == pytest.approx(0.5)
    assert view.size_note == "Size: PageRank"
    with pytest.raises(InputError) as e:
        network_view(G, size_by="fame")
    assert e.value.detail == "no metric 'fame' to size the nodes by; available: degree, weighted_degree"


def test_metric_table_takes_numeric_columns_of_a_frame():
    import pandas as pd

    frame = pd.DataFrame({"name": ["x"], "degree": [3], "rank": [1], "pagerank": [0.5]}, index=["o1"])
    assert metric_table(frame) == {"o1": {"degree": 3, "pagerank": 0.5}}


def test_top_nodes_get_labels(G):
    view = network_view(G, settings=MapSettings(label_top=2))
    assert sorted(nv.id for nv in view.nodes if nv.show_label) == ["a", "b"]


def test_neighbourhood_one_and_two_steps(G):
    assert sorted(neighbourhood(G, "c", depth=1)) == ["b", "c"]
    assert sorted(neighbourhood(G, "c", depth=2)) == ["a", "b", "c", "d", "f"]
    with pytest.raises(NotFound, match="no organisation with id 'zz'"):
        neighbourhood(G, "zz")


def test_municipality_subgraph_keeps_partners_elsewhere(G):
    assert sorted(municipality_subgraph(G, "665")) == ["a", "b", "d"]
    assert sorted(municipality_subgraph(G, "665", partners=False)) == ["a"]
    with pytest.raises(NotFound, match="no municipality with code '999'"):
        municipality_subgraph(G, "999")


def test_organisation_and_municipality_maps(G):
    view = organisation_map(G, "c", depth=1, lang="en")
    assert view.title == "Herning Kammerkor and partners (1 steps)"
    assert [nv.id for nv in view.nodes if nv.focus] == ["c"]
    view = municipality_map(G, "665", lang="da", settings=MapSettings(label_top=1))
    assert view.title == "Kultursamarbejdet i Lemvig Kommune"
    # only the municipality's own organisations are labelled
    assert [nv.id for nv in view.nodes if nv.show_label] == ["a"]


def test_geographic_view_has_boundaries_and_attribution(G):
    view = network_map(G, geographic=True)
    assert view.kind == "geo"
    assert view.attribution == "Kommunegrænser: Geodatastyrelsen & Danske Kommuner (DAGI)"
    assert len({code for code, _ in view.background}) == 19
    assert not view.physics


def test_municipality_ties_and_level_map(G):
    assert dict(municipality_ties(G)) == {("665", "751"): 2, ("657", "751"): 1, ("751", "751"): 1}
    view = municipality_level_map(G, lacking=[("741", "665")], lang="en")
    assert len(view.nodes) == 19
    edges = {(e.source, e.target): e for e in view.edges}
    assert set(edges) == {("665", "751"), ("657", "751"), ("665", "741")}
    assert edges[("665", "751")].width == 1.0
    assert edges[("657", "751")].width == pytest.approx(math.sqrt(0.5))
    assert edges[("665", "741")].dashed and edges[("665", "741")].colour == theme.LACKING_COLOUR
    assert edges[("665", "751")].text == "Lemvig – Aarhus: 2 ties"
    aarhus = next(nv for nv in view.nodes if nv.id == "751")
    assert aarhus.values == ("2", "1", "3")


def test_only_the_worst_lacking_pairs_are_marked_and_the_legend_says_so(G):
    view = municipality_level_map(G, lacking=[("741", "665")], lacking_total=108, lang="da")
    assert [(li.label, li.count) for li in view.legend][-1] == (
        "De 1 par der mest mangler samarbejde (af 108)", None)


def test_overview_only_for_large_interactive_maps(G):
    small = MapSettings(overview_threshold=5)
    assert network_map(G, settings=small).overview.kind == "municipalities"
    assert network_map(G, settings=small, interactive=False).overview is None
    assert network_map(G).overview is None


def test_format_value():
    assert [format_value(v) for v in (2.0, 0.123456, True, ["a", "b"], float("nan"))] == [
        "2", "0.123", "yes", "a; b", None]
    # Danish: decimal comma, thousands point, never an exponent
    assert [format_value(v, "da") for v in (1.323e-05, 1323.0, 0.5, 12345.678, False)] == [
        "0,0000132", "1.323", "0,5", "12.345,68", "nej"]


def test_municipality_choices_are_names_in_alphabetical_order(G):
    G.add_node("x", name="Skive Teater", municipality_code="779")
    G.add_node("y", name="Ærø Kunst", municipality_code="492")
    view = network_map(G)
    assert view.municipalities == [("751", "Aarhus"), ("657", "Herning"), ("665", "Lemvig"),
                                   ("741", "Samsø"), ("779", "Skive"), ("492", "Ærø")]
