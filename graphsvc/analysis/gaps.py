"""Cross-municipal gaps: which municipality pairs share fewer projects than expected.

The count: two municipalities *share* a project (or a declared collaboration, a project
of two) when it has organisations in both; O_ij counts the projects they share in the
window. The null (``graphsvc.analysis.gaps_null``): a degree-corrected gravity model
fitted to the cross-border counts only, expected_ij = x_i x_j km_ij^β with Σ_j
expected_ij = Σ_j O_ij for every municipality. The uncertainty
(``graphsvc.analysis.gaps_stats``): the projects are resampled with replacement
(``bootstrap_replicates``, seeded) for the dispersion φ of the counts, which the shared
projects' cliques make larger than Poisson; the one-sided p-value of "fewer than expected" is P(X ≤ O) for X negative
binomial with mean expected and variance φ · expected; Benjamini–Hochberg across the
pairs that can be discoveries at rate ``gap_fdr`` (Tarone's filter on the smallest
attainable p-value, P(X = 0), with Benjamini–Hochberg inside the filtered family,
Gilbert 2005). Three states: ``too_little_data`` (left out by the filter: not even 0
shared projects could have been a discovery), ``lacking`` (q ≤ gap_fdr), ``ok``. The
interval on each pair's ratio O/expected is the exact Poisson interval of the count on
the quasi-Poisson scale (O/φ, times φ), so it agrees with the test: its upper end is
below 1 when the count is significantly low at (1 − coverage)/2.

E-I index per municipality (Krackhardt & Stern 1988) over the weighted ties of the
organisation graph's projects: (EL − IL) / (EL + IL); tested exactly against the
region's share of local ties (``gaps_stats.local_share_test``, a binomial tail on the
effective number of units), with the same filtered FDR step across the municipalities.
docs/analysis.md gives every formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from graphsvc.analysis._engine import indexed, node_column, pairs_within, without_gc
from graphsvc.analysis._places import haversine_km, municipality_rows
from graphsvc.analysis._results import AnalysisResult, graph_provenance
from graphsvc.analysis.gaps_null import fit_gravity, fit_margins, tie_units
from graphsvc.analysis.gaps_reasons import pair_reasons
from graphsvc.analysis.gaps_stats import (
    bootstrap_sums,
    local_share_test,
    lower_tail,
    pair_states,
    zero_probability,
)
from graphsvc.analysis.params import AnalysisParams

__all__ = ["GapsResult", "municipality_gaps", "STATES"]

STATES = ("lacking", "ok", "too_little_data")
STATE_NAMES = {
    "lacking": {"da": "mangler samarbejde", "en": "lacking ties"},
    "ok": {"da": "ingen påviselig mangel", "en": "no clear gap"},
    "too_little_data": {"da": "for lidt data", "en": "too little data"},
}
MATRICES = ("observed", "expected", "ratio", "ratio_low", "ratio_high", "residual",
            "p_value", "q_value", "state")


@dataclass(frozen=True)
class GapsResult(AnalysisResult):
    """Observed and expected shared projects between municipalities.

    The municipality × municipality frames (codes): ``observed`` (the diagonal: projects
    with two or more organisations of the municipality), ``expected``, ``ratio``,
    ``ratio_low``/``ratio_high`` (the bootstrap interval), ``residual`` ((O − E)/√(φE)),
    ``p_value``, ``q_value``, ``state`` (NaN/None on the diagonal). ``pairs``: one row per
    pair, most lacking first. ``no_ties``: the pairs without any shared project, most
    expected first. ``ei``: per municipality its E-I index and test. ``null``: the null
    model's name and parameters.
    """

    observed: pd.DataFrame
    expected: pd.DataFrame
    ratio: pd.DataFrame
    ratio_low: pd.DataFrame
    ratio_high: pd.DataFrame
    residual: pd.DataFrame
    p_value: pd.DataFrame
    q_value: pd.DataFrame
    state: pd.DataFrame
    pairs: pd.DataFrame
    no_ties: pd.DataFrame
    ei: pd.DataFrame
    ei_network: dict[str, float]
    null: dict[str, Any]
    organisations_counted: int
    organisations_excluded: int

    def lacking(self) -> pd.DataFrame:
        """The pairs that lack ties, most lacking first."""
        return self.pairs[self.pairs["lacking"]]

    def summary(self) -> dict[str, Any]:
        counts = self.pairs["state"].value_counts()
        return {
            "null_model": self.params.null_model,
            "null": self.null,
            "projects_shared_across_borders": int(self.pairs["observed"].sum()),
            "organisations_counted": self.organisations_counted,
            "organisations_excluded": self.organisations_excluded,
            "pairs": len(self.pairs),
            "pairs_lacking": int(counts.get("lacking", 0)),
            "pairs_ok": int(counts.get("ok", 0)),
            "pairs_too_little_data": int(counts.get("too_little_data", 0)),
            "pairs_without_ties": len(self.no_ties),
            "fdr": self.params.gap_fdr,
            "interval": self.params.gap_interval,
            "bootstrap_replicates": self.params.bootstrap_replicates,
            "seed": self.params.seed,
            "ei_network": self.ei_network,
            "municipalities_inward": int(self.ei["inward"].sum()),
            "municipalities_too_little_data": int((self.ei["state"] == "too_little_data").sum()),
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "pairs": self.pairs.drop(columns="reason_codes"),
            "ei": self.ei,
            **{name: getattr(self, name) for name in MATRICES},
            "no_ties": self.no_ties.drop(columns="reason_codes"),
        }


@without_gc
def municipality_gaps(
    G: nx.Graph,
    municipalities: Iterable[Any] | None = None,
    *,
    params: AnalysisParams | None = None,
    seed: int | None = None,
) -> GapsResult:
    """Observed against expected shared projects between every pair of ``municipalities``.

    Parameters
    ----------
    G : nx.Graph
        The organisation graph (``organisation_graph``: its ``tie_units`` are resampled;
        a graph built by hand counts each edge as a unit); nodes carry
        ``municipality_code`` (and ``name``).
    municipalities : iterable of dict or Municipality, optional
        The municipalities in scope (``code``, ``name``, ``lat``, ``lon``); the region's
        19 when None. Organisations elsewhere do not count.
    params : AnalysisParams, optional
        ``null_model``, ``gap_fdr``, ``bootstrap_replicates``, ``gap_interval``, ``lang``.
    seed : int, optional
        Seed of the bootstrap (default ``params.seed``).

    Returns
    -------
    GapsResult

    Examples
    --------
    >>> G = nx.Graph([("a1", "b1"), ("a2", "c1"), ("b2", "c2")])
    >>> nx.set_node_attributes(G, {"a1": "A", "a2": "A", "b1": "B", "b2": "B",
    ...                            "c1": "C", "c2": "C"}, "municipality_code")
    >>> rows = [{"code": c, "name": c} for c in "ABC"]
    >>> r = municipality_gaps(G, rows, params=AnalysisParams(null_model="gravity",
    ...                                                      bootstrap_replicates=0))
    >>> float(r.expected.loc["A", "B"]), r.state.loc["A", "B"]
    (1.0, 'too_little_data')

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises:
    an experimental simulation. Social Psychology Quarterly 51(2), 123–140.
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. JRSS B
    57(1), 289–300.
    Gilbert, P. B. (2005). A modified false discovery rate multiple-comparisons procedure
    for discrete data. JRSS C 54(1), 143–158.
    """
    params = params or AnalysisParams()
    seed = params.seed if seed is None else seed
    params = params.model_copy(update={"seed": seed})
    munis = municipality_rows(municipalities)
    codes = list(munis)
    K = len(codes)
    position = {c: i for i, c in enumerate(codes)}
    iu, ju = np.triu_indices(K, 1)

    units = tie_units(G, position)
    C = units.members.tocsr()  # U × K organisations per municipality
    present = C.copy()
    present.data[:] = 1.0
    # pair presence per unit (U × P): a unit spans i and j when it has organisations in both
    live = np.flatnonzero(np.diff(present.indptr) >= 2)
    span = _span_matrix(present[live], iu, ju)

    observed = np.asarray(span.sum(axis=0)).ravel()
    km, log_km = _distances(munis, codes, iu, ju)
    with_distance = params.null_model == "gravity_distance" and log_km is not None
    model = fit_gravity(observed, iu, ju, K, log_km if with_distance else None)
    expected = model.expected
    use_distance = with_distance and model.beta is not None  # β not estimated: no distance

    boot_obs = boot_i = boot_e = None
    phi_boot = 1.0
    inside, outside = _tie_weights(C, units.weights)
    if params.bootstrap_replicates and C.shape[0]:
        full_span = sp.csr_matrix((span.data, span.indices, _rows_at(span, live, C.shape[0])),
                                  shape=(C.shape[0], span.shape[1]))
        boot_obs, boot_i, boot_e = bootstrap_sums([full_span, inside, outside], C.shape[0],
                                                  params.bootstrap_replicates, seed)
        mean = boot_obs.mean(axis=0)
        if mean.sum() > 0:
            phi_boot = float(boot_obs.var(axis=0, ddof=1).sum() / mean.sum())
    fitted = expected > 0
    df = max(1, int(fitted.sum()) - int((observed_margin(observed, iu, ju, K) > 0).sum())
             - int(use_distance))
    with np.errstate(divide="ignore", invalid="ignore"):
        phi_fit = float(np.sum(np.where(fitted, (observed - expected) ** 2 / expected, 0.0)) / df)
    phi = max(1.0, phi_boot, phi_fit)

    p = lower_tail(observed, expected, phi)
    p0 = zero_probability(expected, phi)
    qv, state = pair_states(p, p0, params.gap_fdr)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / expected, np.nan)
        residual = np.where(expected > 0, (observed - expected) / np.sqrt(phi * expected), np.nan)
    low, high = _interval(observed, expected, phi, params.gap_interval)

    internal_units = np.asarray((C >= 2).sum(axis=0)).ravel().astype(float)
    ei_table, ei_network = _ei(inside, outside, boot_i, boot_e, codes, munis, G, position, params)

    lab_counted, n_org = _counted(G, position, K)
    mat = {
        "observed": _frame(codes, iu, ju, observed, np.diag(internal_units)),
        "expected": _frame(codes, iu, ju, expected),
        "ratio": _frame(codes, iu, ju, ratio),
        "ratio_low": _frame(codes, iu, ju, low),
        "ratio_high": _frame(codes, iu, ju, high),
        "residual": _frame(codes, iu, ju, residual),
        "p_value": _frame(codes, iu, ju, p),
        "q_value": _frame(codes, iu, ju, qv),
        "state": _frame(codes, iu, ju, state, dtype=object),
    }
    margins = observed_margin(observed, iu, ju, K)
    pairs = _pairs(codes, munis, iu, ju, observed, expected, ratio, low, high, residual, p, qv,
                   state, km, margins, ei_table, _carriers(G, units, live, span, iu, ju, position),
                   params, use_distance)
    no_ties = pairs[pairs["observed"] == 0].sort_values(
        ["expected", "code_a", "code_b"], ascending=[False, True, True]
    ).reset_index(drop=True)
    version, years = graph_provenance(G)
    null = {
        "name": "gravity_distance" if with_distance else "gravity",
        "distance_exponent": model.beta,  # None: not estimated
        "dispersion": phi,
        "dispersion_bootstrap": phi_boot,
        "dispersion_fit": phi_fit,
        "units": int(C.shape[0]),
    }
    return GapsResult(
        params=params,
        data_version=version,
        years=years,
        **mat,
        pairs=pairs,
        no_ties=no_ties,
        ei=ei_table,
        ei_network=ei_network,
        null=null,
        organisations_counted=int(lab_counted),
        organisations_excluded=G.number_of_nodes() - int(lab_counted),
    )


def observed_margin(observed, iu, ju, K) -> np.ndarray:
    """d_i = Σ_j O_ij: each municipality's cross-border shared projects."""
    return np.bincount(iu, observed, K) + np.bincount(ju, observed, K)


