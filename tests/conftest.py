from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "north-korea-shoigu-visit.txt"
SEED_GLOSSARY = REPO / "glossaries"


@pytest.fixture
def seed_article() -> Path:
    return SEED


def run_cli(*args: str, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m glossator ARGS` as a user would, capturing both streams."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "glossator", *args], cwd=cwd or REPO,
                          env=full_env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="session")
def tiny_en_de_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random en→de .argosmodel, built once per session."""
    sys.path.insert(0, str(Path(__file__).parent))
    from tiny_argos import build_argos_package

    return build_argos_package(tmp_path_factory.mktemp("tiny-argos"), "en", "de", seed=11)


@pytest.fixture
def argos_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_en_de_archive: Path) -> Path:
    """ARGOS_PACKAGES_DIR pointing at a folder with the tiny en→de package installed."""
    from glossator.engines.argos_packages import install_package_file

    root = tmp_path / "argos-packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(root))
    install_package_file(tiny_en_de_archive, root)
    return root
