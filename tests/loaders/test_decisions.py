"""Decisions stored in the graph are followed by every later import, can be undone, and
export as a mapping file that says the same."""

from __future__ import annotations

import re

from graphsvc.settings import Settings
from graphsvc.store import open_store
from graphsvc.store.decisions import new_decision
from loaders import import_files, load_mapping
from loaders.mapping import decisions_to_toml

ORGS = "Navn;Kommune\nKulturhuset;Lemvig\nKulturhuset;Struer\nSkive Teater;Skive\nLemvig Kor;Lemvig\n"
# project A's lead is in Lemvig, so its 'Kulturhuset' is Lemvig's; B's (Skive) is ambiguous
PROJECTS = ("Projekt;År;Ansøger;Kommune;Partnere\n"
            "A;2024;Lemvig Kor;Lemvig;Kulturhuset\nB;2024;Skive Teater;Skive;Kulturhuset\n"
            "C;2025;Skive Teater;Skive;Diverse frivillige\n")


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _partners(store) -> set[tuple[str, str]]:
    return {(r["org_id"], r["project_id"]) for r in store.list_participations() if r["role"] == "partner"}


def test_a_stored_decision_resolves_the_name_in_every_later_import(store, load, tmp_path):
    load(_write(tmp_path, "orgs.csv", ORGS))
    projects = _write(tmp_path, "p.csv", PROJECTS)
    report = load(projects)
    assert not report.written and [p.code for p in report.errors] == ["ambiguous_name"]
    store.upsert_decisions([new_decision("same", "Kulturhuset", target="org-kulturhuset-671", why="B er i Struer")])
    store.upsert_decisions([new_decision("not_organisation", "Diverse frivillige")])

    report = load(projects)
    assert report.written and report.errors == []
    assert [(p.code, p.value) for p in report.problems if p.code == "not_organisation"] == [
        ("not_organisation", "Diverse frivillige")]
    # the decision names Struer's for both rows: a decision is stronger than the lead's town
    assert _partners(store) == {("org-kulturhuset-671", "prj-a-2024"), ("org-kulturhuset-671", "prj-b-2024")}
    before = store.counts()
    again = load(projects)
    assert again.errors == [] and not again.written and store.counts() == before

    # undone: the name is ambiguous again
    [same] = [d for d in store.list_decisions() if d["kind"] == "same"]
    store.delete_decision(same["id"])
    [error] = load(projects).errors
    assert error.code == "ambiguous_name"
    # each candidate with a few of its partners in stored projects
    assert [(c["id"], c["partners"]) for c in error.candidates] == [
        ("org-kulturhuset-665", []), ("org-kulturhuset-671", ["Lemvig Kor", "Skive Teater"])]


def test_the_export_is_a_mapping_that_decides_the_same(store, load, tmp_path):
    load(_write(tmp_path, "orgs.csv", ORGS))
    store.upsert_decisions([
        new_decision("same", "Kulturhuset", target="org-kulturhuset-671"),
        new_decision("not_organisation", "Diverse frivillige"),
        new_decision("distinct", "Skive Teater", target="Skive Teatret"),
        new_decision("keep_together", "Skive og Omegn"),
    ])
    store.correct_organisation("org-skive-teater-779", field="size", value="large")
    text = decisions_to_toml(store.list_decisions())
    path = _write(tmp_path, "beslutninger.toml", text)
    mapping = load_mapping(path)
    assert mapping.resolve.same == [("Kulturhuset", "org-kulturhuset-671")]
    assert mapping.resolve.distinct == [("Skive Teater", "Skive Teatret")]
    assert mapping.resolve.not_organisations == ["Diverse frivillige"]
    assert mapping.partners.keep_together == ["Skive og Omegn"]
    assert mapping.corrections == {"org-skive-teater-779": {"size": "large"}}

    # a fresh store with the same organisations and the exported file: the same links
    other = open_store(Settings(in_memory=True))
    try:
        import_files(other, [tmp_path / "orgs.csv"])
        report = import_files(other, [_write(tmp_path, "p.csv", PROJECTS)], mapping=path)
        assert report.errors == [] and _partners(other) == _partners_after(store, tmp_path)
        sizes = {o["id"]: o["size"] for o in other.list_organisations()}
        assert sizes["org-skive-teater-779"] == "large"
    finally:
        other.close()


