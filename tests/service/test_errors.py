"""Every error source answers ``{"detail", "code"}`` with its status (or an HTML page for a
browser outside /api); writes need the token; names from requests never reach the file
system or a header unescaped."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from graphsvc.app import create_app
from graphsvc.model import Actor
from graphsvc.settings import Settings

from service_region import TOKEN, gap_records

NO_TOKEN = ("writes are switched off: no admin token is configured. Set GRAPHSVC_ADMIN_TOKEN (in the "
            "environment or .env) and restart the service")
BAD_TOKEN = "this needs a valid admin token: send 'Authorization: Bearer <token>'"
CODES = ("615, 657, 661, 665, 671, 706, 707, 710, 727, 730, 740, 741, 746, 751, 756, 760, 766, 779, 791")


@pytest.mark.parametrize(("method", "path", "status", "detail", "code"), [
    ("GET", "/api/organisations/nope", 404,
     "no organisation with id 'nope'; search with /api/organisations?q=…", "not_found"),
    ("GET", "/api/organisations/nope/suggestions", 404,
     "no organisation with id 'nope'; search with /api/organisations?q=…", "not_found"),
    ("GET", "/api/maps/organisation/nope.html", 404,
     "no organisation with id 'nope'; search with /api/organisations?q=…", "not_found"),
    ("GET", "/api/exports/table.xlsx?org=nope", 404,
     "no organisation with id 'nope'; search with /api/organisations?q=…", "not_found"),
    ("GET", "/api/municipalities/999", 404,
     f"no municipality with code '999'; the region's codes are {CODES}", "not_found"),
    ("GET", "/api/no/such/route", 404, "Not Found", "not_found"),
    ("GET", "/api/organisations?limit=0", 422,
     "query.limit: Input should be greater than or equal to 1", "invalid_request"),
    ("GET", "/api/organisations?municipality=Lemvig", 422,
     "query.municipality: String should match pattern '^\\d{3}$'", "invalid_request"),
    ("GET", "/api/analysis/centrality?top=abc", 422,
     "query.top: Input should be a valid integer, unable to parse string as an integer", "invalid_request"),
    ("GET", "/api/analysis/centrality?by=nope", 422,
     "by='nope' is not a measure; choose one of degree, weighted_degree, betweenness, closeness, harmonic, "
     "eigenvector, pagerank, constraint, effective_size, municipalities_reached", "invalid_input"),
    ("GET", "/api/analysis/isolated?from=2020&to=2010", 422,
     "the year window 2020–2010 is empty: 'from' must not be after 'to'", "invalid_input"),
    ("GET", "/api/analysis/compare?before=2019-2015&after=2020", 422,
     "the year window 2019–2015 is empty: 'from' must not be after 'to'", "invalid_input"),
    ("GET", "/api/exports/map.csv", 422,
     "cannot export map as csv; use the format html or png or svg or pdf", "invalid_input"),
    ("DELETE", "/api/organisations/a-lemvig", 403, NO_TOKEN, "forbidden"),
    ("POST", "/api/imports/abc/confirm", 403, NO_TOKEN, "forbidden"),
    ("PUT", "/api/organisations/a-lemvig", 405, "Method Not Allowed", "method_not_allowed"),
])
def test_error_shape(api, method, path, status, detail, code):
    r = api.request(method, path)
    assert r.status_code == status
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"detail": detail, "code": code}


def test_store_down_is_503_for_every_route_and_a_page_for_a_browser():
    settings = Settings(neo4j_uri="neo4j://127.0.0.1:1")
    with TestClient(create_app(settings)) as client:
        for path in ("/api/info", "/api/organisations", "/api/analysis/gaps", "/api/exports/table.csv"):
            r = client.get(path)
            assert r.status_code == 503
            assert r.json()["code"] == "store_unavailable"
            assert set(r.json()) == {"detail", "code"}
            assert r.json()["detail"].startswith("cannot reach Neo4j at neo4j://127.0.0.1:1")
        page = client.get("/", headers={"Accept": "text/html"})
        english = client.get("/?lang=en", headers={"Accept": "text/html"})
    assert page.status_code == 503
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    # in Danish what happened and what to do; the English page names the server
    assert "<h1>Data kan ikke nås lige nu</h1>" in page.text and "Prøv igen om lidt." in page.text
    assert "neo4j://" not in page.text
    assert "cannot reach Neo4j at neo4j://127.0.0.1:1" in english.text


def test_unexpected_error_is_a_generic_500_without_traceback(make_client, monkeypatch):
    client = make_client(raise_server_exceptions=False)

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals at /srv/graphsvc")

    monkeypatch.setattr(client.app.state.service, "gaps", broken)
    r = client.get("/api/analysis/gaps")
    assert r.status_code == 500
    assert r.json() == {"detail": "internal error; the server log has the details", "code": "internal"}
    assert "secret" not in r.text


def test_pages_show_errors_as_html_with_the_detail_escaped(api):
    r = api.get("/organisations/%3Cscript%3Ex", headers={"Accept": "text/html"})
    assert r.status_code == 404
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert "der findes ingen organisation med id &#39;&lt;script&gt;x&#39;" in r.text
    assert "<script>x" not in r.text
    r = api.get("/organisations/%3Cscript%3Ex?lang=en", headers={"Accept": "text/html"})
    assert "no organisation with id &#39;&lt;script&gt;x&#39;" in r.text and "<script>x" not in r.text
    # the same page asked for by a program, and the API asked for by a browser: JSON
    assert api.get("/organisations/nope").json()["code"] == "not_found"
    r = api.get("/api/organisations/nope", headers={"Accept": "text/html"})
    assert r.headers["content-type"] == "application/json"


# --- the token --------------------------------------------------------------------------

def test_delete_needs_the_token(admin):
    r = admin.delete("/api/organisations/a-lemvig")
    assert (r.status_code, r.json()) == (403, {"detail": BAD_TOKEN, "code": "forbidden"})
    for wrong in ("Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer ", TOKEN):
        r = admin.delete("/api/organisations/a-lemvig", headers={"Authorization": wrong})
        assert (r.status_code, r.json()) == (403, {"detail": BAD_TOKEN, "code": "forbidden"}), wrong
    assert admin.get("/api/organisations/a-lemvig").status_code == 200
    r = admin.delete("/api/organisations/a-lemvig", headers={"Authorization": f"Bearer {TOKEN}"})
    assert (r.status_code, r.content) == (204, b"")
    r = admin.delete("/api/organisations/a-lemvig", headers={"Authorization": f"bearer {TOKEN}"})
    assert (r.status_code, r.json()) == (404, {"detail": "no organisation with id 'a-lemvig' to delete", "code": "not_found"})
    assert admin.get("/api/organisations/a-lemvig").status_code == 404
    # its ties went with it
    neighbours = admin.get("/api/organisations/a-lemvig2").json()["neighbours"]
    assert neighbours == []


def test_an_empty_token_setting_refuses_writes(make_client):
    client = make_client(admin_token="")
    r = client.delete("/api/organisations/a-lemvig", headers={"Authorization": "Bearer "})
    assert (r.status_code, r.json()) == (403, {"detail": NO_TOKEN, "code": "forbidden"})


# --- names from requests -------------------------------------------------------------------

@pytest.mark.parametrize(("path", "status"), [
    ("/api/exports/..%2f..%2fetc%2fpasswd.csv", 404),
    ("/api/exports/..%2F..%2Fetc%2Fpasswd.csv", 404),
    ("/api/exports/%2e%2e%2fpasswd.csv", 404),
    ("/api/exports/table.csv%00.html", 422),
    ("/api/exports/table.exe", 422),
    ("/api/exports/evil.csv", 422),
    ("/api/exports/table.csv.", 422),
    ("/api/exports/TABLE.CSV", 422),
    ("/api/exports/table", 404),
    ("/api/exports/.csv", 404),
    ("/api/maps/organisation/..%2f..%2fetc%2fpasswd.html", 404),
    ("/static/..%2f..%2fservice.py", 404),
    ("/static/../app.py", 404),
])
def test_no_path_traversal(api, path, status):
    r = api.get(path)
    assert r.status_code == status
    assert set(r.json()) == {"detail", "code"}
    assert "root:" not in r.text


ODD_IDS = ['a/../"x', "a-łódź", "x\\..\\y;\r\nSet-Cookie: a=b", "æble-ø"]


def test_file_names_in_headers_are_safe(make_client):
    records = gap_records()
    records.actors += [Actor(id=i, name=f"Odd {n}", municipality_code="751") for n, i in enumerate(ODD_IDS)]
    client = make_client(records)
    safe = re.compile(r'attachment; filename="[A-Za-z0-9_.\- ]+"(; filename\*=UTF-8\'\'[A-Za-z0-9%._\-]+)?')
    seen = []
    for org in ODD_IDS:
        r = client.get("/api/exports/table.xlsx", params={"org": org})
        assert r.status_code == 200, org
        disposition = r.headers["content-disposition"]
        assert safe.fullmatch(disposition), disposition
        assert "set-cookie" not in r.headers
        seen.append(disposition)
    assert seen[1] == "attachment; filename=\"table-a-_odz.xlsx\"; filename*=UTF-8''table-a-%C5%82%C3%B3d%C5%BA.xlsx"
    assert seen[3] == "attachment; filename=\"table-aeble-oe.xlsx\"; filename*=UTF-8''table-%C3%A6ble-%C3%B8.xlsx"
