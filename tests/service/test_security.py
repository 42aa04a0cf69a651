"""Hardening of the service (docs/security.md): pages and caches independent of the
``Host`` header, cache keys from the routes' declared parameters, security headers, the
token before the body, the body cap, rationed year windows, CSV cells no spreadsheet runs,
and the small holes: hostile JSON, the language cookie, ``//host`` paths, old uploads, long
file names, deleting an organisation."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, FastAPI, Query
from fastapi.testclient import TestClient
from service_region import TOKEN, gap_records

from graphsvc.analysis.export import write_csv
from graphsvc.api.guard import MAP_POLICY, PAGE_POLICY, RouteTable
from graphsvc.api.imports import remove_stale_uploads
from graphsvc.api.response_cache import ResponseCache
from graphsvc.app import create_app
from graphsvc.model import Actor
from graphsvc.settings import Settings

LOCAL = "localhost,127.0.0.1,::1"
FORMULA = ("=", "+", "-", "@", "\t", "\r")
HOSTILE_NAME = "Kor;=cmd|' /C calc'!A0"


def response_cache(client: TestClient) -> ResponseCache:
    layer = client.app.middleware_stack
    while not isinstance(layer, ResponseCache):
        layer = layer.app
    return layer


@pytest.fixture
def local(make_client):
    """A client sending ``Host: localhost`` to an app trusting only the default hosts."""
    client = make_client(trusted_hosts=LOCAL)
    client.base_url = client.base_url.copy_with(host="localhost")
    return client


# --- 1. the Host header ------------------------------------------------------------------

def test_an_untrusted_host_is_refused(local):
    r = local.get("/import", headers={"Host": "attacker.example:666", "Accept": "text/html"})
    assert r.status_code == 400
    assert r.json() == {"detail": "the host 'attacker.example' is not served here; whoever runs the service "
                                  "can add it to GRAPHSVC_TRUSTED_HOSTS", "code": "untrusted_host"}
    for host in ("localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST"):
        assert local.get("/api/info", headers={"Host": host}).status_code == 200, host
    assert local.get("/api/info", headers={"Host": "10.0.0.5:8000"}).status_code == 400


def test_the_bound_address_is_trusted(make_client):
    client = make_client(trusted_hosts=LOCAL, host="10.0.0.5")
    assert client.get("/api/info", headers={"Host": "10.0.0.5:8000"}).status_code == 200
    client = make_client(trusted_hosts=LOCAL, host="0.0.0.0")  # every address: names no host
    assert client.get("/api/info", headers={"Host": "0.0.0.0"}).status_code == 400


def test_pages_and_the_cache_do_not_depend_on_the_host(make_client):
    client = make_client(trusted_hosts="*")  # even with every host trusted
    for path in ("/import", "/", "/organisations"):
        poisoned = client.get(path, headers={"Host": "attacker.example:666", "Accept": "text/html"})
        assert poisoned.status_code == 200
        assert "attacker" not in poisoned.text
        later = client.get(path, headers={"Accept": "text/html"})
        assert "attacker" not in later.text
    page = client.get("/import", headers={"Accept": "text/html"}).text
    assert '<link rel="stylesheet" href="/static/style.css">' in page
    assert '<script src="/static/import.js"></script>' in page


# --- 1. cache keys from the declared parameters -------------------------------------------

def test_route_table_reads_the_declared_query_parameters():
    router = APIRouter()

    def paging(offset: int = 0, limit: int = 10) -> None:
        return None

    @router.get("/things/{thing}", dependencies=[Depends(paging)])
    def things(thing: str, alpha: int = 0,
               tag: Annotated[list[str] | None, Query()] = None,
               start: Annotated[int | None, Query(alias="from")] = None) -> dict:
        return {}

    table = RouteTable(router.routes)
    route = table.find({"path": "/things/x", "method": "GET"})
    assert sorted(table.query_params(route)) == [("alpha", False), ("from", False), ("limit", False),
                                                 ("offset", False), ("tag", True)]
    assert table.find({"path": "/things/x", "method": "POST"}) is None
    assert not table.needs_token(route)


def test_junk_parameters_do_not_grow_the_response_cache(make_client):
    client = make_client()
    cache = response_cache(client)
    first = client.get("/api/analysis/centrality?top=3&by=degree")
    for k in range(50):
        r = client.get(f"/api/analysis/centrality?by=degree&junk{k}={'x' * 1000}&top=3&top=3")
        assert r.json() == first.json()
    assert len(cache._entries) == 1
    client.get("/api/analysis/centrality?top=4&by=degree")
    assert len(cache._entries) == 2
    assert sorted(k[2] for k in cache._entries) == [b"by=degree&top=3", b"by=degree&top=4"]


def test_unknown_parameters_never_reach_the_page(make_client):
    client = make_client()
    page = client.get("/organisations?q=Lemvig&junk=zzz-hidden", headers={"Accept": "text/html"}).text
    assert "zzz-hidden" not in page
    assert 'href="/organisations?q=Lemvig&amp;lang=en"' in page


def test_the_response_cache_is_bounded_in_bytes(make_client):
    client = make_client(response_cache_mb=1)
    cache = response_cache(client)
    for top in range(1, 120):
        client.get(f"/api/analysis/gaps?top={top}")
    assert 0 < cache.bytes <= 1024 * 1024
    assert cache.bytes == sum(entry[3] for entry in cache._entries.values())
    assert len(cache._entries) < 119  # the oldest went


def test_the_language_cookie_is_matched_exactly(make_client):
    client = make_client()
    english = client.get("/", headers={"Accept": "text/html", "Cookie": "lang=en"})
    assert '<html lang="en">' in english.text
    for cookie in ("xlang=en", "lang=english", "a=lang=en", "lang=en-x"):
        page = client.get("/", headers={"Accept": "text/html", "Cookie": cookie})
        assert '<html lang="da">' in page.text, cookie


# --- 1. security headers ---------------------------------------------------------------

def test_security_headers_on_every_response(make_client):
    client = make_client(admin_token=TOKEN, max_request_mb=1, raise_server_exceptions=False)
    html = {"Accept": "text/html"}
    responses = {
        "page": client.get("/", headers=html),
        "error page": client.get("/organisations/nope", headers=html),
        "json": client.get("/api/info"),
        "json 404": client.get("/api/nope"),
        "static": client.get("/static/style.css"),
        "map": client.get("/api/maps/municipalities.html"),
        "export": client.get("/api/exports/table.csv"),
        "403": client.post("/api/imports"),
        "413": client.post("/api/imports", content=b"x" * (1024 * 1024 + 1),
                           headers={"Authorization": f"Bearer {TOKEN}"}),
        "bad host": client.get("/", headers={"Host": "evil.example"} | html),
    }
    for name, r in responses.items():
        assert r.headers["x-content-type-options"] == "nosniff", name
        assert r.headers["referrer-policy"] == "no-referrer", name
        assert "frame-ancestors" in r.headers["content-security-policy"], name
    assert responses["page"].headers["content-security-policy"] == PAGE_POLICY
    assert responses["error page"].headers["content-security-policy"] == PAGE_POLICY
    assert responses["map"].headers["content-security-policy"] == MAP_POLICY
    assert responses["json"].headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"
    assert responses["page"].headers["x-frame-options"] == "DENY"
    assert responses["map"].headers["x-frame-options"] == "SAMEORIGIN"
    script = re.search(r"script-src ([^;]*)", PAGE_POLICY).group(1)
    assert script == "'self'"
    assert "frame-ancestors 'none'" in PAGE_POLICY and "sandbox allow-scripts" in MAP_POLICY


def test_no_template_runs_inline_script():
    folder = Path(__file__).resolve().parents[2] / "graphsvc" / "web" / "templates"
    for template in sorted(folder.glob("*.html")):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "javascript:" not in text and "style=" not in text, template.name
        assert "url_for(" not in text, template.name  # absolute URLs built from the Host header


# --- 2. the token before the body, and the body cap --------------------------------------

def call(app: FastAPI, method: str, path: str, headers: dict[str, str], chunks: list[bytes]):
    """Run one request through the app as the server would; count the body chunks read."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
             "client": ("127.0.0.1", 5000), "server": ("localhost", 8000)}
    read, sent = [], []

    async def receive():
        if len(read) < len(chunks):
            read.append(chunks[len(read)])
            return {"type": "http.request", "body": read[-1], "more_body": len(read) < len(chunks)}
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body, len(read)


