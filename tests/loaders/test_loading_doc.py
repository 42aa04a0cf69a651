"""docs/loading.md names every field, problem code, kind and setting of the loaders."""

from __future__ import annotations

import re
from pathlib import Path

from loaders import LoaderSettings
from loaders.columns import FIELDS, KINDS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "loading.md").read_text(encoding="utf-8")
LOADERS = Path(__file__).resolve().parents[2] / "loaders"


def test_every_field_and_kind_is_documented():
    assert [f for f in FIELDS if f"`{f}`" not in DOC] == []
    assert [k for k in KINDS if k not in DOC] == []


def test_every_problem_code_is_documented():
    codes = set()
    for path in LOADERS.glob("*.py"):
        codes |= set(re.findall(r'code="([a-z_]+)"', path.read_text(encoding="utf-8")))
    assert len(codes) > 20
    assert sorted(c for c in codes if f"`{c}`" not in DOC) == []


def test_every_setting_is_documented():
    assert [n for n, f in LoaderSettings.model_fields.items() if not f.description] == []
    assert [n for n in LoaderSettings.model_fields if f"`{n}`" not in DOC] == []
