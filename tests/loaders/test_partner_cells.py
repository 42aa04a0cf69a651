"""Partner cells: where a cell is split, what is kept together, which parts are persons,
and that every decision is in the import report."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from loaders.partners import KnownNames, split_partners
from loaders.persons import looks_like_person, split_person



@pytest.mark.parametrize("cell, names", [
    ("Holstebro Musikskole; Struer Bibliotek og Skive Teater",  # a ';' list joined with "og" at its end
     ["Holstebro Musikskole", "Struer Bibliotek", "Skive Teater"]),
    ("Lemvig Kunstforening, Herning Billedskole & Ikast Kunstforening",  # a comma list
     ["Lemvig Kunstforening", "Herning Billedskole", "Ikast Kunstforening"]),
    ("Holstebro Musikskole\nStruer Bibliotek\r\nLemvig Amatørteater",
     ["Holstebro Musikskole", "Struer Bibliotek", "Lemvig Amatørteater"]),
    ("Social- og Sundhedsskolen Herning. Erhvervsrådet Herning og Ikast-Brande. Landbrug og Fødevarer",
     ["Social- og Sundhedsskolen Herning", "Erhvervsrådet Herning og Ikast-Brande", "Landbrug og Fødevarer"]),
    ("Nordvestjysk Erhvervsråd V.M.B.A.. ViborgEgnens Erhvervsråd.", ["Nordvestjysk Erhvervsråd V.M.B.A", "ViborgEgnens Erhvervsråd"]),
    ("K. Balling-Engelsen A/S. P.L. Jessen & Søn ApS", ["K. Balling-Engelsen A/S", "P.L. Jessen & Søn ApS"]),
    ("Copenhagen Capacity, fonden til markedsføring og erhvervsfremme",
     ["Copenhagen Capacity, fonden til markedsføring og erhvervsfremme"]),
    ("Randers Kommune. Randers Kommune. RANDERS KOMMUNE", ["Randers Kommune"]),
    ("project. 123. ", ["project"]),
    (["Lemvig Kor", " Struer Kor "], ["Lemvig Kor", "Struer Kor"]),
    # no list, nothing known: one name each
    ("Holstebro Kommune og Struer Bibliotek", ["Holstebro Kommune og Struer Bibliotek"]),
    ("Th. Langs HF & VUC; HF & VUC Nordsjælland", ["Th. Langs HF & VUC", "HF & VUC Nordsjælland"]),
    ("Aarhus Universitet, Institut for Kultur", ["Aarhus Universitet, Institut for Kultur"]),
    ("Dansk Metal, Skive afdeling. 3F Horsens og omegn. Dansk And A/S", ["Dansk Metal, Skive afdeling", "3F Horsens og omegn", "Dansk And A/S"]),
])
def test_split(cell, names):
    assert split_partners(cell).names == names


def test_known_organisations_split_and_keep():
    known = KnownNames(declared={"heart", "herning kunstforening"}, seen={"mercantec", "tradium"})
    cell = split_partners("HEART og Herning Kunstforening. Mercantec + Tradium. Mercantec og Aarhus Tech", known=known)
    assert cell.names == ["HEART", "Herning Kunstforening", "Mercantec", "Tradium", "Mercantec og Aarhus Tech"]
    assert [(d.kind, d.piece, d.parts, d.reason) for d in cell.decisions] == [
        ("split", "HEART og Herning Kunstforening", ("HEART", "Herning Kunstforening"), "each part is a known organisation"),
        ("split", "Mercantec + Tradium", ("Mercantec", "Tradium"), "each part is a known organisation"),
        ("kept", "Mercantec og Aarhus Tech", ("Mercantec og Aarhus Tech",), "not every part is a known organisation"),
    ]
    # the whole name known as well as its parts: the parts win; a name known whole stays whole
    assert split_partners("Musik og Ord Lemvig", known=lambda n: n == "Musik og Ord Lemvig").names == ["Musik og Ord Lemvig"]
    assert split_partners("Struer Bibliotek og Skive Teater",
                          keep_together=frozenset({"struer bibliotek og skive teater"})).names == ["Struer Bibliotek og Skive Teater"]


@pytest.mark.parametrize("part, org, persons", [
    ("NIVU v/Jens-Jørgen Baastrup", "NIVU", ["Jens-Jørgen Baastrup"]),
    ("Hanstholm Fiskeeksportørforening v. Carsten Beith", "Hanstholm Fiskeeksportørforening", ["Carsten Beith"]),
    ("Struer Bibliotek att. Anne Holm", "Struer Bibliotek", ["Anne Holm"]),
    ("v/ Rasmus Johnsen I/S v/ Mette Møller Johnsen", "Rasmus Johnsen I/S", ["Mette Møller Johnsen"]),
    ("Acura Advokatpartnerselskab, Andreas Kærsgaard Mylin", "Acura Advokatpartnerselskab", ["Andreas Kærsgaard Mylin"]),
    ("Søren Houmøller, 1 st Mile", "1 st Mile", ["Søren Houmøller"]),
    ("Tobias Lau", None, ["Tobias Lau"]),
    ("Niels-Erik Wischmann", None, ["Niels-Erik Wischmann"]),
    # organisations: a legal form, an organisation word, a first name not on the list, capitals
    ("Hydrogen Innovation & Research Centre v/HIH Development A/S", "Hydrogen Innovation & Research Centre v/HIH Development A/S", []),
    ("Karl Morten ApS", "Karl Morten ApS", []),
    ("Henning Larsen Achitechts", "Henning Larsen Achitechts", []),
    ("Jan C Design & Kommunikation", "Jan C Design & Kommunikation", []),
    ("Dansk Metalarbejderforbund, Silkeborg Afd", "Dansk Metalarbejderforbund, Silkeborg Afd", []),
    ("Haldor Topsøe", "Haldor Topsøe", []),
    ("JØRGEN MØLLER", "JØRGEN MØLLER", []),
])
def test_persons(part, org, persons):
    assert split_person(part) == (org, persons)


def test_person_rules():
    assert looks_like_person("Mette Møller Johnsen") and not looks_like_person("Peter Larsen Kaffe")
    assert not looks_like_person("Carsten Beith A/S", context=True)
    # a declared organisation named like a person stays an organisation
    assert split_partners("Niels Brock. Tobias Lau", known=KnownNames(declared={"niels brock"})).names == ["Niels Brock"]


def _cells() -> dict[int, str]:
    with open(Path(__file__).parent / "data" / "eu_partner_cells_extract.csv", encoding="utf-8", newline="") as f:
        return {i: row["parter"] for i, row in enumerate(csv.DictReader(f), start=2)}


@pytest.mark.parametrize("row, names, persons", [
    (3, ["Landbrugsrådet", "Bornholms Regionskommune", "Bornholms Landbrug", "Landbrug og Fødevarer",
         "Dansk Landbrugs Grovvareselskab A.M.B.A"], ["Tobias Lau"]),
    (4, ["Aalborg Universitet", "Industriens Uddannelser", "NIVU"], ["Jens-Jørgen Baastrup"]),
    (5, ["Hjørring Kommune", "Frederikshavn Erhvervsråd", "JØRGEN JEPPESENS EFTF. ApS", "PBT TEKNIK ApS",
         "Harris Pye Scandinavia - Filial af Harris Pye Marine ltd, England"], []),
    (7, ["Syddansk Universitet", "Svendborg Kommune", "VIND & SOL s.m.b.a", "DEIF A/S", "A/S Kurt Hansen",
         "Alusteel ApS", "Karl Morten ApS"], []),
    (10, ["Acura Advokatpartnerselskab"], ["Andreas Kærsgaard Mylin"]),
    (14, ["Dansk Industri", "Aalborg Universitet", "Billund Lufthavn A/S", "Bornholms Lufthavn", "SAS Danmark A/S",
          "Sønderborg Lufthavn", "Karup Lufthavn A.M.B.A", "Aarhus Lufthavn"], []),
    (16, ["Aalborg Universitet", "Væksthus Nordjylland", "Rasmus Johnsen I/S", "Sparekassen Farsø", "Strandgaard & Co A/S",
          "Kemic Vandrens A/S", "Provital ApS", "LicTech International A/S",
          "GPA Flowsystem Filial af GPA Flowsystem AB, Sverige", "LØKKEN SPA OG POOL A/S"], ["Mette Møller Johnsen"]),
])
def test_real_cells(row, names, persons):
    cell = split_partners(_cells()[row])
    assert (cell.names, cell.persons) == (names, persons)


def test_real_cells_dots():
    cells = _cells()
    assert split_partners(cells[13]).names[8:11] == ["SOSU Nykøbing F", "VUC Storstrøm", "VUC Vestsjælland Nord"]
    assert split_partners(cells[17]).names[7:9] == ["EnergyMap.dk", "Frederikssund Erhvervs- og Turistcenter"]
    big = split_partners(cells[15]).names
    # 132 pieces at ". ", 111 different: "Th. Langs" and "afd. 4" are one name each, and "FOA - Fag og
    # Arbejde" is "FOA Fag og Arbejde" -> 108
    assert (len(big), "Th. Langs HF & VUC" in big, "Th" in big, "Langs HF & VUC" in big) == (108, True, False, False)


def test_report_names_every_decision(store, load):
    report = load("kulturaktoerer.csv", "partner_cells.csv")
    assert report.written and report.errors == []
    decisions = [(p.severity, p.code, p.file, p.row, p.column, p.value, p.message)
                 for p in report.problems if p.code.startswith("partner_")]
    korsang = "Holstebro Kammerkor + Lemvig Kirkekor\nStruer Bibliotek att. Anne Holm\nTobias Lau"
    assert decisions == [
        ("info", "partner_split", "partner_cells.csv", 2, "Partnere", "HEART og Herning Kunstforening",
         "split 'HEART og Herning Kunstforening' into 2 partners: 'HEART' | 'Herning Kunstforening' "
         "(each part is a known organisation)"),
        ("info", "partner_kept", "partner_cells.csv", 3, "Partnere", "Th. Langs HF & VUC; HF & VUC Nordsjælland",
         "kept 'Th. Langs HF & VUC' as one partner (not every part is a known organisation)"),
        ("info", "partner_kept", "partner_cells.csv", 3, "Partnere", "Th. Langs HF & VUC; HF & VUC Nordsjælland",
         "kept 'HF & VUC Nordsjælland' as one partner (not every part is a known organisation)"),
        ("info", "partner_split", "partner_cells.csv", 5, "Partnere",
         "Lemvig Musikskole, Struer Musikskole og Holstebro Musikskole",
         "split 'Lemvig Musikskole, Struer Musikskole og Holstebro Musikskole' into 3 partners: "
         "'Lemvig Musikskole' | 'Struer Musikskole' | 'Holstebro Musikskole' (the cell lists with commas)"),
        ("info", "partner_split", "partner_cells.csv", 6, "Partnere", korsang,
         "split 'Holstebro Kammerkor + Lemvig Kirkekor' into 2 partners: 'Holstebro Kammerkor' | 'Lemvig Kirkekor' "
         "(each part is a known organisation)"),
        ("info", "partner_person", "partner_cells.csv", 6, "Partnere", korsang,
         "'Anne Holm' in 'Struer Bibliotek att. Anne Holm' looks like a person's name; not imported as an organisation"),
        ("info", "partner_person", "partner_cells.csv", 6, "Partnere", korsang,
         "'Tobias Lau' in 'Tobias Lau' looks like a person's name; not imported as an organisation"),
    ]
    person = next(p for p in report.problems if p.code == "partner_person")
    assert person.action == ("a private person is not imported as an organisation; if it is an organisation, "
                             "add the name to [partners] organisations in a mapping file")
    names = {o["id"]: o["name"] for o in store.list_organisations()}
    titles = {p["id"]: p["title"] for p in store.list_projects()}
    partners: dict[str, set[str]] = {}
    for p in store.list_participations():
        partners.setdefault(titles[p["project_id"]], set()).add(names[p["org_id"]])
    assert partners["Kunst i Herning"] == {"Herning Bibliotekerne", "HEART", "Herning Kunstforening"}
    assert partners["Korsang"] == {"Lemvig Bibliotek", "Holstebro Kammerkor", "Lemvig Kirkekor", "Struer Bibliotek"}
    assert "Tobias Lau" not in names.values() and "Anne Holm" not in names.values()


def test_override_in_mapping(store, load):
    report = load("partner_cells.csv", mapping={"partners": {"organisations": ["Tobias Lau"],
                                                             "keep_together": ["Lemvig Musikskole, Struer Musikskole og Holstebro Musikskole"]}})
    assert [p.message for p in report.problems if p.code.startswith("partner_") and p.row in (5, 6)] == [
        "kept 'Lemvig Musikskole, Struer Musikskole og Holstebro Musikskole' as one partner (listed in [partners] keep_together)",
        "kept 'Holstebro Kammerkor + Lemvig Kirkekor' as one partner (not every part is a known organisation)",
        "'Anne Holm' in 'Struer Bibliotek att. Anne Holm' looks like a person's name; not imported as an organisation",
    ]
    assert {"Tobias Lau", "Lemvig Musikskole, Struer Musikskole og Holstebro Musikskole"} <= {
        o["name"] for o in store.list_organisations()}


def test_eu_extract_decisions(load):
    report = load("eu_partner_cells_extract.csv", dry_run=True)
    assert Counter(p.code for p in report.problems if p.code.startswith("partner_")) == {
        "partner_kept": 24, "partner_person": 5}
    # "Niels Brock" (a business school) is the lead of row 12, so an organisation in row 6
    persons = [(p.row, p.message.split("'")[1]) for p in report.problems if p.code == "partner_person"]
    assert persons == [(3, "Tobias Lau"), (4, "Jens-Jørgen Baastrup"), (8, "Carsten Beith"),
                       (10, "Andreas Kærsgaard Mylin"), (16, "Mette Møller Johnsen")]
    kept = [p.message for p in report.problems if p.code == "partner_kept" and p.row == 15]
    assert (len(kept), kept[2]) == (13, "kept 'Th. Langs HF & VUC' as one partner (not every part is a known organisation)")
