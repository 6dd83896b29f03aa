"""Glossaries: human-edited files that pin how names and terms are rendered per language.

`model` holds concepts and forms; `csv` and `tbx` read and write files; `matcher` finds terms
in text; `report` says what a glossary does to one article; `grammar` knows the determiners
around a pinned term.
"""

from glossator.glossary.model import Concept, Form, Glossary

__all__ = ["Concept", "Form", "Glossary"]
