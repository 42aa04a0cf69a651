"""Municipalities from names, codes, postcodes and towns."""

from __future__ import annotations

import pytest

from loaders.places import locate, municipality_code


@pytest.mark.parametrize("value, code", [
    ("Århus", "751"), ("Aarhus Kommune", "751"), ("AARHUS", "751"), ("Ringkøbing Skjern", "760"),
    ("Ringkøbing-Skjern Kommune", "760"), ("ikast-brande", "756"), ("751", "751"), ("0751", "751"),
    (751.0, "751"), ("Samsø", "741"), ("Helsingør", "217"), ("Københavns Kommune", "101"),
    ("København", "101"), ("Atlantis", None), ("999", None),
])
def test_municipality_spellings(value, code):
    assert municipality_code(value) == code


def test_unique_postcode_gives_the_municipality():
    place = locate(postcode="7620", town="Lemvig")
    assert (place.municipality_code, place.in_region, place.postcode, place.notes) == ("665", True, "7620", [])


def test_ambiguous_postcode_is_reported_not_guessed():
    place = locate(postcode="8600")
    assert place.municipality_code is None
    assert place.in_region is True  # every candidate is in the region
    assert [n.message for n in place.notes] == [
        "postcode 8600 lies in 3 municipalities: Silkeborg (740), Skanderborg (746), Ikast-Brande (756)"]


def test_outside_the_region_is_kept_and_flagged():
    assert (locate(municipality="Helsingør").municipality_code, locate(municipality="Helsingør").in_region) == ("217", False)
    place = locate(postcode="3000")
    assert (place.municipality_code, place.in_region) == ("217", False)


def test_municipality_wins_over_a_contradicting_postcode():
    place = locate(municipality="Lemvig", postcode="8000")
    assert place.municipality_code == "665"
    assert place.notes[0].message == "8000 lies in Aarhus (751), the row says Lemvig (665); kept Lemvig"


def test_unknown_values_are_reported():
    place = locate(municipality="Atlantis", postcode="12345")
    assert place.municipality_code is None
    assert [n.column for n in place.notes] == ["municipality", "postcode"]
