"""Cross-municipal gaps: the null, the bootstrap, the FDR step, the states and the E-I test
on small graphs computed by hand."""

from __future__ import annotations

import itertools
import json
import math

import networkx as nx
import numpy as np
import pytest
from scipy import stats

from graphsvc.analysis._results import dumps
from graphsvc.analysis.gaps import municipality_gaps
from graphsvc.analysis.gaps_stats import bh_qvalues, local_share_test, pair_states, resample_counts, tarone_bh
from graphsvc.analysis.params import AnalysisParams

SIX = "ABCDEF"
ROWS = [{"code": c, "name": f"{c}by"} for c in SIX]


def six(per_pair: int = 20) -> nx.Graph:
    """Six municipalities; every pair shares ``per_pair`` collaborations of two, except A–B
    none. Each edge is its own unit (a graph built by hand)."""
    G = nx.Graph()
    for a, b in itertools.combinations(SIX, 2):
        if (a, b) == ("A", "B"):
            continue
        for k in range(per_pair):
            u, v = f"{a}{b}{k}-1", f"{a}{b}{k}-2"
            G.add_node(u, municipality_code=a, name=u)
            G.add_node(v, municipality_code=b, name=v)
            G.add_edge(u, v)
    return G


def test_gravity_null_on_six_municipalities():
    """Margins d_A = d_B = 4·20 = 80, d_C..F = 5·20 = 100. By symmetry x_A = x_B = a,
    x_C.. = c: a² + 4ac = 80, 2ac + 3c² = 100. With t = a² = expected(A, B):
    t² + 288t − 3840 = 0, t = −144 + √24576 = 12.767; expected(A, C) = (80 − t)/4,
    expected(C, D) = (80 − t)²/(16t). They sum to the 280 observed cross-border units."""
    r = municipality_gaps(six(), ROWS, params=AnalysisParams(null_model="gravity", bootstrap_replicates=0))
    t = -144 + math.sqrt(24576)
    e = r.expected
    assert e.loc["A", "B"] == pytest.approx(t, rel=1e-8)
    assert e.loc["A", "C"] == pytest.approx((80 - t) / 4, rel=1e-8)
    assert e.loc["C", "D"] == pytest.approx((80 - t) ** 2 / (16 * t), rel=1e-8)
    assert np.nansum(np.triu(e.to_numpy(), 1)) == pytest.approx(280)
    assert r.observed.loc["A", "B"] == 0 and r.observed.loc["C", "F"] == 20
    assert math.isnan(e.loc["A", "A"])
    # Pearson dispersion: A–B t, 8 pairs like A–C, 6 like C–D, over 15 − 6 = 9 df
    ac, cd = (80 - t) / 4, (80 - t) ** 2 / (16 * t)
    phi = (t + 8 * (20 - ac) ** 2 / ac + 6 * (20 - cd) ** 2 / cd) / 9
    assert r.null["dispersion_fit"] == pytest.approx(phi, rel=1e-8)
    assert r.null["dispersion"] == pytest.approx(phi, rel=1e-8)
    # P(X = 0) for the negative binomial of mean t and variance φt: φ^(−t/(φ − 1))
    assert r.p_value.loc["A", "B"] == pytest.approx(phi ** (-t / (phi - 1)), rel=1e-8)
    assert r.pairs.iloc[0][["code_a", "code_b", "state"]].tolist() == ["A", "B", "lacking"]
    assert r.summary()["pairs_lacking"] == 1
    assert r.summary()["pairs_ok"] == 14


def test_distance_exponent_recovered():
    """Counts made exactly μ = x_i x_j km^β with β = −1 are fitted back: β = −1."""
    lat = {"A": 56.0, "B": 56.1, "C": 56.3, "D": 56.6, "E": 57.0}
    rows = [{"code": c, "name": c, "lat": lat[c], "lon": 9.0} for c in lat]
    from graphsvc.analysis._places import haversine_km

    G = nx.Graph()
    for a, b in itertools.combinations(lat, 2):
        km = float(haversine_km(lat[a], 9.0, lat[b], 9.0))
        n = 3000 / km  # a saturated set of counts follows the product form exactly
        assert n == pytest.approx(round(n), abs=0.5)
        for k in range(round(n)):
            G.add_node(f"{a}{b}{k}a", municipality_code=a)
            G.add_node(f"{a}{b}{k}b", municipality_code=b)
            G.add_edge(f"{a}{b}{k}a", f"{a}{b}{k}b")
    r = municipality_gaps(G, rows, params=AnalysisParams(bootstrap_replicates=0))
    assert r.null["distance_exponent"] == pytest.approx(-1.0, abs=0.02)
    assert r.summary()["pairs_lacking"] == 0


