import math

import networkx as nx
import pytest

from visualizations.layout import fit, grouped_layout, spring_layout


def test_fit_scales_and_centres():
    assert fit({"a": (0, 0), "b": (4, 2)}, width=8) == {"a": (-4.0, -2.0), "b": (4.0, 2.0)}
    assert fit({}, width=8) == {}


def test_spring_layout_is_seeded():
    G = nx.krackhardt_kite_graph()
    assert spring_layout(G, seed=1) == spring_layout(G, seed=1)
    assert spring_layout(G, seed=1) != spring_layout(G, seed=2)


def test_spring_layout_puts_neighbours_closer_than_strangers():
    G = nx.barbell_graph(6, 0)  # two cliques joined by one edge
    pos = spring_layout(G, seed=1)
    inside = sum(math.dist(pos[0], pos[i]) for i in range(1, 6)) / 5
    across = sum(math.dist(pos[0], pos[i]) for i in range(7, 12)) / 5
    assert inside < across / 2


def test_grouped_layout_gives_each_group_its_own_disc():
    G = nx.Graph()
    G.add_nodes_from(range(40))
    groups = {n: "a" if n < 30 else "b" for n in G}
    order = {n: float(n) for n in G}
    pos = grouped_layout(G, groups, order=order, seed=1)
    centre_a = [sum(pos[n][k] for n in range(30)) / 30 for k in (0, 1)]
    radius_a = max(math.dist(pos[n], centre_a) for n in range(30))
    assert all(math.dist(pos[n], centre_a) > radius_a for n in range(30, 40))
    # the highest order value sits nearest the middle of its disc
    nearest = min(range(30), key=lambda n: math.dist(pos[n], centre_a))
    assert nearest == 29


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_graphs(n):
    G = nx.empty_graph(n)
    assert len(spring_layout(G)) == n
    assert len(grouped_layout(G, {})) == n
