"""glossator: offline translation of news articles with pinned terminology.

The Python API (docs/python-api.md): what the CLI and the HTTP server call, for newsrooms that
call glossator from their own pipelines. Names are imported on first use, so `import glossator`
(and `glossator --help`) loads no engine, parser or data.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

__all__ = [
    "Document",
    "RunResult",
    "Segment",
    "TermMatcher",
    "TranslateRequest",
    "__version__",
    "choose_engine",
    "load_glossary",
    "read_po",
    "run_translate",
    "translate_articles",
    "translate_texts",
    "write_po",
]

_HOMES = {
    "Document": "glossator.model",
    "Segment": "glossator.model",
    "TermMatcher": "glossator.glossary.matcher",
    "TranslateRequest": "glossator.run.request",
    "RunResult": "glossator.run.request",
    "run_translate": "glossator.run.pipeline",
    "translate_articles": "glossator.run.pipeline",
    "translate_texts": "glossator.server.textjob",
    "choose_engine": "glossator.engines",
    "load_glossary": "glossator.glossary.loader",
    "read_po": "glossator.formats.po",
    "write_po": "glossator.formats.po",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'glossator' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
