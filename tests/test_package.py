"""Tests for the playground package as a whole: its imports, public names and doctests."""

from __future__ import annotations

import ast
import doctest
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import playground

PACKAGE_DIR = Path(playground.__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
SOURCES = sorted(PACKAGE_DIR.rglob("*.py"))  # every subpackage too


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# Every module whose docstrings hold `>>>` examples: found, not listed, so a new
# module's examples cannot be forgotten.
DOCTEST_MODULES = sorted(
    _module_name(path) for path in SOURCES if ">>>" in path.read_text(encoding="utf-8")
)
# Their examples import TensorFlow (a few seconds): marked slow, like the rest.
TENSORFLOW_DOCTESTS = {"playground.learning.learn", "playground.book.keras_cells"}


def _imported_modules(path: Path) -> set[str]:
    """Top-level names of every module an `import` or `from ... import` in the file names."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _run_python(code: str) -> dict:
    """Run code in a fresh interpreter at the repo root and return the JSON it prints."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sources_found():
    """The scan below really sees the package's modules."""
    names = {_module_name(p) for p in SOURCES}
    assert {"playground.conv", "playground.images.loading", "playground.book.cells"} <= names
    assert {"playground.conv", "playground.learning.learn"} <= set(DOCTEST_MODULES)


@pytest.mark.parametrize("path", SOURCES, ids=_module_name)
def test_module_never_imports_streamlit(path):
    """No playground module imports streamlit: the package must stay UI-free and testable."""
    assert "streamlit" not in _imported_modules(path)


def test_import_and_conv2d_load_neither_streamlit_nor_tensorflow():
    """`import playground` plus conv2d/shapes/trace/kernels loads neither streamlit nor TF."""
    code = """
import json, sys
import playground
playground.conv2d([[1, 1, 0, 0]], playground.get_kernel("book_edge"), padding="same")
playground.pool2d([[1, 2], [3, 4]], 2)
playground.output_shape((8, 8), (3, 3))
playground.receptive_field((8, 8), [playground.LayerSpec()], (0, 0))
list(playground.trace_steps([[1, 2], [3, 4]], [[1]]))
print(json.dumps({name: name in sys.modules for name in ("streamlit", "tensorflow", "keras")}))
"""
    assert _run_python(code) == {"streamlit": False, "tensorflow": False, "keras": False}


def test_bare_import_is_cheap():
    """A bare `import playground` loads none of its submodules (PEP 562 lazy names)."""
    code = """
import json, sys
import playground
print(json.dumps(sorted(m for m in sys.modules if m.startswith("playground."))))
"""
    assert _run_python(code) == []


# The compute contract of the design: tests outside the repo call these names.
CONTRACT = {"corr2d", "conv2d", "pool2d", "output_shape", "load_image", "ImageError"}
CONTRACT |= {"learn_kernel", "Diverged"}


def test_all_keeps_the_contract_names():
    """__all__ still offers every name of the compute contract (a rename would break callers)."""
    assert set(playground.__all__) >= CONTRACT


@pytest.mark.parametrize("name", playground.__all__)
def test_public_name_resolves(name):
    """Every name in playground.__all__ resolves (a missing module is a failure, not a skip)."""
    assert getattr(playground, name) is not None
    assert name in dir(playground)


def test_unknown_attribute_raises_attribute_error():
    """An unknown name raises AttributeError (so hasattr and getattr defaults work)."""
    with pytest.raises(AttributeError, match="module 'playground' has no attribute 'nope'"):
        playground.nope  # noqa: B018
    assert not hasattr(playground, "nope")


@pytest.mark.parametrize(
    "module_name",
    [
        pytest.param(name, marks=pytest.mark.slow) if name in TENSORFLOW_DOCTESTS else name
        for name in DOCTEST_MODULES
    ],
)
def test_doctests_pass(module_name):
    """The module's docstring examples run and print what they show."""
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctests failed"
    assert result.attempted > 0, "no doctests found"