def test_resample_counts_seeded():
    """numpy's PCG64 seeded with 1 draws units 1, 2, 3, 3 and 0, 0, 3, 3 (checked by
    drawing them directly)."""
    draws = np.random.default_rng(1).integers(0, 4, size=(2, 4), dtype=np.intp)
    assert draws.tolist() == [[1, 2, 3, 3], [0, 0, 3, 3]]
    assert resample_counts(4, 2, seed=1).tolist() == [[0, 1, 1, 2], [2, 0, 0, 2]]
    assert resample_counts(4, 2, seed=1).sum(axis=1).tolist() == [4, 4]


def test_bootstrap_dispersion_and_interval_for_a_seed():
    """Three units, all spanning X–Y; the other pairs none. Every replicate draws 3 units,
    so O* = 3: the bootstrap dispersion of the X–Y count is 0 (φ floored at 1). With two
    municipalities expected = 3, and the interval is Garwood's for a count of 3 over 3:
    χ²_0.025(6)/2 = 0.6186 and χ²_0.975(8)/2 = 8.7673, divided by 3."""
    G = nx.Graph([("x1", "y1"), ("x2", "y2"), ("x3", "y3")])
    nx.set_node_attributes(G, {"x1": "X", "x2": "X", "x3": "X", "y1": "Y", "y2": "Y", "y3": "Y"},
                           "municipality_code")
    rows = [{"code": "X", "name": "X"}, {"code": "Y", "name": "Y"}]
    r = municipality_gaps(G, rows, params=AnalysisParams(null_model="gravity", bootstrap_replicates=50), seed=5)
    assert r.ratio_low.loc["X", "Y"] == pytest.approx(0.61867 / 3, abs=1e-5)
    assert r.ratio_high.loc["X", "Y"] == pytest.approx(8.76727 / 3, abs=1e-5)
    assert r.null["dispersion_bootstrap"] == 0.0 and r.null["dispersion"] == 1.0
    again = municipality_gaps(G, rows, params=AnalysisParams(null_model="gravity", bootstrap_replicates=50), seed=5)
    assert again.to_dict() == r.to_dict()


def test_interval_agrees_with_the_test():
    """At φ = 1 a pair's interval lies below 1 exactly when its one-sided p-value is
    below 0.025 (Garwood's upper limit μ_U solves P(X ≤ O | μ_U) = 0.025)."""
    from graphsvc.analysis.gaps import _interval
    from graphsvc.analysis.gaps_stats import lower_tail

    observed = np.array([0.0, 1, 2, 3, 5, 8, 13, 3, 4])
    expected = np.array([2.0, 5, 7, 9, 12, 16, 20, 3.5, 10.2])
    low, high = _interval(observed, expected, 1.0, 0.95)
    p = lower_tail(observed, expected, 1.0)
    assert ((high < 1) == (p < 0.025)).all()
    assert (high < 1).any() and (high >= 1).any()
    assert low[0] == 0.0 and high[0] == pytest.approx(-np.log(0.025) / 2)
    # on the quasi-Poisson scale: φ = 2 doubles the count's limits at half the count
    low2, high2 = _interval(np.array([4.0]), np.array([10.0]), 2.0, 0.95)
    half_low, half_high = _interval(np.array([2.0]), np.array([10.0]), 1.0, 0.95)
    assert (low2[0], high2[0]) == (pytest.approx(2 * half_low[0]), pytest.approx(2 * half_high[0]))


def test_bh_step_on_known_p_values():
    """Benjamini & Hochberg (1995), the 15 p-values of their example: at q = 0.05 the
    first four are discoveries (p_(4) = 0.0095 ≤ 4·0.05/15 = 0.0133, p_(5) = 0.0201 >
    0.0167 and no later one passes)."""
    p = np.array([0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459,
                  0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0])
    q = bh_qvalues(p)
    np.testing.assert_allclose(q, stats.false_discovery_control(p))
    assert (q <= 0.05).sum() == 4
    assert q[3] == pytest.approx(0.0095 * 15 / 4)
    # continuous tests (every p_min 0): Tarone's filter keeps all 15, and BH is unchanged
    qt, testable = tarone_bh(p, np.zeros(15), 0.05)
    assert testable.all() and qt.tolist() == pytest.approx(q.tolist())


