"""The JSON API through the app, on the hand-made region of ``service_region.gap_records``
(and, for the gaps and what uses them, ``gap_region_records``): data routes, every
analysis, maps, exports, CORS and the result cache."""

from __future__ import annotations

import csv
import io
import math
import re
import threading
import time
import zipfile

import pytest
from service_region import gap_region_records

import graphsvc.service
from graphsvc.analysis.params import AnalysisParams
from graphsvc.exports import ALLOWED

AARHUS = ["a-aar1", "a-aar2", "a-aar3", "a-aar4", "i-aros"]
HERNING = ["a-her1", "a-her2", "a-her3", "a-her4", "i-herning"]
# by name, case-folded: "aarhus …" < "aros …", "lemvig sangkor" < "lemvig ældreteater"
ALL_BY_NAME = AARHUS + HERNING + ["a-lemvig2", "a-lemvig", "a-samsoe"]


def ids(rows) -> list[str]:
    return [r["id"] for r in rows]


# --- organisations, municipalities, projects -------------------------------------------

@pytest.mark.parametrize(("query", "expected", "count"), [
    ("", ALL_BY_NAME[:50], 13),
    ("?q=LEMVIG", ["a-lemvig2", "a-lemvig"], 2),
    ("?q=%C3%A5rhus", ["a-aar1", "a-aar2", "a-aar3", "a-aar4", "i-aros"], 5),  # "århus" finds "Aarhus" too
    ("?offset=4&limit=3", ["i-aros", "a-her1", "a-her2"], 13),
    ("?offset=12&limit=5", ["a-samsoe"], 13),
    ("?offset=20", [], 13),
    ("?municipality=751", AARHUS, 5),
    ("?label=Institution", ["i-aros", "i-herning"], 2),
    ("?size=small", ["a-lemvig2", "a-lemvig", "a-samsoe"], 3),
    ("?kind=ensemble&municipality=657&limit=2", ["a-her1", "a-her2"], 4),
    ("?q=nothing-like-this", [], 0),
])
def test_list_organisations(api, query, expected, count):
    r = api.get("/api/organisations" + query)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"data", "count"}
    assert ids(body["data"]) == expected
    assert body["count"] == count


def test_organisation_row_fields(api):
    row = api.get("/api/organisations?q=Ældreteater").json()["data"][0]
    assert row == {
        "id": "a-lemvig", "label": "Actor", "name": "Lemvig Ældreteater", "kind": "teatergruppe",
        "size": "small", "art_forms": ["teater"], "target_groups": ["ældre"], "municipality_code": "665",
        "municipality": "Lemvig", "cvr": None, "website": None, "postcode": None, "town": None, "in_region": None,
        "lat": None, "lon": None, "size_resolved": "small", "partners": 2,
    }


def test_one_organisation_with_neighbours_projects_and_metrics(api):
    r = api.get("/api/organisations/a-lemvig")
    assert r.status_code == 200
    body = r.json()
    assert body["name"] == "Lemvig Ældreteater"
    assert sorted(body["neighbours"], key=lambda n: n["id"]) == [
        {"id": "a-lemvig2", "name": "Lemvig Sangkor", "municipality_code": "665", "via": "collaboration",
         "via_id": "", "via_name": ""},
        {"id": "i-aros", "name": "ARoS Århus Kunstmuseum", "municipality_code": "751", "via": "project",
         "via_id": "p-cross", "via_name": "Ældre på museum"},
    ]
    assert [(p["id"], p["role"], p["start_year"], p["end_year"]) for p in body["projects"]] == [
        ("p-cross", "lead", 2022, 2023)]
    m = body["metrics"]
    # 13 organisations; a-lemvig is on the shortest paths from Lemvig Sangkor to the five
    # Aarhus organisations: 5 of (12·11/2) pairs
    assert m["betweenness"] == pytest.approx(5 / 66)
    # 6 reachable at distances 1, 1, 2, 2, 2, 2: (6/10)·(6/12); harmonic (1+1+4·½)/12
    assert m["closeness"] == pytest.approx(0.3)
    assert m["harmonic"] == pytest.approx(4 / 12)
    assert (m["degree"], m["municipalities_reached"], m["rank"], m["rank_in_municipality"]) == (2, 1, 2, 1)


