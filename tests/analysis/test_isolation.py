"""Isolated small actors: categories, ranking, reasons in words, nearest well-connected."""

from __future__ import annotations

import networkx as nx
import pytest

from graphsvc.analysis._places import haversine_km
from graphsvc.analysis.isolation import isolated_actors
from graphsvc.analysis.params import AnalysisParams

LEMVIG = (56.5489, 8.3102)
AARHUS = (56.1572, 10.2107)


def node(G, oid, code, *, size="small", at=None, last=2024, networks=1, events=1, name=None, projects=1):
    lat, lon = at or (None, None)
    G.add_node(oid, name=name or oid.title(), label="Actor", kind="kor", size=size,
               municipality_code=code, lat=lat, lon=lon, n_projects=projects,
               last_project_year=last, n_networks=networks, n_events=events, art_forms=["musik"])


@pytest.fixture
def G() -> nx.Graph:
    """Lemvig (665) and Aarhus (751) with two hubs, Odder (727), Struer (671)."""
    G = nx.Graph(reference_year=2025, years=None, data_version=2)
    node(G, "alone", "665", at=(56.55, 8.31), last=2020, networks=0, events=0, projects=0,
         name="Lemvig Pigekor")
    node(G, "pair", "665", at=LEMVIG, last=2024)
    node(G, "local3", "751", at=AARHUS, last=None, networks=0)
    node(G, "few", "751", at=AARHUS, last=2022)
    node(G, "fine", "751", at=AARHUS)
    node(G, "bigalone", "751", size="large", at=AARHUS)
    node(G, "hub_l", "665", size="large", at=(56.56, 8.30), name="Lemvig Museum")
    node(G, "hub_a", "751", size="large", at=AARHUS, name="Aarhus Teater")
    for k, code in enumerate(["665", "665", "751", "751", "727", "671", "727"]):
        node(G, f"m{k}", code, size="medium", at=LEMVIG if code == "665" else AARHUS)
    G.add_edges_from([("hub_l", f"m{k}") for k in range(7)] + [("hub_l", "hub_a")])
    G.add_edges_from([("hub_a", f"m{k}") for k in range(7)])
    G.add_edge("pair", "hub_l")
    G.add_edges_from([("local3", "m2"), ("local3", "m3"), ("local3", "hub_a")])
    G.add_edges_from([("few", "hub_a"), ("few", "m0")])
    G.add_edges_from([("fine", "m0"), ("fine", "m4"), ("fine", "m5")])
    return G


def test_categories_and_ranking(G):
    r = isolated_actors(G, lang="en", params=AnalysisParams(well_connected_top_share=0.2))
    assert list(r.table.index) == ["alone", "pair", "local3", "few"]
    assert list(r.table["category"]) == ["no_ties", "only_local", "only_local", "few_ties"]
    assert list(r.table["rank"]) == [1, 2, 3, 4]
    assert list(r.table["municipality"]) == ["Lemvig", "Lemvig", "Aarhus", "Aarhus"]
    assert r.summary() == {"isolated": 4, "considered": 5, "considered_by_size": {"small": 5, "unknown": 0},
                           "small_organisations": 5, "well_connected": 2,
                           "no_ties": 1, "only_local": 2, "few_ties": 1}
    assert list(r.table["size_text"]) == ["small (given)"] * 4
    assert (r.data_version, r.years) == (2, None)


def test_reasons_in_english(G):
    r = isolated_actors(G, lang="en", params=AnalysisParams(well_connected_top_share=0.2))
    reasons = r.table["reasons"].to_dict()
    assert reasons["alone"] == [
        "no shared project or declared collaboration", "no project since 2020", "in no network",
        "at no event",
    ]
    assert reasons["pair"] == ["its only partner, Lemvig Museum, is in the same municipality"]
    assert reasons["local3"] == ["all its 3 partners are in Aarhus", "no project on record", "in no network"]
    assert reasons["few"] == ["only 2 partners, reaching 1 other municipality", "no project since 2022"]
    assert list(r.table.loc["alone", "reason_codes"]) == ["no_ties", "no_project_since", "no_network", "no_event"]


def test_reasons_in_danish(G):
    r = isolated_actors(G, params=AnalysisParams(lang="da"))
    assert r.table.loc["alone", "reasons"] == [
        "ingen fælles projekter eller erklærede samarbejder", "intet projekt siden 2020",
        "ikke med i noget netværk", "ikke med ved noget arrangement",
    ]
    assert r.table.loc["pair", "reasons"] == ["dens eneste partner, Lemvig Museum, er i samme kommune"]
    assert r.table.loc["few", "reasons"][0] == "kun 2 partnere, i 1 anden kommune"
    assert r.table.loc["local3", "category_text"] == "kun bånd i egen kommune"
    assert r.reasons_in("en")["pair"] == ["its only partner, Lemvig Museum, is in the same municipality"]


def test_window_in_reasons(G):
    G.graph["years"] = (2021, 2023)
    r = isolated_actors(G, lang="en")
    assert r.table.loc["alone", "reasons"][0] == "no shared project or declared collaboration in 2021–2023"
    assert r.years == (2021, 2023)


