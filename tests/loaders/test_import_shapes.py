"""Each shape of file a user has imports into the graph, and importing it again is a no-op."""

from __future__ import annotations

import json

from openpyxl import Workbook

from loaders import import_files


def _totals(report):
    return {k: (c["created"], c["updated"], c["unchanged"]) for k, c in report.counts.items()}


def test_danish_excel_actor_list(store, load, orgs_by_name):
    report = load("dansk_excel.csv")
    assert report.written and report.errors == []
    assert _totals(report) == {"actors": (9, 0, 0)}
    orgs = orgs_by_name(store)
    assert {n: (o["municipality_code"], o["in_region"]) for n, o in orgs.items()} == {
        "Lemvig Amatørteater": ("665", True),
        "Århus Jazzorkester": ("751", True),
        "Ringkøbing Kunstforening": ("760", True),
        "Brande Kulturhus": ("756", True),
        "Silkeborg Bad": ("740", True),
        "Musikhuset Aarhus": ("751", True),
        "Struer Museum": ("671", True),  # 7600 lies in Holstebro, Lemvig and Struer; the post town is Struer
        "Glaspusteriet i Silkeborg": ("740", True),
        "Helsingør Teater": ("217", False),  # outside the region: kept and flagged
    }
    assert {n: o["municipality_source"] for n, o in orgs.items() if o["municipality_source"] != "column"} == {
        "Struer Museum": "postcode_town", "Glaspusteriet i Silkeborg": "postcode_town"}
    lemvig = orgs["Lemvig Amatørteater"]
    assert (lemvig["id"], lemvig["kind"], lemvig["art_forms"], lemvig["target_groups"], lemvig["staff"],
            lemvig["budget_dkk"], lemvig["postcode"], lemvig["town"]) == (
        "org-lemvig-amatoerteater-665", "teatergruppe", ["teater"], ["børn", "unge"], 2, 85000.0, "7620", "Lemvig")
    assert lemvig["extra"] == {"Bemærkning": "Spiller i Tangen"}  # unknown column kept
    assert orgs["Århus Jazzorkester"]["budget_dkk"] == 1250000.5
    assert orgs["Silkeborg Bad"]["id"] == "org-cvr-30089456"
    assert report.warnings == []
    # every Danish municipality is a node, so Helsingør Teater is located too
    assert store.counts()["LOCATED_IN"] == 9


def test_project_table_with_partner_cells(store, load):
    report = load("partners_mixed.csv")
    assert _totals(report) == {"actors": (12, 0, 0), "projects": (4, 0, 0), "participations": (16, 0, 0)}
    by_project = {}
    names = {o["id"]: o["name"] for o in store.list_organisations()}
    titles = {p["id"]: p["title"] for p in store.list_projects()}
    for row in store.list_participations():
        by_project.setdefault(titles[row["project_id"]], set()).add((names[row["org_id"]], row["role"]))
    assert by_project == {
        "Børneteater på tværs": {("Lemvig Amatørteater", "lead"), ("Holstebro Musikskole", "partner"),
                                 ("Struer Bibliotek", "partner"), ("Skive Teater", "partner")},
        "Kunst i landskabet": {("Struer Museum", "lead"), ("Lemvig Kunstforening", "partner"),
                               ("Herning Billedskole", "partner"), ("Ikast Kunstforening", "partner")},
        "Fjordens stemmer": {("Skive Teater", "lead"), ("Holstebro Musikskole", "partner"),
                             ("Struer Bibliotek", "partner"), ("Lemvig Amatørteater", "partner")},
        "Social- og Sundhedsskolen synger": {("Herning Kammerkor", "lead"),
                                             ("Social- og Sundhedsskolen Herning", "partner"),
                                             ("Erhvervsrådet Herning og Ikast-Brande", "partner"),
                                             ("Landbrug og Fødevarer", "partner")},
    }
    project = next(p for p in store.list_projects() if p["title"] == "Børneteater på tværs")
    assert (project["id"], project["start_year"], project["end_year"], project["budget_dkk"]) == (
        "prj-boerneteater-paa-tvaers-2022", 2022, 2023, 120000.0)
    assert [(p.row, p.column, p.value, p.message) for p in report.problems if p.code.startswith("partner_")] == [
        (2, "Partnere", "Holstebro Musikskole; Struer Bibliotek og Skive Teater",
         "split 'Struer Bibliotek og Skive Teater' into 2 partners: 'Struer Bibliotek' | 'Skive Teater' "
         "(each part is a known organisation)"),  # both stand alone in row 4
        (3, "Partnere", "Lemvig Kunstforening, Herning Billedskole & Ikast Kunstforening",
         "split 'Lemvig Kunstforening, Herning Billedskole & Ikast Kunstforening' into 3 partners: "
         "'Lemvig Kunstforening' | 'Herning Billedskole' | 'Ikast Kunstforening' (the cell lists with commas)"),
        (5, "Partnere", "Social- og Sundhedsskolen Herning. Erhvervsrådet Herning og Ikast-Brande. Landbrug og Fødevarer",
         "kept 'Erhvervsrådet Herning og Ikast-Brande' as one partner (not every part is a known organisation)"),
        (5, "Partnere", "Social- og Sundhedsskolen Herning. Erhvervsrådet Herning og Ikast-Brande. Landbrug og Fødevarer",
         "kept 'Landbrug og Fødevarer' as one partner (not every part is a known organisation)"),
    ]