MULTIPART = {"Host": "localhost", "Content-Type": "multipart/form-data; boundary=xyz"}


def upload_chunks(megabytes: int) -> list[bytes]:
    head = b'--xyz\r\nContent-Disposition: form-data; name="files"; filename="a.csv"\r\n\r\n'
    return [head] + [b"Navn\r\n" + b"x" * (1024 * 1024)] * megabytes + [b"\r\n--xyz--\r\n"]


def test_the_token_is_checked_before_the_body_is_read():
    app = create_app(Settings(in_memory=True, admin_token=TOKEN, trusted_hosts=LOCAL))
    chunks = upload_chunks(3)
    length = str(sum(map(len, chunks)))
    for auth in ({}, {"Authorization": "Bearer wrong"}):
        status, body, read = call(app, "POST", "/api/imports", MULTIPART | auth | {"Content-Length": length}, chunks)
        assert (status, read) == (403, 0)
        assert b'"code":"forbidden"' in body
    status, _, read = call(app, "POST", "/api/imports/abc/confirm", {"Host": "localhost"}, [b""])
    assert (status, read) == (403, 0)


def test_a_body_over_the_limit_is_refused_with_413(make_client, auth):
    app = create_app(Settings(in_memory=True, admin_token=TOKEN, trusted_hosts=LOCAL, max_request_mb=1))
    detail = ("the request is larger than the limit of 1 MB (GRAPHSVC_MAX_REQUEST_MB); send fewer or "
              "smaller files, or load them with `graphsvc load`")
    chunks = upload_chunks(2)
    # declared too large: refused before a byte is read
    headers = MULTIPART | auth | {"Content-Length": str(sum(map(len, chunks)))}
    status, body, read = call(app, "POST", "/api/imports", headers, chunks)
    assert (status, read) == (413, 0)
    assert json.loads(body) == {"detail": detail, "code": "too_large"}
    # no length given (chunked): refused as soon as the body passes the limit
    status, body, read = call(app, "POST", "/api/imports", MULTIPART | auth, chunks)
    assert status == 413 and read == 2
    assert b'"code":"too_large"' in body
    # through the test client, with the store open
    client = make_client(admin_token=TOKEN, max_request_mb=1)
    r = client.post("/api/imports", files={"files": ("big.csv", b"Navn\r\n" + b"x" * 1024 * 1024, "text/csv")},
                    headers=auth)
    assert (r.status_code, r.json()) == (413, {"detail": detail, "code": "too_large"})