def test_nearest_well_connected(G):
    """Well-connected: among the 20% with most partners (hub_a 10, hub_l 9) and partners
    in at least 3 other municipalities. Current partners are left out."""
    r = isolated_actors(G, lang="en", params=AnalysisParams(well_connected_top_share=0.2))
    nearest = r.table["nearest"].to_dict()
    assert [x["id"] for x in nearest["alone"]] == ["hub_l", "hub_a"]
    assert nearest["alone"][0]["km"] == pytest.approx(float(haversine_km(56.55, 8.31, 56.56, 8.30)), abs=0.05)
    assert nearest["alone"][0]["shared_art_forms"] == ["musik"]
    assert [x["id"] for x in nearest["pair"]] == ["hub_a"]  # hub_l is its partner already
    assert [x["id"] for x in nearest["few"]] == ["hub_l"]
    assert r.table.loc["pair", "nearest_well_connected"][0].startswith("Aarhus Teater (Aarhus, ")


def test_unknown_size_is_considered_and_never_called_small(G):
    """The projection's unknown (size None) for 'alone' and 'bigalone' (no ties): both listed
    by default, as 'size unknown'; bigalone ranks after alone (no_ties, 0 partners, then by
    last project 2020 < 2024). With isolation_sizes ['small'] neither, as before."""
    for v in ("alone", "bigalone"):
        G.nodes[v].update(size=None, size_source="unknown")
    G.remove_edges_from(list(G.edges("bigalone")))
    r = isolated_actors(G, lang="en", params=AnalysisParams(well_connected_top_share=0.2))
    assert list(r.table.index) == ["alone", "bigalone", "pair", "local3", "few"]
    assert list(r.table["category"]) == ["no_ties", "no_ties", "only_local", "only_local", "few_ties"]
    assert r.table.loc["alone", "size_text"] == "size unknown"
    assert r.table.loc["alone", "size_source"] == "unknown"
    assert r.table.loc["pair", "size_text"] == "small (given)"
    assert r.table.loc["alone", "reasons"][0] == "no shared project or declared collaboration"
    assert r.summary()["considered_by_size"] == {"small": 4, "unknown": 2}
    assert (r.summary()["considered"], r.small_organisations) == (6, 4)
    assert r.considered_text("en") == "6 organisations of small or unknown size (4 small, 2 unknown)"
    da = isolated_actors(G, lang="da")
    assert da.table.loc["alone", "size_text"] == "størrelse ukendt"
    assert da.table.loc["pair", "size_text"] == "lille (oplyst)"
    assert da.considered_text("da") == "6 organisationer af lille eller ukendt størrelse (4 lille, 2 ukendt)"

    only_small = isolated_actors(G, lang="en", params=AnalysisParams(isolation_sizes=["small"]))
    assert list(only_small.table.index) == ["pair", "local3", "few"]
    assert only_small.summary()["considered_by_size"] == {"small": 4}
    assert only_small.considered_text("en") == "4 organisations of small size"


def test_size_source_in_each_row_and_medium_on_request(G):
    """Sizes as the projection resolved them, with their source; medium counted only when
    asked. Of the medium m0–m6 only m1 (Lemvig; hub_l and hub_a: 2 partners, 1 other
    municipality) has few ties; it ranks after few (same counts, last project 2024 > 2022)."""
    G.nodes["pair"].update(size="small", size_source="kind")
    G.nodes["few"].update(size="small", size_source="staff")
    r = isolated_actors(G, lang="da")
    assert r.table.loc["pair", "size_text"] == "lille (ud fra typen)"
    assert r.table.loc["few", "size_text"] == "lille (ud fra antal ansatte)"
    wide = isolated_actors(G, lang="da", params=AnalysisParams(isolation_sizes=["small", "medium"]))
    assert wide.summary()["considered_by_size"] == {"small": 5, "medium": 7}
    assert list(wide.table.index) == [*r.table.index, "m1"]
    assert (wide.table.loc["m1", "category"], wide.table.loc["m1", "size_text"]) == ("few_ties", "mellemstor (oplyst)")


def test_size_from_the_kind_on_a_graph_without_sizes():
    """No size attribute: resolved as the projection does (kind 'kor' small; an unknown kind
    unknown; a name ending in 'Kommune' large, not considered)."""
    G = nx.Graph()
    G.add_node("k", name="Lemvig Kirkekor", label="Actor", kind="kor", municipality_code="665")
    G.add_node("x", name="Vestas", label="Actor", kind="virksomhed", municipality_code="665")
    G.add_node("m", name="Lemvig Kommune", label="Actor", municipality_code="665")
    r = isolated_actors(G, lang="en")
    assert list(r.table.index) == ["k", "x"]
    assert list(r.table["size_text"]) == ["small (from its kind)", "size unknown"]
    assert r.summary()["considered_by_size"] == {"small": 1, "unknown": 1}


def test_the_command_says_what_was_considered(tmp_path, small_records):
    """The small records: two small actors (given), one large museum; with a third actor of
    no size, staff, budget or known kind added, three organisations are considered."""
    from click.testing import CliRunner

    import graphsvc.cli.analyse  # noqa: F401  (registers the commands)
    from graphsvc.cli import main
    from graphsvc.model import Actor
    from graphsvc.settings import Settings
    from graphsvc.store import open_store

    small_records.actors.append(Actor(id="a-odder", name="Odder Værkstedet", municipality_code="727"))
    store = open_store(Settings(data_dir=tmp_path / "db"))
    store.write(small_records)
    store.close()
    out = CliRunner().invoke(main, ["analyse", "isolated", "--data-dir", str(tmp_path / "db"), "--lang", "en"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].endswith("; 3 isolated of 3 organisations of small or unknown size (2 small, 1 unknown) considered")
    assert lines[1] == "   1. Odder Værkstedet (Odder) [a-odder] — no ties; size unknown"
    assert "Lemvig Amatørteater (Lemvig) [a-lemvig] — few ties, low reach; small (given)" in out.output
