"""A self-contained HTML review page: source and target side by side, one row per segment.

Pinned terms are highlighted in both columns (the glossary note in the title tooltip),
machine output, QA findings and missed pins are marked, and a sticky summary sits on top.
No script, font or image is loaded: the style sheet (review.css, next to this module) is
inlined, and a Content-Security-Policy forbids scripts and network access altogether. The
"show only flagged" toggle is a checkbox and CSS `:has()`, so it needs no JavaScript.
Every piece of article text goes through `html.escape`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from html import escape
from importlib import resources
from pathlib import PurePath

from babel import Locale, UnknownLocaleError

from glossator import __version__
from glossator.formats.base import Format
from glossator.glossary.grammar import describe
from glossator.languages import display_name, tag_language
from glossator.model import (
    EDITED,
    MACHINE,
    REVIEWED,
    Document,
    Pin,
    Segment,
    content_key,
    count_states,
    segment_fields,
)
from glossator.terms.proof import is_flagged

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"

Span = tuple[int, int, Pin]


class HTMLFormat(Format):
    name = "html"
    extension = "html"
    readable = False  # made for people: read the PO instead

    def filename(self, document: Document) -> str:
        if PurePath(document.article).suffix.lower() in (".html", ".htm"):
            return f"{document.name}.review.html"  # story.html is the translated page
        return super().filename(document)

    def render(self, document: Document) -> str:
        source_name = display_name(document.source_lang)
        target_name = display_name(document.target_lang) if document.target_lang else "—"
        title = f"{document.name} — {source_name} → {target_name}"
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="glossator {escape(__version__)}">',
            f"<title>{escape(title)} · review</title>",
            f"<style>\n{stylesheet()}</style>",
            "</head>",
            "<body>",
            _summary(document, source_name, target_name),
            '<main class="review">',
            *(_paragraph(document, segments) for segments in document.paragraphs()),
            "</main>",
            _terms(document),
            _footer(document),
            "</body>",
            "</html>",
        ]
        return "\n".join(part for part in parts if part) + "\n"


@cache
def stylesheet() -> str:
    return resources.files("glossator.formats").joinpath("review.css").read_text("utf-8")


# The summary at the top ----------------------------------------------------------------------


def _flagged(segment: Segment) -> bool:
    return is_flagged(segment, [pin for pin in segment.pins if pin.pinned is False])


def _summary(document: Document, source_name: str, target_name: str) -> str:
    segments = document.segments
    pins = [pin for segment in segments for pin in segment.pins]
    states = count_states(segments)
    landed = sum(pin.pinned is True for pin in pins)
    missed = sum(pin.pinned is False for pin in pins)
    unchecked = len(pins) - landed - missed
    findings = sum(len(segment.qa) for segment in segments)
    flagged = sum(_flagged(segment) for segment in segments)
    pin_stats = [_stat(len(pins), "pins found"), _stat(landed, "landed", "ok"),
                 _stat(missed, "missed", "bad" if missed else "")]
    if unchecked:
        pin_stats.append(_stat(unchecked, "not checked"))
    stats = [
        _stat(len(segments), "segments"),
        _stat(states[REVIEWED], "reviewed", "ok"),
        _stat(states[MACHINE], "machine", "mt"),
        _stat(states[EDITED], "edited, not approved", "warn") if states[EDITED] else "",
        '<li class="group"><ul>' + "".join(pin_stats) + "</ul></li>",
        _stat(findings, "QA findings", "warn" if findings else ""),
    ]
    return "\n".join([
        '<header class="top">',
        '<div class="bar">',
        '<div class="heading">',
        f"<h1>{escape(document.name)}</h1>",
        f'<p class="pair">{escape(source_name)} <span aria-hidden="true">→</span> '
        f"{escape(target_name)}</p>",
        "</div>",
        f'<ul class="stats">{"".join(stats)}</ul>',
        '<label class="filter"><input type="checkbox" id="only-flagged"> '
        f"Only flagged <span class=\"count\">({flagged})</span></label>",
        "</div>",
        '<div class="cols" aria-hidden="true"><span>#</span>'
        f"<span>{escape(source_name)}</span><span>{escape(target_name)}</span></div>",
        "</header>",
    ])


def _stat(count: int, label: str, kind: str = "") -> str:
    css = f' class="{kind}"' if kind else ""
    return f"<li{css}><b>{count}</b> {escape(label)}</li>"


# Segments ------------------------------------------------------------------------------------

_BADGES = {
    MACHINE: '<span class="badge mt" title="Machine translation, not reviewed">MT</span>',
    EDITED: '<span class="badge ed" title="Edited by a person, not yet approved">✎</span>',
    REVIEWED: '<span class="badge ok" title="Reviewed by a person">✓</span>',
}


def _paragraph(document: Document, segments: list[Segment]) -> str:
    number = segments[0].paragraph
    rows = "\n".join(_row(document, segment) for segment in segments)
    return (f'<section class="para" id="p{number}" aria-label="Paragraph {number}">\n'
            f"{rows}\n</section>")


def _row(document: Document, segment: Segment) -> str:
    sid = escape(segment.id)
    classes, badge, cells = _row_parts(segment, document.source_lang, document.target_lang or "")
    return "\n".join([
        f'<div class="{classes}" id="s{sid}">',
        f'<div class="gutter"><a class="sid" href="#s{sid}">{sid}</a>{badge}</div>',
        cells,
        "</div>",
    ])


# What a row holds besides its segment's id, by everything else of the segment it is made
# from: archives repeat datelines, boilerplate and wire copy, and each is rendered once.
_ROWS: dict[tuple[str, str, tuple], tuple[str, str, str]] = {}
# Kept small: a row is as long as its texts (2 KiB a row with the benchmark's tiny model: 20,000
# rows were 40 MiB that a long run kept), and a repeat more than a thousand distinct segments
# later costs one more rendering.
ROWS_REMEMBERED = 1_024
_SEGMENT_SHOWN = segment_fields("id", "paragraph")


def _row_parts(segment: Segment, source_lang: str, target_lang: str) -> tuple[str, str, str]:
    """The row's classes, its badge and its cells (source, target, remarks)."""
    global _ROWS
    key = (source_lang, target_lang, content_key(segment, _SEGMENT_SHOWN))
    parts = _ROWS.get(key)
    if parts is None:
        parts = _render_row_parts(segment, source_lang, target_lang)
        if len(_ROWS) >= ROWS_REMEMBERED:
            _ROWS = {}  # a new one, not cleared: safe where threads render at once
        _ROWS[key] = parts
    return parts