def test_organisation_without_ties_has_empty_lists(api):
    body = api.get("/api/organisations/a-samsoe").json()
    assert (body["neighbours"], body["projects"], body["metrics"]["degree"]) == ([], [], 0)


def test_municipalities(api):
    body = api.get("/api/municipalities").json()
    assert body["count"] == 19 == len(body["data"])
    codes = [m["code"] for m in body["data"]]
    assert codes == sorted(codes)
    orgs = {m["code"]: m["organisations"] for m in body["data"] if m["organisations"]}
    assert orgs == {"751": 5, "657": 5, "665": 2, "741": 1}
    one = api.get("/api/municipalities/665").json()
    assert (one["code"], one["name"], one["region"], one["organisations"]) == ("665", "Lemvig", "Region Midtjylland", 2)


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["p-aarhus", "p-cross", "p-herning"]),  # by id
    ("?q=%C3%A6LDRE", ["p-cross"]),  # "æLDRE"
    ("?municipality=665", ["p-cross"]),
    ("?municipality=751", ["p-aarhus", "p-cross"]),
    ("?year=2016", ["p-aarhus", "p-herning"]),
    ("?year=2017", ["p-aarhus"]),
    ("?year=2020", []),
    ("?year=2023&municipality=751", ["p-cross"]),
    ("?limit=1&offset=2", ["p-herning"]),
])
def test_projects_filters(api, query, expected):
    body = api.get("/api/projects" + query).json()
    assert ids(body["data"]) == expected
    if "limit" not in query:
        assert body["count"] == len(expected)


# --- analyses --------------------------------------------------------------------------

def test_centrality(api):
    body = api.get("/api/analysis/centrality").json()
    assert body["analysis"] == "CentralityResult"
    assert body["count"] == 13
    assert body["summary"]["betweenness_method"] == "exact"
    top = body["data"][0]
    assert (top["id"], top["degree"], top["rank"]) == ("i-aros", 5, 1)
    # ARoS links Lemvig's two actors to Aarhus' four ensembles: 8 of 66 pairs
    assert top["betweenness"] == pytest.approx(8 / 66)
    assert ids(body["data"][:2]) == ["i-aros", "a-lemvig"]
    assert top["reached_municipalities"] == ["665"]


def test_centrality_filters_and_measure(api):
    body = api.get("/api/analysis/centrality?municipality=665&by=degree").json()
    assert ids(body["data"]) == ["a-lemvig", "a-lemvig2"]
    assert body["count"] == 2
    body = api.get("/api/analysis/centrality?kind=museum").json()
    assert ids(body["data"]) == ["i-aros"]
    assert len(api.get("/api/analysis/centrality?top=3").json()["data"]) == 3


def test_isolated(api):
    body = api.get("/api/analysis/isolated?lang=en").json()
    assert body["count"] == 3
    rows = body["data"]
    assert [(r["id"], r["category"]) for r in rows] == [
        ("a-samsoe", "no_ties"), ("a-lemvig2", "only_local"), ("a-lemvig", "few_ties")]
    assert rows[0]["reasons"] == ["no shared project or declared collaboration", "no project on record"]
    assert rows[1]["reasons"][0] == "its only partner, Lemvig Ældreteater, is in the same municipality"
    assert rows[2]["reasons"] == ["only 2 partners, reaching 1 other municipality"]
    # every organisation of the region has a size given: 3 small, none unknown
    assert body["summary"] == {"isolated": 3, "considered": 3, "considered_by_size": {"small": 3, "unknown": 0},
                               "small_organisations": 3, "well_connected": 0, "no_ties": 1,
                               "only_local": 1, "few_ties": 1}
    local = api.get("/api/analysis/isolated?municipality=665").json()
    assert ids(local["data"]) == ["a-lemvig2", "a-lemvig"]
    assert local["data"][0]["reasons"][0] == "dens eneste partner, Lemvig Ældreteater, er i samme kommune"


