"""Side-by-side review of a translated document in the terminal.

Text is wrapped as plain text first, by display width (CJK characters take two columns), and
only then are colour codes put around pieces of each line, so highlighting never moves a
line break. With `color=False` the output holds no escape codes at all, and with colour the only
ones are the styles below: control characters in the document (an article's `ESC ] 0 ; … BEL`,
`ESC [ 2 J`, bidi overrides) are shown as visible characters (glossator.io.printable.printable).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from glossator.io.printable import printable
from glossator.model import EDITED, MACHINE, REVIEWED, Document, Pin, Segment, count_states
from glossator.terms.proof import form_pattern, is_flagged, is_wide, missing_pins
from glossator.terms.qa import missing_pin_message

STACKED_BELOW = 60  # narrower terminals get source and target one under the other
COLUMN_GAP = " │ "
MIN_TEXT_WIDTH = 10
_CLOSING = frozenset("、。，．！？）」』】〕》〉：；,.!?;:)]}\"'’”")

RESET = "\x1b[0m"
STYLE_SOURCE_PIN = "\x1b[1;36m"  # bold cyan
STYLE_TARGET_PIN = "\x1b[1;32m"  # bold green
STYLE_MISSED_PIN = "\x1b[1;31m"  # bold red: the term whose pin did not land
STYLE_FINDING = "\x1b[33m"  # yellow
STYLE_NOTE = "\x1b[35m"  # magenta
STYLE_HEADER = "\x1b[1m"
STYLE_TAG = "\x1b[2;4m"  # dim, underlined: a document's markup, apart from the words
MARK_STYLES = {"✓": "\x1b[32m", "✎": "\x1b[33m", "~": "\x1b[2m", "!": "\x1b[1;31m"}


@dataclass(frozen=True)
class _Highlight:
    start: int
    end: int
    style: str


@dataclass(frozen=True)
class _Cell:
    """One wrapped line of a column: the plain text and its coloured form."""

    plain: str
    shown: str


def render_review(document: Document, *, width: int, color: bool,
                  only_flagged: bool = False) -> str:
    """The review screen for `document`, every line at most `width` columns wide."""
    layout = _Layout.for_document(document, width)
    lines = _header(document, layout, color)
    previous_paragraph = None
    shown = 0
    for segment in document.segments:
        missed = missing_pins(segment)
        if only_flagged and not is_flagged(segment, missed):
            continue
        if previous_paragraph is not None and segment.paragraph != previous_paragraph:
            lines.append("")
        previous_paragraph = segment.paragraph
        lines.extend(_segment_lines(segment, missed, layout, color))
        shown += 1
    if only_flagged and not shown:
        lines.append("no flagged segments")
    return "\n".join(line.rstrip() for line in lines) + "\n"


_STATE_MARKS = {REVIEWED: "✓", EDITED: "✎", MACHINE: "~"}


def status_mark(segment: Segment, missed: list[Pin]) -> str:
    """`!` flagged, `✓` reviewed by a person, `✎` edited but not approved, `~` machine output."""
    if is_flagged(segment, missed):
        return "!"
    return _STATE_MARKS[segment.state]


@dataclass(frozen=True)
class _Layout:
    width: int
    gutter: int  # columns for "ID MARK "
    column: int  # width of each text column (side by side) or of the text (stacked)
    stacked: bool

    @classmethod
    def for_document(cls, document: Document, width: int) -> _Layout:
        longest_id = max((len(segment.id) for segment in document.segments), default=3)
        gutter = longest_id + 3
        stacked = width < STACKED_BELOW
        text_width = width - gutter
        column = text_width if stacked else (text_width - display_width(COLUMN_GAP)) // 2
        return cls(width, gutter, max(column, MIN_TEXT_WIDTH), stacked)


def _header(document: Document, layout: _Layout, color: bool) -> list[str]:
    name = document.path.name if document.path else document.name
    target_lang = document.target_lang or "?"
    segments = document.segments
    states = count_states(segments)
    flagged = sum(is_flagged(segment) for segment in segments)
    pins = sum(len(segment.pins) for segment in segments)
    missed = sum(len(missing_pins(segment)) for segment in segments)
    text = _normalised(f"{name}: {document.source_lang} → {target_lang}, {len(segments)} "
                       f"segments, {states[REVIEWED]} reviewed, "
                       + (f"{states[EDITED]} edited, not approved, " if states[EDITED] else "")
                       + f"{states[MACHINE]} machine, "
                       f"{flagged} flagged, {pins - missed}/{pins} pins landed")
    lines = [_style(text[start:end], STYLE_HEADER, color)
             for start, end in wrap_spans(text, layout.width)]
    if layout.stacked:
        return [*lines, ""]
    source_head = _normalised(f"source ({document.source_lang})")
    target_head = _normalised(f"target ({target_lang})")
    heading = (" " * layout.gutter + _fit(source_head, layout.column)
               + COLUMN_GAP + _fit(target_head, layout.column))
    return [*lines, "", heading, ""]


def _segment_lines(segment: Segment, missed: list[Pin], layout: _Layout,
                   color: bool) -> list[str]:
    mark = status_mark(segment, missed)
    segment_id = _normalised(segment.id)
    gutter = f"{segment_id} {_style(mark, MARK_STYLES[mark], color)}"
    gutter_pad = " " * (layout.gutter - len(segment_id) - 2)
    blank_gutter = " " * layout.gutter
    source_cells = _cells(segment.tagged_source, _source_highlights(segment, missed),
                          layout.column, color)
    target_cells = _cells(segment.target, _target_highlights(segment, missed), layout.column,
                          color)
    lines = []
    if layout.stacked:
        for index, cell in enumerate(source_cells):
            lines.append((gutter + gutter_pad if index == 0 else blank_gutter) + cell.shown)
        arrow = "→".rjust(layout.gutter - 1) + " "
        for index, cell in enumerate(target_cells):
            lines.append((arrow if index == 0 else blank_gutter) + cell.shown)
    else:
        empty = _Cell("", "")
        for index in range(max(len(source_cells), len(target_cells))):
            left = source_cells[index] if index < len(source_cells) else empty
            right = target_cells[index] if index < len(target_cells) else empty
            padding = " " * (layout.column - display_width(left.plain))
            lines.append((gutter + gutter_pad if index == 0 else blank_gutter)
                         + left.shown + padding + COLUMN_GAP + right.shown)
    for label, text, style in _remarks(segment, missed):
        lines.extend(_remark_lines(label, text, style, layout, color))
    return lines


def _remarks(segment: Segment, missed: list[Pin]) -> Iterator[tuple[str, str, str]]:
    for finding in segment.qa:
        yield "qa", finding, STYLE_FINDING
    for note in segment.notes:
        yield "note", note, STYLE_NOTE
    said = " ".join((*segment.qa, *segment.notes))
    for pin in missed:
        if pin.target_text not in said:  # the pipeline's note or a QA line may say it already
            yield "qa", f"pin-missing: {missing_pin_message(pin)}", STYLE_FINDING


def _remark_lines(label: str, text: str, style: str, layout: _Layout,
                  color: bool) -> list[str]:
    indent = " " * layout.gutter
    line = f"{label}: {_normalised(text)}"
    available = max(layout.width - layout.gutter, MIN_TEXT_WIDTH)
    return [indent + ("  " if index else "") + _style(line[start:end], style, color)
            for index, (start, end) in enumerate(wrap_spans(line, available, hang=2))]


def _source_highlights(segment: Segment, missed: list[Pin]) -> list[_Highlight]:
    missed_ids = {id(pin) for pin in missed}
    wanted = [(pin.source_text, STYLE_MISSED_PIN if id(pin) in missed_ids else STYLE_SOURCE_PIN)
              for pin in segment.pins]
    return _find(_normalised(segment.tagged_source), wanted, _tag_names(segment))


def _target_highlights(segment: Segment, missed: list[Pin]) -> list[_Highlight]:
    missed_ids = {id(pin) for pin in missed}
    wanted = [(form, STYLE_TARGET_PIN) for pin in segment.pins if id(pin) not in missed_ids
              for form in (*pin.preferred_forms, *pin.admitted)]
    return _find(_normalised(segment.target), wanted, _tag_names(segment))


def _tag_names(segment: Segment) -> list[str]:
    return [tag.name for tag in segment.markup]


def _find(text: str, wanted: list[tuple[str, str]], tags: list[str] = ()) -> list[_Highlight]:
    """Every whole-word occurrence of each form, and the document's tags (`<b0>`, `</b0>`,
    `<c1/>` of the names given); the longer wins where two overlap."""
    candidates = [_Highlight(match.start(), match.end(), STYLE_TAG)
                  for match in re.finditer(r"</?([a-z][0-9]{1,6})/?>", text)
                  if match.group(1) in tags]
    for form, style in wanted:
        form = _normalised(form)
        if not form:
            continue
        candidates += [_Highlight(match.start(), match.end(), style)
                       for match in re.finditer(form_pattern(form), text)]
    chosen: list[_Highlight] = []
    for candidate in sorted(candidates, key=lambda h: (h.start - h.end, h.start)):
        if all(candidate.end <= other.start or other.end <= candidate.start for other in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda h: h.start)


def _cells(text: str, highlights: list[_Highlight], width: int, color: bool) -> list[_Cell]:
    text = _normalised(text)
    cells = []
    for start, end in wrap_spans(text, width) or [(0, 0)]:
        plain = text[start:end]
        shown = _paint(text, start, end, highlights) if color else plain
        cells.append(_Cell(plain, shown))
    return cells


def _paint(text: str, start: int, end: int, highlights: list[_Highlight]) -> str:
    """text[start:end] with each highlight's overlap with it wrapped in its style."""
    pieces, cursor = [], start
    for highlight in highlights:
        left, right = max(highlight.start, start), min(highlight.end, end)
        if left >= right:
            continue
        pieces += [text[cursor:left], highlight.style, text[left:right], RESET]
        cursor = right
    pieces.append(text[cursor:end])
    return "".join(pieces)


