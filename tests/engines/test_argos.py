"""The Argos package folder and ArgosEngine, on tiny random packages built at test time."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path
from typing import ClassVar

import pytest

from glossator.engines import argos as argos_module
from glossator.engines import argos_packages
from glossator.engines.argos import ArgosEngine
from glossator.engines.argos import _from_proto as from_proto
from glossator.engines.argos_packages import (
    install_package_file,
    installed_packages,
    packages_dir,
    validate_package_file,
)
from glossator.engines.base import Aligned, compose_alignments
from glossator.errors import EngineError, InputError
from tiny_argos import build_argos_package, sample_sentences

TEXTS = sample_sentences(10, seed=42)


@pytest.fixture(scope="session")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every tiny .argosmodel the tests use, built once per session."""
    root = tmp_path_factory.mktemp("argos-archives")
    return {
        "en_es": build_argos_package(root / "a", "en", "es", seed=1),
        "es_de": build_argos_package(root / "b", "es", "de", seed=2),
        "en_de": build_argos_package(root / "c", "en", "de", seed=3),
        # Same folder name as en_de (translate-en_de-1_0), different weights.
        "en_de_rebuilt": build_argos_package(root / "d", "en", "de", seed=4),
        "en_de_newer": build_argos_package(root / "e", "en", "de", seed=5, package_version="1.1"),
        "en_fr_prefix": build_argos_package(root / "f", "en", "fr", seed=6,
                                            target_prefix="__fr__"),
    }


@pytest.fixture
def package_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "argos-packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(root))
    return root


@pytest.fixture
def pivot_root(package_root: Path, archives: dict[str, Path]) -> Path:
    install_package_file(archives["en_es"])
    install_package_file(archives["es_de"])
    return package_root


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> type:
    """Replace ctranslate2.Translator by a wrapper that counts loads and translate_batch calls."""
    import ctranslate2

    real = ctranslate2.Translator

    class SpyTranslator:
        loads = 0
        calls: ClassVar[list[tuple[list[list[str]], dict]]] = []
        results: ClassVar[list[list]] = []

        def __init__(self, *args, **kwargs) -> None:
            SpyTranslator.loads += 1
            self._real = real(*args, **kwargs)

        def translate_batch(self, source, **kwargs):
            SpyTranslator.calls.append((source, kwargs))
            SpyTranslator.results.append(self._real.translate_batch(source, **kwargs))
            return SpyTranslator.results[-1]

    monkeypatch.setattr(ctranslate2, "Translator", SpyTranslator)
    return SpyTranslator


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


# --- the packages folder ---------------------------------------------------------------------

def test_packages_dir_is_read_at_call_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "one"))
    assert packages_dir() == tmp_path / "one"
    monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert packages_dir() == tmp_path / "data" / "argos-translate" / "packages"
    settings = tmp_path / "config" / "argos-translate" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "two")}))
    assert packages_dir() == tmp_path / "two"


def test_install_from_file_honours_env_and_lists(package_root: Path, archives):
    installed = install_package_file(archives["en_es"])
    assert installed == package_root / "translate-en_es-1_0"
    assert (installed / "model" / "model.bin").is_file()
    assert (installed / "sentencepiece.model").is_file()
    [package] = installed_packages()
    assert (package.from_code, package.to_code, package.package_version) == ("en", "es", "1.0")
    assert package.path == installed
    assert package.package_id == "translate-en_es-1.0"
    assert _leftovers(package_root) == ["translate-en_es-1_0"]  # no staging folder left


def test_listing_skips_folders_without_valid_metadata(package_root: Path, archives):
    install_package_file(archives["en_es"])
    (package_root / "no-metadata").mkdir()
    (package_root / "bad-metadata").mkdir()
    (package_root / "bad-metadata" / "metadata.json").write_text("{not json")
    (package_root / "stray-file.txt").write_text("x")
    assert [p.folder for p in installed_packages(package_root)] == ["translate-en_es-1_0"]
    assert installed_packages(package_root / "does-not-exist") == []


