"""Translate the text of an HTML fragment or page and keep its markup (`format=html` of the
HTTP API).

The input is parsed with lxml and made inert before anything else: elements that run or embed
code (script, style, iframe, object, svg ...) are removed with their content, as are comments,
`on*` handlers, `srcdoc`, and URLs with a javascript:, vbscript: or data: scheme. Then every
text node (an element's text and tail) that holds more than whitespace is collected, so the
caller translates them all in one batch, and written back with its surrounding whitespace. Text
goes back as text, which lxml escapes: nothing of the input or of a translation becomes markup.
Elements marked `translate="no"` or `class="notranslate"` keep their text.

Text nodes cut a sentence wherever inline markup starts or ends ("Seoul and <em>Washington</em>
held drills" would go to the engine as "Seoul and", "Washington", "held drills", and come back
as broken Portuguese). So a block whose text flows through inline elements only (a, b, em, span
...) is translated whole, as a sentence should be; each inline element's text is translated on
its own too and looked for in the whole translation, and where every one is found once, in the
same order, the markup is put back around it. Where not, that block falls back to node by node:
markup is never dropped to gain fluency.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import combinations, pairwise

from lxml import html

from glossator.formats.htmldoc import serialize, set_keeping_space
from glossator.server.textjob import TermCounts, TextResult, Translate
from glossator.terms.markup import find_once
from glossator.text.html import Run, read_text_nodes

_SPACES = re.compile(r"\s+")


@dataclass
class HtmlJob:
    """A parsed, neutralised fragment and the text nodes to translate, in document order
    (`text.html.read_text_nodes`)."""

    root: html.HtmlElement
    whole_page: bool
    # (element, "text" or "tail"): where each text node is
    slots: list[tuple[html.HtmlElement, str]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # each slot's text, whitespace stripped
    runs: list[Run] = field(default_factory=list)
    _pending: list[int] = field(default_factory=list)  # slots left for the second pass
    _filled: dict[int, str] = field(default_factory=dict)

    def first_pass(self) -> list[str]:
        """What to translate first: each run whole, then its inline texts, then every text
        node outside runs."""
        in_runs = {slot for run in self.runs for slot in run.slots}
        texts = [_SPACES.sub(" ", run.block.text_content()).strip() for run in self.runs]
        texts += [child.text.strip() for run in self.runs for child in run.children]
        texts += [self.texts[i] for i in range(len(self.slots)) if i not in in_runs]
        return texts

    def place(self, translations: Sequence[str],
              renderings: Sequence[Sequence[tuple[str, str]]] = ()
              ) -> tuple[list[int], list[str]]:
        """Put the first pass's translations in place; `renderings` gives per translation the
        pinned terms and their forms in it (`TextResult.renderings`). Returns which of them the
        output uses (for counting terms) and the text nodes still to translate, node by node."""
        if len(translations) != len(self.first_pass()):
            raise ValueError("one translation per first-pass text is needed")
        wholes = iter(translations[:len(self.runs)])
        inline_count = sum(len(run.children) for run in self.runs)
        inline = iter(translations[len(self.runs):len(self.runs) + inline_count])
        used: list[int] = []
        in_runs = {slot for run in self.runs for slot in run.slots}
        rest = [i for i in range(len(self.slots)) if i not in in_runs]
        for index, (run, whole) in enumerate(zip(self.runs, wholes)):
            parts = [next(inline) for _ in run.children]
            terms = renderings[index] if index < len(renderings) else ()
            if _place_run(run, whole, parts, terms):
                used.append(index)
                continue
            first_inline = len(self.runs) + sum(len(r.children) for r in self.runs[:index])
            used.extend(range(first_inline, first_inline + len(parts)))
            for child, part in zip(run.children, parts):
                self._filled[self.slots.index((child, "text"))] = part
            self._pending += [slot for slot in run.slots if slot not in self._filled]
        start = len(self.runs) + inline_count
        for offset, slot in enumerate(rest):
            self._filled[slot] = translations[start + offset]
            used.append(start + offset)
        return used, [self.texts[slot] for slot in self._pending]

    def finish(self, translations: Sequence[str]) -> str:
        """The markup, once the second pass (the nodes `place` left) is translated."""
        if len(translations) != len(self._pending):
            raise ValueError(f"{len(translations)} translations for {len(self._pending)} texts")
        self._filled.update(zip(self._pending, translations))
        for slot, translation in self._filled.items():
            element, attribute = self.slots[slot]
            set_keeping_space(element, attribute, translation)
        return self._serialize()

    def render(self, translations: Sequence[str]) -> str:
        """The markup with each text node replaced by its translation."""
        if len(translations) != len(self.slots):
            raise ValueError(f"{len(translations)} translations for {len(self.slots)} texts")
        for (element, attribute), translation in zip(self.slots, translations):
            set_keeping_space(element, attribute, translation)
        return self._serialize()

    def _serialize(self) -> str:
        return serialize(self.root, page=self.whole_page)


def _term_span(source: str, whole: str, terms: Sequence[tuple[str, str]]
               ) -> tuple[int, int] | None:
    """Where the form of the one pinned term that holds `source` but is longer is in `whole`,
    found once; None where `source` is no part of a term (or a whole one)."""
    wanted = " ".join(source.split()).casefold()
    if not wanted:
        return None
    holding = {form for term, form in terms
               if wanted in (held := " ".join(term.split()).casefold()) and wanted != held}
    if len(holding) != 1:
        return None
    [form] = holding
    found = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", whole)]
    return (found[0], found[0] + len(form)) if len(found) == 1 else None


def _place_run(run: Run, whole: str, parts: Sequence[str],
               terms: Sequence[tuple[str, str]] = ()) -> bool:
    """Cut `whole` around each inline part, found once each and in document order; False
    (nothing changed) where that cannot be done. An inline element holding part of a pinned
    term (`<b>Korean Central</b> News Agency`) covers the term's whole form in `whole`: a
    term's translation cannot be cut where its source was. Where several inline elements in a
    row hold the pieces of one term (`<b>Korean Central</b> <i>News Agency</i>`), the form is
    shared out among them at word boundaries (`_share_form`)."""
    spans: list[tuple[int, int]] = []
    position, index = 0, 0
    while index < len(run.children):
        shared = _term_pieces(run.children, index, whole, terms)
        if shared is not None:
            pieces = _share_form(whole, shared, parts[index:index + shared[2]])
        else:
            child = run.children[index]
            span = find_once(parts[index], whole) or _term_span(child.text or "", whole,
                                                                 terms)
            pieces = [span] if span is not None else None
        if pieces is None or pieces[0][0] < position:
            return False
        spans.extend(pieces)
        position = pieces[-1][1]
        index += len(pieces)
    block, last = run.block, run.children[-1].tail or ""
    lead = (block.text or "")[:len(block.text or "") - len((block.text or "").lstrip())]
    trail = last[len(last.rstrip()):]
    block.text = lead + whole[:spans[0][0]]
    for number, (child, (start, end)) in enumerate(zip(run.children, spans)):
        child.text = whole[start:end]
        after = spans[number + 1][0] if number + 1 < len(spans) else len(whole)
        child.tail = whole[end:after]
    run.children[-1].tail += trail
    return True


def _term_pieces(children: Sequence[html.HtmlElement], index: int, whole: str,
                 terms: Sequence[tuple[str, str]]) -> tuple[int, int, int] | None:
    """(start, end, elements): the span of a pinned term's form in `whole`, found once, where
    the inline elements from `index` on (two or more, with only white space between them)
    hold that term's source in pieces; None otherwise."""
    texts = [" ".join((children[index].text or "").split()).casefold()]
    for term, form in terms:
        held = " ".join(term.split()).casefold()
        count, joined = 1, texts[0]
        while (index + count < len(children) and not (children[index + count - 1].tail or
                                                        "").strip()):
            longer = f"{joined} {' '.join((children[index + count].text or '').split())}"
            if longer.casefold() not in held:
                break
            joined, count = longer.casefold(), count + 1
        if count < 2 or not joined or joined not in held:
            continue
        found = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", whole)]
        if len(found) == 1:
            return found[0], found[0] + len(form), count
    return None


