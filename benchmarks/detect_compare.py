"""Which offline language identifier `glossator serve` uses for `/detect` and `source=auto`.

The candidates are the maintained packages on the index whose model ships inside the package
(nothing downloaded at run time): py3langid, langdetect (seeded, else it is random) and lingua
(the low-accuracy mode too). Texts: every sentence and paragraph of the project's articles
(benchmarks/articles, benchmarks/heldout, seeds; English) and their Portuguese translations made
here by the bergamot engine — the only model on these machines. Sentences are short, which is
where identifiers differ. Reported: accuracy over the sentences and over the paragraphs, the
time per text after loading, the load time and the installed size. A candidate not installed
is skipped.

    .venv/bin/python benchmarks/detect_compare.py
"""

from __future__ import annotations

import importlib.metadata
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = (ROOT / "benchmarks" / "articles", ROOT / "benchmarks" / "heldout", ROOT / "seeds")


def corpus() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(language, text) sentences and paragraphs, English and Portuguese."""
    from glossator.engines import choose_engine
    from glossator.text.segmenter import split_sentences

    paragraphs = [line.strip() for folder in FOLDERS for path in sorted(folder.glob("*.txt"))
                  for line in path.read_text(encoding="utf-8").splitlines()
                  if len(line.strip()) > 20]
    sentences = [s for p in paragraphs for s in split_sentences(p, "en") if len(s) > 15]
    engine = choose_engine("bergamot", "en", "pt")
    pt_sentences = engine.translate(sentences, "en", "pt")
    pt_paragraphs = engine.translate(paragraphs[:150], "en", "pt")
    return ([("en", s) for s in sentences] + [("pt", s) for s in pt_sentences],
            [("en", p) for p in paragraphs[:150]] + [("pt", p) for p in pt_paragraphs])


def _py3langid() -> Callable[[str], str]:
    import py3langid

    return lambda text: py3langid.classify(text)[0]


def _py3langid_restricted() -> Callable[[str], str]:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["en", "pt"])  # what the server does: the engines' languages
    return lambda text: identifier.classify(text)[0]


def _langdetect() -> Callable[[str], str]:
    from langdetect import DetectorFactory, detect

    DetectorFactory.seed = 0
    return detect


def _lingua(low_accuracy: bool) -> Callable[[], Callable[[str], str]]:
    def load() -> Callable[[str], str]:
        from lingua import LanguageDetectorBuilder

        builder = LanguageDetectorBuilder.from_all_languages()
        if low_accuracy:
            builder = builder.with_low_accuracy_mode()
        detector = builder.build()

        def detect(text: str) -> str:
            found = detector.detect_language_of(text)
            return found.iso_code_639_1.name.lower() if found else ""
        return detect
    return load


CANDIDATES: dict[str, tuple[str, Callable[[], Callable[[str], str]]]] = {
    "py3langid": ("py3langid", _py3langid),
    "py3langid, server's languages only": ("py3langid", _py3langid_restricted),
    "langdetect": ("langdetect", _langdetect),
    "lingua": ("lingua-language-detector", _lingua(False)),
    "lingua (low accuracy)": ("lingua-language-detector", _lingua(True)),
}


def installed_size(distribution: str) -> float:
    files = importlib.metadata.distribution(distribution).files or []
    return sum(f.locate().stat().st_size for f in files if f.locate().exists()) / 1e6


def main() -> None:
    sentences, paragraphs = corpus()
    print(f"{len(sentences)} sentences, {len(paragraphs)} paragraphs (en + pt)")
    print("| package | sentences right | paragraphs right | ms/text | load s | installed MB |")
    print("|---|---|---|---|---|---|")
    for name, (distribution, load) in CANDIDATES.items():
        try:
            start = time.perf_counter()
            detect = load()
            detect("warm up the model")
            loaded = time.perf_counter() - start
        except ImportError:
            print(f"| {name} | not installed | | | | |")
            continue
        start = time.perf_counter()
        right_s = sum(detect(text) == language for language, text in sentences)
        right_p = sum(detect(text) == language for language, text in paragraphs)
        per_text = (time.perf_counter() - start) / (len(sentences) + len(paragraphs)) * 1000
        print(f"| {name} | {right_s / len(sentences):.1%} | {right_p / len(paragraphs):.1%} "
              f"| {per_text:.2f} | {loaded:.2f} | {installed_size(distribution):.0f} |")


if __name__ == "__main__":
    main()
