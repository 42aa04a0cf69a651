"""The learned partner ranker: a logistic regression over link-prediction features.

A ``RankerModel`` is plain numbers — the feature names, their means and scales and the
coefficients — stored as JSON, so it loads without scikit-learn and scores with one
matrix-vector product. ``fit_ranker`` fits one with scikit-learn's ``LogisticRegression``
on pairs of a time split: the features of the graph before a window, labelled 1 for the
ties first formed in it. The shipped model (``graphsvc/data/suggestion_model.json``) is
made by ``graphsvc fit-suggestions --set demo --output graphsvc/data/suggestion_model.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from graphsvc.analysis.linkpred import FEATURES, link_index, query_features
from graphsvc.analysis.suggestions import suggestion_index
from graphsvc.errors import InputError

__all__ = ["RankerModel", "TooLittleData", "fit_ranker", "shipped_model", "load_model", "MODEL_FILE",
           "MIN_POSITIVES", "MIN_QUERIES"]

MODEL_FILE = "suggestion_model.json"
MIN_POSITIVES = 50  # new ties in the fitting window, fewer: the shipped model is used
MIN_QUERIES = 20  # organisations with a new tie in the window


class TooLittleData(InputError):
    """The data has too few new ties in the fitting window to fit a model."""


@dataclass(frozen=True)
class RankerModel:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    meta: dict[str, Any] = field(default_factory=dict)

    def score(self, X: np.ndarray) -> np.ndarray:
        """The log-odds of a new tie for every row of ``X`` (columns ``FEATURES``)."""
        # folded into one product: X @ (coef / scale) + intercept − mean · coef / scale
        w = self.coef / self.scale
        return X @ w + (self.intercept - float(self.mean @ w))

    def contributions(self, x: np.ndarray) -> np.ndarray:
        """What each feature adds to one pair's log-odds against an average pair."""
        return (x - self.mean) / self.scale * self.coef

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(self.features), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "coef": self.coef.tolist(), "intercept": self.intercept, "meta": self.meta}

    @classmethod
    def from_dict(cls, d: dict[str, Any], source: str = "model") -> RankerModel:
        if tuple(d.get("features", ())) != FEATURES:
            raise InputError(f"{source}: the model's features {d.get('features')} are not this version's "
                             f"{list(FEATURES)}; refit it with `graphsvc fit-suggestions`")
        return cls(FEATURES, np.array(d["mean"], float), np.array(d["scale"], float),
                   np.array(d["coef"], float), float(d["intercept"]), dict(d.get("meta", {})))


@cache
def shipped_model() -> RankerModel:
    """The model that ships with the product (fitted on the demo region's validation window)."""
    text = resources.files("graphsvc").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    return RankerModel.from_dict(json.loads(text), f"graphsvc/data/{MODEL_FILE}")


def load_model(data_dir: str | Path | None) -> RankerModel:
    """The model fitted on the user's data (``<data dir>/suggestion_model.json``, written by
    ``graphsvc fit-suggestions``) if there is one, else the shipped model."""
    if data_dir is not None:
        path = Path(data_dir) / MODEL_FILE
        if path.is_file():
            return _load(str(path), path.stat().st_mtime_ns)
    return shipped_model()


@cache
def _load(path: str, _mtime: int) -> RankerModel:
    try:
        return RankerModel.from_dict(json.loads(Path(path).read_text(encoding="utf-8")), path)
    except (ValueError, KeyError) as e:
        raise InputError(f"{path} is not a suggestion model ({e}); delete it or refit with "
                         f"`graphsvc fit-suggestions`") from e


def _sample(X: np.ndarray, hits: np.ndarray, allowed: np.ndarray, rng: np.random.Generator,
            negatives: int) -> np.ndarray:
    """The rows of one query's training pairs: every hit, and ``negatives`` non-hits drawn
    from the two-hop candidates and as many from all candidates."""
    pool = allowed.copy()
    pool[hits] = False
    two_hop = np.flatnonzero(pool & (X[:, 0] > 0))
    anyone = np.flatnonzero(pool)
    picks = [hits]
    for group in (two_hop, anyone):
        if len(group):
            picks.append(rng.choice(group, size=min(negatives, len(group)), replace=False))
    return np.concatenate(picks)


def fit_ranker(train, hidden: list[tuple[str, str]], *, lacking: Any = None, seed: int = 0,
               max_queries: int = 2000, negatives: int = 20, C: float = 1.0,
               meta: dict[str, Any] | None = None) -> RankerModel:
    """Fit a ``RankerModel``: features of ``train`` (the graph before a window), labels the
    ``hidden`` ties first formed in the window. At most ``max_queries`` organisations
    (seeded sample), each with its new partners and ``2 · negatives`` non-partners.

    Raises ``TooLittleData`` below ``MIN_POSITIVES`` new ties or ``MIN_QUERIES`` organisations.
    """
    from sklearn.linear_model import LogisticRegression

    base = suggestion_index(train)
    index = link_index(train, base)
    lack = base.lack_matrix(lacking)
    by_node: dict[str, list[str]] = {}
    for a, b in hidden:
        by_node.setdefault(a, []).append(b)
        by_node.setdefault(b, []).append(a)
    queries = sorted((q for q in by_node if q in base.position), key=str)
    if len(hidden) < MIN_POSITIVES or len(queries) < MIN_QUERIES:
        raise TooLittleData(
            f"too little data to fit the suggestion model: {len(hidden)} new ties of {len(queries)} "
            f"organisations in the fitting window (needs {MIN_POSITIVES} and {MIN_QUERIES}); "
            "the shipped model is used")
    rng = np.random.default_rng(seed)
    if len(queries) > max_queries:
        queries = [queries[k] for k in sorted(rng.choice(len(queries), max_queries, replace=False))]
    rows, labels = [], []
    for q in queries:
        i = base.position[q]
        hits = np.array(sorted(base.position[b] for b in by_node[q] if b in base.position))
        allowed = np.ones(len(base.ids), bool)
        allowed[i] = False
        allowed[base.neighbours(i)] = False
        X = query_features(index, i, lack)
        take = _sample(X, hits, allowed, rng, negatives)
        rows.append(X[take])
        labels.append(np.isin(take, hits))
    X, y = np.vstack(rows), np.concatenate(labels).astype(int)
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=C, max_iter=2000).fit((X - mean) / scale, y)
    info = {"queries": len(queries), "pairs": int(len(y)), "positives": int(y.sum()), "seed": seed,
            "negatives_per_query": 2 * negatives, "C": C} | (meta or {})
    return RankerModel(FEATURES, mean, scale, lr.coef_[0].copy(), float(lr.intercept_[0]), info)
