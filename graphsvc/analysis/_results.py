"""What every analysis result shares: its parameters, the data version and the window it
came from, its tables, and a JSON form."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graphsvc.analysis.params import AnalysisParams

__all__ = ["AnalysisResult", "jsonable", "graph_provenance"]


@dataclass(frozen=True)
class AnalysisResult:
    """Base of the results: ``params`` used, ``data_version`` of the store the graph was
    read from (None for a graph built by hand), ``years`` window (None: all years)."""

    params: AnalysisParams
    data_version: int | None
    years: tuple[int, int] | None

    def tables(self) -> dict[str, pd.DataFrame]:  # pragma: no cover - overridden
        """The result's tables by name, the main one first (for CSV and XLSX export)."""
        raise NotImplementedError

    def summary(self) -> dict[str, Any]:
        """A few headline values (overridden by results that have them)."""
        return {}

    def provenance(self) -> dict[str, Any]:
        """What made the result — the analysis, data version, window and parameters — and
        its summary, as JSON-ready data."""
        return {
            "analysis": type(self).__name__,
            "data_version": self.data_version,
            "years": list(self.years) if self.years else None,
            # "region" or "all" (graphsvc.analysis.scope); None for a result without one
            "scope": getattr(self, "scope", None),
            "params": self.params.model_dump(mode="json"),
            "summary": jsonable(self.summary()),
        }

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready data: provenance, summary and every table as a
        list of rows (the index becomes the first column)."""
        return {
            **self.provenance(),
            "tables": {name: frame_records(df) for name, df in self.tables().items()},
        }


def graph_provenance(G: nx.Graph) -> tuple[int | None, tuple[int, int] | None]:
    """The data version and window ``organisation_graph`` stored on ``G``."""
    years = G.graph.get("years")
    return G.graph.get("data_version"), (tuple(years) if years else None)


def frame_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    frame = df.reset_index() if _named_index(df) else df
    return [jsonable(row) for row in frame.to_dict(orient="records")]


def _named_index(df: pd.DataFrame) -> bool:
    return any(name is not None for name in df.index.names)


def jsonable(value: Any) -> Any:
    """``value`` with numpy scalars, tuples, NaN and infinities made JSON-safe."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def dumps(result: AnalysisResult) -> str:
    """The result as JSON text, æøå kept as they are."""
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
