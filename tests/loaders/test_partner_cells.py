"""Partner cells with mixed separators."""

from __future__ import annotations

import pytest

from loaders.partners import split_partners


@pytest.mark.parametrize("cell, names", [
    ("Holstebro Musikskole; Struer Bibliotek og Skive Teater",
     ["Holstebro Musikskole", "Struer Bibliotek", "Skive Teater"]),
    ("Lemvig Kunstforening, Herning Billedskole & Ikast Kunstforening",
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
])
def test_split(cell, names):
    assert split_partners(cell)[0] == names


def test_known_names_and_keep_together():
    assert split_partners("Mercantec og Tradium")[0] == ["Mercantec og Tradium"]
    assert split_partners("Mercantec og Tradium", known=lambda n: n in {"Mercantec", "Tradium"}) == (
        ["Mercantec", "Tradium"], ["Mercantec og Tradium"])
    assert split_partners("Musik og Ord Lemvig", known=lambda n: n == "Musik og Ord Lemvig")[0] == ["Musik og Ord Lemvig"]
    assert split_partners("Struer Bibliotek og Skive Teater", keep_together=frozenset({"struer bibliotek og skive teater"}))[0] == [
        "Struer Bibliotek og Skive Teater"]
