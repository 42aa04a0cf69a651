"""The pages a strategist presents from, through the app (no browser): the filters as
links, the organisation list's sizes and sorting, the pair page, paging, the "Hent" links,
the explanations, Danish everywhere with lang=da and no server path on any page.

The hand-made regions of ``service_region`` give the expected values, counted by hand
there (``gap_records``: 13 organisations; ``gap_region_records``: the block of
cross-border projects).
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from service_region import gap_records, gap_region_records

from graphsvc.app import create_app
from graphsvc.model import Actor, Participation, Project, Records
from graphsvc.settings import Settings

HTML = {"accept": "text/html"}

# English words that must not appear on a page with lang=da (text and title attributes);
# "Betweenness", "PageRank" and "E-I" are measure names Danish has none for
ENGLISH = {
    "the", "and", "with", "without", "from", "which", "of", "is", "are", "not", "found",
    "page", "error", "expected", "observed", "ratio", "lacking", "isolated", "municipality",
    "municipalities", "ties", "shared", "projects", "suggestions", "download", "search",
    "size", "unknown", "small", "large", "medium", "overview", "network", "map", "none",
    "rank", "reach", "why", "role", "kind", "years", "previous", "next", "show", "reset",
    "filters", "sort", "partners", "collaboration", "declared", "within", "outside", "share",
    "verdict", "too", "little", "all", "scope", "how", "compute", "year", "organisation's",
}


def words_of(html: str) -> set[str]:
    """The words a reader sees or hovers: the text and every title, alt and placeholder."""
    body = html.split("<body>", 1)[1]
    # the correction form asks for the stored codes one types ("small, medium, large")
    body = re.sub(r'<details id="curation".*?</details>', " ", body, flags=re.S)
    attrs = " ".join(re.findall(r'(?:title|alt|placeholder|aria-label)="([^"]*)"', body))
    text = re.sub(r"<[^>]+>", " ", body)
    return {w.lower() for w in re.findall(r"[A-Za-zÆØÅæøå]+", unescape(text + " " + attrs))}


def rows(html: str, table_id: str) -> list[list[str]]:
    """The body rows of the table ``table_id`` as lists of cell texts."""
    table = re.search(rf'<table id="{table_id}"[^>]*>(.*?)</table>', html, re.S).group(1)
    body = table.split("<tbody>", 1)[1]
    return [[re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", c))).strip()
             for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
            for r in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The app over ``gap_region_records`` and one organisation of unknown size."""
    app = create_app(Settings(in_memory=True, data_dir=tmp_path_factory.mktemp("unused"), warm=False))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        records = gap_region_records()
        records.actors.append(Actor(id="a-ukendt", name="Ulla Jensen", municipality_code="665"))
        client.app.state.service.store.write(records)
        yield client


def page(client: TestClient, url: str, status: int = 200) -> str:
    r = client.get(url, headers=HTML)
    assert r.status_code == status, (url, r.text[:500])
    return r.text


def test_organisation_list_filters_sizes_and_sorting(site):
    html = page(site, "/organisations?lang=da&size=small")
    assert [r[0] for r in rows(html, "organisations")] == ["Lemvig Sangkor", "Lemvig Ældreteater", "Samsø Øforening"]
    assert [r[2] for r in rows(html, "organisations")] == ["lille"] * 3
    # the size column is filled, with "ukendt" for an organisation no evidence sizes
    html = page(site, "/organisations?lang=da&size=unknown")
    assert rows(html, "organisations") == [["Ulla Jensen", "(Aktør)", "ukendt", "Lemvig", "0"]]
    assert 'data-size="unknown"' in html
    # art form and kind
    html = page(site, "/organisations?lang=da&art_form=teater")
    assert [r[0] for r in rows(html, "organisations")] == [
        "Herning Scenekunst", "Lemvig Ældreteater", "Samsø Øforening"]
    assert [r[0] for r in rows(html, "organisations")[:1]] == ["Herning Scenekunst"]
    assert [r[0] for r in rows(page(site, "/organisations?kind=kor"), "organisations")] == ["Lemvig Sangkor"]
    # the year window: organisations with a project or tie in it (p-cross 2022–2023 and the
    # collaboration counted from 2018)
    html = page(site, "/organisations?from=2022&to=2023")
    assert [r[0] for r in rows(html, "organisations")] == ["ARoS Århus Kunstmuseum", "Lemvig Sangkor",
                                                           "Lemvig Ældreteater"]
    assert [r[4] for r in rows(html, "organisations")] == ["1", "1", "2"]
    # sorted by partners, most first: ARoS has the 4 ensembles, the 5 culture houses and Ældreteater
    html = page(site, "/organisations?sort=-partners&municipality=751")
    assert [(r[0], r[4]) for r in rows(html, "organisations")] == [
        ("ARoS Århus Kunstmuseum", "10"), ("Aarhus Ensemble 1", "9"), ("Aarhus Ensemble 2", "9"),
        ("Aarhus Ensemble 3", "9"), ("Aarhus Ensemble 4", "9")]
    assert 'aria-sort="descending"' in html
    # the filter form keeps the values, and the sort links keep the filters
    assert '<option value="751" selected>Aarhus</option>' in html
    assert 'href="/organisations?municipality=751&amp;sort=partners"' in html


