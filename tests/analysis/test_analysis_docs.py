"""docs/analysis.md documents every analysis parameter with its default."""

from __future__ import annotations

import json
import re
from pathlib import Path

from graphsvc.analysis.params import AnalysisParams

DOC = Path(__file__).resolve().parents[2] / "docs" / "analysis.md"


def documented() -> dict[str, str]:
    rows = re.findall(r"^\| `(\w+)` \| `([^`]*)` \|", DOC.read_text(encoding="utf-8"), flags=re.M)
    return dict(rows)


def test_every_parameter_is_documented_with_its_default():
    rows = documented()
    for name, field in AnalysisParams.model_fields.items():
        assert field.description, name
        assert name in rows, f"{name} is missing from docs/analysis.md"
        default = field.get_default(call_default_factory=True)
        text = json.dumps(default, ensure_ascii=False) if isinstance(default, dict) else str(default)
        assert rows[name] == text, f"{name}: docs say {rows[name]!r}, code {text!r}"
    assert set(rows) == set(AnalysisParams.model_fields)
