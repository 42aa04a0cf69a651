"""The policy layer: the region's goals as an explicit re-ranking of the learned list.

The learned ranker predicts which ties will form; the region wants some ties that would
not form by themselves. The layer adds to a candidate's log-odds::

    bonus = strength · (lack + reach)

- ``lack``: the lack score of the pair's municipality pair when the gaps analysis marks
  it lacking (0 inside one municipality, for an unknown municipality or a pair that does
  not lack ties);
- ``reach``: 1 when one of the two is small and the other large, 0.5 when one is small and
  the other medium, else 0 (0 when either size is unknown: an unknown size earns nothing).

``strength`` 0 (the default, ``GRAPHSVC_SUGGESTIONS__POLICY_STRENGTH``) leaves the learned
order alone; 1 moves a pair that fully meets one goal as far as multiplying its odds by
e ≈ 2.7. docs/suggestions.md reports what the layer costs in precision and what it buys.
"""

from __future__ import annotations

import numpy as np

from graphsvc.analysis.suggestions import SIZE_LEVEL, SuggestionIndex

__all__ = ["small_reach", "policy_bonus"]


def small_reach(index: SuggestionIndex, i: int) -> np.ndarray:
    """``reach`` of node ``i`` with every node (see the module docstring).

    >>> from types import SimpleNamespace
    >>> small_reach(SimpleNamespace(size_level=np.array([0, 2, 1, -1, 0])), 0).tolist()
    [0.0, 1.0, 0.5, 0.0, 0.0]
    """
    levels = index.size_level
    a = levels[i]
    small, large = SIZE_LEVEL["small"], SIZE_LEVEL["large"]
    if a == small:
        return np.select([levels == large, levels == SIZE_LEVEL["medium"]], [1.0, 0.5], 0.0)
    if a in (large, SIZE_LEVEL["medium"]):
        return np.where(levels == small, 1.0 if a == large else 0.5, 0.0)
    return np.zeros(len(levels))


def policy_bonus(index: SuggestionIndex, i: int, regional: np.ndarray, strength: float) -> np.ndarray:
    """``strength · (lack + reach)`` of node ``i`` with every node; ``regional`` is the lack
    score per node (``SuggestionIndex.pieces(i, lack)["regional"]``)."""
    if strength == 0:
        return np.zeros(len(regional))
    return strength * (regional + small_reach(index, i))
