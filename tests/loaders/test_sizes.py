"""Size from evidence: staff, budget, the kind column, the kind a name states; else unknown."""

from __future__ import annotations

import pytest

from graphsvc.analysis.projection import resolve_size
from graphsvc.analysis.sizes import kind_size, name_kind
from graphsvc.params import DEFAULT_KIND_SIZES, AnalysisParams
from graphsvc.settings import Settings


@pytest.mark.parametrize("org, expected", [
    ({"label": "Actor", "name": "Herning Kommune"}, ("large", "kind_name")),
    ({"label": "Actor", "name": "Aalborg Universitet"}, ("large", "kind_name")),
    ({"label": "Institution", "name": "Lemvig Museum"}, ("medium", "kind_name")),
    ({"label": "Actor", "name": "Herning Kunstforening"}, ("small", "kind_name")),
    ({"label": "Actor", "name": "Foreningen Nydansker"}, ("small", "kind_name")),
    ({"label": "Actor", "name": "Produktionsskolen i Herning Kommune"}, (None, "unknown")),
    ({"label": "Actor", "name": "Aarhus Teater"}, (None, "unknown")),  # no kind: not "small"
    ({"label": "Institution", "name": "Muserum"}, (None, "unknown")),  # not "large" by label
    ({"label": "Institution", "name": "Randers Kunstmuseum", "kind": "Statsanerkendt museum"}, ("medium", "kind")),
    ({"label": "Actor", "name": "Aarhus Teater", "kind": "Teater"}, ("medium", "kind")),
    ({"label": "Actor", "name": "Kor 7", "kind": "Kammerkor"}, (None, "unknown")),  # "kor": too short for a compound
    ({"label": "Actor", "name": "Kor 7", "kind": "kor"}, ("small", "kind")),
    ({"label": "Actor", "name": "Vestas", "kind": "virksomhed"}, (None, "unknown")),
    ({"label": "Actor", "name": "Herning Kommune", "staff": 3}, ("small", "staff")),
    ({"label": "Actor", "name": "Herning Kommune", "budget_dkk": 10e6}, ("medium", "budget")),
    ({"label": "Actor", "name": "Herning Kommune", "size": "small"}, ("small", "given")),
])
def test_default_sizes(org, expected):
    assert resolve_size(org, AnalysisParams()) == expected


def test_the_user_overrides_and_removes_entries():
    params = AnalysisParams(kind_sizes={"museum": "large", "forening": None, "danseskole": "small"})
    assert params.kind_sizes["museum"] == "large" and params.kind_sizes["kommune"] == "large"
    assert resolve_size({"name": "Lemvig Museum"}, params) == ("large", "kind_name")
    assert resolve_size({"name": "Herning Kunstforening"}, params) == (None, "unknown")  # the name says "forening"
    assert resolve_size({"kind": "Kunstforening"}, params) == ("small", "kind")  # the column's "kunstforening" stays
    assert resolve_size({"name": "Foreningen Nydansker"}, params) == (None, "unknown")
    assert resolve_size({"kind": "Danseskole"}, params) == ("small", "kind")


def test_label_sizes_stay_available_but_empty_by_default():
    assert AnalysisParams().label_sizes == {}
    params = AnalysisParams(label_sizes={"Actor": "small"})
    assert resolve_size({"label": "Actor", "name": "Aarhus Teater"}, params) == ("small", "label")


def test_kind_sizes_from_the_environment(monkeypatch):
    monkeypatch.setenv("GRAPHSVC_ANALYSIS__KIND_SIZES", '{"forening": "medium"}')
    sizes = Settings().analysis.kind_sizes
    assert (sizes["forening"], sizes["universitet"], len(sizes)) == ("medium", "large", len(DEFAULT_KIND_SIZES))


def test_name_kinds_and_matching():
    assert [name_kind(n) for n in ("Aarhus Universitet", "Museet for Religiøs Kunst", "Kulturforeningen Tinghuset",
                                   "Samsø Kommune", None)] == ["universitet", "museum", "forening", "kommune", None]
    table = {"museum": "medium", "statsanerkendt museum": "large"}
    assert kind_size("statsanerkendt museum", None, table) == ("large", "kind")  # the longest key wins
    assert kind_size("Kunstmuseum", None, table) == ("medium", "kind")  # end of a compound
