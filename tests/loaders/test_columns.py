"""Headers in Danish and English, and what a table holds."""

from __future__ import annotations

import pytest

from graphsvc.errors import InputError
from loaders.columns import detect_kind, field_of, map_columns
from loaders.mapping import load_mapping


@pytest.mark.parametrize("header, field", [
    ("Navn", "name"), ("NAME", "name"), ("Kommune", "municipality"), ("Postnr.", "postcode"),
    ("Postnummer", "postcode"), ("By", "town"), ("CVR-nr.", "cvr"), ("Type", "kind"),
    ("Kunstart", "art_forms"), ("Art form", "art_forms"), ("Målgruppe", "target_groups"),
    ("MÅLGRUPPER", "target_groups"), ("Projekt", "title"), ("Partnere", "partners"), ("Rolle", "role"),
    ("År", "year"), ("Beløb", "amount"), ("Tilskud", "amount"), ("Budget", "amount"), ("Startår", "start_year"),
    ("Slutår", "end_year"), ("Postnr / Operation postcode", "postcode"),
    ("Kontraktansvarlig partner / Beneficiary name", "lead"), ("Partner 2", "partner"),
    ("Netværk", "network"), ("Arrangement", "event"), ("Bemærkning", None),
])
def test_headers(header, field):
    assert field_of(header) == field


def test_explicit_mapping_wins_and_numbered_organisations():
    columns = map_columns(["Forening", "Ansøgt af", "Organisation 1", "Organisation 2", "E-mail"], {"Ansøgt af": "lead"})
    assert [(c.header, c.field, c.personal) for c in columns] == [
        ("Forening", "name", False), ("Ansøgt af", "lead", False), ("Organisation 1", "name", False),
        ("Organisation 2", "partner", False), ("E-mail", None, True)]


@pytest.mark.parametrize("fields, hint, kind", [
    ({"name", "municipality"}, "foreninger.csv", "actor"),
    ({"name", "municipality"}, "institutioner.xlsx", "institution"),
    ({"title", "start_year"}, None, "project"),
    ({"title", "lead", "partners"}, None, "project"),
    ({"title", "lead", "amount", "year", "partners"}, None, "grant"),
    ({"name", "title", "role"}, None, "participation"),
    ({"org_id", "project_id", "role"}, "participations.csv", "participation"),
    ({"name", "partner", "since"}, None, "collaboration"),
    ({"source_id", "target_id"}, None, "collaboration"),
    ({"name", "network"}, None, "membership"),
    ({"name", "event", "year"}, None, "attendance"),
    ({"id", "name", "theme"}, "networks.csv", "network"),
    ({"lead", "partners"}, None, None),
    ({"postcode"}, "x.csv", None),
])
def test_kind_detection(fields, hint, kind):
    assert detect_kind(fields, hint) == kind


def test_mapping_file(tmp_path):
    path = tmp_path / "map.toml"
    path.write_text(
        'kind = "grant"\n[columns]\n"Ansøger" = "lead"\n[sheets.Ark2]\nkind = "collaboration"\n'
        '[resolve]\nfuzzy_threshold = 95\ndistinct = [["A", "B"]]\n', encoding="utf-8")
    mapping = load_mapping(path)
    assert mapping.spec_for("x.xlsx", "Ark2", None) == ("collaboration", {"Ansøger": "lead"})
    assert mapping.spec_for("x.xlsx", "Ark1", None) == ("grant", {"Ansøger": "lead"})
    assert mapping.spec_for("x.xlsx", "Ark2", "actor")[0] == "actor"
    assert mapping.resolve.distinct == [("A", "B")]


@pytest.mark.parametrize("content, message", [
    ('[columns]\n"Navn" = "nme"\n', "map.toml: columns: Value error, column 'Navn' is mapped to 'nme', which is not a field"),
    ('kind = "people"\n', "map.toml: kind: Value error, kind 'people' is not one of"),
    ('[colums]\n', "map.toml: colums: Extra inputs are not permitted"),
    ('kind = \n', "mapping file map.toml cannot be read"),
])
def test_bad_mapping_files(tmp_path, content, message):
    path = tmp_path / "map.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_mapping(path)
    assert e.value.detail.startswith(message)
