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
