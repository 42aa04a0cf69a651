import math

import numpy as np
import pytest

from visualizations import geo


def test_project_is_km_from_the_reference_point():
    assert geo.project(geo.LON0, geo.LAT0) == (0.0, 0.0)
    # one degree of latitude is 110.57 km; one of longitude 111.32 km × cos(56.2°)
    assert geo.project(geo.LON0, geo.LAT0 + 1) == pytest.approx((0.0, 110.57))
    assert geo.project(geo.LON0 + 1, geo.LAT0)[0] == pytest.approx(111.32 * math.cos(math.radians(56.2)))


def test_boundaries_cover_the_19_municipalities():
    codes = {code for code, _ in geo.boundary_rings()}
    assert len(codes) == 19
    assert codes == set(geo.municipality_centres())


def test_organisations_land_inside_their_own_municipality():
    nodes = {f"o{i}": {"municipality_code": code}
             for i, code in enumerate(sorted(geo.municipality_centres()) * 5)}
    pos = geo.geographic_layout(nodes, seed=7)
    for org, attrs in nodes.items():
        assert geo._inside(attrs["municipality_code"], np.array([pos[org]]))[0], org
        others = [c for c in geo.municipality_centres() if c != attrs["municipality_code"]]
        assert not any(geo._inside(c, np.array([pos[org]]))[0] for c in others), org


def test_placement_is_seeded_and_stable_when_others_are_added():
    one = geo.geographic_layout({"x": {"municipality_code": "751"}}, seed=3)
    two = geo.geographic_layout({"y": {"municipality_code": "751"}, "x": {"municipality_code": "751"}}, seed=3)
    other_seed = geo.geographic_layout({"x": {"municipality_code": "751"}}, seed=4)
    assert one["x"] == two["x"]
    assert one["x"] != other_seed["x"]


def test_known_coordinates_inside_the_municipality_are_kept():
    # Aarhus town hall, in municipality 751
    pos = geo.geographic_layout({"x": {"municipality_code": "751", "lat": 56.1527, "lon": 10.2039}})
    assert pos["x"] == pytest.approx(geo.project(10.2039, 56.1527))
    # the same coordinates for an organisation said to be in Lemvig are not trusted
    pos = geo.geographic_layout({"x": {"municipality_code": "665", "lat": 56.1527, "lon": 10.2039}})
    assert geo._inside("665", np.array([pos["x"]]))[0]


def test_organisations_outside_the_region_go_on_the_outside_disc():
    pos = geo.geographic_layout({"x": {"municipality_code": "101"}, "y": {}})
    for p in pos.values():
        assert math.dist(p, geo.OUTSIDE_CENTRE) <= geo.OUTSIDE_RADIUS
        assert not any(geo._inside(c, np.array([p]))[0] for c in geo.municipality_centres())