def test_edge_list(store, load):
    load("dansk_excel.csv")
    report = load("edges.csv")
    assert _totals(report) == {"actors": (3, 0, 1), "projects": (2, 0, 0), "participations": (5, 0, 0)}
    roles = sorted((r["org_id"], r["project_id"], r["role"]) for r in store.list_participations())
    assert roles == [
        ("org-holstebro-musikskole-661", "prj-teater-i-skolen-2021", "partner"),
        ("org-lemvig-amatoerteater-665", "prj-teater-i-skolen-2021", "lead"),
        ("org-skive-teater-779", "prj-laeselyst-2022", "partner"),
        ("org-struer-bibliotek-671", "prj-laeselyst-2022", "lead"),
        ("org-struer-bibliotek-671", "prj-teater-i-skolen-2021", "partner"),
    ]


def test_declared_collaborations(store, load):
    report = load("collaborations.csv")
    assert _totals(report) == {"actors": (4, 0, 0), "collaborations": (2, 0, 0)}
    # the pair declared in both directions is one tie, since the earlier year; the
    # partner column has no municipality, so Skive Teater is known by its name only
    assert sorted((r["source_id"], r["target_id"], r["since"]) for r in store.list_collaborations()) == [
        ("org-lemvig-amatoerteater-665", "org-holstebro-musikskole-661", 2018),
        ("org-struer-bibliotek-671", "org-skive-teater", 2020),
    ]


def test_memberships_and_attendance(store, load):
    report = load("memberships.csv", "attendance.csv")
    assert _totals(report) == {"actors": (3, 0, 0), "networks": (2, 0, 0), "events": (2, 0, 0),
                               "memberships": (3, 0, 0), "attendances": (3, 0, 0)}
    assert sorted((e["id"], e["name"], e["year"]) for e in store.list_events()) == [
        ("evt-kulturmoedet-midt-2023", "Kulturmødet Midt", 2023),
        ("evt-kulturmoedet-midt-2024", "Kulturmødet Midt", 2024),
    ]
    assert sorted(n["id"] for n in store.list_networks()) == [
        "net-litteraturnetvaerket-vest", "net-netvaerk-for-scenekunst-for-boern"]


def test_grant_list(store, load):
    report = load("grants.csv")
    assert report.files[0]["kind"] == "grant"
    # "Holstebro Musikskole og Skive Teater" (no list, Holstebro Musikskole not known) is one name, reported
    assert _totals(report) == {"actors": (5, 0, 0), "projects": (2, 0, 0), "participations": (5, 0, 0)}
    assert [(p.code, p.row) for p in report.problems if p.code.startswith("partner_")] == [("partner_kept", 3)]
    projects = {p["title"]: (p["start_year"], p["budget_dkk"]) for p in store.list_projects()}
    assert projects == {"Sommerspil ved fjorden": (2024, 150000.0), "Korfestival Midt": (2025, 2500000.0)}


