"""Score glossator's segmenter on pysbd's English Golden Rules and time it on ~1 MB.

The rules are read from the installed pysbd wheel (test extra), never copied here.
Run: .venv/bin/python benchmarks/golden_rules.py
"""

from __future__ import annotations

import ast
import importlib.metadata
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from glossator.text.segmenter import split_sentences

RULES_FILE = "benchmarks/english_golden_rules.py"
SEED = Path(__file__).resolve().parent.parent / "seeds" / "north-korea-shoigu-visit.txt"

Rule = tuple[str, list[str]]


class Failure(NamedTuple):
    number: int
    text: str
    expected: list[str]
    got: list[str]


class Score(NamedTuple):
    passed: int
    total: int
    failures: list[Failure]


def load_golden_rules() -> list[Rule]:
    """GOLDEN_EN_RULES from the installed pysbd; PackageNotFoundError if it is absent."""
    files = importlib.metadata.files("pysbd") or []
    path = next((f for f in files if str(f).replace("\\", "/").endswith(RULES_FILE)), None)
    if path is None:
        raise FileNotFoundError(f"pysbd is installed but ships no {RULES_FILE}")
    module = ast.parse(path.read_text(encoding="utf-8"))
    for node in module.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "GOLDEN_EN_RULES"
            for target in node.targets
        ):
            return [(text, list(expected)) for text, expected in ast.literal_eval(node.value)]
    raise ValueError(f"no GOLDEN_EN_RULES in {path}")


def score(
    split: Callable[[str], Sequence[str]] = split_sentences,
    rules: Sequence[Rule] | None = None,
) -> Score:
    """Count the rules whose stripped sentences `split` gets exactly right."""
    rules = load_golden_rules() if rules is None else rules
    failures = []
    for number, (text, expected) in enumerate(rules, start=1):
        got = [s.strip() for s in split(text) if s.strip()]
        if got != [s.strip() for s in expected]:
            failures.append(Failure(number, text, expected, got))
    return Score(len(rules) - len(failures), len(rules), failures)


def time_megabyte() -> tuple[int, float, float]:
    """Seconds to segment ~1 MB of the seed article: paragraph by paragraph, then at once."""
    article = SEED.read_text(encoding="utf-8")
    text = "\n\n".join([article] * (1_000_000 // len(article) + 1))
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    start = time.perf_counter()
    for paragraph in paragraphs:
        split_sentences(paragraph)
    per_paragraph = time.perf_counter() - start
    start = time.perf_counter()
    split_sentences(text)
    whole = time.perf_counter() - start
    return len(text), per_paragraph, whole


def main() -> None:
    result = score()
    for failure in result.failures:
        print(f"rule {failure.number}: {failure.text!r}")
        print(f"  expected: {failure.expected!r}")
        print(f"  got:      {failure.got!r}")
    size, per_paragraph, whole = time_megabyte()
    print(f"speed: {size} chars in {per_paragraph:.3f}s by paragraph, {whole:.3f}s at once")
    print(f"golden_rules={result.passed}/{result.total}")


if __name__ == "__main__":
    main()