# --- 3. year windows --------------------------------------------------------------------

def test_implausible_year_windows_are_refused(api):
    r = api.get("/api/analysis/compare?before=0001-9999&after=2020")
    assert (r.status_code, r.json()) == (422, {
        "detail": "the year 1 is outside 1900–2100; give a year in that range", "code": "invalid_input"})
    r = api.get("/api/analysis/gaps?from=2020&to=2010")
    assert r.json()["detail"] == "the year window 2020–2010 is empty: 'from' must not be after 'to'"


def test_only_a_few_year_windows_are_kept(make_client):
    client = make_client(cached_year_windows=2, response_cache_mb=0)
    service = client.app.state.service
    for start in (2010, 2012, 2014, 2016):
        assert client.get(f"/api/analysis/centrality?from={start}&to={start + 1}").status_code == 200
    computed = service.cache.computed
    for start in (2010, 2012):  # kept
        client.get(f"/api/analysis/centrality?from={start}&to={start + 1}")
    assert service.cache.computed == computed
    client.get("/api/analysis/centrality?from=2016&to=2017")  # computed again: not kept
    assert service.cache.computed == computed + 2  # its graph and its centrality


# --- 4. CSV ------------------------------------------------------------------------------

def no_formula_whichever_separator(text: str) -> None:
    for sep in (",", ";"):
        for row in csv.reader(io.StringIO(text), delimiter=sep):
            for cell in row:
                cell = cell.lstrip(" ")
                try:
                    float(cell.replace(",", "."))
                    continue  # a number, e.g. -2.5
                except ValueError:
                    pass
                assert not cell.startswith(FORMULA), (sep, cell)


