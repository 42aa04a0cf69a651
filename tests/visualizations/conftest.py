"""A small organisation graph with Danish letters and a hostile name (the browser tests'
Chromium is the `browser` fixture of tests/conftest.py)."""

from __future__ import annotations

import networkx as nx
import pytest

HOSTILE = '<img src=x onerror="window.__xss=1">Æblerød & Søn</script>'


def small_graph() -> nx.Graph:
    """Six organisations: a star around an Aarhus museum, one with no ties on Samsø and
    one with no municipality."""
    G = nx.Graph()
    G.add_node("a", name="Lemvig Amatørteater", label="Actor", kind="teatergruppe", size="small",
               municipality_code="665", art_forms=["teater", "musik"])
    G.add_node("b", name="Kunstmuseum Århus", label="Institution", kind="museum", size="large",
               municipality_code="751", art_forms=["billedkunst"])
    G.add_node("c", name="Herning Kammerkor", label="Actor", kind="kor", size="small",
               municipality_code="657", art_forms=[])
    G.add_node("d", name=HOSTILE, label="Actor", kind="forening", size="small",
               municipality_code="751", art_forms=[])
    G.add_node("e", name="Ensom Ø-forening", label="Actor", kind="forening", size="small",
               municipality_code="741", art_forms=[])
    G.add_node("f", name="Gæst udefra", label="Actor", kind="kor", size="small",
               municipality_code=None, art_forms=[])
    G.add_edge("a", "b", weight=2.0, projects=2, collaborations=0)
    G.add_edge("b", "c", weight=1.0, projects=0, collaborations=1)
    G.add_edge("b", "d", weight=1.0, projects=1, collaborations=0)
    G.add_edge("a", "d", weight=1.0, projects=1, collaborations=0)
    G.add_edge("b", "f", weight=1.0, projects=1, collaborations=0)
    return G


@pytest.fixture
def G() -> nx.Graph:
    return small_graph()


@pytest.fixture
def hostile() -> str:
    return HOSTILE
