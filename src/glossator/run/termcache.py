"""What an engine makes of the glossary's terms, kept on disk between runs.

Pinning asks the engine for two things that depend on the model and the glossary only, not on
the articles: each term's grammar, read off carrier sentences (`glossary.grammar.probe`), and
each term translated on its own (`terms.pinning`). A process keeps them in memory; this keeps
them in the cache folder (`io.cache`), one entry per model, language pair, engine settings and
glossary, so that a re-run does not pay them. Every worker (in-process or a Ray actor) reads
the entry before its first chunk and writes it back, merged with what another run may have
written meanwhile, when a chunk taught it something new. An entry that cannot be read counts
as empty.
"""

from __future__ import annotations

import json

from glossator.engines.base import Engine
from glossator.io.cache import read_cached, write_cached
from glossator.run.context import RunContext
from glossator.terms.pinning import learn_terms, learnt_terms

_KIND = "terms"
_synced: dict[str, int] = {}  # entry key → terms known when last read or written here


def entry_key(engine: Engine, context: RunContext, source: str, target: str) -> str:
    """What the entry of a run depends on: model, languages, settings, glossary."""
    return " | ".join((engine.model_id(source, target), source, target,
                       context.output_options(), context.glossary_signature))


def recall_terms(engine: Engine, context: RunContext, source: str, target: str) -> None:
    """Learn what the cache holds for this run's model and glossary (once per process)."""
    key = entry_key(engine, context, source, target)
    if key in _synced:
        return
    model = engine.model_id(source, target)
    learn_terms(model, source, target, _read(key))
    _synced[key] = _size(learnt_terms(model, source, target))


def keep_terms(engine: Engine, context: RunContext, source: str, target: str) -> None:
    """Write what this process knows to the cache, if it learnt something since it last did."""
    key = entry_key(engine, context, source, target)
    model = engine.model_id(source, target)
    known = learnt_terms(model, source, target)
    if _size(known) == _synced.get(key):
        return
    on_disk = _read(key)  # another run may have written terms this one has not met
    for part in ("renderings", "grammar"):
        known[part] = {**on_disk.get(part, {}), **known[part]}
    write_cached(_KIND, key, json.dumps(known, ensure_ascii=False, sort_keys=True).encode())
    _synced[key] = _size(known)


def _read(key: str) -> dict[str, dict]:
    data = read_cached(_KIND, key)
    if data is None:
        return {}
    try:
        learnt = json.loads(data)
    except ValueError:
        return {}
    return learnt if _well_formed(learnt) else {}


def _well_formed(learnt: object) -> bool:
    if not isinstance(learnt, dict):
        return False
    renderings, grammar = learnt.get("renderings", {}), learnt.get("grammar", {})
    return (isinstance(renderings, dict) and isinstance(grammar, dict)
            and all(isinstance(text, str) for text in renderings.values())
            and all(isinstance(found, list) and len(found) == 3
                    and all(value is None or isinstance(value, str) for value in found[:2])
                    and (found[2] is None or isinstance(found[2], bool))
                    for found in grammar.values()))


def _size(learnt: dict[str, dict]) -> int:
    return sum(len(part) for part in learnt.values())