def test_csv_exports_hold_no_formula_for_either_separator(make_client, tmp_path):
    records = gap_records()
    records.actors.append(Actor(id="a-hostile", name=HOSTILE_NAME, kind="kor", municipality_code="751"))
    client = make_client(records)
    for lang in ("da", "en"):
        r = client.get(f"/api/exports/table.csv?table=nodes&lang={lang}")
        text = r.content.decode("utf-8-sig")
        assert "\"Kor;'=cmd|' /C calc'!A0\"" in text
        no_formula_whichever_separator(text)
    # the files of `graphsvc analyse --csv`
    import pandas as pd

    frame = pd.DataFrame({"name": [HOSTILE_NAME, "=1+2", "a,@b", "Kunst\n-linje"], "score": [-2.5, 1.0, 0.5, 2.0]})
    (path,) = write_csv({"t": frame}, tmp_path / "t.csv")
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[1] == "\"Kor;'=cmd|' /C calc'!A0\",-2.5"
    assert text.splitlines()[3] == "\"a,'@b\",0.5"
    no_formula_whichever_separator(text)


# --- 5. the small holes -----------------------------------------------------------------

@pytest.mark.parametrize(("content", "message"), [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply to be read"),
    ('[{"name": "x", "municipality": "Aarhus", "staff": ' + "9" * 5000 + "}]",
     "holds a number of more than 4,300 digits; write it as text"),
    ('[{"name": "x\\ud800y", "municipality": "Aarhus"}]', "holds a lone surrogate escape"),
    ('[{"na\\udc00me": "x", "municipality": "Aarhus"}]', "holds a lone surrogate escape"),
])
def test_hostile_json_is_a_clear_422(make_client, auth, content, message):
    client = make_client(admin_token=TOKEN, raise_server_exceptions=False)
    r = client.post("/api/imports", files={"files": ("x.json", content.encode(), "application/json")},
                    data={"kind": "actor"}, headers=auth)
    assert r.status_code in (200, 422)
    assert message in r.text


def test_a_double_slash_path_links_to_no_other_site(api):
    for path in ("//evil.example/", "/\\evil.example/", "///evil.example/x"):
        r = api.get("http://testserver" + path, headers={"Accept": "text/html"})
        links = re.findall(r'href="([^"]*)"', r.text)
        assert links and not [h for h in links if h.startswith(("//", "/\\", "http"))], (path, links)


def test_uploads_left_behind_are_removed(tmp_path):
    settings = Settings(in_memory=True, pending_upload_minutes=60)
    old, fresh, other = (tmp_path / "graphsvc-upload-old", tmp_path / "graphsvc-upload-new", tmp_path / "keep-me")
    for folder in (old, fresh, other):
        folder.mkdir()
        (folder / "a.csv").write_text("x")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    os.utime(other, (hours_ago, hours_ago))
    assert remove_stale_uploads(settings, root=tmp_path) == [old]
    assert not old.exists() and fresh.exists() and other.exists()