def _render_row_parts(segment: Segment, source_lang: str,
                      target_lang: str) -> tuple[str, str, str]:
    state = segment.state
    classes = ["seg", segment.kind, state]
    if _flagged(segment):
        classes.append("flagged")
    if segment.qa:
        classes.append("has-qa")
    if segment.notes:
        classes.append("has-missed")
    target = (_highlight(segment.target, _target_spans(segment.target, segment.pins))
              if segment.target else '<span class="empty">no translation</span>')
    cells = "\n".join([
        f'<div class="src" {_lang_attrs(source_lang)}>'
        f"{_highlight(segment.source, _source_spans(segment.source, segment.pins))}</div>",
        f'<div class="tgt" {_lang_attrs(target_lang)}>{target}</div>',
        _remarks(segment),
    ])
    return " ".join(classes), _BADGES[state], cells


def _remarks(segment: Segment) -> str:
    items = [f'<li class="missed"><b>Missed pin</b> {escape(note)}</li>'
             for note in segment.notes]
    items += [f'<li class="qa"><b>QA</b> {escape(finding)}</li>' for finding in segment.qa]
    if segment.comment:
        items.append(f'<li class="comment"><b>Comment</b> {escape(segment.comment)}</li>')
    return f'<ul class="remarks">{"".join(items)}</ul>' if items else ""


@cache
def _lang_attrs(code: str) -> str:
    if not code:
        return ""
    try:
        rtl = Locale.parse(code.replace("-", "_")).character_order == "right-to-left"
    except (UnknownLocaleError, ValueError):
        rtl = False
    return f'lang="{escape(tag_language(code))}" dir="{"rtl" if rtl else "ltr"}"'


# Pin highlighting ----------------------------------------------------------------------------


def _occurrences(text: str, forms: Iterable[str]) -> Iterable[tuple[int, int]]:
    """Where any of `forms` occurs in `text`, ignoring case, starting at a word boundary
    (the end is left open so inflected forms still show)."""
    forms = sorted({form for form in forms if form.strip()}, key=len, reverse=True)
    if not forms:
        return []
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, forms)) + ")", re.IGNORECASE)
    return ((match.start(), match.end()) for match in pattern.finditer(text))


def _offsets_fit(text: str, pin: Pin) -> bool:
    return (0 <= pin.start < pin.end <= len(text)
            and text[pin.start:pin.end].casefold() == pin.source_text.casefold())