def test_gaps_too_little_data_on_the_small_region(api):
    # one project crosses a border (p-cross, Lemvig–Aarhus): the null spreads each side's
    # cross-border projects (1 and 1) over its pairs, so their only pair expects 1; with
    # φ = 1, p = P(X ≤ 1) = 2/e; even 0 shared projects (P = 1/e > 0.1 ≥ any BH bound)
    # would not be a discovery: too little data, like the 170 pairs with nothing expected
    body = api.get("/api/analysis/gaps").json()
    assert body["summary"]["pairs"] == body["summary"]["pairs_too_little_data"] == 171
    first = body["pairs"][0]
    assert (first["code_a"], first["code_b"], first["observed"], first["state"]) == ("665", "751", 1, "too_little_data")
    assert first["expected"] == pytest.approx(1.0)
    assert first["p_value"] == pytest.approx(2 / math.e)
    assert first["state_name"] == "for lidt data"
    assert body["summary"]["organisations_counted"] == 13
    observed = body["matrix"]["observed"]
    # the diagonal: projects (and collaborations) with two or more of the municipality's organisations
    assert (observed["751"]["751"], observed["657"]["657"], observed["665"]["665"]) == (1, 1, 1)
    assert observed["665"]["751"] == observed["751"]["665"] == 1
    assert len(api.get("/api/analysis/gaps?top=5").json()["pairs"]) == 5


def test_gaps_one_lacking_pair(make_client):
    # The block of gap_region_records, 2018–2021 (units: its 89 projects and the Lemvig
    # collaboration, since 2018): A–O_k = H–O_k = 12, O_k–O_l = 9, A–H = 0 shared projects.
    # Each of the 7 municipalities shares 5·12 = 2·12 + 4·9 = 60 projects across borders,
    # so the gravity null (β = 0) is symmetric: x = √10, expected x² = 10 for each of the
    # 21 pairs (and 0 for the 150 pairs with Lemvig, Samsø or the 10 without projects).
    # Pearson dispersion (0−10)²/10 + 10·(12−10)²/10 + 10·(9−10)²/10 = 15 over 21 − 7
    # degrees of freedom: φ_fit = 15/14. The bootstrap varies each count binomially,
    # n(1 − n/U) < n, so φ_boot < 1 and φ = 15/14.
    # Aarhus–Herning: P(X = 0) for mean 10, variance 10φ: (1/φ)^(10/(φ − 1)) = (14/15)^140.
    # Tarone's filter: the 21 block pairs can reach (14/15)^140 < 0.1/21, the 150 others
    # only 1, so m(K) = 21 for K ≤ 171 and K* = 21: BH within the 21, q = 21 · p (every
    # other p-value is at least P(X ≤ 9) ≈ 0.46).
    client = make_client(gap_region_records(), analysis=AnalysisParams(null_model="gravity"))
    body = client.get("/api/analysis/gaps?from=2018&to=2021").json()
    summary = body["summary"]
    assert (summary["pairs"], summary["pairs_lacking"], summary["pairs_ok"], summary["pairs_too_little_data"],
            summary["pairs_without_ties"]) == (171, 1, 20, 150, 151)
    assert summary["projects_shared_across_borders"] == 10 * 12 + 10 * 9
    assert summary["organisations_counted"] == 18
    null = summary["null"]
    assert (null["name"], null["distance_exponent"], null["units"]) == ("gravity", 0.0, 90)
    assert null["dispersion"] == pytest.approx(15 / 14) == null["dispersion_fit"]
    assert null["dispersion_bootstrap"] < 1
    phi = 15 / 14
    first = body["pairs"][0]
    assert (first["code_a"], first["code_b"], first["observed"], first["state"], first["lacking"]) == \
        ("657", "751", 0, "lacking", True)
    assert first["expected"] == pytest.approx(10)
    assert first["p_value"] == pytest.approx((14 / 15) ** 140)
    assert first["q_value"] == pytest.approx(21 * (14 / 15) ** 140)
    assert first["residual"] == pytest.approx(-10 / math.sqrt(phi * 10))
    # a count of 0: the interval runs from 0 to the one-sided bound −ln(0.025)·φ/expected
    assert (first["ratio"], first["ratio_low"]) == (0.0, 0.0)
    assert first["ratio_high"] == pytest.approx(math.log(40) * phi / 10)
    assert first["state_name"] == "mangler samarbejde"
    assert [(p["code_a"], p["code_b"]) for p in body["pairs"] if p["lacking"]] == [("657", "751")]
    # the other 20 pairs of the block expect 10 and are "ok": in Tarone's family (P(X = 0)
    # = (14/15)^140 < 0.1/21), so 0 shared projects would have been a discovery
    block = {"615", "657", "730", "740", "746", "751", "791"}
    others = [p for p in body["pairs"] if {p["code_a"], p["code_b"]} <= block and not p["lacking"]]
    assert len(others) == 20
    assert all(p["state"] == "ok" and p["expected"] == pytest.approx(10) for p in others)
    assert sorted({p["observed"] for p in others}) == [9, 12]
    # Samsø has no project across a border: nothing is expected, nothing can be said
    samsoe = [p for p in body["pairs"] if "741" in (p["code_a"], p["code_b"])]
    assert len(samsoe) == 18
    assert all((p["expected"], p["p_value"], p["state"]) == (0.0, 1.0, "too_little_data") for p in samsoe)
    # E-I: Newman weights give each partner 1 from a project, and every block project has
    # one Aarhus organisation: Aarhus has 4 + 40 = 44 external, 0 internal; Lemvig only its
    # collaboration inside (weight 1)
    ei = {row["code"]: row for row in body["ei"]}
    assert (ei["751"]["internal_ties"], ei["751"]["external_ties"], ei["751"]["ei"]) == (0, pytest.approx(44), 1.0)
    assert (ei["665"]["internal_ties"], ei["665"]["external_ties"], ei["665"]["ei"]) == (1, 0, -1.0)


