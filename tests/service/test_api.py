"""The JSON API through the app, on the hand-made region of ``conftest.gap_records``:
data routes, every analysis, maps, exports, CORS and the result cache."""

from __future__ import annotations

import csv
import io
import re
import threading
import time
import zipfile

import pytest

import graphsvc.service
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
    ("?q=%C3%A5rhus", ["i-aros"], 1),  # "århus", any case
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
        "cvr": None, "website": None, "postcode": None, "town": None, "in_region": None, "lat": None, "lon": None,
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
    assert body["summary"] == {"isolated": 3, "small_organisations": 3, "well_connected": 0, "no_ties": 1,
                               "only_local": 1, "few_ties": 1}
    local = api.get("/api/analysis/isolated?municipality=665").json()
    assert ids(local["data"]) == ["a-lemvig2", "a-lemvig"]
    assert local["data"][0]["reasons"][0] == "dens eneste partner, Lemvig Ældreteater, er i samme kommune"


def test_gaps_one_lacking_pair(api):
    body = api.get("/api/analysis/gaps").json()
    first = body["pairs"][0]
    assert (first["code_a"], first["code_b"], first["observed"], first["lacking"]) == ("657", "751", 0, True)
    assert first["expected"] == pytest.approx(22 * 5 * 5 / 78)
    assert first["residual"] == pytest.approx(-((22 * 25 / 78) ** 0.5))
    assert [(p["code_a"], p["code_b"]) for p in body["pairs"] if p["lacking"]] == [("657", "751")]
    assert len(body["pairs"]) == 171  # 19·18/2 pairs
    assert body["summary"]["ties"] == 22
    assert body["summary"]["organisations_counted"] == 13
    assert body["summary"]["pairs_lacking"] == 1
    observed = body["matrix"]["observed"]
    assert (observed["751"]["751"], observed["657"]["657"], observed["665"]["665"]) == (10, 10, 1)
    assert observed["665"]["751"] == observed["751"]["665"] == 1
    assert observed["657"]["751"] == 0
    ei = {row["code"]: row for row in body["ei"]}
    assert (ei["657"]["internal_ties"], ei["657"]["external_ties"], ei["657"]["ei"]) == (10, 0, -1.0)
    assert (ei["665"]["internal_ties"], ei["665"]["external_ties"], ei["665"]["ei"]) == (1, 1, 0.0)
    assert len(api.get("/api/analysis/gaps?top=5").json()["pairs"]) == 5


def test_communities(api):
    body = api.get("/api/analysis/communities").json()
    table = body["tables"]["communities"]
    assert [(c["size"], c["municipality_codes"]) for c in table] == [(5, ["751"]), (5, ["657"]), (2, ["665"]),
                                                                      (1, ["741"])]
    # Q = Σ L_c/m − (d_c/2m)² with m = 22: Aarhus (10, 21), Herning (10, 20), Lemvig (1, 3)
    q = (10 / 22 - (21 / 44) ** 2) + (10 / 22 - (20 / 44) ** 2) + (1 / 22 - (3 / 44) ** 2)
    assert body["summary"]["modularity"] == pytest.approx(q)
    assert "membership" not in body["tables"]


def test_compare_windows(api):
    r = api.get("/api/analysis/compare?before=2015-2019&after=2020-2025")
    assert r.status_code == 200
    body = r.json()
    assert body["summary"]["before"] == [2015, 2019] and body["summary"]["after"] == [2020, 2025]
    tables = body["tables"]
    assert [(t["id_a"], t["id_b"]) for t in tables["new_cross_ties"]] == [("a-lemvig", "i-aros")]
    assert tables["lost_cross_ties"] == []
    assert [(g["code_a"], g["code_b"], g["observed_before"], g["observed_after"])
            for g in tables["gaps_closed"]] == [("665", "751", 0, 1)]
    # before: 21 ties (the 2022 project not yet), Lemvig 2 and Aarhus 5 of 13 organisations
    assert tables["gaps_closed"][0]["expected_before"] == pytest.approx(21 * 2 * 5 / 78)
    one_year = api.get("/api/analysis/compare?before=2016&after=2022").json()
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
    assert best["reasons"] == ["both work with teater", "a large institution whose knowledge can reach a small actor",
                               "52 km apart"]
    # 0.4·similarity (½·Jaccard art forms 1) + 0.2·complementarity (small ↔ large: 1) − 0.2·km/100
    assert best["score"] == pytest.approx(0.4 * 0.5 + 0.2 * 1 - 0.2 * best["distance_km"] / 100)
    assert body["data"][1]["reasons"][0] == "shares 1 partner (ARoS Århus Kunstmuseum)"


def test_suggestions_filters_and_the_regional_reason(api):
    body = api.get("/api/organisations/a-lemvig/suggestions?municipality=751").json()
    assert ids(body["data"]) == ["a-aar1", "a-aar2", "a-aar3", "a-aar4"]
    body = api.get("/api/organisations/a-lemvig/suggestions?only_institutions=true").json()
    assert ids(body["data"]) == ["i-herning"]
    body = api.get("/api/organisations/i-aros/suggestions?lang=en&k=3").json()
    assert len(body["data"]) == 3
    assert body["lacking_pairs"] == 1
    herning = [s for s in body["data"] if s["municipality_code"] == "657"]
    assert herning and all("Aarhus and Herning have no ties yet" in s["reasons"] for s in herning)


def test_bridges(api):
    body = api.get("/api/analysis/bridges?lang=en&per_pair=2").json()
    assert body["lacking_pairs"] == 1
    assert [(p["code_a"], p["code_b"]) for p in body["data"]] == [("657", "751")]
    pairs = body["data"][0]["pairs"]
    assert len(pairs) == 2
    for pair in pairs:
        assert pair["a_id"] in HERNING and pair["b_id"] in AARHUS
        assert "Herning and Aarhus have no ties yet" in pair["reasons"]


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