def test_reinstall_replaces_the_older_folder(package_root: Path, archives):
    first = install_package_file(archives["en_de"])
    old_weights = (first / "model" / "model.bin").read_bytes()
    second = install_package_file(archives["en_de_rebuilt"])
    assert second == first
    with zipfile.ZipFile(archives["en_de_rebuilt"]) as archive:
        new_weights = archive.read("translate-en_de-1_0/model/model.bin")
    assert new_weights != old_weights
    assert (second / "model" / "model.bin").read_bytes() == new_weights
    assert _leftovers(package_root) == ["translate-en_de-1_0"]


def test_engine_uses_the_newest_version_of_a_pair(package_root: Path, archives):
    install_package_file(archives["en_de"])
    install_package_file(archives["en_de_newer"])
    engine = ArgosEngine()
    assert engine.packages_dir == package_root
    assert engine.model_id("en", "de") == "argos:translate-en_de-1.1"


# --- rejected package files ------------------------------------------------------------------

def _rewrite(source: Path, dest: Path, *, drop: str = "", replace: dict[str, bytes] | None = None,
             extra: list[zipfile.ZipInfo] | None = None) -> Path:
    replace = replace or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(dest, "w") as new:
        for info in old.infolist():
            if drop and info.filename.startswith(drop):
                continue
            new.writestr(info, replace.get(info.filename, old.read(info)))
        for info in extra or []:
            new.writestr(info, b"evil")
    return dest


def _symlink_member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


TOP = "translate-en_es-1_0"
CORRUPTIONS = {
    "not-a-zip": (None, "not a zip archive"),
    "no-metadata": (dict(drop=f"{TOP}/metadata.json"), "metadata.json is missing"),
    "bad-json": (dict(replace={f"{TOP}/metadata.json": b"{oops"}), "not valid JSON"),
    "no-from-code": (dict(replace={f"{TOP}/metadata.json": b'{"to_code": "es"}'}),
                     "has no from_code"),
    "no-model": (dict(drop=f"{TOP}/model/"), "model/model.bin is missing"),
    "no-spm": (dict(drop=f"{TOP}/sentencepiece.model"), "sentencepiece.model is missing"),
    "dotdot": (dict(extra=[zipfile.ZipInfo(f"{TOP}/../evil")]), f"'{TOP}/../evil'"),
    "absolute": (dict(extra=[zipfile.ZipInfo("/etc/x")]), "'/etc/x': is an absolute path"),
    "symlink": (dict(extra=[_symlink_member(f"{TOP}/link")]), "is a symbolic link"),
    "two-tops": (dict(extra=[zipfile.ZipInfo("other/file")]), "exactly one top folder"),
}


@pytest.mark.parametrize("kind", sorted(CORRUPTIONS))
def test_corrupt_package_is_rejected_in_one_line(kind: str, tmp_path: Path, package_root: Path,
                                                 archives):
    changes, expected = CORRUPTIONS[kind]
    bad = tmp_path / f"{kind}.argosmodel"
    if changes is None:
        bad.write_text("this is not a zip file\n")
    else:
        _rewrite(archives["en_es"], bad, **changes)
    with pytest.raises(InputError) as caught:
        install_package_file(bad)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{bad}: ")
    assert expected in message
    assert _leftovers(package_root) == []


def test_validate_returns_the_package_description(archives):
    package = validate_package_file(archives["en_fr_prefix"])
    assert (package.folder, package.from_code, package.to_code) == (
        "translate-en_fr-1_0", "en", "fr")
    assert package.target_prefix == "__fr__"
    assert package.path == archives["en_fr_prefix"]


def test_missing_file_is_an_input_error(tmp_path: Path):
    with pytest.raises(InputError, match="no such package file"):
        validate_package_file(tmp_path / "nope.argosmodel")


# --- decoding --------------------------------------------------------------------------------

def test_all_texts_go_through_one_translate_batch(pivot_root: Path, spy):
    engine = ArgosEngine()
    texts = [TEXTS[0], "", TEXTS[1], "   ", *TEXTS[2:]]
    out = engine.translate(texts, "en", "es")
    assert len(spy.calls) == 1
    source, options = spy.calls[0]
    assert len(source) == len(TEXTS)  # blanks are answered by the base class, not decoded
    assert options["batch_type"] == "tokens"
    # A token budget of about one batch per core, not Argos' 32 tokens (one sentence a batch).
    assert options["max_batch_size"] * engine.threads >= sum(map(len, source))
    assert len(out) == len(texts)
    assert out[1] == "" and out[3] == ""
    assert all(out[i] for i in (0, 2, 4))
    # Same order: each text translated alone gives the same string at its position.
    assert [engine.translate([t], "en", "es")[0] for t in texts[:3]] == out[:3]