def test_gaps_over_all_years_with_the_default_null(region_api):
    # the service's default (gravity with distance) over all years: the block, and Lemvig's
    # projects with Herning (2016) and Aarhus (2022). Aarhus–Herning is still the only pair
    # lacking; Lemvig's pairs expect Σ_j expected = 2 projects in all, so P(X = 0) ≥ e^−2 >
    # 0.1: too little data, also for Lemvig–Horsens with 0 shared where some were expected
    body = region_api.get("/api/analysis/gaps").json()
    assert body["summary"]["null"]["name"] == "gravity_distance"
    assert [(p["code_a"], p["code_b"], p["observed"]) for p in body["pairs"] if p["lacking"]] == [("657", "751", 0)]
    assert body["summary"]["pairs_lacking"] == 1
    lemvig = {(p["code_a"], p["code_b"]): p for p in body["pairs"] if "665" in (p["code_a"], p["code_b"])}
    assert sum(p["expected"] for p in lemvig.values()) == pytest.approx(2)
    assert {k: p["observed"] for k, p in lemvig.items() if p["observed"]} == {("657", "665"): 1, ("665", "751"): 1}
    assert {p["state"] for p in lemvig.values()} == {"too_little_data"}
    horsens = lemvig["615", "665"]
    assert horsens["observed"] == 0 and 0 < horsens["expected"] < 2


def test_communities(api):
    body = api.get("/api/analysis/communities").json()
    table = body["tables"]["communities"]
    # Newman weights: a pair of p-aarhus (5 partners) weighs ¼, of p-cross 1 — ARoS's one
    # project with Lemvig Ældreteater ties it as strongly as its four Aarhus partners
    # together, so ARoS goes with Lemvig: m = 7; {ARoS, Ældreteater, Sangkor}: L = 2,
    # d = 2 + 2 + 1 = 5; the four ensembles: L = 6·¼, d = 4; Herning: L = 10·¼, d = 5.
    # (Aarhus' five together and Lemvig's two, the partition by municipality, give
    # 2.5/7 − (6/14)² + 2.5/7 − (5/14)² + 1/7 − (3/14)² = 0.5001 < 0.5204.)
    assert [(c["size"], c["municipality_codes"]) for c in table] == [
        (5, ["657"]), (4, ["751"]), (3, ["665", "751"]), (1, ["741"])]
    q = (2 / 7 - (5 / 14) ** 2) + (1.5 / 7 - (4 / 14) ** 2) + (2.5 / 7 - (5 / 14) ** 2)
    assert body["summary"]["modularity"] == pytest.approx(q)
    by_municipality = (2.5 / 7 - (6 / 14) ** 2) + (2.5 / 7 - (5 / 14) ** 2) + (1 / 7 - (3 / 14) ** 2)
    assert q > by_municipality
    assert "membership" not in body["tables"]


