"""Build small but real `.argosmodel` files: a seeded random CTranslate2 Transformer plus a
SentencePiece model trained on generated text, zipped under one top folder like Argos packages.

The translations are gibberish, but every file is in the format argostranslate and CTranslate2
read, so packaging, batching, n-best and pivots can be tested without any download.
"""

from __future__ import annotations

import io
import json
import os
import random
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["an", "el", "or", "us", "ir"]


def sample_sentences(count: int, *, seed: int = 0, lexicon_size: int = 600) -> list[str]:
    """`count` made-up sentences over a seeded lexicon of pseudo-words."""
    rng = random.Random(seed)
    lexicon = sorted({"".join(rng.choices(_SYLLABLES, k=rng.randint(1, 4)))
                      for _ in range(lexicon_size)})
    sentences = []
    for _ in range(count):
        words = rng.choices(lexicon, k=rng.randint(4, 18))
        words[0] = words[0].capitalize()
        if rng.random() < 0.3:
            words[rng.randrange(len(words))] += ","
        sentences.append(" ".join(words) + rng.choice(".?!."))
    return sentences


def _train_sentencepiece(lines: Iterable[str], vocab_size: int) -> tuple[bytes, list[str]]:
    import sentencepiece as spm

    model = io.BytesIO()
    with open(os.devnull, "w") as quiet:  # the trainer logs pages to stderr otherwise
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(lines), model_writer=model, vocab_size=vocab_size,
            model_type="unigram", character_coverage=1.0, hard_vocab_limit=False,
            num_threads=2, logstream=quiet,
        )
    processor = spm.SentencePieceProcessor(model_proto=model.getvalue())
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    return model.getvalue(), pieces


def _random_transformer_spec(vocabulary: list[str], *, seed: int, layers: int, d_model: int,
                             heads: int, ffn: int, eos_bias: float):
    from ctranslate2.specs import TransformerSpec

    rng = np.random.default_rng(seed)
    vocab = len(vocabulary)

    def dense(rows: int, cols: int) -> np.ndarray:
        return (rng.standard_normal((rows, cols), dtype=np.float32) / np.sqrt(cols)).astype(
            np.float32)

    def linear(spec, rows: int, cols: int) -> None:
        spec.weight = dense(rows, cols)
        spec.bias = np.zeros(rows, dtype=np.float32)

    def norm(spec) -> None:
        spec.gamma = np.ones(d_model, dtype=np.float32)
        spec.beta = np.zeros(d_model, dtype=np.float32)

    def feed_forward(spec) -> None:
        norm(spec.layer_norm)
        linear(spec.linear_0, ffn, d_model)
        linear(spec.linear_1, d_model, ffn)

    spec = TransformerSpec.from_config((layers, layers), heads)
    encoder, decoder = spec.encoder, spec.decoder
    encoder.embeddings[0].weight = rng.standard_normal((vocab, d_model), dtype=np.float32)
    decoder.embeddings.weight = rng.standard_normal((vocab, d_model), dtype=np.float32)
    norm(encoder.layer_norm)
    norm(decoder.layer_norm)
    for layer in encoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d_model, d_model)
        linear(layer.self_attention.linear[1], d_model, d_model)
        feed_forward(layer.ffn)
    for layer in decoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d_model, d_model)
        linear(layer.self_attention.linear[1], d_model, d_model)
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], d_model, d_model)
        linear(layer.attention.linear[1], 2 * d_model, d_model)
        linear(layer.attention.linear[2], d_model, d_model)
        feed_forward(layer.ffn)
    # Scaled up so that the random logits are peaked enough for beam search to be meaningful.
    decoder.projection.weight = dense(vocab, d_model) * 4.0
    decoder.projection.bias = np.zeros(vocab, dtype=np.float32)
    decoder.projection.bias[vocabulary.index("</s>")] = eos_bias
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    return spec


def _convert(spec, output_dir: Path, quantization: str | None) -> None:
    from ctranslate2.converters import Converter

    class _Prebuilt(Converter):
        def _load(self):
            return spec

    _Prebuilt().convert(str(output_dir), quantization=quantization, force=True)


def build_argos_package(dest_dir: Path, from_code: str, to_code: str, *, seed: int = 0,
                        layers: int = 2, d_model: int = 64, heads: int = 4, ffn: int = 128,
                        vocab_size: int = 400, suppress_early_eos: bool = False,
                        eos_bias: float = 6.0, quantization: str | None = None,
                        package_version: str = "1.0", target_prefix: str = "",
                        training_text: Sequence[str] = (), training_sentences: int = 3000,
                        lexicon_size: int = 600) -> Path:
    """Write `translate-{from}_{to}-{version}.argosmodel` into `dest_dir`; return its path.

    `vocab_size` is what SentencePiece is asked for; when the generated text cannot support that
    many pieces the CTranslate2 vocabulary is padded with unused tokens up to `vocab_size`.
    `suppress_early_eos` makes end-of-sentence practically impossible, so every decode runs to
    `max_decoding_length` (benchmarks); otherwise `eos_bias` sets how soon outputs end (the
    default gives outputs of roughly 7 to 50 pieces). A `target_prefix` is added to the
    vocabulary as a token of its own, as in Argos' multilingual packages.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    lines = [*training_text,
             *sample_sentences(training_sentences, seed=seed, lexicon_size=lexicon_size)]
    spm_model, pieces = _train_sentencepiece(lines, vocab_size)
    specials = [target_prefix] if target_prefix else []
    vocabulary = pieces + specials
    vocabulary += [f"<extra_{i}>" for i in range(vocab_size - len(vocabulary))]
    spec = _random_transformer_spec(
        vocabulary, seed=seed, layers=layers, d_model=d_model, heads=heads, ffn=ffn,
        eos_bias=-1e4 if suppress_early_eos else eos_bias)

    top = f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"
    metadata = {
        "package_version": package_version, "argos_version": "1.0",
        "from_code": from_code, "from_name": from_code.upper(),
        "to_code": to_code, "to_name": to_code.upper(), "type": "translate",
        "links": [], "dependencies": [],
    }
    if target_prefix:
        metadata["target_prefix"] = target_prefix
    archive = dest_dir / f"translate-{from_code}_{to_code}-{package_version}.argosmodel"
    with tempfile.TemporaryDirectory(dir=dest_dir) as scratch:
        model_dir = Path(scratch) / "model"
        _convert(spec, model_dir, quantization)
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            zf.writestr(f"{top}/", "")
            zf.writestr(f"{top}/metadata.json", json.dumps(metadata, indent=2))
            zf.writestr(f"{top}/README.md", f"Random test model {from_code}→{to_code}.\n")
            zf.writestr(f"{top}/sentencepiece.model", spm_model)
            zf.writestr(f"{top}/model/", "")
            for file in sorted(model_dir.iterdir()):
                zf.write(file, f"{top}/model/{file.name}")
    return archive