def test_every_shape_again_is_a_no_op(store, load):
    files = ["dansk_excel.csv", "partners_mixed.csv", "edges.csv", "collaborations.csv", "memberships.csv",
             "attendance.csv", "grants.csv", "duplicates.csv"]
    first = load(*files)
    assert first.written and first.errors == []
    counts, version = store.counts(), store.version
    again = load(*files)
    assert not again.written and store.version == version and store.counts() == counts
    assert all(c["created"] == c["updated"] == 0 for c in again.counts.values())
    assert again.status() == "nothing to write: the store already holds all of it"


def test_xlsx_with_two_sheets_and_a_title_row(store, tmp_path, orgs_by_name):
    wb = Workbook()
    actors = wb.active
    actors.title = "Aktører"
    actors.append(["Kulturaktører i Vestjylland 2024"])
    actors.append([])
    actors.append(["Navn", "Kommune", "CVR", "Antal ansatte"])
    actors.append(["Lemvig Amatørteater", "Lemvig", 29189609, 3])
    actors.append(["Struer Bibliotek", "Struer", None, 12])
    projects = wb.create_sheet("Projekter")
    projects.append(["Projekt", "Startår", "Lead", "Partnere", "Budget"])
    projects.append(["Læselyst", 2022, "Struer Bibliotek", "Lemvig Amatørteater", 45000.5])
    path = tmp_path / "kultur.xlsx"
    wb.save(path)
    report = import_files(store, [path])
    assert [(f["sheet"], f["kind"], f["rows"]) for f in report.files] == [("Aktører", "actor", 2), ("Projekter", "project", 1)]
    assert [p.message for p in report.problems] == ["the header is in row 3; the rows above it were skipped"]
    orgs = orgs_by_name(store)
    assert (orgs["Lemvig Amatørteater"]["cvr"], orgs["Lemvig Amatørteater"]["staff"]) == ("29189609", 3)
    assert [(p["title"], p["start_year"], p["budget_dkk"]) for p in store.list_projects()] == [("Læselyst", 2022, 45000.5)]
    assert len(store.list_participations()) == 2
    # one sheet only
    report = import_files(store, [path], sheet="Projekter", dry_run=True)
    assert [f["sheet"] for f in report.files] == ["Projekter"]


def test_json_and_json_lines(store, tmp_path, orgs_by_name):
    actors = tmp_path / "aktoerer.json"
    actors.write_text(json.dumps([
        {"navn": "Lemvig Amatørteater", "kommune": "Lemvig", "kunstart": ["teater", "dans"]},
        {"navn": "Struer Bibliotek", "kommune": 671, "ansatte": 12},
    ], ensure_ascii=False), encoding="utf-8")
    events = tmp_path / "deltagelse.jsonl"
    events.write_text('{"navn": "Struer Bibliotek", "kommune": "Struer", "arrangement": "Kulturmødet Midt", "år": 2024}\n',
                      encoding="utf-8")
    report = import_files(store, [actors, events])
    assert _totals(report) == {"actors": (2, 0, 0), "events": (1, 0, 0), "attendances": (1, 0, 0)}
    orgs = orgs_by_name(store)
    assert orgs["Lemvig Amatørteater"]["art_forms"] == ["teater", "dans"]
    assert (orgs["Struer Bibliotek"]["municipality_code"], orgs["Struer Bibliotek"]["staff"]) == ("671", 12)


def test_kind_option_reads_a_list_as_institutions(store, load):
    report = load("dansk_excel.csv", kind="institution")
    assert _totals(report) == {"institutions": (9, 0, 0)}
    assert {o["label"] for o in store.list_organisations()} == {"Institution"}