def test_compare_windows(region_api):
    # the block (2018–2021) is in both windows; Lemvig Ældreteater worked with Herning
    # Scenekunst in 2016 (p-her-lem) and with ARoS in 2022 (p-cross)
    r = region_api.get("/api/analysis/compare?before=2015-2019&after=2020-2025")
    assert r.status_code == 200
    body = r.json()
    assert body["summary"]["before"] == [2015, 2019] and body["summary"]["after"] == [2020, 2025]
    tables = body["tables"]
    assert [(t["id_a"], t["id_b"]) for t in tables["new_cross_ties"]] == [("a-lemvig", "i-aros")]
    assert [(t["id_a"], t["id_b"]) for t in tables["lost_cross_ties"]] == [("a-lemvig", "i-herning")]
    # closed: Lemvig–Aarhus went from 0 shared projects to 1; opened: Lemvig–Herning from
    # 1 to 0. Aarhus–Herning lacks ties in both windows, so it is neither.
    closed = tables["gaps_closed"]
    opened = tables["gaps_opened"]
    assert [(g["code_a"], g["code_b"], g["observed_before"], g["observed_after"]) for g in closed] == [
        ("665", "751", 0, 1)]
    assert [(g["code_a"], g["code_b"], g["observed_before"], g["observed_after"]) for g in opened] == [
        ("657", "665", 1, 0)]
    # in each window Lemvig shares 1 project across its border, so each of its pairs
    # expects less than 1: P(X = 0) > e^−1 > 0.1, too little data on both sides
    for g in closed + opened:
        assert (g["state_before"], g["state_after"]) == ("too_little_data", "too_little_data")
        assert 0 < g["expected_before"] < 1 and 0 < g["expected_after"] < 1
    one_year = region_api.get("/api/analysis/compare?before=2016&after=2022").json()
    assert one_year["summary"]["before"] == [2016, 2016]


def test_analyses_take_a_year_window(api):
    body = api.get("/api/analysis/isolated?from=2020&to=2025&lang=en").json()
    assert body["years"] == [2020, 2025]
    # in 2020–2025 only the 2022 project counts (the 2018 collaboration too: it lasts)
    cats = {r["id"]: r["category"] for r in body["data"]}
    assert cats["a-samsoe"] == "no_ties"


def test_suggestions_exclude_partners_and_carry_reasons(api):
    body = api.get("/api/organisations/a-lemvig/suggestions?lang=en").json()
    suggested = ids(body["data"])
    assert body["count"] == len(suggested) == 10
    assert not {"a-lemvig", "a-lemvig2", "i-aros"} & set(suggested)
    assert all(s["reasons"] for s in body["data"])
    best = body["data"][0]
    assert best["id"] == "i-herning"
    assert best["reasons"] == ["both work with teater",
                               "Herning Scenekunst (large, given) has knowledge that can reach "
                               "Lemvig Ældreteater (small, given)",
                               "52 km apart"]
    # 0.4·similarity (½·Jaccard art forms 1) + 0.2·complementarity (small ↔ large: 1) − 0.2·km/100
    assert best["score"] == pytest.approx(0.4 * 0.5 + 0.2 * 1 - 0.2 * best["distance_km"] / 100)
    assert body["data"][1]["reasons"][0] == "shares 1 partner (ARoS Århus Kunstmuseum)"


def test_suggestions_filters_and_the_regional_reason(api, region_api):
    body = api.get("/api/organisations/a-lemvig/suggestions?municipality=751").json()
    assert ids(body["data"]) == ["a-aar1", "a-aar2", "a-aar3", "a-aar4"]
    body = api.get("/api/organisations/a-lemvig/suggestions?only_institutions=true").json()
    assert ids(body["data"]) == ["i-herning"]
    assert body["lacking_pairs"] == 0  # too little data for any pair on the small region
    # with the block: ARoS's partners are the five culture houses, the ensembles and Lemvig
    # Ældreteater; left are Herning's five, Lemvig Sangkor and Samsø
    body = region_api.get("/api/organisations/i-aros/suggestions?lang=en&k=5").json()
    assert body["lacking_pairs"] == 1
    assert ids(body["data"]) == ["a-her1", "a-her2", "a-her3", "a-her4", "i-herning"]
    for s in body["data"]:
        # Aarhus–Herning lacks ties with 0 shared projects: lack score 1 − 0/expected = 1
        assert s["components"]["regional"] == 1.0
        assert "Aarhus and Herning have no ties yet" in s["reasons"]
    # an association shares the 5 culture houses (each with 14 partners: ARoS, Herning
    # Scenekunst, 4 houses, 4 ensembles, 4 associations): Adamic-Adar 5/ln 14; medium ↔
    # large ½; no shared art form
    best = body["data"][0]
    raw = 5 / math.log(14)
    assert best["components"]["structure"] == pytest.approx(raw / (raw + 1))
    assert best["score"] == pytest.approx(raw / (raw + 1) + 0.2 * 0.5 + 0.3 * 1 - 0.2 * best["distance_km"] / 100)
    # a pair with too little data adds nothing: Lemvig–Horsens shares 0 projects, but is
    # not lacking, so Lemvig Sangkor's suggestion in Horsens has no regional component
    lemvig = region_api.get("/api/organisations/a-lemvig2/suggestions?lang=en&municipality=615").json()
    assert [(s["id"], s["components"]["regional"]) for s in lemvig["data"]] == [("i-kh615", 0.0)]
    assert not [r for r in lemvig["data"][0]["reasons"] if "no ties yet" in r]