def _share_form(whole: str, group: tuple[int, int, int], parts: Sequence[str]
                ) -> list[tuple[int, int]]:
    """Cut the form at `group` into one run of words per piece, in order: the cut whose runs
    read most like each piece translated alone, else even shares. Every piece keeps at least
    one word, so no element is emptied; the spaces between runs go into the tails."""
    start, end, count = group
    words = [(start + m.start(), start + m.end())
             for m in re.finditer(r"\S+", whole[start:end])]
    if len(words) < count:  # fewer words than elements: the first holds the form
        return [(start, end)] + [(end, end)] * (count - 1)
    best: tuple[float, tuple[int, ...]] | None = None
    for cut in _cuts(len(words), count):
        bounds = (0, *cut, len(words))
        score = sum(SequenceMatcher(None, part.casefold(),
                                    whole[words[a][0]:words[b - 1][1]].casefold()).ratio()
                    for part, (a, b) in zip(parts, pairwise(bounds)))
        if best is None or score > best[0] + 1e-9:
            best = (score, cut)
    assert best is not None
    bounds = (0, *best[1], len(words))
    return [(words[a][0], words[b - 1][1]) for a, b in pairwise(bounds)]


def _cuts(words: int, pieces: int) -> list[tuple[int, ...]]:
    """Every way to cut `words` words into `pieces` non-empty runs, as the inner boundaries,
    even shares first (so they win ties)."""
    even = tuple(round(words * k / pieces) for k in range(1, pieces))
    others = [cut for cut in combinations(range(1, words), pieces - 1) if cut != even]
    return [even, *others]


def parse_html(markup: str) -> HtmlJob:
    """Parse `markup` (a fragment, or a page starting with <!doctype or <html>), neutralise it
    and collect its text nodes."""
    nodes = read_text_nodes(markup)
    return HtmlJob(nodes.root, nodes.whole_page, nodes.slots, nodes.texts, nodes.runs)


async def translate_html(markups: Sequence[str], translate: Translate) -> list[TextResult]:
    """Translate HTML fragments or pages, markup kept, in two batches over all of them: first
    each block whole (and its inline parts) and every text node outside blocks, then the text
    nodes of the blocks whose markup could not be put back around the whole translation. A
    markup's terms are counted over the translations its output uses."""
    jobs = [parse_html(markup) for markup in markups]
    firsts = [job.first_pass() for job in jobs]
    done = iter(await translate([text for first in firsts for text in first]))
    used_results: list[list[TextResult]] = []
    seconds: list[list[str]] = []
    for job, first in zip(jobs, firsts):
        mine = [next(done) for _ in first]
        used, second = job.place([result.text for result in mine],
                                 [result.renderings for result in mine])
        used_results.append([mine[index] for index in used])
        seconds.append(second)
    done = iter(await translate([text for second in seconds for text in second]))
    results = []
    for job, second, used_first in zip(jobs, seconds, used_results):
        mine = [next(done) for _ in second]
        terms = TermCounts.total([result.terms for result in used_first + mine])
        results.append(TextResult(job.finish([result.text for result in mine]), terms))
    return results