def test_translator_is_loaded_once_per_package(pivot_root: Path, spy):
    engine = ArgosEngine()
    engine.translate(TEXTS[:2], "en", "es")
    engine.translate(TEXTS[2:4], "en", "es")
    assert spy.loads == 1
    assert len(spy.calls) == 2


def test_hypotheses_are_distinct_and_best_first(pivot_root: Path):
    engine = ArgosEngine()
    nbest = engine.hypotheses(TEXTS, "en", "es", 3)
    assert len(nbest) == len(TEXTS)
    for hyps in nbest:
        assert 1 <= len(hyps) <= 3
        assert len(set(hyps)) == len(hyps)
    assert any(len(hyps) > 1 for hyps in nbest)
    assert [hyps[0] for hyps in nbest] == engine.translate(TEXTS, "en", "es")


def test_beam_size_and_count_are_passed_through(pivot_root: Path, spy):
    engine = ArgosEngine(beam_size=2)
    engine.translate(TEXTS[:2], "en", "es")
    assert spy.calls[-1][1]["beam_size"] == 2
    assert spy.calls[-1][1]["num_hypotheses"] == 1
    engine.hypotheses(TEXTS[:2], "en", "es", 5)
    assert spy.calls[-1][1]["beam_size"] == 5  # a beam narrower than the n-best cannot fill it
    assert spy.calls[-1][1]["num_hypotheses"] == 5


def test_target_prefix_is_forced_and_removed(package_root: Path, archives, spy):
    install_package_file(archives["en_fr_prefix"])
    out = ArgosEngine().translate(TEXTS[:3], "en", "fr")
    assert spy.calls[0][1]["target_prefix"] == [["__fr__"]] * 3
    # The prefix is not a SentencePiece piece: left in, it would decode as " ⁇ ".
    assert all(text and "⁇" not in text[:2] and "__fr__" not in text for text in out)


def test_pivot_through_an_intermediate_language(pivot_root: Path, spy):
    engine = ArgosEngine()
    assert engine.pairs() == {("en", "es"), ("es", "de"), ("en", "de")}
    assert engine.model_id("en", "de") == (
        "argos:en→es→de (translate-en_es-1.0 + translate-es_de-1.0)")
    pivoted = engine.hypotheses(TEXTS[:4], "en", "de", 2)
    assert len(spy.calls) == 2
    assert spy.calls[0][1]["num_hypotheses"] == 1  # only the 1-best goes on
    middle = engine.translate(TEXTS[:4], "en", "es")
    assert engine.hypotheses(middle, "es", "de", 2) == pivoted


def test_direct_package_beats_pivot(pivot_root: Path, archives):
    install_package_file(archives["en_de"])
    engine = ArgosEngine()
    assert engine.model_id("en", "de") == "argos:translate-en_de-1.0"
    assert ("de", "en") not in engine.pairs()
    with pytest.raises(EngineError, match="cannot translate de → en"):
        engine.translate(["Hallo"], "de", "en")


def test_broken_model_is_an_engine_error(pivot_root: Path):
    (pivot_root / "translate-en_es-1_0" / "model" / "model.bin").write_bytes(b"garbage")
    with pytest.raises(EngineError) as caught:
        ArgosEngine().translate(TEXTS[:1], "en", "es")
    assert caught.value.path == str(pivot_root / "translate-en_es-1_0" / "model")


def test_unknown_options_are_refused():
    with pytest.raises(TypeError):
        ArgosEngine(colour="blue")  # type: ignore[call-arg]
    with pytest.raises(ValueError):
        ArgosEngine(beam_size=0)


# --- alignment ------------------------------------------------------------------------------

# Extra spaces, a no-break space, non-ASCII and a character the normaliser rewrites (ﬁ → fi).
ODD_TEXTS = ["  Kabe zu  mirano é€ tesla\u00a0pu.  ", "ﬁne Ⅻ kosa."]