def test_bridges(api, region_api):
    assert api.get("/api/analysis/bridges?lang=en").json()["lacking_pairs"] == 0
    body = region_api.get("/api/analysis/bridges?lang=en&per_pair=2").json()
    assert body["lacking_pairs"] == 1
    assert [(p["code_a"], p["code_b"], p["observed"], p["lack"]) for p in body["data"]] == [("657", "751", 0, 1.0)]
    pairs = body["data"][0]["pairs"]
    assert len(pairs) == 2
    # best: an association and an ensemble — the 5 culture houses shared (5/ln 14), both
    # musik (½ · Jaccard 1), the regional 1; no size step. Each proposed once.
    raw = 5 / math.log(14)
    for pair in pairs:
        assert pair["a_id"] in HERNING[:4] and pair["b_id"] in AARHUS[:4]
        assert pair["score"] == pytest.approx(raw / (raw + 1) + 0.4 * 0.5 + 0.3 * 1 - 0.2 * pair["distance_km"] / 100)
        assert "Herning and Aarhus have no ties yet" in pair["reasons"]
        assert "both work with musik" in pair["reasons"]
    assert len({p["a_id"] for p in pairs}) == len({p["b_id"] for p in pairs}) == 2


# --- maps and exports -------------------------------------------------------------------

_FETCHING = re.compile(r"<(?:script|link|img|iframe|embed|object|source)\b[^>]*\b(?:src|href|data)\s*=", re.I)


@pytest.mark.parametrize("path", [
    "/api/maps/network.html", "/api/maps/network.html?geographic=true&lang=en",
    "/api/maps/municipalities.html", "/api/maps/organisation/a-lemvig.html?depth=2",
    "/api/maps/municipality/665.html",
])
def test_maps_are_self_contained_html(api, path):
    r = api.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-disposition"].startswith("inline")
    html = r.text
    assert _FETCHING.findall(html) == []
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//|@import", html)
    if "municipalities.html" not in path:
        assert "Lemvig Ældreteater" in html