def test_the_api_list_takes_the_same_names(site):
    got = site.get("/api/organisations", params={"art_form": "teater", "size": "small"}).json()
    assert [o["name"] for o in got["data"]] == ["Lemvig Ældreteater", "Samsø Øforening"]
    got = site.get("/api/organisations", params={"from": 2022, "to": 2023, "sort": "-partners"}).json()
    assert [(o["name"], o["partners"]) for o in got["data"]] == [
        ("Lemvig Ældreteater", 2), ("ARoS Århus Kunstmuseum", 1), ("Lemvig Sangkor", 1)]
    got = site.get("/api/organisations", params={"size": "unknown"}).json()
    assert [(o["id"], o["size"], o["size_resolved"]) for o in got["data"]] == [("a-ukendt", None, "unknown")]
    assert site.get("/api/organisations", params={"sort": "height"}).status_code == 422


def test_dashboard_filters(site):
    # Lemvig only: its isolated actors (Ulla Jensen, no ties; Sangkor, only local), its pairs
    html = page(site, "/?lang=da&municipality=665")
    # (Ældreteater has 3 partners in 2 other municipalities over all years: not isolated)
    assert [r[0] for r in rows(html, "isolated")] == ["Ulla Jensen størrelse ukendt", "Lemvig Sangkor kor · lille (oplyst)"]
    assert all("Lemvig" in r[0] for r in rows(html, "lacking-pairs"))
    assert len(rows(html, "lacking-pairs")) == 10
    # small ones of Samsø
    html = page(site, "/?municipality=741&size=small")
    assert [r[1] for r in rows(html, "isolated")] == ["Samsø"]
    # a kind: only ensembles among the most central
    html = page(site, "/?kind=ensemble")
    assert sorted(r[1] for r in rows(html, "central")) == [f"Aarhus Ensemble {n}" for n in range(1, 5)] + [
        f"Herning Forening {n}" for n in range(1, 5)]
    # 2016 alone: the Lemvig actors' ties (2018 on, 2022) do not count, so both have none
    html = page(site, "/?from=2016&to=2016&municipality=665")
    reasons = {r[0].split(" ")[1]: r[2] for r in rows(html, "isolated")}
    assert reasons["Sangkor"].startswith("ingen fælles projekter eller erklærede samarbejder")
    assert 'value="2016"' in html
    # an empty form field is no filter; a reversed window is refused in Danish
    def main(html: str) -> str:
        return html.split("<main>", 1)[1]

    assert main(page(site, "/?from=&to=&municipality=&kind=&art_form=&size=")) == main(page(site, "/"))
    html = page(site, "/?lang=da&from=2020&to=2010", status=422)
    assert "'fra' må ikke ligge efter 'til'" in unescape(html)