def _piece_text(piece: str) -> str:
    return piece.replace("▁", " ").strip()


def _check_alignment(aligned: Aligned, source_text: str, source_pieces: list[str],
                     target_pieces: list[str], attention: list[list[float]]) -> None:
    """Spans lie in their strings and cover their pieces; links are the attention's argmax."""
    assert len(aligned.source_spans) == len(source_pieces)
    assert len(aligned.target_spans) == len(aligned.links) == len(target_pieces)
    assert len(attention) == len(target_pieces)
    for (start, end), piece in zip(aligned.source_spans, source_pieces):
        assert 0 <= start <= end <= len(source_text)
        if source_text.isascii():  # no normalisation: each span is its piece
            assert source_text[start:end] == _piece_text(piece)
    assert [s for s, _ in aligned.source_spans] == sorted(s for s, _ in aligned.source_spans)
    for (start, end), piece, link, row in zip(aligned.target_spans, target_pieces,
                                              aligned.links, attention):
        assert 0 <= start <= end <= len(aligned.translation)
        assert aligned.translation[start:end] == _piece_text(piece)
        if start == end:
            assert link is None
        else:
            assert link is not None and 0 <= link < len(aligned.source_spans)
            assert row[link] == max(row[:len(source_pieces)])


def test_aligned_is_translate_with_links(pivot_root: Path, spy):
    engine = ArgosEngine()
    texts = [TEXTS[0], "", *ODD_TEXTS, "   ", *TEXTS[1:]]
    expected = engine.translate(texts, "en", "es")
    aligned = engine.aligned(texts, "en", "es")
    assert aligned is not None and len(aligned) == len(texts)
    assert [a.translation for a in aligned] == expected
    assert aligned[1] == aligned[4] == Aligned("", (), (), ())
    # One batched call, with the same tokens and batching as translate's, plus attention.
    (plain_source, plain), (source, options) = spy.calls
    assert source == plain_source
    assert options.pop("return_attention") is True
    assert "return_attention" not in plain and options == plain
    assert options["num_hypotheses"] == 1
    texts_sent = [t for t in texts if t.strip()]
    tokenizer = engine._model(engine.route("en", "es")[0]).tokenizer
    assert source == tokenizer.encode(texts_sent, out_type=str)
    results = iter(spy.results[1])
    for text, alignment in zip(texts, aligned):
        if not text.strip():
            continue
        result = next(results)
        _check_alignment(alignment, text, tokenizer.encode(text, out_type=str),
                         result.hypotheses[0], result.attention[0])
    # The odd texts: leading spaces and the no-break space are in no span; "ﬁ" is one span.
    spans = aligned[2].source_spans
    assert spans[0] == (2, 2) and ODD_TEXTS[0][slice(*spans[1])] == "K"
    assert (ODD_TEXTS[0].index("p"), ODD_TEXTS[0].index("p") + 1) in spans
    assert (0, 1) in aligned[3].source_spans  # "ﬁ", read as "f" "i" by the model


def test_texts_encoded_in_parts_go_out_as_one_call_with_shared_pieces(pivot_root: Path, spy,
                                                                     monkeypatch):
    engine = ArgosEngine()
    texts = [TEXTS[0], "", *ODD_TEXTS, "   ", *TEXTS[1:]]
    whole_plain = engine.translate(texts, "en", "es")
    whole_aligned = engine.aligned(texts, "en", "es")
    monkeypatch.setattr(argos_module, "_ENCODED_AT_ONCE", 2)
    assert engine.translate(texts, "en", "es") == whole_plain
    assert engine.aligned(texts, "en", "es") == whole_aligned
    assert len(spy.calls) == 4  # still one translate_batch a call, parts or not
    model = engine._model(engine.route("en", "es")[0])
    expected = model.tokenizer.encode([t for t in texts if t.strip()], out_type=str)
    for source, _options in spy.calls:
        assert source == expected
    # A piece of the vocabulary is one string object wherever it occurs.
    pieces = [piece for source, _ in spy.calls[2:] for text in source for piece in text]
    assert all(piece is model.shared[piece] for piece in pieces if piece in model.shared)
    assert len({id(piece) for piece in pieces}) < len(pieces) / 2