def test_tarone_filter_finds_what_bh_over_all_misses():
    """One test with p = p_min = 0.008 among 19 that cannot go below 0.5. BH over all 20:
    q = 20 · 0.008 = 0.16 > 0.1, nothing found. Tarone: m(1) = #{p_min < 0.1} = 1 ≤ 1, so
    K* = 1 and the family is that one test: q = 0.008 ≤ 0.1, lacking; the 19 are too
    little data (Tarone 1990; Gilbert 2005)."""
    p = np.array([0.008] + [0.6] * 19)
    p_min = np.array([0.008] + [0.5] * 19)
    assert bh_qvalues(p)[0] == pytest.approx(0.16)
    q, state = pair_states(p, p_min, 0.1)
    assert state.tolist() == ["lacking"] + ["too_little_data"] * 19
    assert q[0] == pytest.approx(0.008) and np.isnan(q[1:]).all()


def test_tarone_smallest_k():
    """p_min 0.001, 0.01, 0.02, 0.03, 0.04, 0.5 at q = 0.1: m(1) = 5 (< 0.1), m(2) = 4
    (< 0.05), m(3) = 3 (< 0.0333) ≤ 3: K* = 3, the family the three below 0.0333, BH
    within it: p 0.001, 0.02, 0.05 → q 0.003, 0.03, 0.05."""
    p = np.array([0.001, 0.05, 0.02, 0.03, 0.04, 0.9])
    p_min = np.array([0.001, 0.01, 0.02, 0.03, 0.04, 0.5])
    q, testable = tarone_bh(p, p_min, 0.1)
    assert testable.tolist() == [True, True, True, False, False, False]
    assert q[:3].tolist() == pytest.approx([0.003, 0.05, 0.03])


def test_three_states():
    """p_min 0.001, 0.01, 0.2 at q = 0.1: m(1) = 2, m(2) = 2 (< 0.05) ≤ 2, the family is the
    first two. Pair 1 (q = 2 · 0.001) is a discovery; pair 2 (q 0.3) is not, though at 0
    it could have been: ok; pair 3 could never have been: too little data."""
    q, state = pair_states(np.array([0.001, 0.3, 0.2]), np.array([0.001, 0.01, 0.2]), 0.1)
    assert state.tolist() == ["lacking", "ok", "too_little_data"]
    assert q[:2].tolist() == pytest.approx([0.002, 0.3]) and np.isnan(q[2])


def test_zero_where_some_were_expected_is_never_ok():
    """With 3 units per pair, A–B (0 where 3/20 · 12.767 = 1.915 are expected: the null is
    linear in the counts) is too little data, not ok."""
    r = municipality_gaps(six(per_pair=3), ROWS, params=AnalysisParams(null_model="gravity", bootstrap_replicates=0))
    row = r.pairs[(r.pairs.code_a == "A") & (r.pairs.code_b == "B")].iloc[0]
    assert row["observed"] == 0 and row["expected"] == pytest.approx(3 / 20 * (-144 + math.sqrt(24576)))
    assert row["state"] == "too_little_data"
    assert r.no_ties["state"].tolist() == ["too_little_data"]


def test_reasons_and_json():
    r = municipality_gaps(six(), ROWS, params=AnalysisParams(null_model="gravity", lang="da",
                                                             bootstrap_replicates=0))
    top = r.pairs.iloc[0]
    # φ = φ_fit = 2.0938 (no replicates): the interval of a zero count is 0 to ln(40)·φ/12.767 = 0.60
    assert top["reasons"][0] == ("Aby og Bby har 0 fælles projekter, hvor 12,8 var forventet "
                                 "(95 %-interval 0,0–0,6 af det forventede)")
    assert top["reasons"][1].startswith("mangler samarbejde: færre end forventet (p = < 0,001")
    assert top["state_name"] == "mangler samarbejde"
    body = json.loads(dumps(r))
    assert body["summary"]["pairs_lacking"] == 1
    assert body["summary"]["null"]["name"] == "gravity"
    assert {"pairs", "ei", "state", "q_value", "ratio_low"} <= set(body["tables"])


