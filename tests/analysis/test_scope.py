"""The region scope on small hand-made graphs: the analyses compute on the whole graph,
and in scope "region" list and rank only the organisations placed in the region.

The graph, tie by tie (codes: 751 Aarhus, 665 Lemvig, 657 Herning, 741 Samsø in the
region; 851 Aalborg, 825 Læsø outside it):

    herning(657) – aros(751) – auu(851) – laeso(825)
                      \\        /
                      lemvig(665)          samsoe(741), aalborg-forening(851): no ties

so Lemvig has 2 partners in 2 other municipalities (Aarhus and Aalborg), one of them
outside the region.
"""

from __future__ import annotations

import networkx as nx
import pytest

from graphsvc.analysis.centrality import centrality
from graphsvc.analysis.communities import communities
from graphsvc.analysis.isolation import isolated_actors
from graphsvc.analysis.params import AnalysisParams
from graphsvc.analysis.scope import (
    REGION_CODES,
    check_scope,
    in_scope,
    municipality_label,
    region_municipality_filter,
    scope_codes,
    scope_municipality_rows,
    scope_nodes,
    ties_outside_region,
)
from graphsvc.errors import InputError

REGION = {"aros", "lemvig", "herning", "samsoe"}


@pytest.fixture
def G() -> nx.Graph:
    G = nx.Graph()
    nodes = {
        "aros": ("ARoS", "Institution", "large", "751"),
        "lemvig": ("Lemvig Teater", "Actor", "small", "665"),
        "herning": ("Herning Kor", "Actor", "small", "657"),
        "samsoe": ("Samsø Forening", "Actor", "small", "741"),
        "auu": ("Aalborg Universitet", "Institution", "large", "851"),
        "laeso": ("Læsø Firma", "Actor", "small", "825"),
        "aalborg-forening": ("Aalborg Forening", "Actor", "small", "851"),
    }
    for v, (name, label, size, code) in nodes.items():
        G.add_node(v, name=name, label=label, kind=None, size=size, municipality_code=code)
    G.add_edges_from([("herning", "aros"), ("aros", "auu"), ("aros", "lemvig"), ("lemvig", "auu"),
                      ("auu", "laeso")], weight=1.0)
    return G


def test_region_codes_are_the_19():
    assert len(REGION_CODES) == 19
    assert {"751", "665", "657", "741", "766"} <= REGION_CODES
    assert not {"851", "825", "400", "101"} & REGION_CODES


def test_in_scope_by_code_then_by_flag():
    assert in_scope({"municipality_code": "665"}, "region")
    assert not in_scope({"municipality_code": "851", "in_region": True}, "region")  # the code wins
    assert in_scope({"municipality_code": None, "in_region": True}, "region")
    assert not in_scope({"municipality_code": None, "in_region": None}, "region")
    assert in_scope({"municipality_code": None}, "all")


def test_check_scope_message_in_both_languages():
    assert check_scope(None) == "region"
    with pytest.raises(InputError) as e:
        check_scope("Region")
    assert "scope='Region' er ikke et gyldigt omfang" in e.value.detail
    assert "scope='Region' is not a valid scope: use 'region'" in e.value.detail


def test_scope_codes_and_nodes(G):
    assert scope_codes(G, "region") == tuple(sorted(REGION_CODES))
    assert scope_codes(G, "all") == tuple(sorted(REGION_CODES | {"851", "825"}))
    assert set(scope_nodes(G, "region")) == REGION
    assert len(scope_nodes(G, "all")) == 7
    rows = scope_municipality_rows(G, "all", [{"code": "751", "name": "Aarhus", "lat": 56.1, "lon": 10.2}])
    by_code = {r["code"]: r for r in rows}
    assert (by_code["825"]["name"], by_code["851"]["name"], by_code["751"]["lat"]) == ("Læsø", "Aalborg", 56.1)


def test_ties_outside_region(G):
    # auu's partners aros and lemvig are in the region, laeso is not; laeso's only partner is auu
    assert ties_outside_region(G) == {"aros": 1, "lemvig": 1, "herning": 0, "samsoe": 0, "auu": 1,
                                      "laeso": 1, "aalborg-forening": 0}