def _span_matrix(present, iu, ju):
    """U × P: 1 when the unit has organisations on both sides of pair p (the pairs in
    ``np.triu_indices`` order, as ``iu``, ``ju``). Built from each unit's pairs of
    municipalities, never as a dense U × P array (on L with every municipality in scope
    that would be 40,000 × 4,753 floats).

    >>> iu, ju = np.triu_indices(3, 1)
    >>> _span_matrix(sp.csr_matrix(np.array([[1.0, 0, 1], [1, 1, 1]])), iu, ju).toarray().tolist()
    [[0.0, 1.0, 0.0], [1.0, 1.0, 1.0]]
    """
    present = sp.csr_matrix(present)
    present.sort_indices()
    K = present.shape[1]
    rows = np.repeat(np.arange(present.shape[0]), np.diff(present.indptr))
    first, second = pairs_within(rows)
    a, b = present.indices[first].astype(np.int64), present.indices[second].astype(np.int64)
    pair = a * K - a * (a + 1) // 2 + (b - a - 1)  # the position of (a, b) in triu_indices(K, 1)
    return sp.csr_matrix((np.ones(len(pair)), (rows[first], pair)), shape=(present.shape[0], len(iu)))


def _distances(munis, codes, iu, ju):
    lat = np.array([munis[c]["lat"] if munis[c]["lat"] is not None else np.nan for c in codes], float)
    lon = np.array([munis[c]["lon"] if munis[c]["lon"] is not None else np.nan for c in codes], float)
    km = haversine_km(lat[iu], lon[iu], lat[ju], lon[ju]) if len(iu) else np.zeros(0)
    if len(km) == 0 or not np.all(np.isfinite(km)) or np.any(km <= 0):
        return km, None
    return km, np.log(km)