def test_ei_against_the_regional_local_share():
    """Units (weights 1, collaborations): X inside x1–x2, x2–x3; X–Y x1–y1; Y inside y1–y2.
    IL = (2, 1), EL = (1, 1); s = 3/5; E-I X (1 − 2)/3, Y 0; expected 1 − 2s = −0.2.
    Local shares ⅔ and ½. Each unit is one tie: n X = 3²/3 = 3, Y = 2²/2 = 2. Exact
    binomial tails at s = 0.6: X 2 of 3 local, P(B ≥ 2) = 3 · 0.36 · 0.4 + 0.216 = 0.648;
    Y 1 of 2, 1 − 0.4² = 0.84. The smallest attainable p-values 0.6³ = 0.216 and 0.6² =
    0.36 are both ≥ 0.1: Tarone's family is empty, both too little data."""
    G = nx.Graph([("x1", "x2"), ("x2", "x3"), ("x1", "y1"), ("y1", "y2")])
    nx.set_node_attributes(G, {"x1": "X", "x2": "X", "x3": "X", "y1": "Y", "y2": "Y"}, "municipality_code")
    rows = [{"code": "X", "name": "X"}, {"code": "Y", "name": "Y"}]
    r = municipality_gaps(G, rows, params=AnalysisParams(null_model="gravity", bootstrap_replicates=0))
    ei = r.ei
    assert ei.loc["X", "ei"] == pytest.approx(-1 / 3)
    assert ei.loc["Y", "ei"] == 0
    assert ei["ei_expected"].tolist() == pytest.approx([-0.2, -0.2])
    assert ei["units"].tolist() == pytest.approx([3, 2])
    assert ei["p_value"].tolist() == pytest.approx([0.648, 0.84])
    assert ei["p_min"].tolist() == pytest.approx([0.216, 0.36])
    assert ei["state"].tolist() == ["too_little_data", "too_little_data"]
    assert not ei["inward"].any() and ei["q_value"].isna().all()
    assert r.ei_network["local_share"] == pytest.approx(0.6)
    assert r.ei_network["ei"] == pytest.approx((1 - 3) / 4)


def test_local_share_test_takes_the_larger_variance():
    """s = 10/20; ten units of one tie each side: Kish n = 10, binomial variance
    0.25/10. Two replicates with ℓ* − s* = 0.9 − 0.5 and 0.4 − 0.5 (Y: −0.4 and 0.1):
    bootstrap variance 0.5²/2 = 0.125, the larger, so n = s(1 − s)/0.125 = 2. X all local:
    P(B(2, ½) ≥ 2) = 0.25 (0.5^10 with n = 10); Y none local: 1."""
    s, share, n, p, p_min = local_share_test(
        np.array([10.0, 0.0]), np.array([0.0, 10.0]), np.ones((10, 2)),
        np.array([[9.0, 1.0], [4.0, 6.0]]), np.array([[1.0, 9.0], [6.0, 4.0]]))
    assert s == 0.5
    assert n.tolist() == pytest.approx([2.0, 2.0])
    assert p.tolist() == pytest.approx([0.25, 1.0])
    assert p_min.tolist() == pytest.approx([0.25, 0.25])
    # without the replicates, the binomial on the ten units
    s, share, n, p, p_min = local_share_test(np.array([10.0, 0.0]), np.array([0.0, 10.0]),
                                             np.ones((10, 2)), None, None)
    assert n.tolist() == [10.0, 10.0] and p[0] == pytest.approx(0.5**10)


def _one_local_collaboration(cross: int) -> nx.Graph:
    """X and Y share ``cross`` collaborations; Z's only tie is one collaboration inside Z."""
    G = nx.Graph([(f"x{k}", f"y{k}") for k in range(cross)] + [("z1", "z2")])
    nx.set_node_attributes(G, {v: v[0].upper() for v in G}, "municipality_code")
    return G


XYZ = [{"code": c, "name": c} for c in "XYZ"]


