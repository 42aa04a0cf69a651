"""One organisation under several spellings becomes one node, in a file, across files and
against the store; fuzzy matches are reported and can be overridden."""

from __future__ import annotations



def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_spelling_variants_and_missing_cvr_are_one_node(store, load, orgs_by_name):
    report = load("duplicates.csv")
    assert report.counts == {"actors": {"created": 4, "updated": 0, "unchanged": 0}}
    orgs = orgs_by_name(store)
    assert sorted(orgs) == ["Holstebro Musikskole", "Lemvig Amatørteater", "Skive Bibliotek", "Struer Bibliotek"]
    lemvig = orgs["Lemvig Amatørteater"]
    assert (lemvig["id"], lemvig["cvr"], lemvig["kind"]) == ("org-cvr-29189609", "29189609", "teatergruppe")
    assert report.merges == [
        {"id": "org-cvr-29189609", "label": "Actor", "name": "Lemvig Amatørteater",
         "spellings": ["LEMVIG AMATØRTEATER", "Lemvig Amatør-teater", "Lemvig Amatørteater", "Lemvig Amatørteatr"]},
        {"id": "org-holstebro-musikskole-661", "label": "Actor", "name": "Holstebro Musikskole",
         "spellings": ["Holstebro Musikskole", "Holstebro musikskole"]},
    ]
    # ratio of the folded names: 'lemvig amatoer teater' (21) vs 'lemvig amatoerteater' (20)
    # differ by one insertion: 100 * 40/41 = 97.6; 'lemvig amatoerteatr' (19): 100 * 38/39 = 97.4
    assert [(f["name"], f["matched_name"], f["score"], f["row"]) for f in report.fuzzy] == [
        ("Lemvig Amatør-teater", "Lemvig Amatørteater", 97.6, 4),
        ("Lemvig Amatørteatr", "Lemvig Amatørteater", 97.4, 5),
    ]
    assert [p.code for p in report.warnings] == ["fuzzy_match", "fuzzy_match"]


def test_a_later_file_updates_the_same_node(store, load, tmp_path, orgs_by_name):
    load("dansk_excel.csv")
    before = orgs_by_name(store)["Lemvig Amatørteater"]
    assert (before["id"], before["cvr"]) == ("org-lemvig-amatoerteater-665", None)
    # another spelling, now with a CVR and a new kind: the same node is updated
    later = _write(tmp_path, "medlemmer.csv", "Navn;Kommune;CVR;Type\nLEMVIG AMATØRTEATER;Lemvig;29189609;amatørteater\n")
    report = load(later)
    assert report.counts == {"actors": {"created": 0, "updated": 1, "unchanged": 0}}
    after = store.get_organisation("org-lemvig-amatoerteater-665")
    assert (after["name"], after["cvr"], after["kind"], after["budget_dkk"]) == (
        "Lemvig Amatørteater", "29189609", "amatørteater", 85000.0)
    assert sorted((c["field"], c["old"], c["new"]) for c in report.changes) == [
        ("cvr", None, "29189609"), ("kind", "teatergruppe", "amatørteater")]
    # a row found by its CVR renames it
    renamed = _write(tmp_path, "cvr.csv", "Navn,CVR\nLemvig Teater,29189609\n")
    load(renamed)
    assert store.get_organisation("org-lemvig-amatoerteater-665")["name"] == "Lemvig Teater"
    assert len(store.list_organisations()) == 9


