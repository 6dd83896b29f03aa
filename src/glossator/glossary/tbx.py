"""TBX (TermBase eXchange) export and import, and writing a glossary back as CSV.

The TBX written is the martif shape that Weblate, OmegaT and Translate Toolkit read. What the
CSV format says beyond terms is kept in standard data categories where there is one:

- the note is the concept's `<descrip type="definition">`;
- `keep` (do not translate) is `<descrip type="Translation needed">No</descrip>`, as Weblate
  and Translate Toolkit write it;
- a pinned rendering is the first term of its language, marked preferred
  (`<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>`); the
  forms that follow are marked admitted or deprecated; an inflected form is admitted and
  carries `<termNote type="x-glossator-form">inflected</termNote>`;
- gender and number are `grammaticalGender` (masculine, feminine, neuter) and
  `grammaticalNumber` (singular, plural) term notes; whether the form takes an article,
  for which TBX has no data category, is `<termNote type="x-glossator-article">`;
- `nocase` has no TBX data category, so it goes in `<admin type="x-glossator-flags">`, which
  other tools ignore.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from lxml import etree

from glossator.errors import GlossaryError, LanguageError
from glossator.glossary.csv import FLAGS_COLUMN, NOTE_COLUMN, SEPARATOR, TermIndex, term_problem
from glossator.glossary.model import (
    ADMITTED,
    DEPRECATED,
    GENDERS,
    INFLECTED,
    NUMBERS,
    PREFERRED,
    Concept,
    Form,
    Glossary,
    digest_of,
)
from glossator.io.reading import MAX_GLOSSARY_BYTES, read_regular
from glossator.io.spreadsheet import neutralise
from glossator.io.xml import parse_xml
from glossator.languages import base_language, parse_language, tag_language

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FLAGS_TYPE = "x-glossator-flags"
TRANSLATION_NEEDED = "Translation needed"
FORM_TYPE = "x-glossator-form"
ARTICLE_TYPE = "x-glossator-article"
_STATUS_NAMES = {PREFERRED: "preferredTerm-admn-sts", ADMITTED: "admittedTerm-admn-sts",
                 INFLECTED: "admittedTerm-admn-sts", DEPRECATED: "deprecatedTerm-admn-sts"}
_STATUS_READ = {"preferredTerm-admn-sts": PREFERRED, "admittedTerm-admn-sts": ADMITTED,
                "deprecatedTerm-admn-sts": DEPRECATED, "supersededTerm-admn-sts": DEPRECATED}
_GENDER_READ = {name: key for key, name in GENDERS.items()}
_NUMBER_READ = {name: key for key, name in NUMBERS.items()}

# TBX v2 (martif) names, then the TBX v3 names that mean the same.
_ENTRY = {"termEntry", "conceptEntry"}
_LANGUAGE = {"langSet", "langSec"}
_TERM_GROUP = {"tig", "ntig", "termSec"}


def write_tbx(glossary: Glossary) -> str:
    """The glossary as a TBX document, one termEntry per concept."""
    root = etree.Element("martif", type="TBX")
    root.set(XML_LANG, tag_language(glossary.source_lang))
    description = etree.SubElement(
        etree.SubElement(etree.SubElement(root, "martifHeader"), "fileDesc"), "sourceDesc")
    etree.SubElement(description, "p").text = "glossator"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for concept in glossary.concepts:
        body.append(_term_entry(concept, glossary.source_lang))
    text = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text


def _term_entry(concept: Concept, source_lang: str) -> etree._Element:
    name_hash = hashlib.sha1(concept.name.encode("utf-8")).hexdigest()[:12]
    entry = etree.Element("termEntry", id=f"c{name_hash}")  # stable while the name is
    if concept.note:
        etree.SubElement(entry, "descrip", type="definition").text = concept.note
    if concept.keep:
        etree.SubElement(entry, "descrip", type=TRANSLATION_NEEDED).text = "No"
    if concept.ignore_case:
        etree.SubElement(entry, "admin", type=FLAGS_TYPE).text = "nocase"
    entry.append(_lang_set(source_lang, [Form(variant) for variant in concept.variants],
                           statuses=False))
    for language in sorted(concept.renderings):
        entry.append(_lang_set(language, concept.forms(language), statuses=True))
    return entry


def _lang_set(language: str, forms: Sequence[Form], statuses: bool) -> etree._Element:
    lang_set = etree.Element("langSet")
    lang_set.set(XML_LANG, tag_language(language))
    for form in forms:
        tig = etree.SubElement(lang_set, "tig")
        etree.SubElement(tig, "term").text = form.text
        if not statuses:
            continue
        notes = [("administrativeStatus", _STATUS_NAMES[form.status])]
        if form.status == INFLECTED:
            notes.append((FORM_TYPE, INFLECTED))
        if form.gender:
            notes.append(("grammaticalGender", GENDERS[form.gender]))
        if form.number:
            notes.append(("grammaticalNumber", NUMBERS[form.number]))
        if form.article is not None:
            notes.append((ARTICLE_TYPE, "yes" if form.article else "no"))
        for kind, value in notes:
            etree.SubElement(tig, "termNote", type=kind).text = value
    return lang_set


def read_tbx(path: Path, source_lang: str | None = None) -> Glossary:
    """Read a TBX file (martif, or TBX v3) into a glossary.

    The source language is `source_lang`, else the document's xml:lang, else the language of
    the first langSet. Target terms marked deprecated or superseded are kept as deprecated
    forms (replaced in machine output, flagged by QA), never as the pinned one. Only a regular
    file of at most `MAX_GLOSSARY_BYTES` (256 MiB) is read (see glossator.io.reading).
    """
    path = Path(path)
    data = read_regular(path, GlossaryError, what="glossary file", limit=MAX_GLOSSARY_BYTES)
    root = parse_xml(data, path, error=GlossaryError)
    if _local(root) not in ("martif", "tbx"):
        raise GlossaryError(f"not a TBX file: the root element is <{_local(root)}>",
                            path=path, line=root.sourceline)

    entries = [element for element in root.iter() if _local(element) in _ENTRY]
    source = source_lang or root.get(XML_LANG) or _first_language(entries)
    if not source:
        raise GlossaryError("no source language: pass one, or set xml:lang on the root",
                            path=path, line=root.sourceline)
    glossary = Glossary(source_lang=_language(source, path, root), sources=[str(path)],
                        digest=digest_of([data]))
    terms = TermIndex()
    for entry in entries:
        concept = _concept(entry, glossary.source_lang, path)
        problems = terms.add(concept)
        if problems:
            raise GlossaryError(problems[0], path=path, line=entry.sourceline)
        glossary.concepts.append(concept)
        glossary.languages.update(concept.renderings)
    for concept, problem in terms.case_clashes():
        raise GlossaryError(problem, path=path, line=concept.line)
    return glossary


def _concept(entry: etree._Element, source_lang: str, path: Path) -> Concept:
    variants: list[str] = []
    renderings: dict[str, list[Form]] = {}
    notes: list[str] = []
    flags: set[str] = set()
    for element in entry:
        kind, category = _local(element), element.get("type")
        text = _text(element)
        if kind == "descrip" and category == "definition" and text:
            notes.append("".join(element.itertext()).strip())  # keeps the note's line breaks
        elif kind == "descrip" and category == TRANSLATION_NEEDED:
            if text.lower() == "no":
                flags.add("keep")
        elif kind == "admin" and category == FLAGS_TYPE:
            flags.update(text.replace(",", " ").split())
        elif kind in _LANGUAGE:
            language = _language(element.get(XML_LANG) or "", path, element)
            if base_language(language) == base_language(source_lang):
                variants.extend(form.text for form in _forms(element, path))
            else:
                renderings.setdefault(language, []).extend(_forms(element, path))
    if not variants:
        raise GlossaryError(f"term entry has no {source_lang} term", path=path,
                            line=entry.sourceline)
    if variants[0].lstrip().startswith("#"):
        raise GlossaryError(f"term {variants[0]!r} starts with '#', which glossary CSV files "
                            f"read as a comment; list another spelling first",
                            path=path, line=entry.sourceline)
    return Concept(
        variants=tuple(dict.fromkeys(variants)),
        renderings={language: _ranked(forms) for language, forms in renderings.items()
                    if any(form.status != DEPRECATED for form in forms)},
        note="\n".join(notes),
        keep="keep" in flags,
        ignore_case="nocase" in flags,
        path=str(path),
        line=entry.sourceline or 0,
    )


def _forms(lang_set: etree._Element, path: Path) -> list[Form]:
    """The terms of a langSet as forms, in document order."""
    forms: list[Form] = []
    for group in lang_set:
        if _local(group) not in _TERM_GROUP:
            continue
        term = next((e for e in group.iter() if _local(e) == "term"), None)
        if term is None:
            continue
        text = _text(term)
        if not text:
            continue  # tools write an empty term for a language not yet translated
        problem = term_problem(text) or (
            f"term {text!r} contains '{SEPARATOR}', which glossaries use between spellings"
            if SEPARATOR in text else None)
        if problem:
            raise GlossaryError(problem, path=path, line=term.sourceline)
        notes = {e.get("type"): _text(e) for e in group.iter() if _local(e) == "termNote"}
        status = _STATUS_READ.get(notes.get("administrativeStatus", ""), ADMITTED)
        if notes.get(FORM_TYPE) == INFLECTED and status != DEPRECATED:
            status = INFLECTED
        article = notes.get(ARTICLE_TYPE, "").lower()
        forms.append(Form(text, status,
                          gender=_GENDER_READ.get(notes.get("grammaticalGender", "")),
                          number=_NUMBER_READ.get(notes.get("grammaticalNumber", "")),
                          article={"yes": True, "no": False}.get(article)))
    return forms


def _ranked(forms: list[Form]) -> tuple[Form, ...]:
    """One form per text, the preferred one first (else the first usable one, promoted)."""
    unique = list({form.text: form for form in reversed(forms)}.values())[::-1]
    first = next((f for f in unique if f.status == PREFERRED),
                 next(f for f in unique if f.status != DEPRECATED))
    rest = [replace(form, status=ADMITTED) if form.status == PREFERRED else form
            for form in unique if form is not first]
    return (replace(first, status=PREFERRED), *rest)


def _first_language(entries: list[etree._Element]) -> str | None:
    for entry in entries:
        for element in entry:
            if _local(element) in _LANGUAGE and element.get(XML_LANG):
                return element.get(XML_LANG)
    return None


def _language(code: str, path: Path, element: etree._Element) -> str:
    try:
        return parse_language(code)
    except LanguageError as error:
        raise GlossaryError(error.message, path=path, line=element.sourceline) from None


def _local(element: etree._Element) -> str:
    """Tag name without namespace; "" for comments and processing instructions."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _text(element: etree._Element) -> str:
    """Text content with runs of white space made single spaces, as in a term."""
    return " ".join("".join(element.itertext()).split())


