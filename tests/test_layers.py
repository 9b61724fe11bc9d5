"""Imports that lint-imports cannot see (importlib with a literal name) also run down."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]
SRC = ROOT / "src" / "longgame"


def _layers() -> list[list[str]]:
    """The layers contract of pyproject.toml, top to bottom, as lists of module names."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return [[m.strip() for m in layer.split("|")] for layer in contract["layers"]]


def _level(module: str, layers: list[list[str]]) -> tuple[int, str] | None:
    for index, layer in enumerate(layers):
        for name in layer:
            if module == name or module.startswith(name + "."):
                return index, name
    return None


def _dynamic_imports() -> list[tuple[str, str]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        importer = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
        named = [
            n.args[0].value
            for n in calls
            if isinstance(n.func, ast.Attribute)
            and n.func.attr == "import_module"
            and n.args
            and isinstance(n.args[0], ast.Constant)
        ]
        # names in tables that a loop hands to import_module, e.g. ("longgame.plots", "f")
        if any(isinstance(n.func, ast.Attribute) and n.func.attr == "import_module" for n in calls):
            named += [
                e.value
                for t in ast.walk(tree)
                if isinstance(t, ast.Tuple)
                for e in t.elts[:1]
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            ]
        found += [(importer, str(n)) for n in named if str(n).startswith("longgame.")]
    return found


def test_the_layers_contract_lists_every_top_level_package() -> None:
    """Each top-level module of longgame has a layer, so none escapes the contract."""
    layers = _layers()
    names = {p.stem for p in SRC.glob("*.py")} | {p.parent.name for p in SRC.glob("*/__init__.py")}
    names = {n for n in names if not n.startswith("__")}
    missing = sorted(n for n in names if _level(f"longgame.{n}", layers) is None)
    assert missing == []


def test_importlib_imports_run_down_the_layers() -> None:
    """No module imports a higher layer (or an independent sibling) through importlib."""
    layers = _layers()
    dynamic = _dynamic_imports()
    assert ("longgame.strategies._registry", "longgame.strategies.classic") in dynamic  # seen
    wrong = []
    for importer, imported in dynamic:
        a, b = _level(importer, layers), _level(imported, layers)
        assert a is not None, importer
        assert b is not None, imported
        if b[0] < a[0] or (b[0] == a[0] and a[1] != b[1]):
            wrong.append(f"{importer} -> {imported}")
    assert wrong == []
