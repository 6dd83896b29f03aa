"""The shape of the code: the layers of docs/architecture.md hold (import-linter's contracts in
pyproject.toml), few modules stay outside the packages, the tests mirror the packages, and the
code is ruff clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "glossator"
FLAT_MODULES_AT_MOST = 8


def _tool(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    if found.exists():
        return str(found)
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return path


def test_the_layers_hold():
    result = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_package_is_in_a_layer():
    config = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    packages = sorted(path.parent.name for path in PACKAGE.glob("*/__init__.py"))
    assert packages, "no packages found"
    missing = [name for name in packages if f'"glossator.{name}' not in config
               and f"| glossator.{name}" not in config]
    assert not missing, f"packages no contract places: {missing}"


def test_few_modules_stay_flat():
    flat = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(flat) <= FLAT_MODULES_AT_MOST, flat


def test_tests_mirror_the_packages():
    """tests/<package>/test_<module>.py: every folder of tests names a package, and holds only
    test modules (shared helpers live in tests/helpers.py, found by every test)."""
    packages = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    folders = {path.name for path in (REPO / "tests").iterdir()
               if path.is_dir() and not path.name.startswith((".", "__"))}
    assert folders <= packages, f"test folders no package has: {sorted(folders - packages)}"
    strays = [str(path.relative_to(REPO)) for folder in folders
              for path in (REPO / "tests" / folder).rglob("*.py")
              if not path.name.startswith("test_") and path.name != "conftest.py"]
    assert not strays, f"not test modules: {strays}"


def test_ruff_is_clean():
    result = subprocess.run([_tool("ruff"), "check", "src", "tests", "benchmarks"], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
