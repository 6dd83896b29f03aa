"""The review loop under random sequences of what runs and people do (hypothesis stateful):
translate (all articles or a subset, with or without --force), edit and approve (in a PO editor,
the workspace, or a CAT tool's XLIFF/TMX/PO brought back with `import`), change the glossary,
reword a sentence of an article, and a run killed while it writes. After every step: every text a
person wrote is in its article's one PO — reviewed, or kept as an edit — and every PO reads back.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import tempfile
from pathlib import Path
from unittest import mock

import polib
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from glossator.formats import get_format
from glossator.formats.po import load_pofile, read_po
from glossator.review.importer import import_units
from glossator.review.workspace import Workspace, segment_version
from glossator.run.pipeline import translate_articles
from glossator.run.placement import article_key, recorded_key

# Three articles in three folders (a run over a subset mirrors them differently), each with a
# second wording of one sentence, far from every other sentence.
ARTICLES = {
    "desk/seoul.txt": ("Talks in Seoul\n\nThe minister arrived in Seoul on Monday. He met "
                       "the envoy from the north.\n\nThe talks ended on Tuesday.\n",
                       ("on Monday", "late on Monday night")),
    "desk/wire/tokyo.txt": ("Tokyo summit\n\nLeaders gathered in Tokyo for trade talks. "
                            "Farmers protested outside.\n",
                            ("Farmers protested", "Angry farmers marched and protested")),
    "other/border.txt": ("Border reopens\n\nThe border crossing opened after three years. "
                         "Trucks queued for hours.\n",
                         ("queued for hours", "queued at the gate for many hours")),
}
GLOSSARIES = ("en,de\n", "en,de\nminister,Ministerin\nenvoy,Gesandter\n",
              "en,de\nSeoul,Söul\nborder crossing,Grenzübergang\nTokyo,Tokio\n")
TEXTS = st.text(alphabet=st.sampled_from(list("abcdeéçãöß XYZ.,;!?'-«»0123")),
                min_size=1, max_size=24).map(lambda text: " ".join(text.split())).filter(bool)
WAYS = ("po-editor", "workspace", "xliff", "tmx", "po")


def _silent(_message: str) -> None:
    pass


class ReviewLoop(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="glossator-loop-"))
        self.out = self.root / "locale"
        self.glossary = self.root / "terms.csv"
        self.glossary.write_text(GLOSSARIES[0], encoding="utf-8")
        self.reworded: set[str] = set()
        for name in ARTICLES:
            self._write_article(name)
        self.expected: dict[tuple[str, str], str] = {}  # (article, segment id) → person's text
        self.translated: set[str] = set()
        self.exports = itertools.count()

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def _write_article(self, name: str) -> None:
        text, (old, new) = ARTICLES[name]
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace(old, new) if name in self.reworded else text,
                        encoding="utf-8")

    def _translate(self, names: list[str], force: bool) -> None:
        translate_articles([self.root / name for name in names], ["de"], engine_name="argos",
                      out=self.out, glossary_paths=[self.glossary], force=force,
                      formats=[get_format("po")], report=_silent)

    def po_of(self, name: str) -> Path | None:
        """The one PO under OUT/de that records the article `name`."""
        key = article_key(self.root / name, self.out)
        found = [path for path in (self.out / "de").rglob("*.po") if recorded_key(path) == key]
        assert len(found) <= 1, f"{name} has {len(found)} POs: {found}"
        return found[0] if found else None

    # What runs do -------------------------------------------------------------------------

    @initialize(names=st.sets(st.sampled_from(sorted(ARTICLES)), min_size=1))
    def first_run(self, names: set[str]) -> None:
        self._translate(sorted(names), force=False)
        self.translated |= names

    @rule(names=st.sets(st.sampled_from(sorted(ARTICLES)), min_size=1), force=st.booleans())
    def translate(self, names: set[str], force: bool) -> None:
        self._translate(sorted(names), force)
        self.translated |= names

    @rule(names=st.sets(st.sampled_from(sorted(ARTICLES)), min_size=1),
          renames_before_death=st.integers(0, 2))
    def killed_run(self, names: set[str], renames_before_death: int) -> None:
        """A run killed while it renames its finished files into place (SIGKILL's leftover
        temporary file included, from a process that no longer exists)."""
        real_replace, calls = os.replace, itertools.count()

        def dying(source, target):
            if next(calls) >= renames_before_death:
                raise KeyboardInterrupt
            real_replace(source, target)

        with (mock.patch("glossator.io.files.os.replace", dying),
              contextlib.suppress(KeyboardInterrupt)):
            self._translate(sorted(names), force=True)
        (self.out / "de").mkdir(parents=True, exist_ok=True)
        (self.out / "de" / ".glossator-seoul.po.999999999.abcdefgh.tmp").write_text("half")

    @rule(glossary=st.sampled_from(GLOSSARIES))
    def change_glossary(self, glossary: str) -> None:
        self.glossary.write_text(glossary, encoding="utf-8")

    @rule(name=st.sampled_from(sorted(ARTICLES)))
    def reword_a_sentence(self, name: str) -> None:
        self.reworded ^= {name}
        self._write_article(name)

    # What people do -----------------------------------------------------------------------

    @precondition(lambda self: self.translated)
    @rule(data=st.data(), text=TEXTS, way=st.sampled_from(WAYS), approve=st.booleans())
    def edit(self, data: st.DataObject, text: str, way: str, approve: bool) -> None:
        name = data.draw(st.sampled_from(sorted(self.translated)))
        po_path = self.po_of(name)
        assert po_path is not None
        segment = data.draw(st.sampled_from(read_po(po_path).segments))
        if way == "tmx":
            approve = True  # a TMX unit is an approved translation
        applied = getattr(self, f"_edit_{way.replace('-', '_')}")(po_path, segment, text,
                                                                   approve)
        if applied and (approve or text != segment.machine):
            self.expected[(name, segment.id)] = text

    def _edit_po_editor(self, po_path: Path, segment, text: str, approve: bool) -> bool:
        pofile = polib.pofile(str(po_path), wrapwidth=0)
        entry = next(e for e in pofile if e.msgctxt == segment.id and not e.obsolete)
        entry.msgstr = text
        if approve and "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        elif not approve and "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        pofile.save()
        return True

    def _edit_workspace(self, po_path: Path, segment, text: str, approve: bool) -> bool:
        workspace = Workspace(self.out, engine_name="argos", reviewer="Ana",
                              glossary_paths=[self.glossary])
        relative = po_path.relative_to(self.out).as_posix()
        result = workspace.save(relative, segment.id, segment_version(segment),
                                "approve" if approve else "edit", text)
        return result.status in ("saved", "unchanged")

    def _edit_by_import(self, po_path: Path, segment, text: str, approve: bool,
                        fmt: str) -> bool:
        """A CAT tool's file with this one unit changed, brought back with `import`."""
        document = read_po(po_path)
        document.segments = [s for s in document.segments if s.id == segment.id]
        document.segments[0].target, document.segments[0].fuzzy = text, not approve
        folder = self.root / f"export-{next(self.exports)}"
        folder.mkdir()
        exported = folder / get_format(fmt).filename(document)
        exported.write_text(get_format(fmt).render(document), encoding="utf-8")
        [result] = import_units(exported, include_unapproved=True, out=self.out)
        assert result.po_path.resolve() == po_path.resolve()
        return segment.id in [*result.approved, *result.edited, *result.unchanged]

    def _edit_xliff(self, po_path: Path, segment, text: str, approve: bool) -> bool:
        return self._edit_by_import(po_path, segment, text, approve, "xliff")

    def _edit_tmx(self, po_path: Path, segment, text: str, approve: bool) -> bool:
        return self._edit_by_import(po_path, segment, text, approve, "tmx")

    def _edit_po(self, po_path: Path, segment, text: str, approve: bool) -> bool:
        return self._edit_by_import(po_path, segment, text, approve, "po")

    # After every step -----------------------------------------------------------------------

    @invariant()
    def every_persons_text_is_in_its_po(self) -> None:
        for po_path in (self.out / "de").rglob("*.po") if self.out.exists() else ():
            read_po(po_path)  # every PO reads back
        for name in self.translated:
            assert self.po_of(name) is not None, f"{name} lost its PO"
        for (name, segment_id), text in self.expected.items():
            entries = {e.msgctxt: e for e in load_pofile(self.po_of(name)) if not e.obsolete}
            assert entries[segment_id].msgstr == text, (name, segment_id)


def test_every_persons_text_survives_the_review_loop(argos_dir):
    run_state_machine_as_test(ReviewLoop, settings=settings(
        max_examples=int(os.environ.get("GLOSSATOR_LOOP_EXAMPLES", "40")),
        stateful_step_count=15, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