def test_aligned_spans_give_word_spans(pivot_root: Path):
    engine = ArgosEngine()
    found = 0
    for alignment in engine.aligned(TEXTS, "en", "es") or []:
        padded = f" {alignment.translation} "
        for start, end in alignment.source_spans:
            span = alignment.target_span(start, end)
            if span is None:
                continue
            found += 1
            assert 0 <= span[0] < span[1] <= len(alignment.translation)
            # Whole words: no letter or digit just outside the span, none missing at its ends.
            before, first, last, after = (padded[span[0]], padded[span[0] + 1],
                                          padded[span[1]], padded[span[1] + 1])
            assert first.isalnum() and last.isalnum()
            assert not before.isalnum() and not after.isalnum()
    assert found  # random weights, but some source tokens do get a span


def test_aligned_offsets_without_native_offset_mapping(pivot_root: Path, monkeypatch):
    """Older sentencepiece has no offset mapping: the protobuf fallback gives the same."""
    engine = ArgosEngine()
    texts = [*ODD_TEXTS, *TEXTS[:4]]
    model = engine._model(engine.route("en", "es")[0])
    if not model.offset_mapping:
        pytest.skip("this sentencepiece has no offset mapping: the fallback is what ran")
    native = engine.aligned(texts, "en", "es")
    monkeypatch.setattr(model, "offset_mapping", False)
    read = []
    monkeypatch.setattr(argos_module, "_from_proto",
                        lambda raw: read.append(raw) or from_proto(raw))
    assert engine.aligned(texts, "en", "es") == native
    assert len(read) == 2 * len(texts)  # every source and every translation went that way


@pytest.mark.parametrize("native", [True, False], ids=["offset-mapping", "protobuf"])
def test_target_spans_follow_the_strip(pivot_root: Path, monkeypatch, native: bool):
    """A translation starting with an unknown piece decodes as " ⁇ ...": translate strips it,
    and the spans must move with the text."""
    engine = ArgosEngine()
    model = engine._model(engine.route("en", "es")[0])
    if native and not model.offset_mapping:
        pytest.skip("this sentencepiece has no offset mapping")
    monkeypatch.setattr(model, "offset_mapping", native)
    pieces = ["<unk>", *model.tokenizer.encode("Kabe zu.", out_type=str)]
    assert "▁" in pieces  # a bare word boundary, too
    plain = model.tokenizer.decode_pieces(pieces)
    assert plain.startswith(" ⁇ ")  # what this test is about
    text, spans = model._decode_with_spans(pieces)
    assert text == plain.strip() == "⁇  Kabe zu."  # " ⁇ " then "▁"
    assert [text[s:e] for s, e in spans] == ["⁇", *map(_piece_text, pieces[1:])]
    assert spans[pieces.index("▁")] == (3, 3)  # empty, where "Kabe" starts
    assert model._decode_with_spans([]) == ("", ())


def test_aligned_drops_the_target_prefix(package_root: Path, archives, spy):
    install_package_file(archives["en_fr_prefix"])
    engine = ArgosEngine()
    aligned = engine.aligned(TEXTS[:3], "en", "fr")
    assert aligned is not None
    assert [a.translation for a in aligned] == engine.translate(TEXTS[:3], "en", "fr")
    tokenizer = engine._model(engine.route("en", "fr")[0]).tokenizer
    for text, alignment, result in zip(TEXTS, aligned, spy.results[0]):
        assert result.hypotheses[0][0] == "__fr__"
        _check_alignment(alignment, text, tokenizer.encode(text, out_type=str),
                         result.hypotheses[0][1:], result.attention[0][1:])


def test_pivot_alignment_is_composed(pivot_root: Path, spy):
    engine = ArgosEngine()
    aligned = engine.aligned(TEXTS, "en", "de")
    assert len(spy.calls) == 2
    assert all(options["return_attention"] for _, options in spy.calls)
    assert aligned is not None
    assert [a.translation for a in aligned] == engine.translate(TEXTS, "en", "de")
    first = engine.aligned(TEXTS, "en", "es")
    second = engine.aligned([a.translation for a in first or []], "es", "de")
    assert aligned == [compose_alignments(a, b) for a, b in zip(first or [], second or [])]
    for text, alignment in zip(TEXTS, aligned):
        assert alignment.source_spans == engine.aligned([text], "en", "es")[0].source_spans
    assert any(link is not None for a in aligned for link in a.links)


