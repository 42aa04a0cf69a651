"""Cells as Danish Excel writes them: amounts, years, CVR numbers, roles, names."""

from __future__ import annotations

import pytest

from loaders import values as v
from loaders.text import clean, fold, name_key, slug


@pytest.mark.parametrize("cell, expected", [
    ("15.414.794", 15414794.0),
    ("32467,02", 32467.02),
    ("1.234,50", 1234.5),
    ("1,234,567.50", 1234567.5),
    ("150.000 kr.", 150000.0),
    ("DKK 2.000", 2000.0),
    ("2,5 mio.", 2500000.0),
    ("49000.0", 49000.0),
    ("1.500", 1500.0),
    (250000, 250000.0),
    ("", None),
])
def test_amounts(cell, expected):
    assert v.amount(cell) == expected


@pytest.mark.parametrize("cell", ["abc", "-5", "1.2.3", "12 stk"])
def test_bad_amounts(cell):
    with pytest.raises(v.BadValue) as e:
        v.amount(cell)
    assert e.value.severity == "error"


def test_years_and_dates():
    assert [v.year(x) for x in ("2019", 2019.0, "2019.0", "18.07.2007", "2007-07-18 00:00:00", None)] == [
        2019, 2019, 2019, 2007, 2007, None]
    with pytest.raises(v.BadValue, match="year 1850 is outside 1900–2100"):
        v.year("1850")
    with pytest.raises(v.BadValue, match="not a year: 'sidste år'"):
        v.year("sidste år")


def test_cvr_format_and_check_digit():
    assert v.cvr("DK 30 08 94 56") == "30089456"
    assert v.cvr("29189609.0") == "29189609"
    with pytest.raises(v.BadValue, match="CVR '1234567' is not 8 digits") as e:
        v.cvr("1234567")
    assert e.value.severity == "error"
    with pytest.raises(v.BadValue, match="fails the modulus-11 check") as e:
        v.cvr("12345678")
    assert (e.value.severity, e.value.value) == ("warning", "12345678")


def test_roles_sizes_lists():
    assert [v.role(x) for x in ("Projektejer", "LEDER", "ansøger", "Partner", "deltager", "")] == [
        "lead", "lead", "lead", "partner", "partner", None]
    with pytest.raises(v.BadValue, match="role 'sponsor' is neither lead nor partner"):
        v.role("sponsor")
    assert [v.size(x) for x in ("lille", "Mellem", "STOR", "medium")] == ["small", "medium", "large", "medium"]
    assert v.text_list("børn; unge |ældre, børn") == ["børn", "unge", "ældre"]
    assert v.text_list(["teater", " dans "]) == ["teater", "dans"]


def test_website_refuses_script_urls():
    assert v.website("https://www.example.dk") == "https://www.example.dk"
    with pytest.raises(v.BadValue) as e:
        v.website("javascript:alert(1)")
    assert (e.value.severity, e.value.value) == ("warning", None)


def test_text_is_cleaned_and_folded():
    assert clean("  Lemvig\u00a0 Amatør\u200bteater \n") == "Lemvig Amatørteater"
    assert clean("A\u030arhus") == "Århus"  # decomposed å becomes one letter (NFC)
    assert fold("Århus Kunst- & Kulturhus") == fold("AARHUS kunst og kulturhus") == "aarhus kunst og kulturhus"
    assert name_key("AgroTech A/S") == name_key("Agrotech") == "agrotech"
    assert slug("'}) DETACH DELETE n //") == "detach-delete-n"
    assert slug("<script>alert('x')</script>") == "script-alert-x-script"
    long = slug("Foreningen til fremme af " * 5)
    assert len(long) == 48 and long.startswith("foreningen-til-fremme-af-foreningen")
