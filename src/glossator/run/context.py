"""The run context: every setting of a translate run that a stage needs, in one picklable value.

The driver (`pipeline.run_translate`) builds it once from the request (`request.py`); the
executors (`executors.LocalExecutor`, `cluster.RayExecutor`) hand it to every worker, which
builds its engines from it. Nothing in it holds an open file, a model or a callback, so it
travels to another process or machine as is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from glossator.run.request import TranslateRequest

DEFAULT_CHUNK_SEGMENTS = 2000


@dataclass(frozen=True)
class RunContext:
    source: str  # the source language code, parsed ("en")
    targets: tuple[str, ...]  # target language codes, parsed, no repeats
    engine_name: str = "auto"
    beam_size: int = 4
    device: str | None = None  # "auto", "cpu" or "cuda"; None: the engine's default
    compute_type: str | None = None  # CTranslate2 compute type; None: the engine's default
    always_mask: bool = False
    glossary_paths: tuple[str, ...] = ()  # the glossary files loaded (for the record)
    glossary_signature: str = "none"  # `Glossary.signature()`, or "none"
    cluster: str | None = None  # None: in-process; "ray" or "ray://HOST:PORT"
    chunk_segments: int = DEFAULT_CHUNK_SEGMENTS  # most segments sent in one engine call
    force: bool = False  # re-translate machine output even where nothing changed
    keep_going: bool = False  # report an unreadable article and go on with the others

    @classmethod
    def of(cls, request: TranslateRequest, glossary_paths: tuple[str, ...],
           glossary_signature: str) -> RunContext:
        """The context of a run of `request` with the glossary it loaded."""
        return cls(source=request.source, targets=request.target_codes,
                   engine_name=request.engine_name, beam_size=request.beam_size,
                   device=request.device, compute_type=request.compute_type,
                   always_mask=request.always_mask, glossary_paths=glossary_paths,
                   glossary_signature=glossary_signature, cluster=request.cluster,
                   chunk_segments=request.chunk_segments, force=request.force,
                   keep_going=request.keep_going)

    def engine_options(self) -> dict[str, Any]:
        """Keyword arguments for `engines.choose_engine`: only the settings given, so an
        engine that does not know a setting is never handed it."""
        options: dict[str, Any] = {"beam_size": self.beam_size}
        if self.device is not None:
            options["device"] = self.device
        if self.compute_type is not None:
            options["compute_type"] = self.compute_type
        return options

    def output_options(self) -> str:
        """The settings that change a translation besides engine and glossary, as one string
        for the resume fingerprint."""
        parts = [f"beam {self.beam_size}", f"always-mask {self.always_mask}"]
        if self.compute_type is not None:
            parts.append(f"compute {self.compute_type}")
        return ", ".join(parts)
