"""A reviewer's edits survive re-runs, flow into the final article and into other articles."""

from __future__ import annotations

import fcntl
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest

from helpers import REPO, SEED, run_cli

REVIEWED = ("O líder norte-coreano Kim Jong-un recebeu o ministro russo da Defesa, Serguei "
            "Shoigu, no seu primeiro encontro conhecido com um dignitário estrangeiro desde a "
            "pandemia de Covid-19 (revisto).")


def translate(article: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    result = run_cli("translate", str(article), "--to", "pt", "--out", str(out), *extra)
    assert result.returncode == 0, result.stderr
    return result


def entry_block(po_text: str, msgctxt: str) -> str:
    """The exact text of one PO entry, comments included."""
    for block in po_text.split("\n\n"):
        if f'msgctxt "{msgctxt}"' in block.splitlines():
            return block
    raise AssertionError(f"no entry {msgctxt}")


def review(po_path: Path, edits: dict[str, str]) -> None:
    """What a person does in a PO editor: rewrite msgstr and clear the fuzzy flag."""
    pofile = polib.pofile(str(po_path), wrapwidth=0)
    for entry in pofile:
        if entry.msgctxt in edits:
            entry.msgstr = edits[entry.msgctxt]
            entry.flags.remove("fuzzy")
    pofile.save()


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "seed.txt"
    path.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_reviewed_entries_survive_a_rerun_byte_for_byte(tmp_path, article):
    out = tmp_path / "locale"
    translate(article, out)
    po_path = out / "pt" / "seed.po"
    review(po_path, {"3.1": REVIEWED})
    before = po_path.read_text(encoding="utf-8")

    result = translate(article, out)
    after = po_path.read_text(encoding="utf-8")
    assert entry_block(after, "3.1") == entry_block(before, "3.1")
    assert "#, fuzzy" not in entry_block(after, "3.1")
    assert "translating" not in result.stderr  # nothing new: the engine was not needed
    assert "17 kept from the previous run, 0 to translate" in result.stderr
    assert REVIEWED in (out / "pt" / "seed.txt").read_text(encoding="utf-8")


def test_changed_removed_and_new_sentences(tmp_path, article):
    out = tmp_path / "locale"
    translate(article, out)
    po_path = out / "pt" / "seed.po"
    review(po_path, {"3.1": REVIEWED})
    old_machine = {e.msgctxt: e.msgstr for e in polib.pofile(str(po_path))}

    text = article.read_text(encoding="utf-8")
    text = text.replace("in his first known meeting", "in his first meeting")  # 3.1 changed
    text = text.replace("A Chinese delegation, including Chinese Communist Party Politburo "
                        "member Li Hongzhong, also visited Pyongyang for the celebrations.\n\n",
                        "")  # paragraph 9 removed: later paragraphs renumber
    text = text.replace("reported on Thursday.", "reported on Thursday. Seoul said nothing.")
    article.write_text(text, encoding="utf-8")
    result = translate(article, out)
    assert "translating 1 segment from 1 article" in result.stderr  # only the new sentence

    pofile = polib.pofile(str(po_path))
    changed = next(e for e in pofile if e.msgctxt == "3.1")
    assert changed.msgid.endswith("in his first meeting with a foreign dignitary since the "
                                  "Covid-19 pandemic.")
    assert changed.msgstr == REVIEWED and changed.fuzzy
    assert "in his first known meeting" in changed.previous_msgid
    assert "#| msgid" in po_path.read_text(encoding="utf-8")

    new = next(e for e in pofile if e.msgid == "Seoul said nothing.")
    assert new.msgstr and new.fuzzy and new.msgctxt == "4.2"
    moved = next(e for e in pofile if e.msgid.startswith("North Korean authorities are"))
    assert moved.msgctxt == "9.1" and moved.msgstr == old_machine["10.1"]

    obsolete = [e for e in pofile.obsolete_entries()]
    assert [e.msgid[:20] for e in obsolete] == ["A Chinese delegation"]
    assert "#~ msgctxt" in po_path.read_text(encoding="utf-8")


def test_translation_memory_reuses_reviewed_sentences(tmp_path, article):
    out = tmp_path / "locale"
    translate(article, out)
    sentence = ("Shoigu also gave Kim a letter from Russian President Vladimir Putin, the KCNA "
                "said.")
    po_path = out / "pt" / "seed.po"
    entry_id = next(e.msgctxt for e in polib.pofile(str(po_path)) if e.msgid == sentence)
    review(po_path, {entry_id: "Shoigu entregou a Kim uma carta de Vladimir Putin, disse a KCNA."})
    translate(article, out)
    memory = out / "pt" / "memory.tmx"
    assert memory.is_file()

    other = tmp_path / "other.txt"
    other.write_text(f"Another story\n\nFirst line of it.\n\n{sentence}\n", encoding="utf-8")
    translate(other, out)
    reused = next(e for e in polib.pofile(str(out / "pt" / "other.po")) if e.msgid == sentence)
    assert reused.msgstr == "Shoigu entregou a Kim uma carta de Vladimir Putin, disse a KCNA."
    assert not reused.fuzzy
    assert "translation memory" in reused.comment


def test_build_writes_the_final_article_reviewed_text_winning(tmp_path, article):
    out = tmp_path / "locale"
    translate(article, out)
    po_path = out / "pt" / "seed.po"
    review(po_path, {"3.1": REVIEWED})
    final = tmp_path / "final.txt"
    result = run_cli("build", str(po_path), "-o", str(final))
    assert result.returncode == 0 and result.stdout.strip() == str(final)
    text = final.read_text(encoding="utf-8")
    assert REVIEWED in text
    assert text.split("\n\n")[0] == "domingo, 23 de junho de 2024"
    assert len(text.strip().split("\n\n")) == 14
    assert run_cli("build", str(po_path)).stdout == text


def test_glossary_edit_changes_only_unreviewed_segments_with_the_term(tmp_path, article):
    glossary = tmp_path / "terms.csv"
    glossary.write_text("en,pt\nPyongyang,Pyongyang\nShoigu,Shoigu\n", encoding="utf-8")
    out = tmp_path / "locale"
    translate(article, out, "--glossary", str(glossary))
    po_path = out / "pt" / "seed.po"
    pofile = polib.pofile(str(po_path))
    with_term = [e.msgctxt for e in pofile if "Pyongyang" in e.msgid]
    reviewed_id = with_term[0]
    review(po_path, {reviewed_id: "Texto revisto sobre Pyongyang."})
    before = po_path.read_text(encoding="utf-8")

    glossary.write_text("en,pt\nPyongyang,Pionguiangue\nShoigu,Shoigu\n", encoding="utf-8")
    result = translate(article, out, "--glossary", str(glossary))
    after = po_path.read_text(encoding="utf-8")
    assert f"translating {len(with_term) - 1} segments" in result.stderr
    for entry in polib.pofile(str(po_path)):
        if entry.msgctxt == reviewed_id:
            assert entry.msgstr == "Texto revisto sobre Pyongyang." and not entry.fuzzy
            assert "should be rendered 'Pionguiangue'" in entry.comment  # flagged, not changed
        elif entry.msgctxt in with_term:
            assert "Pionguiangue" in entry.msgstr
        else:
            assert entry_block(after, entry.msgctxt) == entry_block(before, entry.msgctxt)


@pytest.mark.parametrize(("damage", "message"), [
    (lambda text: text.replace('msgstr "domingo', 'msgstr domingo', 1), "not a valid PO file"),
    (lambda text: text.replace("X-Glossator-Article: ../seed.txt", "X-Glossator-Article: "
                               "../other-article.txt"), "holds the translation of "),
    (lambda text: text.replace('"Language: pt\\n"', '"Language: de\\n"'),
     "holds a German (Deutsch) translation"),
])
def test_bad_previous_po_is_refused_and_kept(tmp_path, article, damage, message):
    out = tmp_path / "locale"
    translate(article, out)
    po_path = out / "pt" / "seed.po"
    (tmp_path / "other-article.txt").write_text("Another article.\n", encoding="utf-8")
    damaged = damage(po_path.read_text(encoding="utf-8"))
    assert damaged != po_path.read_text(encoding="utf-8")
    po_path.write_text(damaged, encoding="utf-8")
    before = {p: p.read_bytes() for p in (out / "pt").iterdir()}
    result = run_cli("translate", str(article), "--to", "pt", "--out", str(out))
    assert result.returncode == 6
    assert message in result.stderr and str(po_path) in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("glossator: ")
    assert {p: p.read_bytes() for p in (out / "pt").iterdir()} == before


def test_invalid_po_error_names_the_line(tmp_path, article):
    out = tmp_path / "locale"
    translate(article, out)
    po_path = out / "pt" / "seed.po"
    po_path.write_text(po_path.read_text(encoding="utf-8").replace(
        'msgstr "domingo', 'msgstr domingo', 1), encoding="utf-8")
    result = run_cli("build", str(po_path))
    assert result.returncode == 6
    assert re.search(rf"{re.escape(str(po_path))}:\d+: not a valid PO file", result.stderr)


@pytest.mark.parametrize("fmt", ["tmx", "xliff"])
def test_xml_file_given_where_po_expected(tmp_path, article, fmt):
    out = tmp_path / "locale"
    translate(article, out, "--formats", f"po,{fmt}")
    xml = out / "pt" / f"seed.{'xlf' if fmt == 'xliff' else fmt}"
    for verb in ("build", "qa", "review"):
        result = run_cli(verb, str(xml))
        assert result.returncode == 6
        assert f"{xml}: this is an XML file" in result.stderr


def test_a_second_run_on_a_locked_folder_is_refused(tmp_path, article):
    out = tmp_path / "locale"
    out.mkdir()
    with open(out / ".glossator.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        handle.write("pid 12345")
        handle.flush()
        result = run_cli("translate", str(article), "--to", "pt", "--out", str(out))
    assert result.returncode == 6
    assert "another glossator run (pid 12345) is writing to this folder" in result.stderr
    assert not (out / "pt").exists()


@pytest.mark.slow
def test_killing_a_run_leaves_previous_files_intact(tmp_path, article):
    out = tmp_path / "locale"
    translate(article, out, "--formats", "po,tmx,xliff,tsv,html,txt")
    article.write_text(article.read_text(encoding="utf-8").replace("Kim", "Kim Jong Un"),
                       encoding="utf-8")
    command = [sys.executable, "-m", "glossator", "translate", str(article), "--to", "pt",
               "--out", str(out), "--formats", "po,tmx,xliff,tsv,html,txt", "--quiet"]
    delays = [0.3, 0.5, 0.7, 0.9, 1.1, 1.3]
    for delay in delays:
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        po = polib.pofile(str(out / "pt" / "seed.po"))
        assert len([entry for entry in po if not entry.obsolete]) == 17
        assert all(entry.msgstr for entry in po)
        for name in ("seed.tmx", "seed.xlf", "seed.html"):
            assert (out / "pt" / name).read_text(encoding="utf-8").rstrip().endswith(">")
    translate(article, out, "--formats", "po,tmx,xliff,tsv,html,txt")
    assert not [p for p in (out / "pt").iterdir() if p.name.endswith(".tmp")]
    assert "Kim Jong Un" in polib.pofile(str(out / "pt" / "seed.po"))[4].msgid