def _partners_after(store, tmp_path) -> set[tuple[str, str]]:
    import_files(store, [tmp_path / "p.csv"])
    return _partners(store)


def test_a_correction_survives_a_file_that_says_otherwise(store, load, tmp_path, orgs_by_name):
    orgs = _write(tmp_path, "orgs.csv", ORGS)
    load(orgs)
    decision = store.correct_organisation("org-skive-teater-779", field="municipality_code", value="661",
                                          why="flyttet til Holstebro")
    teater = orgs_by_name(store)["Skive Teater"]
    assert (teater["municipality_code"], teater["municipality_source"], teater["in_region"]) == ("661", "user", True)
    report = load(orgs)  # the file still says Skive
    assert report.counts["actors"] == {"created": 0, "updated": 0, "unchanged": 4}
    assert not report.written
    assert orgs_by_name(store)["Skive Teater"]["municipality_code"] == "661"
    # undone: the organisation is as before, and the next import follows the file
    store.delete_decision(decision["id"])
    teater = orgs_by_name(store)["Skive Teater"]
    assert (teater["municipality_code"], teater["municipality_source"]) == ("779", "column")
    assert store.list_decisions() == []


def test_a_merged_id_and_name_lead_to_the_survivor(store, load, tmp_path, orgs_by_name):
    load(_write(tmp_path, "orgs.csv", ORGS + "Skive Teatret;Skive\n"))
    before = store.counts()
    merge = store.merge_organisations("org-skive-teatret-779", "org-skive-teater-779")
    assert store.counts() == before | {"Actor": before["Actor"] - 1, "LOCATED_IN": before["LOCATED_IN"] - 1}
    assert (merge["name"], merge["target"], merge["value"]) == ("Skive Teatret", "org-skive-teater-779",
                                                                 "org-skive-teatret-779")
    report = load(_write(tmp_path, "p.csv", "Projekt;År;Ansøger;Kommune\nC;2025;Skive Teatret;Skive\n"))
    assert report.errors == [] and report.counts["actors"] == {"created": 0, "updated": 0, "unchanged": 1}
    assert {(r["org_id"], r["role"]) for r in store.list_participations()} == {("org-skive-teater-779", "lead")}
    assert "Skive Teatret" not in orgs_by_name(store)


def test_the_report_in_danish_names_the_candidates(load, tmp_path):
    load(_write(tmp_path, "orgs.csv", ORGS))
    report = load(_write(tmp_path, "p.csv", PROJECTS))
    text = report.to_text(lang="da")
    assert text.splitlines()[0] == "ikke indlæst: intet er skrevet på grund af fejlene nedenfor"
    assert ("  p.csv, række 3, kolonne »Partnere«: »Kulturhuset« passer på 2 organisationer: Kulturhuset (Lemvig); "
            "Kulturhuset (Struer) — vælg den rigtige på gennemgangssiden, eller skriv kommune eller CVR i rækken"
            ) in text.splitlines()
    assert "org-kulturhuset" not in text
    english = {"error", "errors", "warning", "warnings", "matches", "organisations", "created", "updated",
               "unchanged", "row", "column", "the", "and", "not", "imported", "actors", "projects"}
    assert set(re.findall(r"[a-zæøå]+", text.casefold())) & english == set()
    payload = report.to_dict(lang="da")
    assert payload["status"] == "ikke indlæst: intet er skrevet på grund af fejlene nedenfor"
    assert payload["labels"]["kinds"]["participations"] == "deltagelser i projekter"
