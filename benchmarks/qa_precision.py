"""Precision and recall of two QA checks against hand labels: `omission` (a target that lost
part of its source) and `untranslated-word` (English left in a Portuguese target).

The labelled sets, in qa_omissions/ (every target is real bergamot en→pt output, or such output
with a span cut out):

- omissions.tsv: source, target, `omission` or `complete`; `engine` rows are the engine's own
  output (web-page cruft whose second half it dropped; the lowest length ratios of the
  articles), `made` rows a clause, apposition, name or day cut out of its output, `person`
  rows a compact translation a journalist might write;
- english-left.tsv: source, target and the English words a reviewer should be shown (none for
  loanwords Brazilian news use: "drone", "podcast", "think tank");
- articles.tsv: the seed article and benchmarks/articles/ and heldout/, translated here
  through the glossary layer: the segments that hold English left or lost content. Every
  other segment is complete Portuguese, so every other finding of these checks is a false
  alarm, and each is printed.

An omission counts as flagged by an `omission` or a `length-ratio` finding (the latter says
the same of a target under half its source). `--no-articles` skips the articles (and the
engine). Measured (2026-12-07), see docs/review.md#what-qa-checks.

Last line: `omission_precision=<pct> omission_recall=<pct> english_precision=<pct>
english_recall=<pct> articles_false_alarms=<n>`.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from glossator.model import Segment
from glossator.terms.qa import check_document, check_segment

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LABELS = HERE / "qa_omissions"
ARTICLES = [REPO / "seeds" / "north-korea-shoigu-visit.txt",
            *sorted((HERE / "articles").glob("*.txt")), *sorted((HERE / "heldout").glob("*.txt"))]
OMISSION_CHECKS = ("omission", "length-ratio")
_QUOTED_WORD = re.compile(r'"([^"]+)"')


def rows(name: str) -> list[dict[str, str]]:
    with (LABELS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def english_flagged(findings: list[str]) -> set[str]:
    """The words the untranslated-word findings name, lower case."""
    return {word.casefold() for line in findings if line.startswith("untranslated-word:")
            for word in _QUOTED_WORD.findall(line.split(" left untranslated")[0])}


def omissions() -> tuple[int, int, int]:
    true_positive = false_positive = false_negative = 0
    for row in rows("omissions.tsv"):
        segment = Segment("1.1", row["source"], 1, target=row["target"])
        found = [f for f in check_segment(segment, "en", "pt") if f.check in OMISSION_CHECKS]
        labelled = row["label"] == "omission"
        true_positive += labelled and bool(found)
        false_positive += bool(found) and not labelled
        false_negative += labelled and not found
        if bool(found) != labelled:
            what = "false alarm" if found else "missed"
            print(f"  omission {what} ({row['origin']}, {row['note']}): {row['target'][:90]}"
                  + (f"\n    {found[0].message}" if found else ""))
    return true_positive, false_positive, false_negative


def english_left() -> tuple[int, int, int, int]:
    """(true positives, false positives, false negatives, of which capitalised) over words."""
    true_positive = false_positive = false_negative = capitalised = 0
    for row in rows("english-left.tsv"):
        segment = Segment("1.1", row["source"], 1, target=row["target"])
        flagged = english_flagged([f.line() for f in check_segment(segment, "en", "pt")])
        words = [word.strip() for word in row["english"].split(",") if word.strip()]
        labelled = {word.casefold() for word in words}
        true_positive += len(flagged & labelled)
        false_positive += len(flagged - labelled)
        false_negative += len(labelled - flagged)
        capitalised += sum(word[0].isupper() for word in words if word.casefold() not in flagged)
        for word in sorted(flagged - labelled):
            print(f"  english false alarm {word!r}: {row['target']}")
        for word in sorted(labelled - flagged):
            print(f"  english missed {word!r} ({row['note'] or 'lower case'}): {row['target']}")
    return true_positive, false_positive, false_negative, capitalised


def articles() -> tuple[int, int, int, int]:
    """Omission and English-left findings on the translated articles against articles.tsv:
    (true positives, false alarms, labelled findings missed, segments)."""
    from glossator.engines.bergamot import BergamotEngine
    from glossator.glossary.csv import load_glossaries
    from glossator.glossary.matcher import TermMatcher
    from glossator.terms.pinning import attach_pins, flag_misses, translate_segments
    from glossator.text.article import read_article
    from glossator.text.document import build_document

    labels = {(row["article"], row["segment"], row["check"]): row for row in rows("articles.tsv")}
    engine = BergamotEngine()
    matcher = TermMatcher(load_glossaries([REPO / "glossaries"], "en").concepts)
    true_positive = false_alarms = missed = segments = 0
    for path in ARTICLES:
        document = build_document(read_article(path), "en", matcher.spans)
        document.target_lang = "pt"
        attach_pins(document.segments, matcher, "pt")
        translate_segments(engine, document.segments, "en", "pt")
        flag_misses(document.segments, "pt")
        check_document(document)
        for segment in document.segments:
            segments += 1
            lines = [line for line in segment.qa
                     if line.split(":")[0] in ("untranslated-word", *OMISSION_CHECKS)]
            english = english_flagged(lines)
            omission = any(line.split(":")[0] in OMISSION_CHECKS for line in lines)
            labelled_english = labels.get((path.stem, segment.id, "untranslated-word"))
            labelled_words = ({w.strip().casefold() for w in labelled_english["words"].split(",")}
                              if labelled_english else set())
            labelled_omission = (path.stem, segment.id, "omission") in labels
            true_positive += len(english & labelled_words) + (omission and labelled_omission)
            false_alarms += len(english - labelled_words) + (omission and not labelled_omission)
            missed += len(labelled_words - english) + (labelled_omission and not omission)
            if english - labelled_words or (omission and not labelled_omission):
                print(f"  article false alarm {path.stem} {segment.id}: {lines}\n"
                      f"    {segment.target}")
            if labelled_words - english or (labelled_omission and not omission):
                print(f"  article missed {path.stem} {segment.id}: "
                      f"{labelled_english or labels[(path.stem, segment.id, 'omission')]}")
    return true_positive, false_alarms, missed, segments


def main() -> int:
    tp, fp, fn = omissions()
    omission_precision, omission_recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    print(f"omissions.tsv: {tp + fn} omissions, {tp} flagged, {fp} false alarms: "
          f"precision {omission_precision:.0%}, recall {omission_recall:.0%}")
    tp, fp, fn, capitalised = english_left()
    english_precision, english_recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    print(f"english-left.tsv: {tp + fn} English words left, {tp} flagged, {fp} false alarms: "
          f"precision {english_precision:.0%}, recall {english_recall:.0%} "
          f"({capitalised} of the missed are capitalised, which the check leaves to names)")
    false_alarms = 0
    if "--no-articles" not in sys.argv[1:]:
        tp, false_alarms, missed, segments = articles()
        print(f"articles: {len(ARTICLES)} articles, {segments} segments: {tp} labelled findings "
              f"flagged, {missed} missed, {false_alarms} false alarms")
    print(f"omission_precision={omission_precision:.1%} omission_recall={omission_recall:.1%} "
          f"english_precision={english_precision:.1%} english_recall={english_recall:.1%} "
          f"articles_false_alarms={false_alarms}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