def _interval(observed, expected, phi, coverage):
    """The interval of each pair's ratio O/E that goes with its test: the exact (Garwood)
    Poisson interval of the count, on the quasi-Poisson scale O/φ and multiplied back by
    φ, over the expected count. Its upper end is below 1 exactly when (at φ = 1) the
    one-sided p-value is below (1 − coverage)/2; a count of 0 runs from 0 to −ln(α/2)·φ/E.

    >>> low, high = _interval(np.array([3.0]), np.array([6.0]), 1.0, 0.95)
    >>> round(float(low[0]), 4), round(float(high[0]), 4)
    (0.1031, 1.4612)
    """
    from scipy import special  # imported when used

    alpha = 1 - coverage
    x = np.asarray(observed, float) / phi
    with np.errstate(divide="ignore", invalid="ignore"):
        # chdtri(df, q) is the chi-square quantile of 1 − q
        lo_count = np.where(x > 0, special.chdtri(2 * x, 1 - alpha / 2) / 2, 0.0) * phi
        hi_count = special.chdtri(2 * x + 2, alpha / 2) / 2 * phi
        live = expected > 0
        low = np.where(live, lo_count / np.where(live, expected, 1), np.nan)
        high = np.where(live, hi_count / np.where(live, expected, 1), np.nan)
    return low, high