def wrap_spans(text: str, width: int, *, hang: int = 0) -> list[tuple[int, int]]:
    """Greedy word wrap by display width, as (start, end) offsets into `text`.

    textwrap counts characters, not terminal columns, so CJK text would overflow: here wide
    characters count 2 and a line may break between any two of them. A word longer than the
    line is cut. Lines after the first are `hang` columns narrower.
    """
    lines: list[tuple[int, int]] = []
    start = end = used = 0
    open_line = False
    space_before = 0
    for token_start, token_end, is_space in _tokens(text):
        token_width = display_width(text[token_start:token_end])
        if is_space:
            space_before = token_width if open_line else 0
            continue
        limit = width - (hang if lines else 0)
        if open_line and used + space_before + token_width <= limit:
            end, used = token_end, used + space_before + token_width
        else:
            if open_line:
                lines.append((start, end))
            start, used = token_start, 0
            for index in range(token_start, token_end):  # cut a word wider than the line
                char_width = display_width(text[index])
                limit = width - (hang if lines else 0)
                if used + char_width > limit and index > start:
                    lines.append((start, index))
                    start, used = index, 0
                used += char_width
            end, open_line = token_end, True
        space_before = 0
    if open_line:
        lines.append((start, end))
    return lines


def _tokens(text: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, is_space): runs of spaces, single wide characters (with the closing
    punctuation after them, which must not start a line), runs of other text."""
    index = 0
    while index < len(text):
        char = text[index]
        end = index + 1
        if char.isspace():
            while end < len(text) and text[end].isspace():
                end += 1
        elif is_wide(char):
            while end < len(text) and text[end] in _CLOSING:
                end += 1
        else:
            while end < len(text) and not (text[end].isspace() or is_wide(text[end])):
                end += 1
        yield index, end, char.isspace()
        index = end


def display_width(text: str) -> int:
    """Terminal columns `text` takes: East Asian wide and full-width characters count 2."""
    return sum(2 if is_wide(char) else 0 if unicodedata.combining(char) else 1
               for char in text)



def _fit(text: str, width: int) -> str:
    """`text` cut and padded to exactly `width` columns."""
    cut = text[:wrap_spans(text, width)[0][1]] if text else ""
    if display_width(cut) > width:
        cut = ""
    return cut + " " * (width - display_width(cut))


def _normalised(text: str) -> str:
    """Runs of white space made one space, other control characters made visible."""
    return printable(" ".join(text.split()))


def _style(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{RESET}" if color and text else text
