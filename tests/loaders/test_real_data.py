"""Real files a user would have: the state museums list and the EU structural-fund
projects (extracts in tests/loaders/data, sources in its README)."""

from __future__ import annotations

from collections import Counter



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
    # outside the region: kept with its own kommunekode, no LOCATED_IN
    assert (orgs["Ribe Kunstmuseum"]["municipality_code"], orgs["Ribe Kunstmuseum"]["in_region"]) == ("561", False)
    assert store.counts()["LOCATED_IN"] == 8
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
    assert Counter(p.code for p in report.warnings) == {"place": 10}  # postcodes that span municipalities
    orgs = orgs_by_name(store)
    vaeksthus = orgs["Væksthus Midtjylland"]  # lead with CVR in 2007-13, partner in 2014-20: one node
    assert (vaeksthus["id"], vaeksthus["municipality_code"], vaeksthus["town"]) == ("org-cvr-30089456", "751", "Århus N")
    # lead of 9 projects in 2007-13 and 1 in 2014-20; named in 5 partner cells of 2014-20
    roles = Counter(p["role"] for p in store.list_participations() if p["org_id"] == "org-cvr-30089456")
    assert roles == {"lead": 10, "partner": 5}
    assert Counter(o["in_region"] for o in orgs.values()) == {None: 62, True: 18, False: 8}
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
