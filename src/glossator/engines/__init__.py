"""Translation engines behind one small interface, imported lazily by name.

`ENGINES` maps a name to "module:Class" so that `glossator --help` imports no engine.
"""

from __future__ import annotations

import importlib

from glossator.engines.base import Engine
from glossator.errors import EngineError

ENGINES: dict[str, str] = {
    "argos": "glossator.engines.argos:ArgosEngine",
    "bergamot": "glossator.engines.bergamot:BergamotEngine",
}

# `auto` prefers argos: a package the user installed beats the bundled tiny model.
AUTO_ORDER = ("argos", "bergamot")


def load_engine(name: str, **options: object) -> Engine:
    """Instantiate the engine registered as `name`."""
    return engine_class(name)(**options)


def engine_class(name: str) -> type[Engine]:
    """The class registered as `name`, its model not loaded."""
    try:
        target = ENGINES[name]
    except KeyError:
        choices = ", ".join(["auto", *ENGINES])
        raise EngineError(f"unknown engine {name!r} (choose from {choices})") from None
    module_name, class_name = target.split(":")
    found: type[Engine] = getattr(importlib.import_module(module_name), class_name)
    return found


def choose_engine(name: str, source: str, target: str, **options: object) -> Engine:
    """The engine that will translate source→target: `name`, or for "auto" the first that can.

    `options` go to the engine: `beam_size`, `threads`, and `device` ("auto", "cpu", "cuda")
    and `compute_type` (CTranslate2's), which argos settles through `engines.devices` and
    bergamot, CPU only, refuses beyond "auto"/"cpu" and None.
    """
    candidates = AUTO_ORDER if name == "auto" else (name,)
    for candidate in candidates:
        engine = load_engine(candidate, **options)
        if engine.supports(source, target):
            return engine
    from glossator.languages import display_name

    pair = f"{display_name(source)} → {display_name(target)}"
    hint = f"glossator models install {source} {target}"
    if name == "auto":
        raise EngineError(f"no engine can translate {pair}; install a model with: {hint}")
    raise EngineError(f"engine {name!r} cannot translate {pair}; install a model with: {hint}")