def test_aligned_with_only_blanks_loads_nothing(pivot_root: Path, spy):
    engine = ArgosEngine()
    assert engine.aligned(["", "  "], "en", "de") == [Aligned("", (), (), ())] * 2
    assert engine.aligned([], "en", "es") == []
    assert spy.loads == 0 and spy.calls == []
    with pytest.raises(EngineError, match="cannot translate de → en"):
        engine.aligned(["Hallo"], "de", "en")


# --- subprocesses: the package index, and what importing the engine drags in ----------------

def _run_python(code: str, env_updates: dict[str, str]) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_updates}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
def test_package_index_offline_missing_pair_and_download(tmp_path: Path, archives):
    # argostranslate.settings creates folders under XDG_* when imported: keep them in tmp_path.
    home = {f"XDG_{kind}_HOME": str(tmp_path / kind) for kind in ("DATA", "CONFIG", "CACHE")}
    packages = tmp_path / "packages"
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    entry = {"package_version": "1.0", "argos_version": "1.0", "from_code": "en",
             "to_code": "es", "type": "translate", "links": [archives["en_es"].as_uri()]}
    (index_dir / "index.json").write_text(json.dumps([entry]))
    code = """
        import sys
        from glossator.engines.argos_packages import install_from_index
        from glossator.errors import EngineError
        for source, target in [("en", "es"), ("en", "zz")]:
            try:
                print("OK", install_from_index(source, target))
            except EngineError as error:
                print("ERR", error)
    """
    offline = _run_python(code, {**home, "ARGOS_PACKAGES_DIR": str(packages),
                                 "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/"})
    assert offline.returncode == 0, offline.stderr
    lines = offline.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("ERR http://127.0.0.1:9/index.json: cannot reach the Argos "
                               "package index (offline?): ")
    assert lines[0].endswith("; install a downloaded file with: "
                             "glossator models install FILE.argosmodel")
    assert _leftovers(packages) == []

    local = _run_python(code, {**home, "ARGOS_PACKAGES_DIR": str(packages),
                               "ARGOS_PACKAGE_INDEX": index_dir.as_uri() + "/"})
    assert local.returncode == 0, local.stderr
    installed, missing = local.stdout.splitlines()
    assert installed == f"OK {packages / 'translate-en_es-1_0'}"
    assert missing.endswith("the Argos package index has no package for en → zz")
    assert _leftovers(packages) == ["translate-en_es-1_0"]


@pytest.mark.slow
def test_engine_imports_and_translates_without_heavy_modules(pivot_root: Path, tmp_path: Path):
    code = f"""
        import sys
        import glossator.engines.argos as argos
        engine = argos.ArgosEngine(packages_dir={str(pivot_root)!r})
        out = engine.translate(["Kabe zu."], "en", "de")
        assert len(out) == 1 and out[0], out
        heavy = ("torch", "stanza", "spacy", "minisbd", "onnxruntime", "argostranslate")
        print(sorted(m for m in sys.modules if m.split(".")[0] in heavy))
    """
    fake_home = tmp_path / "home"
    fake_home.mkdir()
    result = _run_python(code, {"HOME": str(fake_home), "XDG_DATA_HOME": str(fake_home / "d")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert _leftovers(fake_home) == []  # nothing created, so nothing downloaded either


@pytest.mark.slow
def test_argos_packages_module_does_not_import_argostranslate():
    result = _run_python("import sys, glossator.engines.argos_packages as a; "
                         "a.installed_packages(); print('argostranslate' in sys.modules)", {})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    assert argos_packages.INSTALL_HINT.startswith("install a downloaded file")


def test_registry_builds_the_engine_with_the_lead_options(pivot_root: Path):
    from glossator.engines import load_engine

    engine = load_engine("argos", beam_size=3, packages_dir=pivot_root)
    assert isinstance(engine, ArgosEngine)
    assert (engine.beam_size, engine.packages_dir) == (3, pivot_root)
    assert engine.supports("en", "de") and not engine.supports("de", "en")
