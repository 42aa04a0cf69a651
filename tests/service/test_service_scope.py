"""The region scope through the service, the API, the pages, the exports and the CLI, on a
mixed region: four organisations in the region's municipalities, three outside it and
one without any place.

    a-herning(657) – i-aros(751) – i-auu(851) – a-laeso(825)
                        \\          /
                        a-lemvig(665)

a-samsoe (741), a-bornholm (400) and a-muserum (no municipality) have no ties.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

import graphsvc.cli.analyse  # noqa: F401  (registers the commands)
import graphsvc.cli.export  # noqa: F401
import graphsvc.cli.suggest  # noqa: F401
from graphsvc.analysis.scope import REGION_CODES
from graphsvc.cli import main
from graphsvc.exports import build_export
from graphsvc.model import Actor, Institution, Participation, Project, Records
from graphsvc.settings import Settings
from graphsvc.store import open_store

REGION = {"i-aros", "a-lemvig", "a-herning", "a-samsoe"}
OUTSIDE = {"i-auu", "a-laeso", "a-bornholm", "a-muserum"}


def mixed_records() -> Records:
    def actor(oid, name, code):
        return Actor(id=oid, name=name, kind="forening", size="small", art_forms=["teater"],
                     municipality_code=code)

    institutions = [
        Institution(id="i-aros", name="ARoS", kind="museum", size="large", art_forms=["teater"],
                    municipality_code="751"),
        Institution(id="i-auu", name="Aalborg Universitet", kind="universitet", size="large",
                    art_forms=["teater"], municipality_code="851"),
    ]
    actors = [actor("a-lemvig", "Lemvig Teater", "665"), actor("a-herning", "Herning Kor", "657"),
              actor("a-samsoe", "Samsø Forening", "741"), actor("a-laeso", "Læsø Firma", "825"),
              actor("a-bornholm", "Bornholm Firma", "400"), actor("a-muserum", "Muserum", None)]
    projects = [Project(id=p, title=p, start_year=2020, end_year=2021) for p in ("p1", "p2", "p3")]
    members = {"p1": ["i-aros", "i-auu", "a-lemvig"], "p2": ["i-auu", "a-laeso"], "p3": ["a-herning", "i-aros"]}
    participations = [Participation(org_id=o, project_id=p, role="partner") for p, orgs in members.items()
                      for o in orgs]
    return Records(actors=actors, institutions=institutions, projects=projects, participations=participations)


@pytest.fixture
def client(make_client):
    return make_client(mixed_records())


def ids(rows, key="id"):
    return {r[key] for r in rows}


def test_rankings_hold_only_the_region_by_default(client):
    for path in ("/api/analysis/centrality?top=100", "/api/analysis/isolated?top=100"):
        default = client.get(path).json()
        assert default["scope"] == "region"
        assert ids(default["data"]) <= REGION, path
        assert not ids(client.get(path + "&scope=region").json()["data"]) & OUTSIDE
    central = client.get("/api/analysis/centrality?top=100&by=degree").json()["data"]
    assert [r["id"] for r in central] == ["i-aros", "a-lemvig", "a-herning", "a-samsoe"]
    lemvig = central[1]
    assert (lemvig["degree"], lemvig["municipalities_reached"], lemvig["ties_outside_region"]) == (2, 2, 1)
    every = client.get("/api/analysis/centrality?top=100&scope=all").json()
    assert every["scope"] == "all" and ids(every["data"]) == REGION | OUTSIDE
    isolated = client.get("/api/analysis/isolated?scope=all&top=100").json()["data"]
    # no ties: Bornholm Firma, Muserum, Samsø Forening; few ties: Herning Kor and Læsø Firma
    assert [r["id"] for r in isolated] == ["a-bornholm", "a-muserum", "a-samsoe", "a-herning", "a-laeso"]
    assert {r["id"]: r["municipality"] for r in isolated}["a-muserum"] == "ukendt kommune"
    assert {r["id"]: r["municipality"] for r in isolated}["a-bornholm"] == "Bornholm"


def test_bad_scope_is_422_in_danish_and_english(client):
    for path in ("/api/analysis/centrality", "/api/analysis/gaps", "/api/organisations",
                 "/api/exports/table.csv", "/api/maps/network.html", "/api/organisations/a-lemvig/suggestions"):
        r = client.get(path + "?scope=hele-landet")
        assert r.status_code == 422, path
        assert r.json()["code"] == "invalid_input"
        assert r.json()["detail"].startswith("scope='hele-landet' er ikke et gyldigt omfang: brug 'region'")
        assert "is not a valid scope: use 'region'" in r.json()["detail"]


def test_lists_take_the_scope(client):
    orgs = client.get("/api/organisations?limit=100").json()
    assert orgs["count"] == 4 and ids(orgs["data"]) == REGION
    assert client.get("/api/organisations?scope=all&limit=100").json()["count"] == 8
    every = {r["id"]: r["municipality"] for r in client.get("/api/organisations?scope=all&limit=100").json()["data"]}
    assert (every["a-laeso"], every["a-muserum"], every["i-auu"]) == ("Læsø", "ukendt kommune", "Aalborg")
    munis = client.get("/api/municipalities").json()
    assert ids(munis["data"], "code") == REGION_CODES
    assert set(ids(client.get("/api/municipalities?scope=all").json()["data"], "code")) >= REGION_CODES


def test_suggestions_in_region_scope_suggest_only_the_region(client):
    region = client.get("/api/organisations/a-herning/suggestions").json()
    assert region["scope"] == "region"
    assert region["data"] and ids(region["data"]) <= REGION - {"a-herning"}
    every = client.get("/api/organisations/a-herning/suggestions?scope=all").json()
    found = ids(every["data"])
    assert "i-auu" in found  # a shared partner (ARoS) and a large institution
    # an organisation outside the region may ask: it gets the region's organisations
    outsider = client.get("/api/organisations/a-laeso/suggestions").json()
    got = ids(outsider["data"])
    assert got and got <= REGION
    r = client.get("/api/organisations/a-herning/suggestions?municipality=Aalborg")
    assert r.status_code == 422 and "Aalborg ligger uden for regionen" in r.json()["detail"]


def test_gaps_and_bridges_cover_the_scope_municipalities(client):
    service = client.app.state.service
    assert {m["code"] for m in service.scope_municipalities("region")} == REGION_CODES
    assert {m["code"] for m in service.scope_municipalities("all")} == REGION_CODES | {"851", "825", "400"}
    pairs = client.get("/api/analysis/gaps?top=1000").json()["pairs"]
    assert {r["code_a"] for r in pairs} | {r["code_b"] for r in pairs} <= REGION_CODES
    pairs_all = client.get("/api/analysis/gaps?top=1000&scope=all").json()["pairs"]
    assert "851" in {r["code_a"] for r in pairs_all} | {r["code_b"] for r in pairs_all}
    for lacking in service.lacking("region"):
        assert set(lacking) <= REGION_CODES
    bridges = client.get("/api/analysis/bridges?pairs=50&per_pair=20").json()
    proposed = {p[k] for b in bridges["data"] for p in b["pairs"] for k in ("a_id", "b_id")}
    assert not proposed & OUTSIDE


def _csv_ids(data: bytes) -> set[str]:
    text = data.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,")
    return {row["id"] for row in csv.DictReader(io.StringIO(text), dialect=dialect)}


def test_export_tables_hold_only_the_scope(client):
    service = client.app.state.service
    for table in ("nodes", "metrics"):
        (file,) = build_export(service, "table", "csv", table_name=table, lang="en")
        assert _csv_ids(file.data) == REGION, table
        (file,) = build_export(service, "table", "csv", table_name=table, lang="en", scope="all")
        assert _csv_ids(file.data) == REGION | OUTSIDE, table
        assert file.name == f"table-alle-{table}.csv"
    r = client.get("/api/exports/table.csv?table=nodes&lang=en&scope=all")
    assert r.status_code == 200 and _csv_ids(r.content) == REGION | OUTSIDE
    # an organisation's neighbourhood map draws its partner outside the region, labelled so
    page = client.get("/api/maps/organisation/a-lemvig.html?lang=en").text
    assert "Aalborg Universitet" in page and "Aalborg (outside the region)" in page
    # the network map of the region leaves the outsiders out
    assert "Aalborg Universitet" not in client.get("/api/maps/network.html?lang=en").text


def test_pages_have_a_scope_selector_kept_in_links(client):
    page = client.get("/?lang=en", headers={"accept": "text/html"}).text
    assert '<strong aria-current="true" data-scope="region">' in page
    assert "Aalborg Universitet" not in page
    page = client.get("/?lang=en&scope=all", headers={"accept": "text/html"}).text
    assert '<strong aria-current="true" data-scope="all">' in page
    assert "/organisations/i-aros?lang=en&amp;scope=all" in page
    assert "heatmap.png?lang=en&amp;scope=all" in page
    listing = client.get("/organisations?scope=all&lang=en", headers={"accept": "text/html"}).text
    assert "Læsø Firma" in listing and "ukendt kommune" not in listing.replace("unknown municipality", "")
    assert "Læsø Firma" not in client.get("/organisations?lang=en", headers={"accept": "text/html"}).text
    export = client.get("/export?scope=all&lang=en", headers={"accept": "text/html"}).text
    # the export form sends its fields (the scope among them) to each button's address
    assert 'formaction="api/exports/table.xlsx"' in export
    assert '<option value="all" selected>' in export
    outsider = client.get("/organisations/a-laeso?lang=en", headers={"accept": "text/html"}).text
    assert 'id="outside-region"' in outsider


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "db"
    store = open_store(Settings(data_dir=folder))
    store.write(mixed_records())
    store.close()
    return str(folder)


def _cli(*args):
    result = CliRunner().invoke(main, [*args])
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_scope_region_ranks_no_outsider(data_dir):
    for command in (["analyse", "centrality"], ["analyse", "isolated"], ["analyse", "communities"]):
        region = json.loads(_cli(*command, "--json", "--data-dir", data_dir))
        every = json.loads(_cli(*command, "--json", "--scope", "all", "--data-dir", data_dir))
        main_table = next(iter(region["tables"].values()))
        assert region["scope"] == "region" and every["scope"] == "all"
        if command[1] != "communities":
            assert {r["id"] for r in main_table} <= REGION, command
            assert {r["id"] for r in next(iter(every["tables"].values()))} & OUTSIDE, command
        else:
            assert {r["id"] for r in region["tables"]["membership"]} == REGION
    gaps = json.loads(_cli("analyse", "gaps", "--json", "--data-dir", data_dir))
    assert {r["code_a"] for r in gaps["tables"]["pairs"]} <= REGION_CODES
    suggested = json.loads(_cli("suggest", "a-herning", "--json", "--data-dir", data_dir))
    assert suggested["data"] and {s["id"] for s in suggested["data"]} <= REGION
    suggested = json.loads(_cli("suggest", "a-herning", "--json", "--scope", "all", "--data-dir", data_dir))
    assert "i-auu" in {s["id"] for s in suggested["data"]}
    bridges = json.loads(_cli("bridges", "--json", "--pairs", "50", "--data-dir", data_dir))
    assert not {p[k] for b in bridges["data"] for p in b["pairs"] for k in ("a_id", "b_id")} & OUTSIDE
    out = CliRunner().invoke(main, ["analyse", "centrality", "--scope", "land", "--data-dir", data_dir])
    assert out.exit_code == 1 and "'land' is not one of 'region', 'all'" in out.output  # one line, exit 1


def test_cli_export_scope(data_dir, tmp_path):
    for scope, expected in (("region", REGION), ("all", REGION | OUTSIDE)):
        target = tmp_path / f"nodes-{scope}.csv"
        _cli("export", "table", "--format", "csv", "--table", "nodes", "--lang", "en", "--scope", scope,
             "--out", str(target), "--data-dir", data_dir)
        assert _csv_ids(target.read_bytes()) == expected
