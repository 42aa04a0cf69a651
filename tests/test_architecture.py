"""The import direction of shared/ARCHITECTURE.md, kept true by walking the imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graphsvc", "loaders", "queries", "visualizations")

# module prefix -> prefixes it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "queries": ("graphsvc", "loaders", "visualizations"),
    "graphsvc.model": ("graphsvc.store", "graphsvc.analysis", "graphsvc.api", "graphsvc.web",
                       "graphsvc.cli", "loaders", "visualizations"),
    "graphsvc.store": ("graphsvc.analysis", "graphsvc.api", "graphsvc.web", "graphsvc.cli",
                       "loaders", "visualizations", "fastapi", "starlette", "click"),
    "graphsvc.analysis": ("graphsvc.store", "graphsvc.api", "graphsvc.web", "graphsvc.cli",
                          "loaders", "visualizations", "queries", "fastapi", "starlette", "click"),
    "loaders": ("graphsvc.analysis", "graphsvc.api", "graphsvc.web", "graphsvc.cli",
                "visualizations", "queries", "fastapi", "starlette", "click"),
    "visualizations": ("graphsvc.store", "graphsvc.api", "graphsvc.web", "graphsvc.cli",
                       "loaders", "queries", "fastapi", "starlette", "click"),
}


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            # relative imports keep their dots, and are refused below
            found.add("." * node.level + (node.module or ""))
    return found


def _violations(module: str, imported: set[str]) -> list[str]:
    bad = [name for name in imported if name.startswith(".")]  # absolute imports only
    for owner, forbidden in FORBIDDEN.items():
        if module == owner or module.startswith(owner + "."):
            bad += [
                name for name in imported
                if any(name == f or name.startswith(f + ".") for f in forbidden)
            ]
    return sorted(bad)


@pytest.mark.parametrize("module, path", list(_modules()), ids=lambda v: str(v).split("/")[-1])
def test_imports_follow_the_architecture(module, path):
    assert _violations(module, _imports(path)) == []


def test_the_check_catches_a_forbidden_edge():
    assert _violations("graphsvc.analysis.gaps", {"graphsvc.store", "networkx"}) == ["graphsvc.store"]
    assert _violations("loaders.readers", {"fastapi.responses"}) == ["fastapi.responses"]
    assert _violations("graphsvc.api.routes", {"graphsvc.store"}) == []
    assert _violations("graphsvc.api.routes", {".deps"}) == [".deps"]
