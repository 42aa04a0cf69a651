"""Change between two windows of years."""

from __future__ import annotations

from graphsvc.analysis.compare import compare_windows
from graphsvc.analysis.params import AnalysisParams
from graphsvc.analysis.projection import GraphData, organisation_graph


def data() -> GraphData:
    """Lemvig (665) small actors l1, l2; Aarhus (751) a1, a2. 2018: l1–l2 and a1–a2
    inside their municipalities; 2023: l1–a1 across, and a2 alone."""
    orgs = [{"id": i, "label": "Actor", "name": i.upper(), "size": "small", "municipality_code": c}
            for i, c in (("l1", "665"), ("l2", "665"), ("a1", "751"), ("a2", "751"))]
    projects = [{"id": "p2018", "title": "Før", "start_year": 2018, "end_year": 2018},
                {"id": "q2018", "title": "Før", "start_year": 2018, "end_year": 2018},
                {"id": "p2023", "title": "Efter", "start_year": 2023, "end_year": 2023}]
    part = [("l1", "p2018"), ("l2", "p2018"), ("a1", "q2018"), ("a2", "q2018"), ("l1", "p2023"), ("a1", "p2023")]
    return GraphData(5, [], orgs, projects, [{"org_id": o, "project_id": p} for o, p in part], [])


def test_compare_windows():
    d = data()
    params = AnalysisParams(lang="en", isolation_max_ties=0)  # one tie across is enough
    r = compare_windows(organisation_graph(d, years=(2018, 2019)), organisation_graph(d, years=(2023, 2024)),
                        params=params)
    assert (r.before, r.after, r.data_version) == ((2018, 2019), (2023, 2024), 5)
    assert r.new_cross_ties[["id_a", "id_b", "municipality_a", "municipality_b", "projects"]].values.tolist() == \
        [["a1", "l1", "Aarhus", "Lemvig", 1]]
    assert r.lost_cross_ties.empty
    # before: all four only local; after: l1 and a1 reach across, l2 and a2 have no ties
    assert list(r.became_isolated.index) == []
    assert list(r.no_longer_isolated.index) == ["a1", "l1"]
    assert list(r.no_longer_isolated["category_before"]) == ["only_local", "only_local"]
    assert r.no_longer_isolated.loc["l1", "partners_after"] == 1
    closed = r.gaps_closed[["code_a", "code_b", "observed_before", "observed_after"]].values.tolist()
    assert closed == [["665", "751", 0, 1]]
    assert r.municipalities.loc["665", "ei_before"] == -1.0
    assert r.municipalities.loc["665", "ei_after"] == 1.0
    assert r.summary()["new_cross_ties"] == 1
    assert list(r.tables())[0] == "municipalities"