def test_ranking_says_its_measure_and_measures_are_explained(site):
    html = page(site, "/?lang=da")
    assert "Rangeret efter betweenness (mellemled)." in unescape(html)
    assert '<a href="/metode?lang=da#centralitet">' in html
    titles = re.findall(r'<abbr class="help" title="([^"]+)"', html)
    # six counts, the matrix, the verdict, five column heads of the pairs, the isolated, nearest, three measures
    assert len(titles) == 18
    assert all(t.endswith(".") and " the " not in t for t in map(unescape, titles))
    head = re.search(r'<table id="lacking-pairs">.*?</thead>', html, re.S).group(0)
    assert head.count('class="help"') == 5
    method = page(site, "/metode?lang=da")
    for anchor in ("baand", "omfang", "centralitet", "isolerede", "kommunepar", "forslag"):
        assert f'id="{anchor}"' in method
    assert "Projekterne trækkes om 999 gange" in method
    assert "docs/" not in html + method


def test_pair_page(site):
    # Aarhus–Horsens in the block: 4 projects of ARoS with the culture houses, 8 of two
    html = page(site, "/municipalities/751/615?lang=da")
    assert re.search(r"<h1>Aarhus og Horsens</h1>", html)
    assert re.search(r'id="pair-observed">12<', html)
    assert len(rows(html, "pair-projects")) == 12
    assert rows(html, "pair-ties") == [
        ["ARoS Århus Kunstmuseum", "Kulturhus Horsens", "4", "0"],
        ["Aarhus Ensemble 1", "Kulturhus Horsens", "2", "0"], ["Aarhus Ensemble 2", "Kulturhus Horsens", "2", "0"],
        ["Aarhus Ensemble 3", "Kulturhus Horsens", "2", "0"], ["Aarhus Ensemble 4", "Kulturhus Horsens", "2", "0"]]
    gaps = site.get("/api/analysis/gaps").json()["pairs"]
    row = next(p for p in gaps if {p["code_a"], p["code_b"]} == {"751", "615"})
    assert re.search(rf'id="pair-state">{re.escape(row["state_name"])}<', html)
    low, high = (f"{v:.2f}".replace(".", ",") for v in (row["ratio_low"], row["ratio_high"]))
    assert f'id="pair-interval">{low}–{high}<' in html
    assert [unescape(r) for r in re.findall(r"<li>(.*?)</li>", html.split('id="pair-reasons"')[1].split("</ul>")[0])] \
        == row["reasons"]
    # bridges: Horsens' one organisation is tied to all five of Aarhus', so none is left
    assert rows(html, "pair-bridges") == [["Ingen resultater."]]
    # Lemvig–Horsens: one bridge (an organisation at most once a side), Kulturhus Horsens and one of Lemvig's
    html = page(site, "/municipalities/665/615")
    bridges = re.findall(r'<a href="/organisations/([^?]+)\?[^"]*">[^<]*</a> – <a href="/organisations/([^?]+)\?',
                         html.split('id="pair-bridges"')[1])
    assert len(bridges) == 1
    assert "i-kh615" in bridges[0] and set(bridges[0]) - {"i-kh615"} <= {"a-lemvig", "a-lemvig2", "a-ukendt"}
    # Lemvig–Aarhus: p-cross (2022) and, in another window, nothing
    html = page(site, "/municipalities/665/751")
    assert [r[0] for r in rows(html, "pair-projects")] == ["Ældre på museum"]
    html = page(site, "/municipalities/665/751?from=2016&to=2017")
    assert rows(html, "pair-projects") == [["Ingen"]]
    # the dashboard's pair rows and matrix cells link to it
    dash = page(site, "/")
    assert 'href="/municipalities/751/615?lang=da"' in dash
    cell = re.search(r'<td class="cell [^"]*" data-pair="751-615"><a href="([^"]+)" title="([^"]+)">12</a>', dash)
    assert cell.group(1) == "/municipalities/751/615?lang=da"
    assert unescape(cell.group(2)).startswith("Aarhus–Horsens: 12 fælles projekter, ")
    page(site, "/municipalities/751/999", status=404)
    page(site, "/municipalities/751/751", status=422)


