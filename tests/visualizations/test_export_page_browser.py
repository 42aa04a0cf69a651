"""The export page's form in a real browser: its fields reach the slide and the
spreadsheet, and a download button sends them to its own address."""

from __future__ import annotations

import io
import socket
import threading
import time
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest

from graphsvc.app import create_app
from graphsvc.settings import Settings
from graphsvc.store import open_store

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path, small_records):
    import uvicorn

    folder = tmp_path / "store"
    store = open_store(Settings(data_dir=folder))
    try:
        store.write(small_records, undoable=["kulturaktører.xlsx"])
    finally:
        store.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(Settings(data_dir=folder, warm=False))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def _fill(page):
    page.fill("#slide-form input[name=title]", "Samarbejde på tværs")
    page.fill("#slide-form input[name=subtitle]", "Til kulturudvalget")
    page.fill("#slide-form input[name=source]", "Kilde: Egen kortlægning")
    page.select_option("#slide-form select[name=scope]", "all")
    page.fill("#slide-form input[name=from]", "2020")
    page.fill("#slide-form input[name=to]", "2024")


def test_form_fields_reach_the_slide(browser, server):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{server}/export?lang=da")
        assert page.get_attribute("#slide-form input[name=source]", "placeholder") == "kulturaktører.xlsx"
        _fill(page)
        with page.expect_response(lambda r: "/api/exports/map.svg" in r.url) as info:
            page.click('#exports button[data-what="map"][data-format="svg"]:not([name])')
        response = info.value
        assert response.status == 200
        query = parse_qs(urlsplit(response.url).query)
        assert {k: query[k] for k in ("title", "subtitle", "source", "scope", "from", "to", "lang")} == {
            "title": ["Samarbejde på tværs"], "subtitle": ["Til kulturudvalget"],
            "source": ["Kilde: Egen kortlægning"], "scope": ["all"], "from": ["2020"], "to": ["2024"],
            "lang": ["da"]}
        svg = response.text()
        assert "Samarbejde på tværs" in svg and "Til kulturudvalget" in svg
        assert "Kilde: Egen kortlægning" in svg and "Kilde: Kilde" not in svg
    finally:
        context.close()


def test_empty_year_fields_and_english_spreadsheet(browser, server):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{server}/export?lang=da")
        page.select_option("#slide-form select[name=lang]", "en")
        with page.expect_download() as info:
            page.click('#exports button[data-what="table"][data-format="xlsx"]')
        data = open(info.value.path(), "rb").read()
        wb = openpyxl.load_workbook(io.BytesIO(data))
        assert wb.sheetnames == ["Organisations", "Ties", "Measures"]
        assert [c.value for c in wb["Organisations"][1]][:3] == ["Id", "Name", "Actor or institution"]
    finally:
        context.close()
