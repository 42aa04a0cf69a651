"""The null model of the gaps analysis: expected shared projects between municipalities.

A *unit* is a project in the window or a declared collaboration (a project of two), as the
ids of its organisations (``G.graph["tie_units"]``, written by ``organisation_graph``; a
graph built by hand has one unit per edge). Two municipalities i ≠ j *share* a unit when
it has organisations in both. O_ij is the number of units they share; d_i = Σ_j O_ij the
cross-border tie ends of i. Ties inside a municipality play no part in the null.

Degree-corrected gravity model (a Poisson log-linear model of the symmetric table with
the diagonal left out): O_ij ~ Poisson(μ_ij), log μ_ij = a_i + a_j + β · log km_ij.
For a fixed β the municipality effects are the unique solution of Σ_j μ_ij = d_i for
every i (iterative proportional fitting of x_i = exp(a_i)); β maximises the profile
likelihood (``scipy.optimize.minimize_scalar``, bounded to [−4, 1]); β = 0 for the
model without distance (``gravity``). β is *not estimated* (None, and the fit made
without distance) when the data say nothing about it: fewer than four municipalities
with cross-border projects (the margins alone then fix every expected count, e.g. one
active pair) or a profile likelihood flat over the bounds. Σ_{i<j} μ_ij = Σ_{i<j} O_ij: the model spreads the
observed cross-border projects over the pairs, it does not add any.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphsvc.analysis._engine import NodeGroups, node_column

__all__ = ["Units", "tie_units", "fit_margins", "fit_gravity", "Gravity"]

BETA_BOUNDS = (-4.0, 1.0)
# a profile log-likelihood that moves less than this (relative) over the bounds is flat
FLAT = 1e-6


@dataclass(frozen=True)
class Units:
    """The units as matrices over the municipalities in scope (K of them).

    ``members``: U × K counts of each unit's organisations per municipality (sparse);
    ``weights``: the weight of a pair of a unit's organisations; ``ids``: the units' ids.
    """

    ids: Sequence[tuple]
    members: sp.csr_matrix
    weights: np.ndarray


def tie_units(G: nx.Graph, position: dict[str, int]) -> Units:
    """The units of ``G`` placed in the municipalities of ``position`` (code → column).

    >>> G = nx.Graph([("a", "b")], tie_units=[("a", "b", "c")], tie_unit_weights=[0.5])
    >>> nx.set_node_attributes(G, {"a": "X", "b": "X", "c": "Y"}, "municipality_code")
    >>> G.add_node("c", municipality_code="Y")
    >>> tie_units(G, {"X": 0, "Y": 1}).members.toarray().tolist()
    [[2.0, 1.0]]
    """
    units = G.graph.get("tie_units")
    weights = G.graph.get("tie_unit_weights")
    if units is None:
        units = [(u, v) for u, v in G.edges()]
        weights = [float(d.get("weight", 1.0)) for _, _, d in G.edges(data=True)]
    code = {v: position.get(c, -1) for v, c in zip(G, node_column(G, "municipality_code"))}
    if isinstance(units, NodeGroups):  # the projection's arrays: no tuple per unit
        node_col = np.array([code.get(v, -1) for v in units.names.tolist()], np.int64)
        rows = np.repeat(np.arange(len(units)), np.diff(units.indptr))
        cols = node_col[units.indices] if len(units.indices) else np.zeros(0, np.int64)
        rows, cols = rows[cols >= 0], cols[cols >= 0]
    else:
        units = list(units)
        rows, cols = [], []
        for k, unit in enumerate(units):
            for v in unit:
                col = code.get(v, -1)
                if col >= 0:
                    rows.append(k)
                    cols.append(col)
    members = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(units), len(position)))
    members.sum_duplicates()
    return Units(units, members, np.asarray(weights, float))


def fit_margins(d: np.ndarray, g: np.ndarray, iu: np.ndarray, ju: np.ndarray,
                iterations: int = 500, tol: float = 1e-10) -> np.ndarray:
    """x ≥ 0 with Σ_j x_i x_j g_ij = d_i (i ≠ j) for each row of ``d`` (R × K or K).

    The symmetric iterative proportional fitting x ← √(x · d / (G x)), vectorised over the
    rows (the bootstrap replicates). A municipality without cross-border ties gets x = 0.

    >>> iu, ju = np.triu_indices(3, 1)
    >>> x = fit_margins(np.array([3.0, 3.0, 2.0]), np.ones(3), iu, ju)
    >>> np.round(np.outer(x, x)[iu, ju], 6).tolist()   # three pairs, three margins: exact
    [2.0, 1.0, 1.0]
    """
    one = d.ndim == 1
    D = np.atleast_2d(np.asarray(d, float))
    K = D.shape[1]
    M = np.zeros((K, K))
    M[iu, ju] = g
    M = M + M.T
    total = D.sum(axis=1, keepdims=True)
    x = np.where(D > 0, D / np.sqrt(np.maximum(total, 1e-300)), 0.0)
    for _ in range(iterations):
        Gx = x @ M
        with np.errstate(divide="ignore", invalid="ignore"):
            new = np.where(D > 0, np.sqrt(x * D / Gx), 0.0)
        new = np.nan_to_num(new)
        done = np.max(np.abs(new - x)) <= tol * max(1.0, float(np.max(x)))
        x = new
        if done:
            break
    return x[0] if one else x


@dataclass(frozen=True)
class Gravity:
    """A fitted gravity model: ``expected`` per pair (i < j), ``beta`` the distance
    exponent (0 without distance, None where the data cannot estimate it), ``g`` = km^β
    per pair (1 when β is 0 or None)."""

    expected: np.ndarray
    beta: float | None
    g: np.ndarray


def _expected(d, g, iu, ju):
    x = fit_margins(d, g, iu, ju)
    return x[..., iu] * x[..., ju] * g


def fit_gravity(observed: np.ndarray, iu: np.ndarray, ju: np.ndarray, K: int,
                log_km: np.ndarray | None) -> Gravity:
    """The gravity model fitted to the pairs' ``observed`` counts (i < j order).

    ``log_km`` None fits the model without distance (β = 0). With distance, β is None
    where it cannot be estimated (module docstring): one active pair fits exactly at
    every β.

    >>> iu, ju = np.triu_indices(3, 1)
    >>> m = fit_gravity(np.array([2.0, 1.0, 1.0]), iu, ju, 3, None)
    >>> np.round(m.expected, 6).tolist(), m.beta
    ([2.0, 1.0, 1.0], 0.0)
    >>> iu, ju = np.triu_indices(4, 1)
    >>> m = fit_gravity(np.array([3.0, 0, 0, 0, 0, 0]), iu, ju, 4, np.log([5.0, 9, 20, 7, 30, 11]))
    >>> np.round(m.expected, 6).tolist(), m.beta
    ([3.0, 0.0, 0.0, 0.0, 0.0, 0.0], None)
    """
    d = np.bincount(iu, observed, K) + np.bincount(ju, observed, K)
    g = np.ones(len(iu))
    if log_km is None or observed.sum() == 0:
        return Gravity(_expected(d, g, iu, ju), 0.0, g)
    if int((d > 0).sum()) < 4:  # as many margins as pairs: the fit ignores β
        return Gravity(_expected(d, g, iu, ju), None, g)

    def deviance(beta: float) -> float:
        mu = _expected(d, np.exp(beta * log_km), iu, ju)
        with np.errstate(divide="ignore", invalid="ignore"):
            ll = np.where(observed > 0, observed * np.log(mu), 0.0) - mu
        return -float(ll.sum())

    from scipy.optimize import minimize_scalar  # imported when used: 0.15 s

    beta = float(minimize_scalar(deviance, bounds=BETA_BOUNDS, method="bounded",
                                 options={"xatol": 1e-6}).x)
    profile = [deviance(b) for b in (*BETA_BOUNDS, beta)]
    if max(profile) - min(profile) <= FLAT * max(1.0, abs(profile[-1])):
        return Gravity(_expected(d, g, iu, ju), None, g)
    g = np.exp(beta * log_km)
    return Gravity(_expected(d, g, iu, ju), beta, g)