def test_a_partner_cell_does_not_overwrite_what_is_known(store, load, tmp_path, orgs_by_name):
    load("dansk_excel.csv")
    cell = _write(tmp_path, "p.csv", "Projekt,År,Ansøger,Partnere\nFælles scene,2024,Musikhuset Aarhus,lemvig amatørteater\n")
    report = load(cell)
    assert report.counts["actors"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert orgs_by_name(store)["Lemvig Amatørteater"]["kind"] == "teatergruppe"


def test_ids_are_stable_across_stores(load, data):
    from graphsvc.settings import Settings
    from graphsvc.store import open_store
    from loaders import import_files

    ids = []
    for _ in range(2):
        other = open_store(Settings(in_memory=True))
        import_files(other, [data / "duplicates.csv", data / "partners_mixed.csv", data / "edges.csv"])
        ids.append(sorted(o["id"] for o in other.list_organisations()) + sorted(p["id"] for p in other.list_projects()))
        other.close()
    assert ids[0] == ids[1]


def test_fuzzy_matches_can_be_kept_apart_or_forced(store, load, tmp_path):
    mapping = {"resolve": {"distinct": [["Lemvig Amatørteatr", "Lemvig Amatørteater"]],
                           "same": [["Holstebro musikskole", "Holstebro Musikskole"]]}}
    report = load("duplicates.csv", mapping=mapping)
    assert [f["name"] for f in report.fuzzy] == ["Lemvig Amatør-teater"]
    names = sorted(o["name"] for o in store.list_organisations())
    assert names == ["Holstebro Musikskole", "Lemvig Amatørteater", "Lemvig Amatørteatr", "Skive Bibliotek", "Struer Bibliotek"]


def test_fuzzy_threshold_and_switch(store, load):
    from loaders import LoaderSettings

    assert load("duplicates.csv", mapping={"resolve": {"fuzzy_threshold": 99}}, dry_run=True).fuzzy == []
    assert load("duplicates.csv", settings=LoaderSettings(fuzzy_matching=False), dry_run=True).fuzzy == []


def test_names_differing_by_place_or_number_are_never_fuzzy_matched(store, load, tmp_path):
    path = _write(tmp_path, "a.csv", "Navn\nSilkeborg Kommune\nViborg Kommune\nKulturnat 2023\nKulturnat 2024\n")
    report = load(path)
    assert report.fuzzy == [] and report.counts["actors"]["created"] == 4


def test_an_ambiguous_name_is_an_error_until_the_mapping_says_which(store, load, tmp_path):
    orgs = _write(tmp_path, "orgs.csv", "Navn;Kommune\nKulturhuset;Lemvig\nKulturhuset;Struer\nSkive Teater;Skive\nLemvig Kor;Lemvig\n")
    load(orgs)
    projects = _write(tmp_path, "p.csv", "Projekt;År;Ansøger;Kommune;Partnere\n"
                                         "A;2024;Lemvig Kor;Lemvig;Kulturhuset\nB;2024;Skive Teater;Skive;Kulturhuset\n")
    report = load(projects)
    assert report.failed and not report.written
    [error] = report.errors
    assert (error.file, error.row, error.column, error.value) == ("p.csv", 3, "Partnere", "Kulturhuset")
    assert error.message == ("'Kulturhuset' matches 2 organisations: Kulturhuset (Lemvig; org-kulturhuset-665), "
                             "Kulturhuset (Struer; org-kulturhuset-671)")
    assert [(c["id"], c["name"], c["municipality"]) for c in error.candidates] == [
        ("org-kulturhuset-665", "Kulturhuset", "Lemvig"), ("org-kulturhuset-671", "Kulturhuset", "Struer")]
    # in project A the lead's municipality (Lemvig) decided; in B the mapping does
    report = load(projects, mapping={"resolve": {"same": [["Kulturhuset", "org-kulturhuset-671"]]}})
    assert report.written
    linked = {(r["org_id"], r["project_id"]) for r in store.list_participations() if r["role"] == "partner"}
    assert linked == {("org-kulturhuset-671", "prj-a-2024"), ("org-kulturhuset-671", "prj-b-2024")}


def test_an_unknown_id_is_an_error(store, load, tmp_path):
    path = _write(tmp_path, "participations.csv", "org_id,project_id,role\norg-nope,prj-nope,lead\n")
    report = load(path)
    assert [(p.code, p.message) for p in report.errors] == [
        ("unknown_id", "no organisation with id 'org-nope' in the files or the store"),
        ("unknown_id", "no project with id 'prj-nope' in the files or the store"),
    ]


def test_a_stored_actor_stays_an_actor(store, load, tmp_path):
    load("dansk_excel.csv")
    path = _write(tmp_path, "institutioner.csv", "Navn,Kommune\nMusikhuset Aarhus,Aarhus\n")
    report = load(path, kind="institution")
    assert [p.message for p in report.warnings] == [
        "'Musikhuset Aarhus' is stored as actor; this row says institution; kept actor"]
    assert store.get_organisation("org-musikhuset-aarhus-751")["label"] == "Actor"


def test_the_mapping_can_point_a_name_at_a_node_made_in_the_same_import(store, load, tmp_path):
    path = _write(tmp_path, "eu.csv",
                  "projekttitel,start_dato,cvr,navn,postnr,parter\n"
                  "A,01.01.2010,29283958,Syddansk Universitet,5230,\n"
                  "B,01.01.2015,,Syddansk Universitet,6000,\n"
                  "C,01.01.2016,,Lemvig Kor,7620,Syddansk Universitet\n")
    assert [p.code for p in load(path, dry_run=True).errors] == ["ambiguous_name"]
    report = load(path, mapping={"resolve": {"same": [["Syddansk Universitet", "org-cvr-29283958"]]}})
    assert report.written and report.errors == []
    assert sorted((r["org_id"], r["project_id"], r["role"]) for r in store.list_participations()) == [
        ("org-cvr-29283958", "prj-a-2010", "lead"),
        ("org-cvr-29283958", "prj-b-2015", "lead"),
        ("org-cvr-29283958", "prj-c-2016", "partner"),
        ("org-lemvig-kor-665", "prj-c-2016", "lead"),
    ]
    bad = load(path, dry_run=True, mapping={"resolve": {"same": [["Syddansk Universitet", "org-nope"]]}})
    assert [p.message for p in bad.errors][0] == (
        "the mapping says 'Syddansk Universitet' is 'org-nope', which is not in the files or the store")