def test_downloads_beside_tables_work(site):
    urls = set()
    for url in ("/", "/organisations", "/organisations/i-aros", "/municipalities/751", "/municipalities/751/615"):
        html = page(site, url)
        for block in re.findall(r'<span class="hent">(.*?)</span>', html, re.S):
            urls |= {unescape(u) for u in re.findall(r'href="([^"]+)" download', block)}
    magic = {"png": b"\x89PNG", "pdf": b"%PDF", "xlsx": b"PK", "csv": b""}
    assert {u.split("?")[0].rsplit(".", 1)[1] for u in urls} == set(magic)
    for url in sorted(urls):
        r = site.get(url)
        assert r.status_code == 200, (url, r.text[:300])
        assert r.content.startswith(magic[url.split("?")[0].rsplit(".", 1)[1]]), url


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """An organisation with 30 partners, each in a project of two with it (2020)."""
    app = create_app(Settings(in_memory=True, data_dir=tmp_path_factory.mktemp("unused"), warm=False))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        base = gap_records()
        partners = [Actor(id=f"p{n:02d}", name=f"Partner {n:02d}", municipality_code="751") for n in range(30)]
        projects = [Project(id=f"j{n:02d}", title=f"Projekt {n:02d}", start_year=2020, end_year=2020)
                    for n in range(30)]
        part = [Participation(org_id="i-herning", project_id=f"j{n:02d}") for n in range(30)]
        part += [Participation(org_id=f"p{n:02d}", project_id=f"j{n:02d}") for n in range(30)]
        client.app.state.service.store.write(Records(
            actors=base.actors + partners, institutions=base.institutions, projects=base.projects + projects,
            participations=base.participations + part, collaborations=base.collaborations))
        yield client


def test_long_lists_are_paged(hub):
    html = page(hub, "/organisations/i-herning?lang=da")
    # Herning Scenekunst: its 4 associations and the 30 partners, sorted by name
    assert "Partnere (34)" in html
    shown = [r[0] for r in rows(html, "partners-table")]
    assert shown == [f"Herning Forening {n}" for n in range(1, 5)] + [f"Partner {n:02d}" for n in range(21)]
    assert "1–25 af 34" in html
    assert 'href="/organisations/i-herning?lang=da&amp;partners_offset=25#partners"' in html
    html = page(hub, "/organisations/i-herning?lang=da&partners_offset=25")
    assert [r[0] for r in rows(html, "partners-table")] == [f"Partner {n:02d}" for n in range(21, 30)]
    assert "26–34 af 34" in html and 'rel="prev"' in html
    # projects: 31, newest first (2020, by title), then Scenekunst i Herning (2016)
    html = page(hub, "/organisations/i-herning?projects_offset=25")
    assert [r[0] for r in rows(html, "projects-table")] == [f"Projekt {n:02d}" for n in range(25, 30)] + [
        "Scenekunst i Herning"]
    # suggestions: five shown, the rest folded away
    html = page(hub, "/organisations/a-lemvig2")
    assert len(rows(html, "suggestions")) == 5
    assert '<details id="more-suggestions">' in html


PAGES = ("/", "/organisations", "/organisations?size=unknown", "/organisations/i-aros", "/organisations/a-ukendt",
         "/municipalities/751", "/municipalities/751/615", "/metode", "/export", "/export?municipality=665",
         "/organisations/ingen-saadan", "/municipalities/999", "/findes-ikke", "/?from=2020&to=2010",
         "/?size=kaempe")


def test_danish_everywhere_and_no_server_paths(site):
    data_dir = str(site.app.state.service.settings.data_dir)
    for url in PAGES:
        r = site.get(url + ("&" if "?" in url else "?") + "lang=da", headers=HTML)
        html = r.text
        assert '<html lang="da">' in html, url
        found = words_of(html) & ENGLISH
        assert not found, (url, sorted(found))
        for leak in (data_dir, "graphsvc-data", "/tmp/", "/work/", "docs/"):
            assert leak not in html, (url, leak)
        # every link and source is relative: no host, no scheme
        for ref in re.findall(r'(?:href|src|action|formaction)="([^"]*)"', html):
            assert not re.match(r"^[a-z]+:|^//|^/\\", ref), (url, ref)
    # English with lang=en, error pages too
    r = site.get("/organisations/ingen-saadan?lang=en", headers=HTML)
    assert r.status_code == 404 and "<h1>Not found</h1>" in r.text
    assert "no organisation with id &#39;ingen-saadan&#39;" in r.text
    r = site.get("/organisations/ingen-saadan?lang=da", headers=HTML)
    assert "<h1>Siden findes ikke</h1>" in r.text
    assert "der findes ingen organisation med id &#39;ingen-saadan&#39;" in r.text
    assert "<h1>Overview</h1>" in page(site, "/?lang=en")