def _frame(codes, iu, ju, values, diagonal=None, dtype=float) -> pd.DataFrame:
    K = len(codes)
    if dtype is object:
        a = np.full((K, K), None, dtype=object)
    else:
        a = np.full((K, K), np.nan) if diagonal is None else np.array(diagonal, float)
    a[iu, ju] = values
    a[ju, iu] = values
    return pd.DataFrame(a, index=pd.Index(codes, name="code"), columns=codes)


def _counted(G, position, K):
    labels = [position.get(c, -1) for c in node_column(G, "municipality_code")]
    lab = np.array(labels, np.int64) if labels else np.zeros(0, np.int64)
    counted = lab >= 0
    return counted.sum(), np.bincount(lab[counted], minlength=K)


def _tie_weights(C, weights):
    """U × K: the weight of each unit's ties inside each municipality, and to the others."""
    total = np.asarray(C.sum(axis=1)).ravel()
    pairs_in, pairs_out = C.copy(), C.copy()
    pairs_in.data = C.data * (C.data - 1) / 2      # pairs of the unit inside k
    pairs_out.data = C.data * (np.repeat(total, np.diff(C.indptr)) - C.data)  # k to the rest
    W = sp.diags(weights)
    return sp.csr_matrix(W @ pairs_in), sp.csr_matrix(W @ pairs_out)


