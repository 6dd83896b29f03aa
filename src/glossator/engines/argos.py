"""Argos Translate packages decoded directly with CTranslate2 and SentencePiece.

argostranslate itself splits text with a sentence model that downloads on first use, and its
`translate_batch` budget of 32 tokens decodes one sentence at a time. Here all texts of a call go
through one `translate_batch` with a real token budget, which is several times faster.
`aligned` is the same call with CTranslate2's attention returned, turned into token links.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path
from typing import Any

from glossator.engines import argos_packages
from glossator.engines.argos_packages import ArgosPackage, version_key
from glossator.engines.base import Aligned, Engine, compose_alignments
from glossator.engines.devices import DeviceChoice, resolve_device
from glossator.errors import EngineError

# Pivoting through English is what Argos' own package set is built around.
_PREFERRED_PIVOT = "en"


class _Model:
    """One package loaded: a CTranslate2 translator and its SentencePiece model."""

    def __init__(self, package: ArgosPackage, *, placement: DeviceChoice, threads: int) -> None:
        try:
            import ctranslate2
            import sentencepiece
        except ImportError as error:
            raise EngineError(f"the argos engine needs ctranslate2 and sentencepiece: {error}"
                              ) from None
        self.package = package
        # On CPU, one single-threaded worker per core, each decoding its own share of the batch,
        # measured 1.3-1.5x faster than one worker using every core (2 cores, Argos-size model).
        # On CUDA, one replica per visible GPU.
        device = placement.device
        self.workers = threads if device == "cpu" else max(placement.cuda_devices, 1)
        model_dir = package.path / "model"
        try:
            self.translator = ctranslate2.Translator(
                str(model_dir), device=device, compute_type=placement.compute_type,
                device_index=0 if device == "cpu" else list(range(self.workers)),
                inter_threads=self.workers if device == "cpu" else 1,
                intra_threads=1 if device == "cpu" else threads)
        except (RuntimeError, ValueError, OSError) as error:
            hint = "; --device cpu decodes without the GPU" if device == "cuda" else ""
            raise EngineError(f"cannot load the Argos model on {device}: {error}{hint}",
                              path=model_dir) from None
        spm_path = package.path / "sentencepiece.model"
        try:
            self.tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(spm_path))
        except (RuntimeError, OSError) as error:
            raise EngineError(f"cannot load the SentencePiece model: {error}",
                              path=spm_path) from None
        # Offsets of pieces come natively from newer sentencepiece, else from its protobuf.
        self.offset_mapping = hasattr(self.tokenizer, "encode_as_offset_mapping")
        # One string object per piece of the vocabulary, shared by every text that has it:
        # SentencePiece gives each occurrence a string of its own, ~60 bytes a token where a
        # chunk's tokens are held through its decoding (pieces out of the vocabulary, the text
        # of unknown characters, stay as given).
        self.shared = {piece: piece for piece in map(self.tokenizer.id_to_piece,
                                                     range(self.tokenizer.get_piece_size()))}

    def _decode(self, tokens: list[list[str]], count: int, *, beam_size: int,
                max_batch_size: int, max_decoding_length: int,
                attention: bool = False) -> list[Any]:
        """One batched `translate_batch` over tokenised, non-blank texts."""
        prefix = self.package.target_prefix
        # Cut the call into about one token batch per worker so that every core gets work.
        share = -(-sum(map(len, tokens)) // self.workers) + max(map(len, tokens))
        budget = min(max_batch_size, share)
        return self.translator.translate_batch(
            tokens,
            target_prefix=[[prefix]] * len(tokens) if prefix else None,
            beam_size=max(beam_size, count),
            num_hypotheses=count,
            max_batch_size=budget,
            batch_type="tokens",
            max_decoding_length=max_decoding_length,
            replace_unknowns=True,
            **({"return_attention": True} if attention else {}),
        )

    def translate(self, texts: list[str], count: int, *, beam_size: int, max_batch_size: int,
                  max_decoding_length: int) -> list[list[str]]:
        """Up to `count` distinct translations per text, best first, from one batched call."""
        results: list[list[str]] = [[""] for _ in texts]
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if not todo:
            return results
        tokens = [self._shared(pieces) for start in range(0, len(todo), _ENCODED_AT_ONCE)
                  for pieces in self.tokenizer.encode(
                      [texts[i] for i in todo[start:start + _ENCODED_AT_ONCE]], out_type=str)]
        prefix = self.package.target_prefix
        decoded = self._decode(tokens, count, beam_size=beam_size, max_batch_size=max_batch_size,
                               max_decoding_length=max_decoding_length)
        for i, result in zip(todo, decoded, strict=True):
            hypotheses: list[str] = []
            for pieces in result.hypotheses:
                if prefix and pieces[:1] == [prefix]:
                    pieces = pieces[1:]
                text = self.tokenizer.decode_pieces(pieces).strip()
                if text not in hypotheses:
                    hypotheses.append(text)
            results[i] = hypotheses or [""]
        return results

    def _encode_with_spans(self, texts: list[str]
                           ) -> list[tuple[list[str], tuple[tuple[int, int], ...]]]:
        """The pieces of each text, as `encode(out_type=str)` gives them, with their character
        spans in the text (found through the normaliser by SentencePiece itself). Encoded
        `_ENCODED_AT_ONCE` texts at a time: SentencePiece's own output for a whole chunk is
        several times the size of what is kept."""
        return [encoded for start in range(0, len(texts), _ENCODED_AT_ONCE)
                for encoded in self._encode_part(texts[start:start + _ENCODED_AT_ONCE])]

    def _encode_part(self, texts: list[str]
                     ) -> list[tuple[list[str], tuple[tuple[int, int], ...]]]:
        if self.offset_mapping:  # newer sentencepiece: character offsets, computed natively
            encoded = [(text, mapping["pieces"], mapping["offsets"]) for text, mapping in zip(
                texts, self.tokenizer.encode(texts, out_type="offset_mapping"), strict=True)]
        else:
            encoded = [(text, *_from_proto(raw)[1:]) for text, raw in zip(
                texts, self.tokenizer.encode(texts, out_type="serialized_proto"), strict=True)]
        return [(self._shared(pieces), _narrow(text, spans, 0, len(text)))
                for text, pieces, spans in encoded]

    def _shared(self, pieces: list[str]) -> list[str]:
        shared = self.shared
        return [shared.get(piece, piece) for piece in pieces]

    def _decode_with_spans(self, pieces: list[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
        """`decode_pieces(pieces).strip()`, and the character span of each piece in it."""
        if not pieces:
            return "", ()
        if self.offset_mapping:
            mapping = self.tokenizer.decode_pieces(pieces, out_type="offset_mapping")
            text, spans = mapping["text"], mapping["offsets"]
        else:
            text, _, spans = _from_proto(
                self.tokenizer.decode_pieces(pieces, out_type="serialized_proto"))
        stripped = text.strip()
        return stripped, _narrow(text, spans, len(text) - len(text.lstrip()), len(stripped))

    def aligned(self, texts: list[str], *, beam_size: int, max_batch_size: int,
                max_decoding_length: int) -> list[Aligned]:
        """The best translation of each text with the attention links of its tokens, from the
        same single batched call as `translate` (same tokens, budget and beam, so the same
        translation), with `return_attention=True`."""
        results = [Aligned("", (), (), ()) for _ in texts]
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if not todo:
            return results
        sources = self._encode_with_spans([texts[i] for i in todo])
        prefix = self.package.target_prefix
        decoded = self._decode([pieces for pieces, _ in sources], 1, beam_size=beam_size,
                               max_batch_size=max_batch_size,
                               max_decoding_length=max_decoding_length, attention=True)
        for i, (pieces, source_spans), result in zip(todo, sources, decoded, strict=True):
            target, weights = result.hypotheses[0], result.attention[0]
            if prefix and target[:1] == [prefix]:
                target, weights = target[1:], weights[1:]
            translation, target_spans = self._decode_with_spans(target)
            # CTranslate2 gives one row per target token (averaged over the heads it is set to
            # use), already cut to the source pieces: implicit <s> and </s> and padding removed.
            links = tuple(_argmax(row[:len(pieces)]) if end > start else None
                          for (start, end), row in zip(target_spans, weights, strict=True))
            results[i] = Aligned(translation, source_spans, target_spans, links)
        return results


_ENCODED_AT_ONCE = 256


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def _proto_fields(data: bytes) -> list[tuple[int, int | bytes]]:
    """(field number, value) of a protobuf message, enough for SentencePieceText."""
    fields: list[tuple[int, int | bytes]] = []
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 2:
            size, pos = _varint(data, pos)
            value, pos = data[pos:pos + size], pos + size
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            value, pos = data[pos:pos + size], pos + size
        else:
            raise EngineError(f"cannot read SentencePiece's output (wire type {wire})")
        fields.append((number, value))
    return fields


def _from_proto(serialized: bytes) -> tuple[str, list[str], list[tuple[int, int]]]:
    """A serialized SentencePieceText: its text, its pieces and their character spans in the
    text (the proto has byte offsets: text = 1, pieces = 2; in a piece: piece = 1, begin = 4,
    end = 5)."""
    text = ""
    pieces: list[str] = []
    byte_spans: list[tuple[int, int]] = []
    for number, value in _proto_fields(serialized):
        if number == 1 and isinstance(value, bytes):
            text = value.decode("utf-8")
        elif number == 2 and isinstance(value, bytes):
            fields = dict(_proto_fields(value))
            piece, begin, end = fields.get(1, b""), fields.get(4, 0), fields.get(5, 0)
            if not (isinstance(piece, bytes) and isinstance(begin, int) and isinstance(end, int)):
                raise EngineError("cannot read SentencePiece's output (unexpected piece fields)")
            pieces.append(piece.decode("utf-8"))
            byte_spans.append((begin, end))
    starts = list(accumulate((len(c.encode("utf-8")) for c in text), initial=0))
    spans = [(bisect_left(starts, begin), bisect_left(starts, end)) for begin, end in byte_spans]
    return text, pieces, spans


def _narrow(text: str, spans: Sequence[tuple[int, int]], lead: int, size: int
            ) -> tuple[tuple[int, int], ...]:
    """Character spans in `text` made relative to `text[lead:lead + size]` and narrowed to leave
    out whitespace (a piece's "▁" stands for the space before a word). A piece with nothing
    left, such as a bare "▁", gets an empty span where the next word starts."""
    window = text[lead:lead + size]
    narrowed = []
    for begin, end in spans:
        start = min(max(begin - lead, 0), size)
        stop = min(max(end - lead, start), size)
        piece = window[start:stop]
        if piece.isspace():
            start = stop
        else:
            start += len(piece) - len(piece.lstrip())
            stop -= len(piece) - len(piece.rstrip())
        narrowed.append((start, stop))
    return tuple(narrowed)


def _argmax(row: list[float]) -> int | None:
    return row.index(max(row)) if row else None


class ArgosEngine(Engine):
    """Installed Argos packages; pairs without a package go through one pivot language."""

    name = "argos"

    def __init__(self, *, packages_dir: Path | None = None, beam_size: int = 4,
                 max_batch_size: int = 4096, max_decoding_length: int = 256,
                 device: str = "auto", compute_type: str | None = None,
                 threads: int | None = None) -> None:
        if beam_size < 1 or max_batch_size < 1 or max_decoding_length < 1:
            raise ValueError("beam_size, max_batch_size and max_decoding_length must be >= 1")
        self.packages_dir = (argos_packages.packages_dir() if packages_dir is None
                             else Path(packages_dir))
        self.beam_size = beam_size
        self.max_batch_size = max_batch_size
        self.max_decoding_length = max_decoding_length
        # A device or compute type named is checked here, so a wrong one stops the run before
        # any work; the defaults cannot be wrong and are settled (importing CTranslate2, a
        # fifth of a second) only when a model loads.
        self._requested = (device, compute_type)
        self._placement = (None if self._requested == ("auto", None)
                           else resolve_device(device, compute_type))
        self.threads = threads or os.cpu_count() or 1
        self._direct: dict[tuple[str, str], ArgosPackage] | None = None
        self._models: dict[Path, _Model] = {}

    def packages(self) -> dict[tuple[str, str], ArgosPackage]:
        """The translate package used for each direct pair (the newest when several are)."""
        if self._direct is None:
            direct: dict[tuple[str, str], ArgosPackage] = {}
            for package in argos_packages.installed_packages(self.packages_dir):
                if package.type != "translate":
                    continue
                pair = (package.from_code, package.to_code)
                if pair not in direct or (version_key(package.package_version)
                                          > version_key(direct[pair].package_version)):
                    direct[pair] = package
            self._direct = direct
        return self._direct

    @property
    def placement(self) -> DeviceChoice:
        """Where models decode: the device and compute type, settled."""
        if self._placement is None:
            self._placement = resolve_device(*self._requested)
        return self._placement

    def pairs(self) -> set[tuple[str, str]]:
        direct = set(self.packages())
        pivots = {(a, c) for a, b in direct for b2, c in direct if b == b2 and a != c}
        return direct | pivots

    def route(self, source: str, target: str) -> list[ArgosPackage]:
        """The packages that translate source→target, in order: one, or two via a pivot."""
        direct = self.packages()
        if (source, target) in direct:
            return [direct[(source, target)]]
        middles = sorted(b for a, b in direct if a == source and (b, target) in direct)
        if not middles:
            raise EngineError(f"engine 'argos' cannot translate {source} → {target}")
        middle = _PREFERRED_PIVOT if _PREFERRED_PIVOT in middles else middles[0]
        return [direct[(source, middle)], direct[(middle, target)]]

    def model_id(self, source: str, target: str) -> str:
        route = self.route(source, target)
        if len(route) == 1:
            return f"argos:{route[0].package_id}"
        languages = "→".join([source, *(package.to_code for package in route)])
        return f"argos:{languages} ({' + '.join(package.package_id for package in route)})"

    def _model(self, package: ArgosPackage) -> _Model:
        if package.path not in self._models:
            self._models[package.path] = _Model(package, placement=self.placement,
                                                  threads=self.threads)
        return self._models[package.path]

    def _options(self) -> dict[str, Any]:
        return {"beam_size": self.beam_size, "max_batch_size": self.max_batch_size,
                "max_decoding_length": self.max_decoding_length}

    def _hypotheses(self, texts: list[str], source: str, target: str,
                    count: int) -> list[list[str]]:
        route = self.route(source, target)
        options = self._options()
        current: Sequence[str] = texts
        for package in route[:-1]:
            current = [hyps[0] for hyps in self._model(package).translate(
                list(current), 1, **options)]
        return self._model(route[-1]).translate(list(current), count, **options)

    def _aligned(self, texts: list[str], source: str, target: str) -> list[Aligned]:
        """Attention alignments from the same decoding as `translate`.

        A pivot pair (en→es→de) is aligned by composing its two steps: each target token links
        to the pivot token it attends to most, which links on to a source token (the pivot text
        is cut into each model's own tokens, matched by character overlap). Errors of the two
        steps compound, so pivot links are noisier than direct ones (`Aligned.target_span`
        answers None rather than a scattered span when links are not contiguous).
        """
        if not texts:
            return []
        options = self._options()
        route = self.route(source, target)
        aligned = self._model(route[0]).aligned(texts, **options)
        for package in route[1:]:
            onward = self._model(package).aligned([a.translation for a in aligned], **options)
            aligned = [compose_alignments(a, b) for a, b in zip(aligned, onward, strict=True)]
        return aligned
