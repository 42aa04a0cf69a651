"""Municipalities from a column, coordinates, postcodes, towns and names, with the source."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graphsvc.reference import all_municipalities
from loaders.coordinates import municipality_at, utm_to_wgs84
from loaders.places import locate, municipality_code, municipality_in_name, municipality_name

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize("value, code", [
    ("Århus", "751"), ("Aarhus Kommune", "751"), ("AARHUS", "751"), ("Ringkøbing Skjern", "760"),
    ("Ringkøbing-Skjern Kommune", "760"), ("ikast-brande", "756"), ("751", "751"), ("0751", "751"),
    (751.0, "751"), ("Samsø", "741"), ("Helsingør", "217"), ("Københavns Kommune", "101"),
    ("København", "101"), ("Bornholms Regionskommune", "400"), ("Atlantis", None), ("999", None),
])
def test_municipality_spellings(value, code):
    assert municipality_code(value) == code


def test_every_danish_municipality_has_a_name_and_a_centroid_on_its_land():
    munis = all_municipalities()
    assert len(munis) == 99  # the 98 municipalities and Christiansø
    assert [m.code for m in munis if m.in_region] == [
        "615", "657", "661", "665", "671", "706", "707", "710", "727", "730", "740", "741", "746", "751",
        "756", "760", "766", "779", "791"]
    by_code = {m.code: m for m in munis}
    assert (by_code["851"].name, by_code["851"].region, by_code["851"].population) == (
        "Aalborg", "Region Nordjylland", None)
    assert (by_code["101"].name, by_code["400"].name, by_code["825"].name) == ("København", "Bornholm", "Læsø")
    for m in munis:
        assert m.name and not m.name.isdigit()
        if m.code != "411":  # Christiansø is smaller than the boundaries' generalisation
            assert municipality_at(lat=m.lat, lon=m.lon).code == m.code, m.name


def test_column_is_the_strongest_source():
    place = locate(municipality="Lemvig", postcode="7620", lat=56.5486, lon=8.3102)
    assert (place.municipality_code, place.source, place.in_region, place.notes) == ("665", "column", True, [])


def test_wgs84_coordinates():
    place = locate(lat="56.13179935", lon="9.021837172764176")  # HEART, Birk
    assert (place.municipality_code, place.source, place.lat, place.lon) == ("657", "coordinates", 56.13179935, 9.021837172764176)


def test_utm_coordinates_east_north_and_in_xy_columns():
    # Den Erhvervsdrivende Fond Development Centre UMT, Herning (2014-20 file, row 5)
    place = locate(east="501519.348", north="6220559.185", postcode="7400")
    assert (place.municipality_code, place.source) == ("657", "coordinates")
    assert (place.lat, place.lon) == (56.1300946, 9.0244433)
    assert [round(x, 4) for x in utm_to_wgs84(501519.348, 6220559.185)] == [56.1301, 9.0244]
    # UTM metres in columns read as lat/lon (headers x, y mapped by a user) are recognised
    assert locate(lat=6220559.185, lon=501519.348).municipality_code == "657"
    # Bornholm lies in UTM zone 33 but is written in zone 32's grid (Bornholms Regionskommune, row 9)
    assert locate(east=865496.280, north=6120025.080).municipality_code == "400"


def test_a_point_just_off_the_coast_goes_to_the_nearest_municipality():
    # Kattegat, about 1 km east of Grenaa harbour: outside the generalised coastline
    point = municipality_at(lat=56.4113, lon=10.9450)
    assert point.code == "707" and 0 < point.distance_m < 3000
    far = locate(lat=56.5, lon=11.5)  # the middle of the Kattegat
    assert far.municipality_code is None and far.notes[0].message.startswith("the coordinates 56.5, 11.5 lie outside Denmark")


def test_swapped_coordinates_are_read_and_said():
    place = locate(lat=10.2114, lon=56.1572)
    assert (place.municipality_code, [n.severity for n in place.notes]) == ("751", ["info"])


def test_unique_postcode():
    place = locate(postcode="7620", town="Lemvig")
    assert (place.municipality_code, place.source, place.in_region, place.postcode, place.notes) == (
        "665", "postcode", True, "7620", [])


@pytest.mark.parametrize("postcode, town, code", [
    ("7400", "Herning", "657"),  # Herning, Ikast-Brande, Ringkøbing-Skjern: the post town is Herning
    ("7400", None, "657"),       # the postcode table's own post town
    ("8600", None, "740"), ("8800", None, "791"), ("7500", None, "661"),
    ("8960", "Randers SØ", "730"),  # "SØ" is a district of the post town
])
def test_postcode_in_several_municipalities_and_the_post_town(postcode, town, code):
    place = locate(postcode=postcode, town=town)
    assert (place.municipality_code, place.source, place.notes) == (code, "postcode_town", [])


def test_ambiguous_postcode_is_reported_with_the_candidates():
    place = locate(postcode="8680")  # Ry: Horsens, Silkeborg and Skanderborg; Ry is none of them
    assert (place.municipality_code, place.source, place.candidates, place.in_region) == (
        None, None, ("615", "740", "746"), True)
    assert [n.message for n in place.notes] == [
        "postcode 8680 lies in 3 municipalities: Horsens (615), Silkeborg (740), Skanderborg (746)"]


def test_conflict_between_two_strong_sources_names_both():
    place = locate(municipality="Lemvig", postcode="8000")
    assert (place.municipality_code, place.source) == ("665", "column")
    assert [n.message for n in place.notes] == [
        "the municipality column (Lemvig) and the postcode (8000) disagree: Lemvig (665) / Aarhus (751); "
        "kept Lemvig (column)"]
    place = locate(postcode="7620", lat=56.1572, lon=10.2114)
    assert (place.municipality_code, place.source) == ("751", "coordinates")
    assert [n.message for n in place.notes] == [
        "the coordinates (56.1572, 10.2114) and the postcode (7620) disagree: Aarhus (751) / Lemvig (665); "
        "kept Aarhus (coordinates)"]


def test_coordinates_in_one_of_a_postcodes_municipalities_are_no_conflict():
    # 7400's candidates are Herning, Ikast-Brande and Ringkøbing-Skjern; Ikast lies in Ikast-Brande
    place = locate(postcode="7400", lat=56.1389, lon=9.1580)
    assert (place.municipality_code, place.source, place.notes) == ("756", "coordinates", [])


def test_outside_the_region_is_placed_and_flagged():
    place = locate(municipality="Helsingør")
    assert (place.municipality_code, place.in_region, municipality_name(place.municipality_code)) == ("217", False, "Helsingør")
    place = locate(postcode="3000")
    assert (place.municipality_code, place.in_region) == ("217", False)


def test_unknown_values_are_reported():
    place = locate(municipality="Atlantis", postcode="12345", lat="nord")
    assert place.municipality_code is None
    assert [n.column for n in place.notes] == ["municipality", "lat", "postcode"]


@pytest.mark.parametrize("name, code", [
    ("Silkeborg Kommune", "740"), ("Produktionsskolen i Herning Kommune", "657"), ("Lemvig Museum", "665"),
    ("Bornholms Regionskommune", "400"), ("Ringkøbing-Skjern Kommune", "760"), ("Aalborg Universitet", "851"),
    ("SilkeborgEgnens Erhvervsråd", "740"), ("VisitHerning", "657"),
    ("Hanstholm Fiskeeksportørforening", "787"),  # a post town in one municipality (Thisted)
    ("Erhvervsrådet Herning og Ikast-Brande", None),  # two municipalities: not placed
    ("Væksthus Midtjylland", None), ("Fonden Aarhus 2017", "751"),
])
def test_municipality_in_the_name(name, code):
    assert municipality_in_name(name) == code


def test_wgs84_only_file_places_the_regions_museums():
    """A file with only names and WGS84 coordinates (tests/loaders/data/museums_coordinates.csv)
    places at least 95% of the region's museums in the municipality the museum list says."""
    with (DATA / "museums_municipalities.csv").open(encoding="utf-8") as f:
        truth = {r["Name"]: r for r in csv.DictReader(f)}
    with (DATA / "museums_coordinates.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if truth[r["Name"]]["Region"] == "Region Midtjylland"]
    placed = [locate(lat=r["lat"] or None, lon=r["lon"] or None) for r in rows]
    right = [p.municipality_code == municipality_code(truth[r["Name"]]["Kommune"]) for r, p in zip(rows, placed)]
    assert (len(rows), sum(right)) == (74, 73)
    assert sum(right) / len(rows) >= 0.95
    # the one that differs: Kaj Munks Præstegård in Vedersø, which the list puts in Holstebro
    assert [(r["Name"], p.municipality_code) for r, p, ok in zip(rows, placed, right) if not ok] == [
        ("Kaj Munks Præstegård", "760")]