@pytest.mark.parametrize(("what", "fmt"), [(w, f) for w, fmts in ALLOWED.items() for f in fmts])
def test_every_export_format(api, what, fmt):
    r = api.get(f"/api/exports/{what}.{fmt}")
    assert r.status_code == 200
    several = fmt == "csv"  # several tables: a ZIP
    expected_type = {
        "html": "text/html; charset=utf-8", "png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf",
        "gexf": "application/gexf+xml", "graphml": "application/graphml+xml",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    assert r.headers["content-type"] == ("application/zip" if several else expected_type[fmt])
    inline = fmt in ("png", "svg", "html")
    name = f"{what}.zip" if several else f"{what}.{fmt}"
    assert r.headers["content-disposition"] == f'{"inline" if inline else "attachment"}; filename="{name}"'
    magic = {"png": b"\x89PNG", "pdf": b"%PDF", "xlsx": b"PK", "csv": b"PK"}
    assert r.content.startswith(magic.get(fmt, b"<"))


def test_csv_export_keeps_danish_letters(api):
    r = api.get("/api/exports/table.csv?table=nodes")
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == 'attachment; filename="table-nodes.csv"'
    text = r.content.decode("utf-8-sig")  # with a BOM, so Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    names = {row["id"]: row["name"] for row in rows}
    assert names["a-lemvig"] == "Lemvig Ældreteater"
    assert names["a-samsoe"] == "Samsø Øforening"
    assert names["i-aros"] == "ARoS Århus Kunstmuseum"
    assert len(rows) == 13


def test_csv_tables_come_as_a_zip(api):
    r = api.get("/api/exports/table.csv?org=a-lemvig")
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    assert sorted(archive.namelist()) == ["table-a-lemvig-edges.csv", "table-a-lemvig-metrics.csv",
                                          "table-a-lemvig-nodes.csv"]
    assert r.headers["content-disposition"] == 'attachment; filename="table-a-lemvig.zip"'
    nodes = archive.read("table-a-lemvig-nodes.csv").decode("utf-8-sig")
    assert "Lemvig Sangkor" in nodes and "ARoS Århus Kunstmuseum" in nodes and "Herning" not in nodes


# --- CORS ---------------------------------------------------------------------------------

def test_no_cors_headers_by_default(api):
    r = api.get("/api/info", headers={"Origin": "http://localhost:3000"})
    assert r.status_code == 200
    assert not [h for h in r.headers if h.lower().startswith("access-control-")]


def test_cors_headers_for_configured_origins(make_client):
    client = make_client(cors_origins="http://localhost:3000, http://127.0.0.1:5173")
    r = client.get("/api/info", headers={"Origin": "http://127.0.0.1:5173"})
    assert r.headers["access-control-allow-origin"] == "http://127.0.0.1:5173"
    r = client.options("/api/organisations/a-lemvig", headers={
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "DELETE",
        "Access-Control-Request-Headers": "Authorization"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert set(r.headers["access-control-allow-methods"].split(", ")) == {"GET", "POST", "DELETE"}
    assert "authorization" in r.headers["access-control-allow-headers"].lower()
    other = client.get("/api/info", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in other.headers


# --- the result cache ------------------------------------------------------------------------

def test_second_identical_request_does_not_recompute(make_client):
    api = make_client()
    cache = api.app.state.service.cache
    first = api.get("/api/analysis/gaps").json()
    computed = cache.computed
    assert computed >= 3  # data, graph, gaps
    second = api.get("/api/analysis/gaps").json()
    assert second == first
    assert cache.computed == computed
    api.get("/api/analysis/gaps?from=2016&to=2016")
    assert cache.computed > computed  # another window is another result


def test_a_delete_makes_results_recompute(admin, auth):
    cache = admin.app.state.service.cache
    before = admin.get("/api/analysis/isolated").json()
    computed = cache.computed
    assert admin.delete("/api/organisations/a-samsoe", headers=auth).status_code == 204
    after = admin.get("/api/analysis/isolated").json()
    assert cache.computed > computed
    assert after["data_version"] == before["data_version"] + 1
    assert ids(after["data"]) == ["a-lemvig2", "a-lemvig"]
    assert admin.get("/api/organisations").json()["count"] == 12


def test_an_import_makes_results_recompute(admin, auth):
    cache = admin.app.state.service.cache
    assert admin.get("/api/analysis/isolated").json()["count"] == 3
    computed = cache.computed
    csv_bytes = "Navn;Kommune;Type\r\nOdder Øjeblikke;Odder;forening\r\n".encode("cp1252")
    r = admin.post("/api/imports", files={"files": ("nye.csv", csv_bytes, "text/csv")}, headers=auth)
    assert admin.get("/api/analysis/isolated").json()["count"] == 3  # a dry run writes nothing
    assert cache.computed == computed
    assert admin.post(f"/api/imports/{r.json()['id']}/confirm", headers=auth).status_code == 200
    body = admin.get("/api/analysis/isolated?municipality=727&lang=en").json()
    assert cache.computed > computed
    assert [(row["name"], row["category"]) for row in body["data"]] == [("Odder Øjeblikke", "no_ties")]


def test_concurrent_requests_compute_once(make_client, monkeypatch):
    api = make_client()
    calls = []
    real = graphsvc.service.centrality
    started = threading.Barrier(8)

    def counted(*args, **kwargs):
        calls.append(threading.get_ident())
        time.sleep(0.2)  # the others arrive while this one computes
        return real(*args, **kwargs)

    monkeypatch.setattr(graphsvc.service, "centrality", counted)
    bodies, errors = [], []

    def ask():
        try:
            started.wait(timeout=10)
            bodies.append(api.get("/api/analysis/centrality?top=5").json())
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(bodies) == 8 and all(b == bodies[0] for b in bodies)
    assert len(calls) == 1