def test_the_service_removes_old_uploads_when_it_starts():
    folder = Path(tempfile.mkdtemp(prefix="graphsvc-upload-"))
    hours_ago = time.time() - 2 * 3600
    os.utime(folder, (hours_ago, hours_ago))
    with TestClient(create_app(Settings(in_memory=True, warm=False))):
        assert not folder.exists()


def test_an_unconfirmed_upload_expires(admin, auth):
    from graphsvc.api import imports

    csv_bytes = "Navn;Kommune;Type\r\nOdder Øjeblikke;Odder;forening\r\n".encode()
    r = admin.post("/api/imports", files={"files": ("nye.csv", csv_bytes, "text/csv")}, headers=auth)
    import_id = r.json()["id"]
    folder, saved = imports._pending[import_id]
    saved["at"] -= 61 * 60  # older than GRAPHSVC_PENDING_UPLOAD_MINUTES
    r = admin.post(f"/api/imports/{import_id}/confirm", headers=auth)
    assert r.status_code == 404
    assert not folder.exists()


def test_a_long_file_name_names_the_limit(admin, auth):
    name = "a" * 130 + ".csv"
    r = admin.post("/api/imports", files={"files": (name, b"Navn\r\nx\r\n", "text/csv")}, headers=auth)
    assert (r.status_code, r.json()) == (422, {
        "detail": f"{'a' * 40}…: the file name has 134 characters, more than the limit of 120; "
                  "rename the file and upload it again", "code": "invalid_input"})


def test_deleting_an_organisation_deletes_only_it(admin, auth):
    service = admin.app.state.service
    before = service.store.counts()
    project = service.store.list_projects()[0]["id"]
    r = admin.delete(f"/api/organisations/{project}", headers=auth)
    assert (r.status_code, r.json()) == (404, {"detail": f"no organisation with id {project!r} to delete",
                                               "code": "not_found"})
    assert service.store.counts() == before
    assert admin.delete("/api/organisations/a-lemvig", headers=auth).status_code == 204
    after = service.store.counts()
    assert {k: before[k] - after[k] for k in before if before[k] != after[k]} == {
        "Actor": 1, "LOCATED_IN": 1, "PARTICIPATES_IN": 1, "COLLABORATES_WITH": 1}


# --- the pages and maps under the Content-Security-Policy, in Chromium --------------------

@pytest.mark.browser
def test_pages_and_maps_work_under_the_policy(demo_store_copy):
    import shutil
    import socket
    import threading

    import uvicorn

    if not shutil.which("/usr/bin/chromium"):
        pytest.skip("no Chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    app = create_app(Settings(data_dir=demo_store_copy, trusted_hosts=LOCAL, warm=False))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline
        time.sleep(0.05)
    refused: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--headless=new", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.set_default_timeout(60_000)
            page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
            page.on("pageerror", lambda e: refused.append(str(e)))
            page.goto(base + "/")
            assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
            first = page.locator("main a[href^='/organisations/']").first.get_attribute("href")
            page.goto(base + first.split("?")[0])
            frame = page.frame_locator("iframe.map")
            frame.locator("canvas").first.wait_for()  # the map drew inside its sandbox
            page.goto(base + "/import")
            assert page.evaluate("document.getElementById('upload') !== null")
            page.goto(base + "/api/maps/municipalities.html")
            page.locator("canvas").first.wait_for()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
    assert refused == []


def test_a_text_over_the_length_limit_is_refused(admin, auth):
    name = "Æ" * 40_000  # a name of 40,000 characters, over GRAPHSVC_LOADERS__MAX_CELL_CHARS
    data = f"Navn;Kommune;Type\r\n{name};Odder;forening\r\n".encode()
    r = admin.post("/api/imports", files={"files": ("lang.csv", data, "text/csv")}, headers=auth)
    assert r.status_code in (200, 422)
    assert "GRAPHSVC_LOADERS__MAX_CELL_CHARS" in r.text
    assert admin.app.state.service.store.counts()["Actor"] == 11  # nothing written
