"""Cross-municipal gaps: which municipality pairs have fewer ties than expected.

A tie is an edge of the organisation graph (two organisations that share at least one
project or declared collaboration in the window), counted once whatever its weight.
Only organisations located in one of the given municipalities count.

Null models (E = ties among the counted organisations, n_i = organisations in
municipality i, N = Σ n_i, D_i = Σ degree of i's organisations):

- ``organisations``: every pair of organisations is equally likely to be tied, so
  expected(i, j) = E · n_i · n_j / (N(N − 1)/2) and expected(i, i) = E · n_i(n_i − 1)/2 /
  (N(N − 1)/2).
- ``degree``: ties fall in proportion to the ties each side has (configuration model),
  expected(i, j) = D_i · D_j / 2E and expected(i, i) = D_i² / 4E.

Both sum to E over the pairs i ≤ j. Ratio = observed / expected; standardised (Pearson)
residual = (observed − expected) / √expected. A pair lacks ties when its residual is at
most ``gap_max_residual`` and at least ``gap_min_expected`` ties were expected.

E-I index (Krackhardt & Stern 1988) per municipality: (EL − IL) / (EL + IL), EL its ties
to other municipalities, IL its ties inside; −1 all inside, +1 all outside. Tested by
permuting the municipality labels over the organisations ``permutations`` times (seeded):
p_value = (1 + #{permuted EI ≤ observed EI}) / (1 + permutations), small when ties stay
inside more than chance would have it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import networkx as nx
import numpy as np
import pandas as pd

from graphsvc.analysis._engine import indexed, without_gc
from graphsvc.analysis._places import haversine_km, municipality_rows
from graphsvc.analysis._results import AnalysisResult, graph_provenance
from graphsvc.analysis.params import AnalysisParams, Lang
from graphsvc.analysis.reasons import Reason

__all__ = ["GapsResult", "municipality_gaps"]


@dataclass(frozen=True)
class GapsResult(AnalysisResult):
    """Observed and expected ties between municipalities.

    ``observed``, ``expected``, ``ratio``, ``residual``: municipality × municipality
    (codes), the diagonal the ties inside. ``pairs``: one row per pair (code_a, name_a,
    code_b, name_b, observed, expected, ratio, residual, km, lacking, reasons,
    reason_codes), most lacking first. ``no_ties``: the pairs without any tie, most
    expected first. ``ei``: per municipality its organisations, the shares with any tie
    and with a tie outside it, internal and external ties, E-I index, its mean under
    permutation and the p-value. ``ei_network``: the same for the whole graph.
    """

    observed: pd.DataFrame
    expected: pd.DataFrame
    ratio: pd.DataFrame
    residual: pd.DataFrame
    pairs: pd.DataFrame
    no_ties: pd.DataFrame
    ei: pd.DataFrame
    ei_network: dict[str, float]
    organisations_counted: int
    organisations_excluded: int

    def lacking(self) -> pd.DataFrame:
        """The pairs that lack ties, most lacking first."""
        return self.pairs[self.pairs["lacking"]]

    def summary(self) -> dict[str, Any]:
        return {
            "null_model": self.params.null_model,
            "ties": int(np.triu(self.observed.to_numpy()).sum()),
            "organisations_counted": self.organisations_counted,
            "organisations_excluded": self.organisations_excluded,
            "pairs_lacking": int(self.pairs["lacking"].sum()),
            "pairs_without_ties": len(self.no_ties),
            "ei_network": self.ei_network,
            "permutations": self.params.permutations,
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "pairs": self.pairs.drop(columns="reason_codes"),
            "ei": self.ei,
            "observed": self.observed,
            "expected": self.expected,
            "ratio": self.ratio,
            "residual": self.residual,
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
    """Observed against expected ties between every pair of ``municipalities``.

    Parameters
    ----------
    G : nx.Graph
        The organisation graph; nodes carry ``municipality_code`` (and ``name``).
    municipalities : iterable of dict or Municipality, optional
        The municipalities (``code``, ``name``, ``lat``, ``lon``); the region's 19 when None.
    params : AnalysisParams, optional
        ``null_model``, ``gap_max_residual``, ``gap_min_expected``, ``permutations``, ``lang``.
    seed : int, optional
        Seed of the permutations (default ``params.seed``).

    Returns
    -------
    GapsResult

    Examples
    --------
    >>> G = nx.Graph([("a1", "a2"), ("a1", "b1")])
    >>> nx.set_node_attributes(G, {"a1": "A", "a2": "A", "b1": "B"}, "municipality_code")
    >>> r = municipality_gaps(G, [{"code": "A", "name": "Aby"}, {"code": "B", "name": "Bby"}],
    ...                       params=AnalysisParams(permutations=0))
    >>> r.observed.loc["A", "B"], round(r.expected.loc["A", "B"], 3)
    (np.float64(1.0), np.float64(1.333))
    >>> float(r.ei.loc["A", "ei"])
    0.0

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises:
    an experimental simulation. Social Psychology Quarterly 51(2), 123–140.
    """
    params = params or AnalysisParams()
    seed = params.seed if seed is None else seed
    lang = params.lang
    munis = municipality_rows(municipalities)
    codes = list(munis)
    K = len(codes)
    position = {c: i for i, c in enumerate(codes)}

    ix = indexed(G)
    node_code = [G.nodes[v].get("municipality_code") for v in ix.nodes]
    lab = np.array([position.get(c, -1) for c in node_code], np.int64)
    counted = lab >= 0
    both = counted[ix.heads] & counted[ix.tails]
    u, v = ix.heads[both], ix.tails[both]
    lu, lv = lab[u], lab[v]

    observed = np.zeros((K, K))
    np.add.at(observed, (lu, lv), 1)
    observed = observed + observed.T - np.diag(np.diag(observed))
    n_org = np.bincount(lab[counted], minlength=K).astype(float)
    ties = float(len(u))
    degree = np.bincount(np.concatenate([u, v]), minlength=ix.n).astype(float)
    ends = np.bincount(lab[counted], weights=degree[counted], minlength=K)
    expected = _expected(params.null_model, n_org, ends, ties)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / expected, np.nan)
        residual = np.where(expected > 0, (observed - expected) / np.sqrt(expected), np.nan)

    internal = np.diag(observed).copy()
    external = observed.sum(axis=1) - internal
    with np.errstate(divide="ignore", invalid="ignore"):
        ei = np.where(internal + external > 0, (external - internal) / (internal + external), np.nan)
    ei_net = (ties - 2 * internal.sum()) / ties if ties else float("nan")
    ei_mean, ei_p, net_mean, net_p = _permutation_test(
        lab, counted, u, v, K, ei, ei_net, params.permutations, seed
    )

    outside = _has_outside_tie(ix, node_code)
    with_ties = np.bincount(lab[counted], weights=(ix.degree[counted] > 0), minlength=K)
    with_outside = np.bincount(lab[counted], weights=outside[counted], minlength=K)
    with np.errstate(divide="ignore", invalid="ignore"):
        ei_table = pd.DataFrame(
            {
                "name": [munis[c]["name"] for c in codes],
                "organisations": n_org.astype(int),
                "share_with_ties": np.where(n_org > 0, with_ties / n_org, np.nan),
                "share_with_outside_tie": np.where(n_org > 0, with_outside / n_org, np.nan),
                "internal_ties": internal.astype(int),
                "external_ties": external.astype(int),
                "ei": ei,
                "ei_expected": ei_mean,
                "p_value": ei_p,
            },
            index=pd.Index(codes, name="code"),
        )

    frame = lambda a: pd.DataFrame(a, index=pd.Index(codes, name="code"), columns=codes)  # noqa: E731
    pairs = _pairs(
        codes, munis, observed, expected, ratio, residual, n_org, ends, internal, external,
        _carriers(ix, G, lab, u, v, K), params, lang,
    )
    no_ties = pairs[pairs["observed"] == 0].sort_values(
        ["expected", "code_a", "code_b"], ascending=[False, True, True]
    ).reset_index(drop=True)
    version, years = graph_provenance(G)
    return GapsResult(
        params=params.model_copy(update={"seed": seed}),
        data_version=version,
        years=years,
        observed=frame(observed),
        expected=frame(expected),
        ratio=frame(ratio),
        residual=frame(residual),
        pairs=pairs,
        no_ties=no_ties,
        ei=ei_table,
        ei_network={"ei": ei_net, "ei_expected": net_mean, "p_value": net_p},
        organisations_counted=int(counted.sum()),
        organisations_excluded=int((~counted).sum()),
    )


def _expected(model: str, n_org: np.ndarray, ends: np.ndarray, ties: float) -> np.ndarray:
    K = len(n_org)
    if ties == 0:
        return np.zeros((K, K))
    if model == "degree":
        out = np.outer(ends, ends) / (2 * ties)
        np.fill_diagonal(out, ends**2 / (4 * ties))
        return out
    N = n_org.sum()
    pairs = N * (N - 1) / 2
    out = ties * np.outer(n_org, n_org) / pairs
    np.fill_diagonal(out, ties * n_org * (n_org - 1) / 2 / pairs)
    return out


def _permutation_test(lab, counted, u, v, K, ei, ei_net, permutations, seed):
    """Mean E-I under random relabelling and the one-sided p-value (ties inward)."""
    nan = np.full(K, np.nan)
    if permutations == 0 or len(u) == 0:
        return nan, nan, float("nan"), float("nan")
    compact = np.full(len(lab), -1, np.int64)
    compact[counted] = np.arange(counted.sum())
    cu, cv = compact[u].astype(np.int32), compact[v].astype(np.int32)
    labels = lab[counted].astype(np.int8 if K < 127 else np.int32)
    degree = np.bincount(np.concatenate([cu, cv]), minlength=len(labels)).astype(float)
    ties = len(cu)
    rng = np.random.default_rng(seed)
    perm = np.empty((permutations, K))
    net = np.empty(permutations)
    a, b = np.empty(ties, labels.dtype), np.empty(ties, labels.dtype)
    same = np.empty(ties, bool)
    for r in range(permutations):
        # np.take into buffers with int32 indices: twice as fast as fancy indexing (measured)
        shuffled = rng.permutation(labels)
        np.take(shuffled, cu, out=a)
        np.take(shuffled, cv, out=b)
        np.equal(a, b, out=same)
        inside = np.bincount(a[same], minlength=K)
        ends = np.bincount(shuffled, weights=degree, minlength=K)
        outside = ends - 2 * inside
        with np.errstate(divide="ignore", invalid="ignore"):
            perm[r] = (outside - inside) / (outside + inside)
        net[r] = (ties - 2 * inside.sum()) / ties
    finite = np.isfinite(perm)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = (1 + (perm <= ei + 1e-12).sum(axis=0)) / (1 + permutations)
        mean = np.where(finite, perm, 0.0).sum(axis=0) / finite.sum(axis=0)
    p = np.where(np.isnan(ei), np.nan, p)
    net_p = (1 + (net <= ei_net + 1e-12).sum()) / (1 + permutations)
    return mean, p, float(net.mean()), float(net_p)


def _has_outside_tie(ix, node_code) -> np.ndarray:
    """Whether each organisation has a partner located in another municipality."""
    known = {c: i for i, c in enumerate(sorted({c for c in node_code if c is not None}))}
    code = np.array([known.get(c, -1) for c in node_code], np.int64)
    h, t = code[ix.heads], code[ix.tails]
    cross = (h >= 0) & (t >= 0) & (h != t)
    out = np.zeros(ix.n, bool)
    out[ix.heads[cross]] = True
    out[ix.tails[cross]] = True
    return out


def _carriers(ix, G, lab, u, v, K, most: int = 3) -> dict[tuple[int, int], list[str]]:
    """For pairs with at most ``most`` ties, the names of the organisations at their ends."""
    cross = lab[u] != lab[v]
    a, b = np.minimum(lab[u], lab[v])[cross], np.maximum(lab[u], lab[v])[cross]
    key = a * K + b
    keys, counts = np.unique(key, return_counts=True)
    few = set(keys[counts <= most].tolist())
    out: dict[tuple[int, int], list[str]] = {}
    for k, x, y in zip(key.tolist(), u[cross].tolist(), v[cross].tolist()):
        if k in few:
            names = out.setdefault(divmod(k, K), [])
            for node in (ix.nodes[x], ix.nodes[y]):
                name = G.nodes[node].get("name") or str(node)
                if name not in names:
                    names.append(name)
    return out


def _join(names: list[str], lang: Lang) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + (" og " if lang == "da" else " and ") + names[-1]


def _pairs(codes, munis, observed, expected, ratio, residual, n_org, ends, internal, external,
           carriers, params, lang) -> pd.DataFrame:
    rows = []
    K = len(codes)
    for i in range(K):
        for j in range(i + 1, K):
            a, b = munis[codes[i]], munis[codes[j]]
            km = None
            if None not in (a["lat"], a["lon"], b["lat"], b["lon"]):
                km = float(haversine_km(a["lat"], a["lon"], b["lat"], b["lon"]))
            obs, exp, res = int(observed[i, j]), float(expected[i, j]), float(residual[i, j])
            lacking = bool(exp >= params.gap_min_expected and res <= params.gap_max_residual)
            reasons: list[Reason] = []
            if lacking or obs == 0:
                reasons.append(Reason("gap_counts", {"a": a["name"], "b": b["name"], "observed": obs, "expected": exp}))
                if params.null_model == "degree":
                    reasons.append(Reason("gap_null_degree", {"d_a": int(ends[i]), "d_b": int(ends[j])}))
                else:
                    reasons.append(Reason("gap_null_organisations", {"n_a": int(n_org[i]), "n_b": int(n_org[j])}))
                if obs == 0:
                    reasons.append(Reason("gap_none"))
                elif exp > 0:
                    reasons.append(Reason("gap_ratio", {"ratio": obs / exp, "residual": res}))
                if (i, j) in carriers:
                    reasons.append(Reason("gap_carriers", {"names": _join(carriers[i, j], lang)}))
                if km is not None:
                    reasons.append(Reason("gap_distance", {"km": km}))
                for k, m in ((i, a), (j, b)):
                    total = internal[k] + external[k]
                    if total and internal[k] / total >= 0.5:
                        reasons.append(Reason("gap_inward", {"name": m["name"], "share": internal[k] / total}))
            rows.append({
                "code_a": codes[i], "name_a": a["name"], "code_b": codes[j], "name_b": b["name"],
                "observed": obs, "expected": exp, "ratio": float(ratio[i, j]), "residual": res,
                "km": km, "lacking": lacking,
                "reasons": [r.text(lang) for r in reasons],
                "reason_codes": [r.code for r in reasons],
            })
    columns = ["code_a", "name_a", "code_b", "name_b", "observed", "expected", "ratio",
               "residual", "km", "lacking", "reasons", "reason_codes"]
    df = pd.DataFrame(rows, columns=columns)
    df["_nan"] = df["residual"].isna()
    df = df.sort_values(["_nan", "residual", "expected", "code_a", "code_b"],
                        ascending=[True, True, False, True, True])
    return df.drop(columns="_nan").reset_index(drop=True)
