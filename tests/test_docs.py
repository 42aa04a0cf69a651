"""The generated reference pages in docs/ match the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphsvc.docgen import PAGES
from graphsvc.settings import Settings

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_generated_page_is_up_to_date(name):
    assert (DOCS / name).read_text(encoding="utf-8") == PAGES[name](), (
        f"docs/{name} is out of date: run `python -m graphsvc.docgen`"
    )


def test_every_setting_has_a_description():
    assert [n for n, f in Settings.model_fields.items() if not f.description] == []
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"GRAPHSVC_{name.upper()}" in text
