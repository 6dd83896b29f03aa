"""The glossary panel: the concepts a segment's source holds, each with every form of the
target language, its status and grammar, and the concept's note, for the reviewer to read and
insert. The concepts are found as a run finds them (glossator.glossary.matcher)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from glossator.errors import FormatError, GlossaryError
from glossator.glossary.model import GENDERS, NUMBERS, Concept, Form

if TYPE_CHECKING:
    from glossator.model import Document
    from glossator.review.workspace import Workspace


class ConceptPanel:
    """The concepts of a workspace's segments; one matcher per glossary as loaded."""

    def __init__(self, workspace: Workspace,
                 load: Callable[[str], Document] | None = None) -> None:
        self.workspace = workspace
        self.load = load or workspace.load  # a cache of parsed POs may stand in
        self._matchers: dict[str, tuple[Any, Any]] = {}  # source language → (glossary, matcher)
        self._lock = threading.Lock()

    def concepts(self, relative: str, segment_id: str) -> dict[str, Any]:
        """{"concepts": [...]} for one segment, in the order the source names them; an
        "error" instead where the glossary cannot be read."""
        document = self.load(relative)
        segment = next((s for s in document.segments if s.id == segment_id), None)
        if segment is None:
            raise FormatError(f"no segment {segment_id!r}", path=document.path)
        try:
            matcher = self._matcher(document.source_lang)
        except GlossaryError as error:
            return {"concepts": [], "error": str(error)}
        if matcher is None:
            return {"concepts": []}
        language = document.target_lang or ""
        found: dict[int, dict[str, Any]] = {}
        for match in matcher.find(segment.source):
            view = found.setdefault(id(match.concept), concept_view(match.concept, language))
            view["found"].append(match.text)
        return {"concepts": list(found.values())}

    def _matcher(self, source_lang: str) -> Any:
        from glossator.glossary.matcher import TermMatcher

        glossary = self.workspace.glossary(source_lang)
        if glossary is None:
            return None
        with self._lock:
            cached = self._matchers.get(source_lang)
            if cached is None or cached[0] is not glossary:  # a term was added: reloaded
                cached = (glossary, TermMatcher(glossary.concepts))
                self._matchers[source_lang] = cached
            return cached[1]


def concept_view(concept: Concept, language: str) -> dict[str, Any]:
    return {"name": concept.name, "variants": list(concept.variants), "note": concept.note,
            "keep": concept.keep, "found": [],
            "forms": [form_view(form) for form in concept.forms(language)]}


def form_view(form: Form) -> dict[str, Any]:
    grammar = [GENDERS[form.gender]] if form.gender else []
    if form.number:
        grammar.append(NUMBERS[form.number])
    if form.article is not None:
        grammar.append("with article" if form.article else "no article")
    return {"text": form.text, "status": form.status, "grammar": ", ".join(grammar)}
