from __future__ import annotations

from pathlib import Path

import pytest

from helpers import SEED, run_cli


@pytest.fixture
def seed_article() -> Path:
    return SEED


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="session")
def tiny_en_de_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random en→de .argosmodel, built once per session."""
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