def _rows_at(span, live, n):
    """The indptr of ``span`` (rows ``live``) spread out to ``n`` rows."""
    counts = np.zeros(n, np.int64)
    counts[live] = np.diff(span.indptr)
    return np.concatenate([[0], np.cumsum(counts)])


def _ei(inside, outside, boot_i, boot_e, codes, munis, G, position, params):
    """E-I index per municipality over the units' weighted ties, and its test."""
    IL = np.asarray(inside.sum(axis=0)).ravel()
    EL = np.asarray(outside.sum(axis=0)).ravel()
    s, share, n_units, p, p_min = local_share_test(IL, EL, inside + outside, boot_i, boot_e)
    tested = np.isfinite(p)
    q = np.full(len(p), np.nan)
    state = np.full(len(p), None, dtype=object)  # None: no ties to test
    if tested.any():
        q[tested], state[tested] = pair_states(p[tested], p_min[tested], params.gap_fdr)
        state[tested] = np.where(state[tested] == "lacking", "inward", state[tested])
    with np.errstate(divide="ignore", invalid="ignore"):
        ei = np.where(IL + EL > 0, (EL - IL) / (IL + EL), np.nan)
    lab_counted, n_org = _counted(G, position, len(codes))
    with_ties, with_outside = _shares(G, position, len(codes))
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame(
            {
                "name": [munis[c]["name"] for c in codes],
                "organisations": n_org.astype(int),
                "share_with_ties": np.where(n_org > 0, with_ties / n_org, np.nan),
                "share_with_outside_tie": np.where(n_org > 0, with_outside / n_org, np.nan),
                "internal_ties": IL,
                "external_ties": EL,
                "ei": ei,
                "ei_expected": np.full(len(codes), 1 - 2 * s),
                "local_share": share,
                "units": n_units,
                "p_value": p,
                "p_min": p_min,
                "q_value": q,
                "state": state,
                "inward": state == "inward",
            },
            index=pd.Index(codes, name="code"),
        )
    cross = EL.sum() / 2
    net = (cross - IL.sum()) / (cross + IL.sum()) if cross + IL.sum() > 0 else float("nan")
    return table, {"ei": float(net), "local_share": s}


def _shares(G, position, K):
    """Per municipality: organisations with any tie, and with a partner placed elsewhere."""
    ix = indexed(G)
    node_code = node_column(G, "municipality_code")
    known = {c: i for i, c in enumerate(sorted({c for c in node_code if c is not None}))}
    code = np.array([known.get(c, -1) for c in node_code], np.int64)
    lab = np.array([position.get(c, -1) for c in node_code], np.int64)
    h, t = code[ix.heads], code[ix.tails]
    cross = (h >= 0) & (t >= 0) & (h != t)
    outside = np.zeros(ix.n, bool)
    outside[ix.heads[cross]] = True
    outside[ix.tails[cross]] = True
    counted = lab >= 0
    with_ties = np.bincount(lab[counted], weights=(ix.degree[counted] > 0), minlength=K)
    with_outside = np.bincount(lab[counted], weights=outside[counted], minlength=K)
    return with_ties, with_outside


