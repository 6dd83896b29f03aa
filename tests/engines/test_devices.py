"""`--device` and `--compute-type`: the choice rule everywhere, a real decode on CPU with both
named, and one on CUDA where this machine has a usable GPU."""

from __future__ import annotations

from pathlib import Path

import ctranslate2
import pytest

from glossator.engines import choose_engine
from glossator.engines.argos import ArgosEngine
from glossator.engines.devices import DeviceChoice, choose_device, cuda_problem, resolve_device
from glossator.errors import EngineError, UsageError
from tiny_argos import sample_sentences

CPU_TYPES = {"int8", "int8_float32", "int16", "float32"}
AMPERE_TYPES = {"int8", "int8_float32", "int8_float16", "int8_bfloat16", "float32", "float16",
                "bfloat16"}
PASCAL_TYPES = {"float32", "int8", "int8_float32"}


def supported_by(cpu: set[str], cuda: set[str]):
    return lambda device: cpu if device == "cpu" else cuda


@pytest.mark.parametrize(("device", "compute_type", "gpus", "cuda_types", "expected"), [
    ("auto", None, 0, set(), DeviceChoice("cpu", "default", 0)),
    ("auto", None, 1, AMPERE_TYPES, DeviceChoice("cuda", "int8_float16", 1)),
    ("auto", None, 2, PASCAL_TYPES, DeviceChoice("cuda", "float32", 2)),
    ("cpu", None, 1, AMPERE_TYPES, DeviceChoice("cpu", "default", 1)),
    ("cpu", "int8", 0, set(), DeviceChoice("cpu", "int8", 0)),
    ("cuda", "float16", 1, AMPERE_TYPES, DeviceChoice("cuda", "float16", 1)),
    ("auto", "int8", 0, set(), DeviceChoice("cpu", "int8", 0)),
    ("auto", "auto", 0, set(), DeviceChoice("cpu", "auto", 0)),
    ("cuda", "default", 1, PASCAL_TYPES, DeviceChoice("cuda", "default", 1)),
])
def test_choice_of_device_and_compute_type(device, compute_type, gpus, cuda_types, expected):
    assert choose_device(device, compute_type, cuda_devices=gpus,
                         supported=supported_by(CPU_TYPES, cuda_types)) == expected


def test_a_compute_type_the_device_lacks_is_refused_naming_the_allowed_ones():
    with pytest.raises(EngineError) as caught:
        choose_device("auto", "float16", cuda_devices=0,
                      supported=supported_by(CPU_TYPES, AMPERE_TYPES))
    assert str(caught.value) == ("compute type 'float16' is not supported on cpu here (choose "
                                 "from float32, int16, int8, int8_float32, default, auto)")
    with pytest.raises(EngineError, match="'bfloat16' is not supported on cuda"):
        choose_device("cuda", "bfloat16", cuda_devices=1,
                      supported=supported_by(CPU_TYPES, PASCAL_TYPES))


def test_cuda_without_a_gpu_and_an_unknown_device_are_refused():
    with pytest.raises(EngineError, match="--device cuda: CTranslate2 sees no CUDA device"):
        choose_device("cuda", None, cuda_devices=0, supported=supported_by(CPU_TYPES, set()))
    with pytest.raises(UsageError, match="unknown device 'tpu' \\(choose from auto, cpu, cuda\\)"):
        choose_device("tpu", None, cuda_devices=0, supported=supported_by(CPU_TYPES, set()))


def test_auto_follows_ctranslate2s_device_count(monkeypatch):
    # The one fake: how many GPUs CTranslate2 reports. The supported types of the device
    # chosen are still asked of the real CTranslate2, which answers for the CPU.
    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 0)
    assert resolve_device("auto") == DeviceChoice("cpu", "default", 0)
    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 1)
    real = ctranslate2.get_supported_compute_types
    monkeypatch.setattr(ctranslate2, "get_supported_compute_types",
                        lambda device: AMPERE_TYPES if device == "cuda" else real(device))
    assert resolve_device("auto") == DeviceChoice("cuda", "int8_float16", 1)
    assert resolve_device("cpu", "int8") == DeviceChoice("cpu", "int8", 1)


def test_bergamot_refuses_a_gpu_or_a_compute_type():
    with pytest.raises(EngineError, match="bergamot engine runs on CPU only, not --device cuda"):
        choose_engine("bergamot", "en", "pt", device="cuda")
    with pytest.raises(EngineError, match="--compute-type applies to argos models only"):
        choose_engine("bergamot", "en", "pt", compute_type="int8")
    assert choose_engine("bergamot", "en", "pt", device="cpu").supports("en", "pt")


def test_decode_on_cpu_with_int8_named(tmp_path: Path, argos_dir: Path, cli):
    article = tmp_path / "story.txt"
    article.write_text("\n\n".join(sample_sentences(4, seed=5)) + "\n", encoding="utf-8")
    result = cli("translate", str(article), "--to", "de", "--engine", "argos", "--device", "cpu",
                 "--compute-type", "int8", "--no-glossary", "--out", str(tmp_path / "out"),
                 "--formats", "txt", env={"ARGOS_PACKAGES_DIR": str(argos_dir)})
    assert result.returncode == 0, result.stderr
    [written] = (tmp_path / "out").rglob("story.txt")
    lines = [line for line in written.read_text(encoding="utf-8").splitlines() if line]
    assert len(lines) == 4 and all(lines)
    # CTranslate2 names int8 on CPU "int8_float32"; the tiny model was saved as float32.
    for compute_type, loaded in (("int8", "int8_float32"), (None, "float32")):
        engine = ArgosEngine(device="cpu", compute_type=compute_type)
        translator = engine._model(engine.route("en", "de")[0]).translator
        assert (translator.device, translator.compute_type) == ("cpu", loaded)


def test_a_compute_type_cpu_lacks_is_one_line_exit_5(tmp_path: Path, argos_dir: Path, cli):
    article = tmp_path / "story.txt"
    article.write_text("One sentence.\n", encoding="utf-8")
    result = cli("translate", str(article), "--to", "de", "--engine", "argos", "--device", "cpu",
                 "--compute-type", "float16", "--no-glossary", "--out", str(tmp_path / "out"),
                 env={"ARGOS_PACKAGES_DIR": str(argos_dir)})
    assert result.returncode == 5
    assert result.stderr.count("\n") == 1
    assert "compute type 'float16' is not supported on cpu" in result.stderr
    assert not (tmp_path / "out").exists()


_CUDA_PROBLEM = cuda_problem()


@pytest.mark.skipif(_CUDA_PROBLEM is not None, reason=f"no CUDA decode: {_CUDA_PROBLEM}")
def test_decode_on_cuda(argos_dir: Path):
    texts = sample_sentences(64, seed=9)
    engine = ArgosEngine(device="auto")
    assert engine.placement.device == "cuda"
    on_gpu = engine.translate(texts, "en", "de")
    model = engine._model(engine.route("en", "de")[0])
    assert model.translator.device == "cuda"
    assert len(on_gpu) == len(texts) and all(on_gpu)
    # float32 on both sides: the GPU decodes what the CPU decodes, give or take rounding.
    exact_gpu = ArgosEngine(device="cuda", compute_type="float32").translate(texts, "en", "de")
    exact_cpu = ArgosEngine(device="cpu", compute_type="float32").translate(texts, "en", "de")
    same = sum(a == b for a, b in zip(exact_gpu, exact_cpu))
    assert same >= 0.9 * len(texts), (same, len(texts))
