"""The layers of the code, checked on the whole tree (every subpackage) with ``ast``.

views/ -> playground.figures -> the compute modules of playground: imports go
only downward. No import cycles among playground's modules, no module
reaching for another's private (_name) attributes, no streamlit anywhere in
playground, no plotly in compute, and no module over MAX_LINES lines except
the pure-data ones listed here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = REPO_ROOT / "playground"
MAX_LINES = 350
# modules that are data, not logic: their length is the book's, not a design choice
PURE_DATA = {"playground.book.cells.section_5_1"}
UI_LIBRARIES = {"streamlit"}
PLOT_LIBRARIES = {"plotly"}
# names that start with "_" without being private: gettext's translate function
NOT_PRIVATE = {"__future__", "_"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE_DIR.rglob("*.py"))}


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` names (relative imports resolved)."""
    if node.level == 0:
        return node.module or ""
    package = module.split(".")
    is_package = MODULES.get(module, Path()).name == "__init__.py"
    base = package if is_package else package[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(module: str) -> list[tuple[str, str | None]]:
    """(imported module, imported attribute or None) for every import in a module.

    ``from a.b import c`` gives (a.b.c, None) when a.b.c is a module, else (a.b, c).
    Imports inside functions count too: a lazy import is still a dependency.
    """
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, node)
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in MODULES:
                    found.append((submodule, None))
                else:
                    found.append((source, alias.name))
    return found


def _is_figures(module: str) -> bool:
    return module == "playground.figures" or module.startswith("playground.figures.")


def _graph() -> dict[str, set[str]]:
    return {
        module: {target for target, _ in _imports(module) if target in MODULES and target != module}
        for module in MODULES
    }


def test_the_walk_sees_every_subpackage():
    """The checks below cover subpackages, not only top-level files."""
    for package in ("images", "learning", "book", "book.cells", "figures"):
        assert f"playground.{package}" in MODULES
    assert any(name.count(".") >= 3 for name in MODULES)


def test_no_import_cycles():
    """No chain of imports among playground's modules leads back to where it started."""
    graph = _graph()
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycle = [*path[path.index(module) :], module]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_names_imported_from_other_modules(module):
    """``from x import _name`` (or ``x._name``) reaches into another module's insides."""
    private = [
        f"{source}.{name}"
        for source, name in _imports(module)
        if name is not None and name.startswith("_") and name not in NOT_PRIVATE
    ]
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    imported_as = {
        alias.asname or alias.name.split(".")[-1]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    private += [
        f"{node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in imported_as
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
    ]
    assert private == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_streamlit_in_playground(module):
    """Only views/ import streamlit: playground stays UI-free and testable."""
    roots = {target.split(".")[0] for target, _ in _imports(module)}
    assert not roots & UI_LIBRARIES


@pytest.mark.parametrize("module", sorted(m for m in MODULES if not _is_figures(m)))
def test_compute_modules_import_no_plotly_and_no_figures(module):
    """Compute holds numbers only: no plotly, and never the figures layer above it."""
    targets = [target for target, _ in _imports(module)]
    assert not {t.split(".")[0] for t in targets} & PLOT_LIBRARIES
    assert not [t for t in targets if _is_figures(t)]


def test_views_import_playground_only_downward():
    """views/ may import figures and compute; playground never imports views/."""
    for module in MODULES:
        assert not [t for t, _ in _imports(module) if t.split(".")[0] == "views"], module


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module):
    """One idea per module: at most MAX_LINES lines, except the listed pure-data modules."""
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    if module in PURE_DATA:
        return
    assert lines <= MAX_LINES, f"{module} has {lines} lines"


def test_pure_data_list_is_current():
    """Every listed pure-data module exists and is really over the limit."""
    for module in PURE_DATA:
        assert len(MODULES[module].read_text(encoding="utf-8").splitlines()) > MAX_LINES


VIEW_FILES = sorted([*(REPO_ROOT / "views").rglob("*.py"), REPO_ROOT / "streamlit_app.py"])


@pytest.mark.parametrize("path", VIEW_FILES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_pages_stay_small_too(path):
    """The same limit for the pages and panels: a page over it holds two ideas."""
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(REPO_ROOT)} has {lines} lines"
