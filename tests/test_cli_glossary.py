"""The glossary verbs and the glossary layer as a user meets them on the command line."""

from __future__ import annotations

import copy
import re

import pytest

from glossator.engines.argos import ArgosEngine
from glossator.glossary.csv import load_glossaries
from glossator.glossary.matcher import TermMatcher
from glossator.glossary.model import Concept, Glossary
from glossator.glossary.report import article_terms
from glossator.model import Document, Segment
from glossator.terms.pinning import translate_pinned
from glossator.text.article import read_article
from glossator.text.document import build_document
from helpers import REPO, SEED, run_cli

ARTICLES = [SEED, *sorted((REPO / "benchmarks" / "articles").glob("*.txt"))]


def test_check_passes_on_the_seed_glossary():
    result = run_cli("glossary", "check")
    assert result.returncode == 0, result.stdout
    assert "23 concepts, 0 error(s)" in result.stderr


@pytest.mark.parametrize(("content", "message"), [
    ('en,pt\n"KCNA,KCNA\n', "never closed"),
    ("en,pt\nKCNA,KCNA,KCNA\n", "row has 3 cells but the header has 2"),
    ("en,xx\nKCNA,KCNA\n", "unknown language code 'xx'"),
    ("en,pt\n,KCNA\n", "no en term in the first column"),
    ("en,pt\nShoigu | ,Shoigu\n", "empty"),
    ("en,pt\n" + "A" * 300 + ",x\n", "300 characters"),
])
def test_check_reports_errors_with_file_and_line(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    result = run_cli("glossary", "check", str(path))
    assert result.returncode == 4
    assert f"{path}:" in result.stdout and message in result.stdout


def test_bad_glossary_stops_translate_before_anything_is_written(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"en,pt\nCaf\xe9,Caf\xe9\n")
    out = tmp_path / "out"
    result = run_cli("translate", str(SEED), "--to", "pt", "--out", str(out),
                     "--glossary", str(path))
    assert result.returncode == 4
    assert result.stderr.startswith(f"glossator: {path}:2") and result.stderr.count("\n") == 1
    assert not out.exists() or not any(out.rglob("*.po"))


def test_folder_without_csv_is_an_error(tmp_path):
    result = run_cli("translate", str(SEED), "--to", "pt", "--out", str(tmp_path / "o"),
                     "--glossary", str(tmp_path))
    assert result.returncode == 4 and str(tmp_path) in result.stderr


def test_show_lists_occurrences_and_renderings():
    result = run_cli("glossary", "show", str(SEED), "--to", "de")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("40 term occurrence(s)")
    assert any("3.1  Sergei Shoigu  →  Sergej Schoigu" in line for line in lines)
    assert any("5.1  DPRK  →  DVRK" in line for line in lines)


def test_show_names_concepts_without_a_rendering(tmp_path):
    glossary = tmp_path / "g.csv"
    glossary.write_text("en,pt,de\nShoigu,Shoigu,\nKCNA,KCNA,KCNA\n", encoding="utf-8")
    result = run_cli("glossary", "show", str(SEED), "--to", "de", "--glossary", str(glossary))
    assert "(no de rendering: not pinned)" in result.stdout
    assert "concepts in this article without a de rendering:" in result.stdout
    assert f"Shoigu  ({glossary}:2)" in result.stdout


def test_article_terms_names_what_each_occurrence_pins_and_what_lacks_a_rendering():
    shoigu = Concept(("Shoigu",), {"pt": ("Choigu",)}, path="g.csv", line=2)
    kcna = Concept(("KCNA",), {}, path="g.csv", line=3)
    unused = Concept(("Pyongyang",), {}, path="g.csv", line=4)
    glossary = Glossary("en", [shoigu, kcna, unused])
    matcher = TermMatcher(glossary.concepts)
    document = Document("a", "en", [Segment("1.1", "Shoigu met KCNA staff.", 1),
                                     Segment("2.1", "Shoigu left.", 2)])
    terms = article_terms(glossary, matcher, document, "pt")
    assert [(o.segment_id, o.text) for o in terms.occurrences] == [
        ("1.1", "Shoigu"), ("1.1", "KCNA"), ("2.1", "Shoigu")]
    assert terms.lacking == [kcna] and (terms.unrendered, terms.concepts) == (2, 3)
    assert terms.lines("a.txt") == [
        "3 term occurrence(s) in a.txt, pinned for Portuguese (português):",
        "     1.1  Shoigu  →  Choigu",
        "     1.1  KCNA  →  (no pt rendering: not pinned)",
        "     2.1  Shoigu  →  Choigu",
        "concepts in this article without a pt rendering:",
        "  KCNA  (g.csv:3)"]
    assert terms.summary() == "2 of 3 concepts have no pt rendering"


def test_suggest_ranks_uncovered_names():
    result = run_cli("glossary", "suggest", str(SEED), "--quiet")
    assert result.returncode == 0
    suggestions = [re.match(r"\s*\d+  (.+?)  \(", line).group(1)
                   for line in result.stdout.splitlines()]
    assert suggestions[0] == "North Korean"
    assert "Ukraine" in suggestions and "US" in suggestions
    covered = {"Shoigu", "KCNA", "Pyongyang", "Kim Jong Un", "DPRK"}
    assert not covered & set(suggestions)


def test_tbx_export_and_import_round_trip(tmp_path):
    tbx = tmp_path / "terms.tbx"
    result = run_cli("glossary", "export", "--tbx", str(tbx))
    assert result.returncode == 0 and result.stdout.strip() == str(tbx)
    assert "<martif" in tbx.read_text(encoding="utf-8")
    csv_path = tmp_path / "back.csv"
    result = run_cli("glossary", "import", str(tbx), "-o", str(csv_path))
    assert result.returncode == 0, result.stderr
    original = load_glossaries([REPO / "glossaries"])
    back = load_glossaries([csv_path])
    def facts(concept):
        forms = tuple(sorted((language, concept.forms(language))
                             for language in concept.renderings))
        return (concept.variants, forms, concept.note, concept.keep, concept.ignore_case)

    assert {facts(c) for c in original.concepts} == {facts(c) for c in back.concepts}
    again = run_cli("glossary", "import", str(tbx), "-o", str(csv_path))
    assert again.returncode == 6 and "--force" in again.stderr


def test_tiny_argos_model_drops_placeholders_and_every_miss_is_flagged(argos_dir):
    """A random model loses placeholders: the fallbacks must run and no miss may be silent."""
    glossary = load_glossaries([REPO / "glossaries"])
    matcher = TermMatcher(glossary.concepts)
    document = build_document(read_article(SEED), "en")
    segments = copy.deepcopy(document.segments)
    report = translate_pinned(ArgosEngine(), segments, "en", "de", matcher)
    assert report.found == 41
    assert report.missed > 0  # random weights cannot carry the placeholders through
    flagged = sum(1 for s in segments for note in s.notes if note.startswith("glossary:"))
    assert flagged == report.missed
    assert all(s.fuzzy for s in segments)
    assert not any("XZ" in s.target or "ZX" in s.target for s in segments)
    dateline = segments[0]
    assert dateline.target == "Sonntag, 23. Juni 2024" and dateline.pins[0].pinned


def test_term_accuracy_with_the_real_engine():
    from glossator.engines.bergamot import BergamotEngine

    matcher = TermMatcher(load_glossaries([REPO / "glossaries"]).concepts)
    engine = BergamotEngine()
    found = landed = flagged = 0
    for path in ARTICLES:
        document = build_document(read_article(path), "en", matcher.spans)
        report = translate_pinned(engine, document.segments, "en", "pt", matcher)
        found += report.found
        landed += report.pinned
        flagged += sum(1 for s in document.segments for n in s.notes if n.startswith("glossary"))
        assert flagged == found - landed  # every miss flagged
    assert found > 100
    assert landed / found >= 0.99


def test_review_and_qa_on_a_translated_file(tmp_path):
    out = tmp_path / "o"
    assert run_cli("translate", str(SEED), "--to", "pt", "--out", str(out), "-q").returncode == 0
    po_path = out / "pt" / f"{SEED.stem}.po"
    review = run_cli("review", str(po_path), "--width", "100")
    assert review.returncode == 0
    assert "\x1b[" not in review.stdout  # piped: no colour
    assert all(len(line) <= 100 for line in review.stdout.splitlines())
    assert "Coreia do Norte" in review.stdout and "3.1" in review.stdout
    colour = run_cli("review", str(po_path), "--width", "100", "--color", "always")
    assert "\x1b[" in colour.stdout

    # the msgstr, not the `#. machine:` line before it
    text = po_path.read_text(encoding="utf-8").replace('de 1950-53."', 'de 1951-53."', 1)
    po_path.write_text(text, encoding="utf-8")
    qa = run_cli("qa", str(po_path))
    assert qa.returncode == 0 and "number-mismatch" in qa.stdout
    assert run_cli("qa", str(po_path), "--strict").returncode == 1
    flagged = run_cli("review", str(po_path), "--only-flagged", "--width", "100")
    assert "number-mismatch" in flagged.stdout
    assert "Kim e Shoigu" in flagged.stdout  # 4.1 drops a closing quotation mark
    assert "Moscou e Pequim" not in flagged.stdout  # the last paragraph is clean


def test_translate_strict_fails_on_qa_findings(tmp_path, argos_dir):
    """The tiny random model cannot keep "1950" or "70th": QA must find it, --strict fail."""
    article = tmp_path / "a.txt"
    article.write_text("Headline\n\nThe war of 1950 ended 70 years ago.\n", encoding="utf-8")
    env = {"ARGOS_PACKAGES_DIR": str(argos_dir)}
    args = ("translate", str(article), "--to", "de", "--no-glossary")
    lenient = run_cli(*args, "--out", str(tmp_path / "a"), env=env)
    strict = run_cli(*args, "--out", str(tmp_path / "b"), "--strict", env=env)
    po = (tmp_path / "b" / "de" / "a.po").read_text(encoding="utf-8")
    assert "#. qa: number-mismatch" in po
    assert lenient.returncode == 0
    assert strict.returncode == 1 and "QA finding" in strict.stderr
