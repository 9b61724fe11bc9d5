"""The import graph of longgame between its top-level packages, in numbers.

Counts, from grimp's static graph (every import, also those inside functions and under
TYPE_CHECKING) plus ``importlib.import_module("longgame....")`` calls with a literal name
(which grimp cannot see; they are counted as imports too): imports between top-level packages (``longgame.X``), the ones that run
up the layers of docs/architecture.md (back-edges), circles between packages, and
circles between modules. Used to check the layering (issue 13); ``lint-imports``
enforces it.

    python scripts/import_graph.py            # the installed longgame
    PYTHONPATH=/other/checkout/src python scripts/import_graph.py
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import networkx as nx

#: Top to bottom; a package may import its own layer's modules only where listed in
#: the contracts, and lower layers freely.
LAYERS: list[set[str]] = [
    {"cli", "explore"},
    {"report"},
    {"plots"},
    {"experiments"},
    {"models"},
    {"play", "analysis", "testing"},
    {"games", "strategies"},
    {"errors", "_rng", "_io", "_validation", "_figures"},
]
LEVEL = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def top(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def dynamic_imports(root: Path) -> list[tuple[str, str]]:
    """(importer, imported) for each ``importlib.import_module("longgame.X")`` call."""
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        importer = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "import_module"
            ):
                for arg in node.args[:1]:
                    if isinstance(arg, ast.Constant) and str(arg.value).startswith("longgame."):
                        found.append((importer, str(arg.value)))
            elif isinstance(node, ast.Tuple):  # ("longgame.plots", "plot_results") tables
                for elt in node.elts[:1]:
                    if (
                        isinstance(elt, ast.Constant)
                        and isinstance(elt.value, str)
                        and elt.value.startswith("longgame.")
                        and " " not in elt.value
                        and "import_module" in path.read_text(encoding="utf-8")
                    ):
                        found.append((importer, elt.value))
    return found


def main() -> None:
    graph = grimp.build_graph("longgame", cache_dir=None)
    import longgame

    print(f"longgame from {longgame.__file__}")
    modules = nx.DiGraph()
    packages = nx.DiGraph()
    edges = [(m, i) for m in graph.modules for i in graph.find_modules_directly_imported_by(m)]
    dynamic = dynamic_imports(Path(longgame.__file__).parent)
    for importer, imported in edges + dynamic:
        modules.add_edge(importer, imported)
        a, b = top(importer), top(imported)
        if a and b and a != b:
            packages.add_edge(a, b)
    back = sorted(
        (a, b)
        for a, b in packages.edges
        if a in LEVEL and b in LEVEL and LEVEL[b] < LEVEL[a]
    )
    package_cycles = list(nx.simple_cycles(packages))
    sccs = [c for c in nx.strongly_connected_components(modules) if len(c) > 1]
    print(f"modules: {modules.number_of_nodes()}, imports between them: {modules.number_of_edges()}")
    print(f"dynamic imports (importlib, a literal longgame name): {len(dynamic)}")
    for importer, imported in dynamic:
        print(f"  {importer} -> {imported}")
    print(f"imports between top-level packages: {packages.number_of_edges()}")
    print(f"back-edges (a lower layer importing a higher one): {len(back)}")
    for a, b in back:
        print(f"  {a} -> {b}")
    figures = sorted(
        (a, b) for a, b in packages.edges if a in ("plots", "report") and b == "models"
    )
    print(f"figures importing a model (plots/report -> models): {len(figures)}")
    print(f"circles between packages: {len(package_cycles)}")
    for cycle in sorted(package_cycles, key=len)[:10]:
        print("  " + " -> ".join([*cycle, cycle[0]]))
    print(
        f"circles between modules (strongly connected sets): {len(sccs)}, sizes "
        f"{sorted((len(c) for c in sccs), reverse=True)}"
    )
    for c in sorted(sccs, key=len, reverse=True)[:3]:
        shown = sorted(m.removeprefix("longgame.") for m in c)
        print(f"  {len(c)} modules: {', '.join(shown[:20])}{', ...' if len(shown) > 20 else ''}")


if __name__ == "__main__":
    main()