def test_centrality_region_ranks_only_the_region(G):
    params = AnalysisParams(rank_by="degree")
    region = centrality(G, params=params, scope="region")
    every = centrality(G, params=params, scope="all")
    assert set(region.table.index) == REGION
    assert len(every.table) == 7
    # ranks among the region's own: aros 3 partners, lemvig 2, herning 1, samsoe 0
    assert list(region.table.index) == ["aros", "lemvig", "herning", "samsoe"]
    assert list(region.table["rank"]) == [1, 2, 3, 4]
    # in scope all, aros and auu tie on 3 partners (by id), lemvig comes third
    assert list(every.table.index[:3]) == ["aros", "auu", "lemvig"]
    # the measures come from the whole graph: the tie to Aalborg Universitet counts
    lemvig = region.table.loc["lemvig"]
    assert (lemvig["degree"], lemvig["municipalities_reached"], lemvig["ties_outside_region"]) == (2, 2, 1)
    assert lemvig["reached_municipalities"] == ["751", "851"]
    # betweenness over all 7: aros lies on herning's paths to auu, lemvig and laeso
    assert region.table.loc["aros", "betweenness"] == pytest.approx(every.table.loc["aros", "betweenness"])
    assert region.table.loc["aros", "betweenness"] == pytest.approx(3 / 15)
    assert region.to_dict()["scope"] == "region"


def test_isolated_region_lists_only_the_region(G):
    region = isolated_actors(G, lang="en", scope="region")
    every = isolated_actors(G, lang="en", scope="all")
    # samsoe has no ties; herning 1 partner reaching 1 other municipality; lemvig reaches 2
    assert list(region.table.index) == ["samsoe", "herning"]
    assert list(every.table.index) == ["aalborg-forening", "samsoe", "herning", "laeso"]
    assert (region.small_organisations, every.small_organisations) == (3, 5)
    assert list(region.table["ties_outside_region"]) == [0, 0]
    assert list(region.table["municipality"]) == ["Samsø", "Herning"]


def test_isolated_nearest_are_in_scope():
    # a small actor in Lemvig with no ties; the well-connected are a hub in Holstebro
    # (region) and a hub in Aalborg (outside), both reaching 3 other municipalities
    G = nx.Graph()
    G.add_node("small", municipality_code="665", size="small", name="Lille")
    for hub, code, lat, lon in (("hub-holstebro", "661", 56.36, 8.62), ("hub-aalborg", "851", 57.05, 9.92)):
        G.add_node(hub, municipality_code=code, size="large", name=hub, lat=lat, lon=lon)
        for k, other in enumerate(("751", "657", "740")):
            G.add_node(f"{hub}-{k}", municipality_code=other, size="medium")
            G.add_edge(hub, f"{hub}-{k}")
    params = AnalysisParams(well_connected_min_degree=3, well_connected_min_reach=3, nearest_count=3)
    region = isolated_actors(G, params=params, scope="region")
    every = isolated_actors(G, params=params, scope="all")
    assert [n["id"] for n in region.table.loc["small", "nearest"]] == ["hub-holstebro"]
    assert sorted(n["id"] for n in every.table.loc["small", "nearest"]) == ["hub-aalborg", "hub-holstebro"]
    assert region.well_connected == 1


def test_communities_count_only_the_region(G):
    region = communities(G, seed=1, scope="region")
    every = communities(G, seed=1, scope="all")
    assert region.table["size"].sum() == 4
    assert every.table["size"].sum() == 7
    # the members outside the region counted beside the region's own in their communities
    shared = {c for v, c in every.membership.items() if v in REGION}
    beside = sum(1 for v, c in every.membership.items() if v not in REGION and c in shared)
    assert region.table["outside_region"].sum() == beside
    assert set(region.table.index) == shared
    assert set(region.tables()["membership"].index) == REGION
    assert "Aalborg Universitet" not in {n for names in region.table["largest_organisations"] for n in names}


def test_municipality_label_never_a_code():
    assert municipality_label("400") == "Bornholm"
    assert municipality_label("101") == "København"
    assert municipality_label("825") == "Læsø"
    assert municipality_label(None) == "ukendt kommune"
    assert municipality_label("nan", lang="en") == "unknown municipality"
    assert municipality_label("999") == "kommune 999"


def test_region_municipality_filter():
    names = {"665": "Lemvig", "851": "Aalborg"}
    assert region_municipality_filter(None, names) == sorted(REGION_CODES)
    assert region_municipality_filter(["lemvig", "Aalborg"], names) == ["665"]
    assert region_municipality_filter(["Atlantis"], names) == ["Atlantis"]  # reported by the suggestions
    with pytest.raises(InputError, match="Aalborg ligger uden for regionen; brug scope=all"):
        region_municipality_filter(["Aalborg"], names)
