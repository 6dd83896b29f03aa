from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from helpers import SEED, run_cli


def pytest_configure(config: pytest.Config) -> None:
    """A cache folder for what runs before any test's own (session and module fixtures), so
    that nothing in the suite reaches the user's; each test then gets one of its own."""
    folder = tempfile.mkdtemp(prefix="glossator-test-cache-")
    os.environ["GLOSSATOR_CACHE"] = folder
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


@pytest.fixture(scope="session")
def _word_lists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder with QA's word lists and CLDR's date names built once for the session
    (they depend on nothing a test changes; building them takes seconds)."""
    from glossator.terms.wordlist import load_word_list
    from glossator.text.dates import DATELINE_LANGUAGES, cldr_date_names

    folder = tmp_path_factory.mktemp("word-lists")
    saved = os.environ["GLOSSATOR_CACHE"]  # set by pytest_configure
    os.environ["GLOSSATOR_CACHE"] = str(folder)
    try:
        for code in ("pt", "en", "de"):
            load_word_list(code)
        for code in DATELINE_LANGUAGES:  # what every run with a dateline reads
            cldr_date_names(code)
    finally:
        os.environ["GLOSSATOR_CACHE"] = saved
    return folder


@pytest.fixture(autouse=True)
def cache_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                 _word_lists: Path) -> Path:
    """Every test (and the processes it starts) caches into a folder of its own, never the
    user's: what one test's engine taught the cache cannot reach another test. The session's
    word lists and date names are linked in."""
    folder = tmp_path_factory.mktemp("cache")
    for entry in _word_lists.iterdir():
        os.link(entry, folder / entry.name)
    monkeypatch.setenv("GLOSSATOR_CACHE", str(folder))
    return folder


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
