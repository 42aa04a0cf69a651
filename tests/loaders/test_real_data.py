"""Real files a user would have: the state museums list and the EU structural-fund
projects (extracts in tests/loaders/data, sources in its README)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from loaders import import_files
from loaders.places import municipality_code, region_codes

REGION_CODES = region_codes()


def test_museums_as_institutions(store, load, orgs_by_name):
    report = load("museums_extract.csv", kind="institution")
    assert report.written and report.errors == []
    assert report.counts == {"institutions": {"created": 33, "updated": 0, "unchanged": 0}}
    orgs = orgs_by_name(store)
    # Region column: 8 Midtjylland, 25 elsewhere (two rows are one renamed museum), 1 empty
    assert Counter(o["in_region"] for o in orgs.values()) == {True: 8, False: 24, None: 1}
    assert sorted((o["name"], o["municipality_code"]) for o in orgs.values() if o["in_region"]) == [
        ("Det Grønne Museum", "707"), ("Gammel Estrup Herregårdsmuseet", "707"), ("Glud Museum", "766"),
        ("Heart Herning Museum Of Contemporary Art", "657"), ("Køn", "751"), ("Lemvig Museum", "665"),
        ("Museum Østjylland Randers", "730"), ("Randers Kunstmuseum", "730"),
    ]
    koen = orgs["Køn"]  # "Århus" in the Kommune column
    assert (koen["id"], koen["postcode"], koen["lat"], koen["website"]) == (
        "org-koen-751", "8000", 56.15720795, "http://www.koengmuseum.dk/")
    assert koen["extra"] == {"Counts": "6", "GeoCode": "0", "country": "Danmark", "new_name": "KØN"}
    # outside the region: kept with its own kommunekode and located in it
    assert (orgs["Ribe Kunstmuseum"]["municipality_code"], orgs["Ribe Kunstmuseum"]["in_region"]) == ("561", False)
    assert store.counts()["LOCATED_IN"] == 32
    # the Kommune column is the strongest evidence; the coordinates agree with it in every row
    assert report.placement == {"column": 32, "none": 1}
    assert Counter(o["municipality_source"] for o in orgs.values()) == {"column": 32, None: 1}
    # the museum without a municipality or postcode is kept, unplaced
    assert (orgs["Muserum"]["municipality_code"], orgs["Muserum"]["in_region"]) == (None, None)
    # a renamed museum listed twice is one node, reported for review
    assert [(f["name"], f["matched_name"]) for f in report.fuzzy] == [("Stiftmuseet Maribo", "Stiftsmuseet Maribo")]
    assert [p.code for p in report.warnings] == ["fuzzy_match", "conflict"]
    assert load("museums_extract.csv", kind="institution").counts == {
        "institutions": {"created": 0, "updated": 0, "unchanged": 33}}


def test_eu_projects_with_partner_cells(store, load, orgs_by_name):
    report = load("eu_2007_2013_extract.csv", "eu_2014_2020_extract.csv")
    assert report.written and report.errors == []
    assert [(f["file"], f["kind"], f["rows"]) for f in report.files] == [
        ("eu_2007_2013_extract.csv", "project", 30), ("eu_2014_2020_extract.csv", "project", 12)]
    assert report.counts == {"actors": {"created": 88, "updated": 0, "unchanged": 0},
                             "projects": {"created": 42, "updated": 0, "unchanged": 0},
                             "participations": {"created": 132, "updated": 0, "unchanged": 0}}
    # postcodes that span municipalities where the post town names none of them: 4930 Maribo, 8680 Ry
    assert [(p.code, p.value) for p in report.warnings] == [("place_ambiguous", "4930"), ("place_ambiguous", "8680")]
    assert report.placement == {"postcode": 12, "postcode_town": 5, "coordinates": 7, "name": 30, "none": 34}
    orgs = orgs_by_name(store)
    vaeksthus = orgs["Væksthus Midtjylland"]  # lead with CVR in 2007-13, partner in 2014-20: one node
    assert (vaeksthus["id"], vaeksthus["municipality_code"], vaeksthus["town"]) == ("org-cvr-30089456", "751", "Århus N")
    # lead of 9 projects in 2007-13 and 1 in 2014-20; named in 5 partner cells of 2014-20
    roles = Counter(p["role"] for p in store.list_participations() if p["org_id"] == "org-cvr-30089456")
    assert roles == {"lead": 10, "partner": 5}
    assert Counter(o["in_region"] for o in orgs.values()) == {None: 32, True: 44, False: 12}
    sources = {name: (o["municipality_code"], o["municipality_source"]) for name, o in orgs.items()}
    assert sources["Herning Kommune"] == ("657", "postcode_town")  # lead at 7400 Herning
    assert sources["Silkeborg Kommune"] == ("740", "name")  # only ever a partner
    assert sources["Den Erhvervsdrivende Fond Development Centre UMT"] == ("657", "coordinates")  # UTM 32N
    # row 4: 01.01.2008–28.02.2011, ordning ESFM, budget "103107,2", partner "Erhverv Silkeborg."
    title = "Fremtidens iværksætterkompetencer. Delprojekt C: Målrettede netværk af nyetablerede virksomheder"
    project = next(p for p in store.list_projects() if p["title"] == title)
    assert (project["start_year"], project["end_year"], project["programme"], project["budget_dkk"]) == (
        2008, 2011, "ESFM", 103107.2)
    assert sorted(project["extra"]) == ["Indsatsområde", "eu", "tas_projekt_besk"]
    names = {o["id"]: name for name, o in orgs.items()}
    assert sorted((names[p["org_id"]], p["role"]) for p in store.list_participations() if p["project_id"] == project["id"]) == [
        ("Erhverv Silkeborg", "partner"), ("Væksthus Midtjylland", "lead")]
    assert load("eu_2007_2013_extract.csv", "eu_2014_2020_extract.csv").written is False


REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real"
EU_FILES = ("eu-structural-funds/ERDF_ESF_Denmark_2007-2013.csv", "eu-structural-funds/ERDF_ESF_Denmark_2014-2020.csv")
# the region's municipalities, as the EU files name them when they take part
REGION_KOMMUNER = {
    "Herning Kommune": "657", "Silkeborg Kommune": "740", "Samsø Kommune": "741", "Lemvig Kommune": "665",
    "Ikast-Brande Kommune": "756", "Ringkøbing-Skjern Kommune": "760", "Randers Kommune": "730",
    "Norddjurs Kommune": "707", "Horsens Kommune": "615", "Hedensted Kommune": "766", "Viborg Kommune": "791",
    "Skive Kommune": "779", "Struer kommune": "671", "Holstebro Kommune": "661", "Syddjurs Kommune": "706",
    "Favrskov Kommune": "710", "Skanderborg Kommune": "746", "Odder kommune": "727", "Århus Kommune": "751",
}


@pytest.mark.skipif(not (REAL / EU_FILES[0]).exists(), reason=f"the real files are not in {REAL}")
def test_real_files_place_every_organisation_they_can(store):
    """The two EU files and the museum list, imported as a user would (``graphsvc load …
    --accept-valid``; the museums as institutions). Figures: bench/bench_placement.py."""
    eu = import_files(store, [REAL / f for f in EU_FILES], accept_valid=True)
    museums = import_files(store, [REAL / "museums/mus_address.csv"], kind="institution", accept_valid=True)
    # the leads' evidence (postcode, post town, UTM coordinates) and the museums' Kommune column
    assert {k: eu.placement[k] for k in ("postcode", "postcode_town", "coordinates")} == {
        "postcode": 191, "postcode_town": 68, "coordinates": 20}
    assert "column" not in eu.placement and eu.placement["name"] >= 240
    assert museums.placement == {"column": 316, "none": 1}
    orgs = store.list_organisations()
    by_name = {o["name"]: o for o in orgs}
    # every "X Kommune" lands in X, any Danish municipality, whatever its address says
    kommuner = [o for o in orgs if re.fullmatch(r"\S.*\s(Regions)?[Kk]ommune", o["name"])
                and not re.search(r"\s(i|for|af)\s", o["name"], re.I)]
    assert len(kommuner) == 85
    assert [o["name"] for o in kommuner if o["municipality_code"] != municipality_code(o["name"])] == []
    assert {n: by_name[n]["municipality_code"] for n in REGION_KOMMUNER} == REGION_KOMMUNER
    assert (by_name["Langeland Kommune"]["municipality_code"], by_name["Langeland Kommune"]["municipality_source"]) == (
        "482", "name")  # its address is a project office in Faaborg
    assert (by_name["Produktionsskolen i Herning Kommune"]["municipality_code"]) == "657"
    placed_in_region = [o for o in orgs if o["municipality_code"] and o["in_region"]]
    assert len(placed_in_region) >= 198
    assert all(o["in_region"] == (o["municipality_code"] in REGION_CODES) for o in orgs if o["municipality_code"])
    # every organisation outside the region is in a named municipality node
    names = {m["code"]: m["name"] for m in store.list_municipalities()}
    assert all(names[o["municipality_code"]] and not names[o["municipality_code"]].isdigit()
               for o in orgs if o["municipality_code"])