def _carriers(G, units, live, span, iu, ju, position, most: int = 3,
              named: int = 3) -> dict[int, dict[str, Any]]:
    """For pairs with 1 to ``most`` shared projects: the (at most ``named``) organisations
    of the two municipalities in most of those projects (ties by name), how many such
    organisations there are, and the number of projects."""
    out: dict[int, dict[str, Any]] = {}
    counts = np.asarray(span.sum(axis=0)).ravel()
    csc = span.tocsc()
    code = dict(zip(G, node_column(G, "municipality_code")))
    name_of = dict(zip(G, node_column(G, "name")))
    for p in np.flatnonzero((counts > 0) & (counts <= most)).tolist():
        sides = {int(iu[p]), int(ju[p])}
        carried: dict[Any, int] = {}
        for u in live[csc.indices[csc.indptr[p]:csc.indptr[p + 1]]].tolist():
            for v in set(units.ids[u]):
                if position.get(code.get(v), -1) in sides:
                    carried[v] = carried.get(v, 0) + 1
        names: dict[str, int] = {}
        for v, k in carried.items():
            name = name_of.get(v) or str(v)
            names[name] = max(k, names.get(name, 0))
        ranked = sorted(names, key=lambda name: (-names[name], name))
        out[p] = {"names": ranked[:named], "organisations": len(ranked), "projects": int(counts[p])}
    return out


def _pairs(codes, munis, iu, ju, observed, expected, ratio, low, high, residual, p, qv, state,
           km, margins, ei_table, carriers, params, distance_used) -> pd.DataFrame:
    lang = params.lang
    rows = []
    for k, (i, j) in enumerate(zip(iu.tolist(), ju.tolist())):
        a, b = munis[codes[i]], munis[codes[j]]
        dist = float(km[k]) if len(km) and np.isfinite(km[k]) else None
        reasons = pair_reasons(
            a=a["name"], b=b["name"], observed=int(observed[k]), expected=float(expected[k]),
            low=float(low[k]), high=float(high[k]), p=float(p[k]), q=float(qv[k]),
            state=state[k], d_a=int(margins[i]), d_b=int(margins[j]),
            km=dist if distance_used else None,
            carriers=carriers.get(k), inward=[(m["name"], ei_table["local_share"].iloc[x])
                                              for x, m in ((i, a), (j, b))
                                              if ei_table["inward"].iloc[x]],
            params=params,
        )
        rows.append({
            "code_a": codes[i], "name_a": a["name"], "code_b": codes[j], "name_b": b["name"],
            "observed": int(observed[k]), "expected": float(expected[k]),
            "ratio": float(ratio[k]), "ratio_low": float(low[k]), "ratio_high": float(high[k]),
            "residual": float(residual[k]), "p_value": float(p[k]), "q_value": float(qv[k]),
            "state": state[k], "state_name": STATE_NAMES[state[k]][lang],
            "lacking": state[k] == "lacking", "km": dist,
            "reasons": [r.text(lang) for r in reasons],
            "reason_codes": [r.code for r in reasons],
        })
    columns = ["code_a", "name_a", "code_b", "name_b", "observed", "expected", "ratio",
               "ratio_low", "ratio_high", "residual", "p_value", "q_value", "state",
               "state_name", "lacking", "km", "reasons", "reason_codes"]
    df = pd.DataFrame(rows, columns=columns)
    return df.sort_values(["p_value", "expected", "code_a", "code_b"],
                          ascending=[True, False, True, True]).reset_index(drop=True)