def test_ei_one_unit_is_tested_exactly():
    """30 X–Y collaborations and one inside Z: IL = (0, 0, 1), EL = (30, 30, 0), s = 1/61.
    Z: one unit, all local: p = s = 1/61 (the normal approximation gave z = √60, p ≈ 4e-15),
    p_min = 1/61; X, Y: no local tie, p = 1, p_min = 61^-30. Tarone at 0.1: m(1) = 3,
    m(2) = 3 (all < 0.05), m(3) = 3 (< 0.0333) ≤ 3: all three tested; BH: q_Z = 3/61."""
    r = municipality_gaps(_one_local_collaboration(30), XYZ,
                          params=AnalysisParams(null_model="gravity", bootstrap_replicates=0))
    ei = r.ei
    assert r.ei_network["local_share"] == pytest.approx(1 / 61)
    assert ei["units"].tolist() == pytest.approx([30, 30, 1])
    assert ei["p_value"].tolist() == pytest.approx([1.0, 1.0, 1 / 61])
    assert ei.loc["Z", "p_min"] == pytest.approx(1 / 61)
    assert ei.loc["Z", "q_value"] == pytest.approx(3 / 61)
    assert ei["state"].tolist() == ["ok", "ok", "inward"]
    assert r.summary()["municipalities_inward"] == 1


def test_ei_too_few_units_is_too_little_data():
    """9 X–Y collaborations: s = 1/19 and Z's best p-value 1/19 = 0.053. Tarone at 0.1:
    m(1) = 3 > 1, m(2) = #{p_min < 0.05} = 2 (X, Y) ≤ 2: Z is left out, too little data."""
    r = municipality_gaps(_one_local_collaboration(9), XYZ,
                          params=AnalysisParams(null_model="gravity", bootstrap_replicates=0))
    ei = r.ei
    assert ei.loc["Z", "p_value"] == pytest.approx(1 / 19)
    assert ei["state"].tolist() == ["ok", "ok", "too_little_data"]
    assert not ei.loc["Z", "inward"] and np.isnan(ei.loc["Z", "q_value"])
    assert r.summary()["municipalities_too_little_data"] == 1


def test_region_default_and_excluded():
    G = six(per_pair=1)
    G.add_node("far", municipality_code="999")
    G.add_edge("far", "AC0-1")
    r = municipality_gaps(G, ROWS[:3], params=AnalysisParams(bootstrap_replicates=0))
    assert list(r.observed.index) == ["A", "B", "C"]
    # A is in 4 pairs (AC..AF), B in 4, C in 5: 13 organisations; 14 pairs · 2 + "far" = 29
    assert (r.organisations_counted, r.organisations_excluded) == (13, 16)


def _umbrella() -> nx.Graph:
    """Units: an umbrella project of A1..A5, B1..B5 and C1; A1 with B1; A1 with B2."""
    umbrella = tuple([f"A{k}" for k in range(1, 6)] + [f"B{k}" for k in range(1, 6)] + ["C1"])
    units = [umbrella, ("A1", "B1"), ("A1", "B2")]
    G = nx.Graph(tie_units=units, tie_unit_weights=[1.0] * len(units))
    for unit in units:
        G.add_edges_from(itertools.combinations(unit, 2))
    for v in G:
        G.nodes[v].update(municipality_code=v[0], name=f"Org {v}")
    return G


def test_carriers_name_at_most_three():
    """A–B share the 3 units: A1 is in 3, B1 and B2 in 2, the other 8 of A and B in 1. The
    reason names A1, then B1 and B2, and says 3 of the 10; A–C share the umbrella only:
    A1..A5 and C1 in 1 each, the first three by name."""
    rows = [{"code": c, "name": c + "by"} for c in "ABC"]
    for lang, ab, ac in (
        ("da", "de 3 fælles projekter, der er, går bl.a. gennem Org A1, Org B1 og Org B2 "
               "(3 af 10 fra de to kommuner)",
         "det ene fælles projekt, der er, går bl.a. gennem Org A1, Org A2 og Org A3 "
         "(3 af 6 fra de to kommuner)"),
        ("en", "the 3 shared projects there are run through Org A1, Org B1 and Org B2, "
               "among others (3 of 10 from the two municipalities)",
         "the one shared project there is runs through Org A1, Org A2 and Org A3, among "
         "others (3 of 6 from the two municipalities)"),
    ):
        r = municipality_gaps(_umbrella(), rows, params=AnalysisParams(
            null_model="gravity", bootstrap_replicates=0, lang=lang))
        pairs = r.pairs.set_index(["code_a", "code_b"])
        assert pairs.loc[("A", "B"), "observed"] == 3
        assert pairs.loc[("A", "B"), "reason_codes"][-1] == "gap_carriers"
        assert pairs.loc[("A", "B"), "reasons"][-1] == ab
        assert pairs.loc[("A", "C"), "reasons"][-1] == ac


