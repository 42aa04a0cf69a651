"""The statistics of the gaps analysis: the project-level bootstrap, the one-sided
negative-binomial p-values, the Benjamini–Hochberg step for discrete tests with Tarone's
filter (the tests left out are "too little data"), and the exact E-I test against the
region's share of local ties. docs/analysis.md defines each.

References
----------
Tarone, R. E. (1990). A modified Bonferroni method for discrete data. Biometrics 46(2),
515–522.
Gilbert, P. B. (2005). A modified false discovery rate multiple-comparisons procedure for
discrete data, applied to human immunodeficiency virus genetics. JRSS C (Applied
Statistics) 54(1), 143–158.
Korn, E. L. & Graubard, B. I. (1998). Confidence intervals for proportions with small
expected number of positive counts estimated from survey data. Survey Methodology 24(2),
193–201.
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = [
    "resample_counts",
    "bootstrap_sums",
    "lower_tail",
    "zero_probability",
    "bh_qvalues",
    "tarone_bh",
    "pair_states",
    "local_share_test",
]

STATES = ("lacking", "ok", "too_little_data")


def _draws(n_units: int, replicates: int, seed: int, chunk: int = 32):
    """Blocks of resamples: how often each unit is drawn (rows of ``chunk`` replicates)."""
    rng = np.random.default_rng(seed)
    for start in range(0, replicates, chunk):
        rows = min(chunk, replicates - start)
        counts = np.empty((rows, n_units), np.int32)
        # one replicate's draws at a time (the same numbers as drawing the block at once:
        # the generator's stream runs on; tested), so a block of draws is never held
        # (95 MB at 100,000 units); one bincount per row: 10× faster than one of the block
        for r in range(rows):
            counts[r] = np.bincount(rng.integers(0, n_units, size=n_units, dtype=np.intp), minlength=n_units)
        yield counts


def resample_counts(n_units: int, replicates: int, seed: int) -> np.ndarray:
    """How often each of ``n_units`` units is drawn in each of ``replicates`` resamples
    with replacement of ``n_units`` units (R × U, each row sums to U).

    >>> resample_counts(4, 2, seed=1).tolist()
    [[0, 1, 1, 2], [2, 0, 0, 2]]
    """
    if replicates == 0 or n_units == 0:
        return np.zeros((replicates, n_units), np.int64)
    return np.vstack(list(_draws(n_units, replicates, seed)))


def bootstrap_sums(matrices, n_units: int, replicates: int, seed: int) -> list[np.ndarray]:
    """For each U × X (sparse) matrix, the R × X sums of its rows over each resample of
    ``resample_counts(n_units, replicates, seed)``, computed in blocks of replicates."""
    out = [[] for _ in matrices]
    if n_units == 0:
        return [np.zeros((replicates, m.shape[1])) for m in matrices]
    transposed = [m.T.tocsr() for m in matrices]
    for counts in _draws(n_units, replicates, seed, chunk=16):
        # one C-ordered copy: ``counts.T.astype(float)`` is ordered like ``counts``, and the
        # product made a second, C-ordered copy of it (L: 24 MB more at the analysis' peak)
        dense = np.empty((n_units, len(counts)))
        dense[...] = counts.T
        for k, mt in enumerate(transposed):
            out[k].append(np.asarray(mt @ dense).T)
    return [np.vstack(o) for o in out]


def _nbinom_cdf(k: np.ndarray, expected: np.ndarray, phi: float) -> np.ndarray:
    """P(X ≤ k) for the negative binomial with mean ``expected`` and variance φ · mean
    (φ > 1): n = mean/(φ − 1) successes of probability 1/φ, so P(X ≤ k) = I_{1/φ}(n, ⌊k⌋ + 1),
    the regularised incomplete beta function (what ``scipy.stats.nbinom.cdf`` computes,
    without importing scipy.stats: 0.4 s)."""
    n = expected / (phi - 1)
    k = np.floor(k)
    return np.where(k >= 0, special.betainc(n, np.maximum(k, 0) + 1, 1 / phi), 0.0)


def lower_tail(observed: np.ndarray, expected: np.ndarray, phi: float) -> np.ndarray:
    """P(X ≤ observed) for X of mean ``expected`` and variance φ · expected: the one-sided
    p-value of "fewer than expected". 1 where nothing was expected.

    >>> float(np.round(lower_tail(np.array([0]), np.array([2.3]), 1.0)[0], 4))  # e^-2.3
    0.1003
    >>> float(np.round(lower_tail(np.array([0]), np.array([2.3]), 2.0)[0], 4))  # 2^-2.3
    0.2031
    """
    observed, expected = np.asarray(observed, float), np.asarray(expected, float)
    out = np.ones(len(observed))
    live = expected > 0
    if phi <= 1.0 + 1e-9:
        out[live] = special.pdtr(observed[live], expected[live])  # the Poisson cdf
    else:
        out[live] = _nbinom_cdf(observed[live], expected[live], phi)
    return out


def zero_probability(expected: np.ndarray, phi: float) -> np.ndarray:
    """P(X = 0): the smallest p-value a pair with this expected count can have."""
    return lower_tail(np.zeros(len(expected)), expected, phi)


def bh_qvalues(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values): a pair is a discovery at rate q
    when its q-value is at most q. ``scipy.stats.false_discovery_control``."""
    p = np.asarray(p, float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    q = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    out = np.empty(m)
    out[order] = q
    return out


def tarone_bh(p: np.ndarray, p_min: np.ndarray, q: float) -> tuple[np.ndarray, np.ndarray]:
    """Benjamini–Hochberg for discrete tests with Tarone's filter (Gilbert 2005).

    A discrete test has a smallest attainable p-value ``p_min``; a test whose ``p_min``
    is large can never be a discovery, yet counted in the family it makes every
    threshold stricter. Tarone (1990): m(K) = #{tests with p_min < q/K}; K* is the
    smallest K ≥ 1 with m(K) ≤ K. Gilbert (2005): the tests with p_min < q/K* are the
    family; Benjamini–Hochberg at rate q within it (m(K*) in place of the number of all
    tests) controls the false discovery rate. Returns the q-values (BH-adjusted within
    the family, NaN outside it) and which tests are in the family.

    Five tests, q = 0.1: p_min < 0.1/K for 4, 3, 3 of them at K = 1, 2, 3, so K* = 3
    and the family is the three with p_min < 0.0333; their BH q-values 3p/rank.

    >>> qv, testable = tarone_bh(np.array([0.001, 0.04, 0.02, 0.2, 0.5]),
    ...                          np.array([0.001, 0.01, 0.02, 0.05, 0.5]), 0.1)
    >>> testable.tolist(), np.round(qv, 4).tolist()
    ([True, True, True, False, False], [0.003, 0.04, 0.03, nan, nan])
    """
    p, p_min = np.asarray(p, float), np.asarray(p_min, float)
    m = len(p)
    qv = np.full(m, np.nan)
    if m == 0:
        return qv, np.zeros(0, bool)
    K = np.arange(1, m + 1)
    ordered = np.sort(p_min)
    m_K = np.searchsorted(ordered, q / K, side="left")   # #{p_min < q/K}
    k_star = int(K[np.argmax(m_K <= K)])                  # m(m) ≤ m: always found
    testable = p_min < q / k_star
    if testable.any():
        qv[testable] = bh_qvalues(p[testable])
    return qv, testable


def pair_states(p: np.ndarray, p_min: np.ndarray, q: float) -> tuple[np.ndarray, np.ndarray]:
    """q-values and the state of each test: ``too_little_data`` outside Tarone's family
    (``tarone_bh``: its smallest attainable p-value ``p_min`` could not be a discovery);
    inside it ``lacking`` when its q-value is at most ``q``, else ``ok``.

    >>> qv, s = pair_states(np.array([0.001, 0.3, 0.2]), np.array([0.001, 0.01, 0.2]), 0.1)
    >>> np.round(qv, 3).tolist(), s.tolist()
    ([0.002, 0.3, nan], ['lacking', 'ok', 'too_little_data'])
    """
    qv, testable = tarone_bh(p, p_min, q)
    with np.errstate(invalid="ignore"):
        found = testable & (qv <= q)
    state = np.where(~testable, "too_little_data", np.where(found, "lacking", "ok"))
    return qv, state.astype(object)


def local_share_test(internal: np.ndarray, external: np.ndarray, unit_ties,
                     boot_internal: np.ndarray | None, boot_external: np.ndarray | None):
    """Whether each municipality keeps more of its ties inside than the region does.

    ``internal``/``external``: K tie weights inside / to other municipalities in scope;
    ``unit_ties``: U × K tie weight of each unit touching each municipality; ``boot_*``:
    R × K the same weights in each bootstrap replicate (or None).

    The region's local share s = ΣI / Σ(I + X) is held fixed; municipality k's local share
    ℓ_k = I_k / (I_k + X_k). Its ties come in n_k effective independent units: Kish's
    (Σ_u t_uk)² / Σ_u t_uk², lowered to s(1 − s)/V*_k where the bootstrap variance V*_k of
    ℓ*_k − s* is larger than the binomial s(1 − s)/n_k. Under the null the local units
    are binomial(n_k, s); the one-sided p-value of ℓ_k n_k local units is the binomial tail
    P(B ≥ ℓ_k n_k) = I_s(ℓ_k n_k, n_k − ℓ_k n_k + 1) (the regularised incomplete beta
    function: exact for whole numbers, continuous between them, as in Korn & Graubard's
    interval for an effective sample size), 1 with no local tie. The smallest attainable
    p-value, all ties local, is s^n_k. Returns (s, ℓ, n, p, p_min), NaN for a municipality
    without ties.

    One unit, all local, s = 1/61: p = s. s = 3/5; three units, two local:
    P(B ≥ 2) = 3 · 0.6² · 0.4 + 0.6³ = 0.648; two units, one local: 1 − 0.4² = 0.84.

    >>> s, share, n, p, p_min = local_share_test(np.array([1.0, 0.0]), np.array([0.0, 60.0]),
    ...     np.array([[1.0, 0.0]] + [[0.0, 2.0]] * 30), None, None)
    >>> round(s * 61, 9), n.tolist(), np.round(p * 61, 9).tolist()
    (1.0, [1.0, 30.0], [1.0, 61.0])
    >>> s, share, n, p, p_min = local_share_test(np.array([2.0, 1.0]), np.array([1.0, 1.0]),
    ...     np.array([[1.0, 0.0]] * 3 + [[0.0, 1.0]] * 2), None, None)
    >>> n.tolist(), np.round(p, 6).tolist(), np.round(p_min, 6).tolist()
    ([3.0, 2.0], [0.648, 0.84], [0.216, 0.36])
    """
    ties = internal + external
    total = ties.sum()
    s = internal.sum() / total if total > 0 else np.nan
    K = len(ties)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(ties > 0, internal / ties, np.nan)
        sq = np.asarray(unit_ties.multiply(unit_ties).sum(axis=0)).ravel() if hasattr(unit_ties, "multiply") \
            else (np.asarray(unit_ties) ** 2).sum(axis=0)
        n = np.where(sq > 0, ties**2 / sq, np.nan)
        if boot_internal is not None and len(boot_internal) > 1 and 0 < s < 1:
            bt = boot_internal + boot_external
            bs = boot_internal.sum(axis=1, keepdims=True) / bt.sum(axis=1, keepdims=True)
            diff = boot_internal / bt - bs
            finite = np.isfinite(diff)
            count = finite.sum(axis=0)
            mean = np.where(finite, diff, 0).sum(axis=0) / count
            boot_var = np.where(finite, (diff - mean) ** 2, 0).sum(axis=0) / (count - 1)
            boot_n = np.where((count > 1) & (boot_var > 0), s * (1 - s) / boot_var, np.inf)
            n = np.minimum(n, boot_n)  # NaN (no ties) stays NaN
    p = np.full(K, np.nan)
    p_min = np.full(K, np.nan)
    live = np.isfinite(share) & np.isfinite(n) & (n > 0)
    if not 0 < s < 1:  # no local tie anywhere, or no tie across a border: nothing to test
        p[live], p_min[live] = 1.0, 1.0
        return float(s), share, n, p, p_min
    x = share * n
    local = live & (x > 0)
    p[live] = 1.0
    p[local] = special.betainc(x[local], n[local] - x[local] + 1, s)
    p_min[live] = s ** n[live]
    return float(s), share, n, p, p_min
