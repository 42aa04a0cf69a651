"""The curation flow in Debian's headless Chromium, on an extract of the real EU files
(tests/service/data/README.md) and the museum extract: upload, resolve the three ambiguous
names and the fuzzy match on the review cards, confirm, upload again and see nothing to
resolve; merge two organisations on the organisation page and undo it; search with å/aa;
restart, and a CLI import of the same files follows the decisions."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from service_region import TOKEN

from graphsvc.app import create_app
from graphsvc.cli import main
from graphsvc.settings import Settings

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parent / "data"
FILES = [DATA / "eu_2007_2013_ambiguous.csv", DATA / "eu_2014_2020_ambiguous.csv",
         Path(__file__).resolve().parents[1] / "loaders" / "data" / "museums_extract.csv"]
# words of the page's own text that would be English (the data's names are not checked)
ENGLISH = {"error", "errors", "warning", "warnings", "created", "updated", "unchanged", "row", "column",
           "matches", "organisations", "organisation", "the", "and", "not", "imported", "actors", "projects",
           "kind", "problems", "review", "candidates", "this", "one", "new", "keep", "together", "all", "show",
           "participations", "dry", "run", "nothing", "written", "was", "taken", "similarity", "mapping",
           "file", "add", "choose", "institutions", "located_in", "participates_in"}


class Server:
    """uvicorn on 127.0.0.1 (a free port) over a store in ``folder``; ``stop()`` closes it."""

    def __init__(self, folder: Path):
        import uvicorn

        app = create_app(Settings(data_dir=folder, admin_token=TOKEN))
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)

    def get(self, path: str):
        with urllib.request.urlopen(self.url + path, timeout=60) as r:
            return json.load(r)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.sock.close()


def wait_for(page, script: str, what: str, timeout_s: float = 60):
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"{what} within {timeout_s} s"
        page.wait_for_timeout(50)


def review_counts(page) -> dict[str, int]:
    return {s.get_attribute("data-severity"): int(s.text_content().rsplit(" ", 1)[1])
            for s in page.locator("#review-counts span").all()}


def check(page) -> None:
    """Submit the upload form and wait for the new review."""
    page.evaluate("() => { const r = document.getElementById('review'); r.replaceChildren(); }")
    page.click("#check")
    wait_for(page, "() => document.querySelector('#review-counts') !== null", "the review")


def choose(page, code: str, name: str, candidate: str) -> None:
    """On the card of ``name``, choose the candidate whose line contains ``candidate``."""
    card = page.locator(f'.card[data-code="{code}"]').filter(has=page.locator(".written-name", has_text=re.compile(f"^{name}$"))).first
    before = page.locator(f'.card[data-code="{code}"]').count()
    card.locator("li").filter(has_text=candidate).locator("button.choose").click()
    wait_for(page, f"() => document.querySelector('#review-counts') !== null && "
                   f"document.querySelectorAll('.card[data-code=\"{code}\"]').length < {before}",
             f"the review after choosing {candidate} for {name}")


def page_words(page) -> set[str]:
    text = page.evaluate("""() => {
        const parts = [];
        for (const root of [document.getElementById('result'), document.getElementById('review'),
                            document.getElementById('counts'), document.querySelector('h1')]) {
          const clone = root.cloneNode(true);
          clone.querySelectorAll('.written-name, .candidate-name').forEach((n) => n.remove());
          parts.push(clone.innerText);
        }
        return parts.join(' ');
    }""")
    # the data's names appear inside »…« and in the file names
    text = re.sub(r"»[^«]*«|\S+\.csv", " ", text)
    return set(re.findall(r"[a-zæøå_]+", text.casefold()))


def test_the_curation_flow(browser, tmp_path):
    folder = tmp_path / "store"
    server = Server(folder)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(60_000)
    started = time.perf_counter()
    try:
        page.goto(server.url + "/import?lang=da")
        page.set_input_files("#files", [str(f) for f in FILES])
        page.fill("#token", TOKEN)
        check(page)
        assert review_counts(page) == {"error": 6, "warning": 2, "info": 0}
        # errors first, then warnings
        severities = [c.get_attribute("data-severity") for c in page.locator(".card").all()]
        assert severities == ["error"] * 6 + ["warning"] * 2
        assert page.locator("#confirm").is_hidden()
        card = page.locator('.card[data-code="ambiguous_name"]').first
        assert card.locator(".written-name").text_content() == "Aarhus Universitet"
        assert [li.text_content() for li in card.locator("li").all()] == [
            "Århus Universitet (Slagelse, CVR 57607556) Denne",
            "Aarhus Universitet (Aarhus, CVR 31119103) Denne",
            "Aarhus Universitet (Aarhus, CVR 41826614) Denne",
        ]
        assert page_words(page) & ENGLISH == set()
        # the filter by kind
        page.select_option("#review-filter", "fuzzy_match")
        assert [c.is_visible() for c in page.locator(".card").all()] == [False] * 6 + [True, False]
        page.select_option("#review-filter", "")

        choose(page, "ambiguous_name", "Aarhus Universitet", "31119103")
        choose(page, "ambiguous_name", "Syddansk Universitet", "Odense")
        choose(page, "ambiguous_name", "CLEAN", "Sønderborg")
        assert review_counts(page)["error"] == 0
        fuzzy = page.locator('.card[data-code="fuzzy_match"]')
        assert fuzzy.count() == 1
        choose(page, "fuzzy_match", fuzzy.locator(".written-name").text_content(), "Denne")
        assert review_counts(page) == {"error": 0, "warning": 1, "info": 0}

        page.click("#confirm")
        wait_for(page, "() => document.querySelector('#result p.ok') !== null && "
                       "document.querySelector('#result p.ok').textContent.startsWith('indlæst')", "the import")
        counts = server.get("/api/info")["counts"]
        assert counts["Actor"] + counts["Institution"] > 0
        decisions = server.get("/api/decisions")["data"]
        assert sorted((d["kind"], d["name"]) for d in decisions) == sorted(
            [("same", "Aarhus Universitet"), ("same", "Syddansk Universitet"), ("same", "CLEAN"),
             ("same", fuzzy_name(decisions))])

        # the same files again: nothing to resolve, nothing to write
        check(page)
        assert review_counts(page)["error"] == 0
        assert page.locator("#result p").first.text_content().startswith("prøvekørsel: intet er skrevet")
        cells = [c.text_content() for c in page.locator("#report-counts td.num").all()]
        created_updated = [int(x) for i, x in enumerate(cells) if i % 3 in (0, 1)]
        assert created_updated and set(created_updated) == {0}
        assert server.get("/api/info")["counts"] == counts
        assert page_words(page) & ENGLISH == set()
        flow_seconds = time.perf_counter() - started

        # merge two organisations on the organisation page, then undo it
        page.goto(server.url + "/organisations/org-cvr-41826614?lang=da&scope=all")
        page.click("#curation summary")
        page.fill("#curation-token", TOKEN)
        page.fill("#merge-into", "org-cvr-31119103")
        page.click("#merge-button")
        page.wait_for_selector("#merged-link")
        merged = server.get("/api/info")["counts"]
        assert merged["Actor"] + merged["Institution"] == counts["Actor"] + counts["Institution"] - 1
        page.click("#curation-undo")
        wait_for(page, "() => document.getElementById('curation-result').textContent === 'Fortrudt.'", "the undo")
        assert server.get("/api/info")["counts"] == counts

        # a correction by hand shows its source
        page.goto(server.url + "/organisations/org-cvr-41826614?lang=da&scope=all")
        page.click("#curation summary")
        page.fill("#curation-token", TOKEN)
        page.select_option("#correct-field", "municipality_code")
        page.fill("#correct-value", "751")
        with page.expect_navigation():  # the page reloads after a correction
            page.click("#correct-button")
        assert "rettet af bruger" in page.locator("#municipality-source").text_content()

        # search with å/aa, on the page and the API
        q = urllib.parse.quote("århus universitet")
        page.goto(server.url + f"/organisations?q={q}&scope=all&lang=da")
        names = [a.text_content() for a in page.locator("#organisations tbody tr td:first-child a").all()]
        assert "Aarhus Universitet" in names
        api_names = [o["name"] for o in server.get(f"/api/organisations?q={q}&scope=all&limit=100")["data"]]
        assert sorted(api_names) == sorted(names)
        assert errors == []
    finally:
        context.close()
        server.stop()
    print(f"\nthe browser flow (upload, 4 decisions, confirm, upload again): {flow_seconds:.1f} s")

    # after a restart: the decisions are there, and a CLI import of the same files follows them
    listed = CliRunner().invoke(main, ["decisions", "--json", "--data-dir", str(folder)])
    assert listed.exit_code == 0, listed.output
    assert [d["kind"] for d in json.loads(listed.output)] == ["same"] * 4 + ["correct"]
    loaded = CliRunner().invoke(main, ["load", *map(str, FILES), "--lang", "da", "--data-dir", str(folder)])
    assert loaded.exit_code == 0, loaded.output
    assert "intet at skrive: grafen rummer allerede det hele" in loaded.output.splitlines()
    assert "0 fejl" in loaded.output


def fuzzy_name(decisions: list[dict]) -> str:
    known = {"Aarhus Universitet", "Syddansk Universitet", "CLEAN"}
    [name] = [d["name"] for d in decisions if d["name"] not in known]
    return name