def test_distance_exponent_not_estimated_for_one_active_pair():
    """Only A–B share projects (5): the margins fix expected(A, B) = 5 and every other pair
    0 at any β, so β is not estimated (None), not the optimiser's bound, and the reasons
    do not cite the distance."""
    lat = {"A": 56.0, "B": 56.2, "C": 56.5, "D": 56.9}
    rows = [{"code": c, "name": c, "lat": lat[c], "lon": 9.0} for c in lat]
    G = nx.Graph([(f"a{k}", f"b{k}") for k in range(5)] + [("c1", "d1x")])
    nx.set_node_attributes(G, {v: v[0].upper() for v in G}, "municipality_code")
    G.remove_edge("c1", "d1x")  # C and D have organisations, no tie
    r = municipality_gaps(G, rows, params=AnalysisParams(bootstrap_replicates=0, lang="en"))
    assert r.null["name"] == "gravity_distance"
    assert r.null["distance_exponent"] is None
    assert r.expected.loc["A", "B"] == pytest.approx(5.0)
    assert np.nansum(r.expected.to_numpy()) == pytest.approx(10.0)  # both triangles
    ab = r.pairs.set_index(["code_a", "code_b"]).loc[("A", "B")]
    assert "gap_null_gravity" in ab["reason_codes"] and "gap_null_gravity_distance" not in ab["reason_codes"]
    assert json.loads(dumps(r))["summary"]["null"]["distance_exponent"] is None


def test_tail_and_q_values_equal_scipy_stats():
    """The negative binomial tail and the BH q-values are computed without scipy.stats
    (0.4 s to import); they equal what scipy.stats gives."""
    from graphsvc.analysis import gaps_stats

    rng = np.random.default_rng(7)
    for _ in range(100):
        m = int(rng.integers(1, 60))
        p = rng.random(m) ** 2
        p[rng.random(m) < 0.2] = p[0]  # ties
        assert np.allclose(gaps_stats.bh_qvalues(p), stats.false_discovery_control(p, method="bh"),
                           rtol=0, atol=1e-15)
        expected, phi = rng.random(m) * 20 + 0.01, 1 + rng.random() * 4
        observed = rng.integers(0, 30, m).astype(float)
        want = stats.nbinom(expected / (phi - 1), 1 / phi).cdf(observed)
        assert np.allclose(gaps_stats.lower_tail(observed, expected, phi), want, rtol=1e-12, atol=1e-15)


def test_the_resamples_are_the_blocks_numpy_draws():
    """Drawing one replicate at a time, in blocks of 32, gives the numbers blocks of 128
    drawn at once gave (the resamples, and so every figure, as before)."""
    from graphsvc.analysis.gaps_stats import _draws

    for n_units in (3, 1001):
        got = np.vstack(list(_draws(n_units, 300, seed=11)))
        rng = np.random.default_rng(11)
        blocks = [rng.integers(0, n_units, size=(min(128, 300 - s), n_units), dtype=np.intp) for s in range(0, 300, 128)]
        want = np.vstack([[np.bincount(row, minlength=n_units) for row in block] for block in blocks])
        assert np.array_equal(got, want)


def test_span_matrix_is_the_pairs_each_unit_spans():
    """Built from each unit's pairs, it equals the dense definition (both ends present)."""
    import scipy.sparse as sp

    from graphsvc.analysis.gaps import _span_matrix

    for K in (1, 2, 5, 19, 98):
        iu, ju = np.triu_indices(K, 1)
        present = sp.random(300, K, density=0.1, random_state=K, format="csr")
        present.data[:] = 1.0
        dense = present.toarray().astype(bool)
        want = (dense[:, iu] & dense[:, ju]).astype(float)
        assert np.array_equal(_span_matrix(present, iu, ju).toarray(), want)