def write_csv(glossary: Glossary) -> str:
    """The glossary in the CSV format: source language, target languages sorted, note, flags.

    A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is written with
    a `'` in front, which the CSV reader drops again (glossator.io.spreadsheet): the file reads
    back to the same terms and opens safely in a spreadsheet.
    """
    languages = sorted(glossary.languages)
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow([tag_language(glossary.source_lang), *map(tag_language, languages),
                     NOTE_COLUMN, FLAGS_COLUMN])
    for concept in glossary.concepts:
        _check_writable(concept)
        flags = [flag for flag, on in (("keep", concept.keep), ("nocase", concept.ignore_case))
                 if on]
        cells = [
            f" {SEPARATOR} ".join(concept.variants),
            *(f" {SEPARATOR} ".join(form.written() for form in concept.forms(language))
              if language in concept.renderings else "" for language in languages),
            concept.note,
            " ".join(flags),
        ]
        # The reader strips each cell before it drops the guard, so the guard goes first.
        writer.writerow([neutralise(cell.strip()) for cell in cells])
    return output.getvalue()


def _check_writable(concept: Concept) -> None:
    terms = [*concept.variants,
             *(text for language in concept.renderings
               for text in concept.rendering(language) or ())]
    for term in terms:
        if SEPARATOR in term:
            raise GlossaryError(f"term {term!r} contains '{SEPARATOR}', which glossaries use "
                                f"between spellings", path=concept.path, line=concept.line)
    if concept.name.lstrip().startswith("#"):
        raise GlossaryError(f"term {concept.name!r} starts with '#', which glossary CSV files "
                            f"read as a comment", path=concept.path, line=concept.line)