def _source_spans(text: str, pins: list[Pin]) -> list[Span]:
    spans: list[Span] = []
    for pin in pins:
        if _offsets_fit(text, pin):
            spans.append((pin.start, pin.end, pin))
        else:  # a pin read back from a file carries no offsets
            spans.extend((start, end, pin) for start, end in _occurrences(text, [pin.source_text]))
    return spans


def _target_spans(text: str, pins: list[Pin]) -> list[Span]:
    return [(start, end, pin) for pin in pins
            for start, end in _occurrences(text, (*pin.preferred_forms, *pin.admitted))]


def _text(text: str) -> str:
    # HTML parsers turn CR LF into LF anyway; doing it here keeps a lone CR from vanishing.
    return escape(text.replace("\r\n", "\n").replace("\r", "\n"))


def _highlight(text: str, spans: list[Span]) -> str:
    """Escaped text with each span wrapped in a <mark>; overlapping spans keep the first,
    longest one."""
    out: list[str] = []
    position = 0
    for start, end, pin in sorted(spans, key=lambda span: (span[0], span[0] - span[1])):
        if start < position:
            continue
        out.append(_text(text[position:start]))
        out.append(f'<mark class="pin {_pin_state(pin)}" title="{escape(_pin_title(pin))}">'
                   f"{_text(text[start:end])}</mark>")
        position = end
    out.append(_text(text[position:]))
    return "".join(out)


def _pin_state(pin: Pin) -> str:
    return {True: "landed", False: "missed"}.get(pin.pinned, "unchecked")


def _pin_title(pin: Pin) -> str:
    lines = [f"{pin.concept or pin.source_text} → {pin.target_text}"]
    grammar = describe(pin.gender, pin.number, pin.article)
    if grammar:
        lines.append(grammar)
    if pin.admitted:
        lines.append(f"also accepted: {', '.join(pin.admitted)}")
    if pin.inflected:
        lines.append(f"inflected: {', '.join(pin.inflected)}")
    if pin.note:
        lines.append(pin.note)
    if pin.pinned is False:
        lines.append("not found in the translation")
    return "\n".join(lines)


# Terms and footer ----------------------------------------------------------------------------


def _terms(document: Document) -> str:
    """One row per pinned term: how often it was found and missed, and its glossary note."""
    terms: dict[tuple[str, str], list[Pin]] = {}
    for segment in document.segments:
        for pin in segment.pins:
            key = (pin.concept or pin.source_text, pin.target_text)
            pins = terms.get(key)
            if pins is None:
                terms[key] = [pin]
            else:
                pins.append(pin)
    if not terms:
        return ""
    rows = [_term_row(concept, target, tuple(sorted({form for pin in pins
                                                        for form in pin.admitted})),
                      next((pin.note for pin in pins if pin.note), ""), len(pins),
                      sum(pin.pinned is False for pin in pins))
            for (concept, target), pins in terms.items()]
    return "\n".join([
        '<section class="terms" aria-labelledby="terms-title">',
        '<h2 id="terms-title">Pinned terms</h2>',
        "<table><thead><tr><th>Term</th><th>Pinned rendering</th><th>Also accepted</th>"
        '<th>Note</th><th class="num">Found</th><th class="num">Missed</th></tr></thead>',
        f"<tbody>{''.join(rows)}</tbody></table>",
        "</section>",
    ])


@lru_cache(maxsize=4096)  # the same terms, found as often, recur from article to article
def _term_row(concept: str, target: str, accepted: tuple[str, ...], note: str, found: int,
              missed: int) -> str:
    return (f'<tr class="{"missed" if missed else ""}"><th scope="row">{escape(concept)}</th>'
            f'<td><mark class="pin">{escape(target)}</mark></td>'
            f"<td>{escape(', '.join(accepted))}</td><td>{escape(note)}</td>"
            f'<td class="num">{found}</td><td class="num">{missed}</td></tr>')


def _footer(document: Document) -> str:
    parts = ['<footer class="colophon">']
    if document.signature:
        parts.append(f'<p class="signature">{escape(document.signature)}</p>')
    if document.header_notes:
        notes = "".join(f"<li>{escape(line)}</li>" for line in document.header_notes)
        parts.append(f'<ul class="notes">{notes}</ul>')
    if document.dropped:
        dropped = "".join(f"<li>{escape(line)}</li>" for line in document.dropped)
        parts.append(f"<details><summary>{len(document.dropped)} line(s) dropped from the "
                     f'article while reading</summary><ul class="dropped">{dropped}</ul>'
                     "</details>")
    parts.append(f"<p>Made by glossator {escape(__version__)}.</p>")
    parts.append("</footer>")
    return "\n".join(parts)
