"""Term accuracy of the glossary layer with the real bergamot en→pt model, and matching speed.

Term accuracy = pinned renderings present in the translation ÷ glossary term occurrences in the
source, measured on the seed article and the news-style articles in benchmarks/articles/, once
translating plainly (no layer: the model's own choice) and once through the glossary layer.
Dates are pinned too but counted apart, since babel renders them without the model.

Last line: `term_accuracy_without=<pct> term_accuracy_with=<pct> flagged_misses=<n>/<n>
match_10k_1mb_s=<seconds>`.
"""

from __future__ import annotations

import copy
import random
import sys
import time
from pathlib import Path

from glossator.engines.bergamot import BergamotEngine
from glossator.glossary.csv import load_glossaries
from glossator.glossary.matcher import TermMatcher
from glossator.glossary.model import Concept
from glossator.model import Segment
from glossator.terms.pinning import attach_pins, flag_misses, translate_segments
from glossator.terms.proof import verify
from glossator.text.article import read_article
from glossator.text.document import build_document

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ARTICLES = [REPO / "seeds" / "north-korea-shoigu-visit.txt",
            *sorted((HERE / "articles").glob("*.txt"))]
HELDOUT = sorted((HERE / "heldout").glob("*.txt"))  # `--heldout`: these instead


def count(segments: list[Segment]) -> tuple[int, int, int]:
    """(glossary term occurrences, pins landed, misses flagged with a note); dates left out."""
    terms = landed = flagged = 0
    for segment in segments:
        misses = verify(segment)
        for pin in segment.pins:
            if pin.concept == "date":
                continue
            terms += 1
            landed += bool(pin.pinned)
            if pin in misses and segment.notes:
                flagged += 1
    return terms, landed, flagged


def term_accuracy(engine: BergamotEngine, matcher: TermMatcher,
                  articles: list[Path]) -> tuple[float, float, int, int]:
    total_plain = total_layer = total_masked = found = misses = flagged = 0
    print(f"{'article':32} {'terms':>5} {'without':>8} {'with':>8} {'mask-all':>8}")
    for path in articles:
        document = build_document(read_article(path), "en", matcher.spans)
        plain = copy.deepcopy(document.segments)
        attach_pins(plain, matcher, "pt")
        for segment, text in zip(plain, engine.translate([s.source for s in plain], "en", "pt")):
            segment.target = text
        terms, landed_plain, _ = count(plain)

        layered = copy.deepcopy(document.segments)
        attach_pins(layered, matcher, "pt")
        translate_segments(engine, layered, "en", "pt")
        flag_misses(layered, "pt")
        _, landed_layer, flagged_here = count(layered)

        masked = copy.deepcopy(document.segments)
        attach_pins(masked, matcher, "pt")
        translate_segments(engine, masked, "en", "pt", always_mask=True)
        _, landed_masked, _ = count(masked)
        total_masked += landed_masked
        found += terms
        total_plain += landed_plain
        total_layer += landed_layer
        misses += terms - landed_layer
        flagged += flagged_here
        print(f"{path.name:32} {terms:5} {landed_plain / terms:8.1%} {landed_layer / terms:8.1%} "
              f"{landed_masked / terms:8.1%}")
        for segment in layered:
            for note in segment.notes:
                print(f"  miss {segment.id}: {note}")
    print(f"{'all':32} {found:5} {total_plain / found:8.1%} {total_layer / found:8.1%} "
          f"{total_masked / found:8.1%}")
    return total_plain / found, total_layer / found, flagged, misses


def matching_speed(entries: int = 10_000, size: int = 1_000_000) -> float:
    rng = random.Random(7)
    syllables = ["ka", "ng", "sun", "li", "ho", "ng", "zh", "mi", "ra", "to", "vo", "shi", "pe"]

    def name() -> str:
        return " ".join("".join(rng.choices(syllables, k=rng.randint(2, 4))).capitalize()
                        for _ in range(rng.randint(1, 3)))

    concepts = [Concept((name(),), {"pt": ("x",)}) for _ in range(entries)]
    seed_text = ARTICLES[0].read_text(encoding="utf-8")
    words = seed_text.split()
    pieces, length = [], 0
    while length < size:
        piece = rng.choice(concepts).variants[0] if rng.random() < 0.05 else rng.choice(words)
        pieces.append(piece)
        length += len(piece) + 1
    text = " ".join(pieces)
    start = time.perf_counter()
    matcher = TermMatcher(concepts)
    found = matcher.find(text)
    elapsed = time.perf_counter() - start
    print(f"matching: {entries} concepts over {len(text) / 1e6:.2f} MB: {len(found)} matches "
          f"in {elapsed:.2f} s (index built inside; target <= 1 s)")
    return elapsed


def main() -> int:
    glossary = load_glossaries([REPO / "glossaries"], "en")
    matcher = TermMatcher(glossary.concepts)
    articles = HELDOUT if "--heldout" in sys.argv[1:] else ARTICLES
    without, with_layer, flagged, misses = term_accuracy(BergamotEngine(), matcher, articles)
    seconds = matching_speed()
    print(f"term_accuracy_without={without:.1%} term_accuracy_with={with_layer:.1%} "
          f"flagged_misses={flagged}/{misses} match_10k_1mb_s={seconds:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
