"""Where CTranslate2 decodes: `--device auto|cpu|cuda` and `--compute-type`, settled once.

`choose_device` is the whole rule, a pure function of what CTranslate2 reports;
`resolve_device` asks CTranslate2 and applies it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from glossator.errors import EngineError, UsageError

DEVICES = ("auto", "cpu", "cuda")

# CTranslate2's own names that are valid on every device: "default" keeps the type the model was
# converted with (int8 for Argos packages), "auto" takes the fastest the device supports.
_ALWAYS_VALID = ("default", "auto")

# On CPU the model's own type: Argos packages ship int8, the fastest there, and decoding stays
# what it was before devices could be chosen. On a GPU, int8 weights with float16 arithmetic
# when the card has both (compute capability 7.0 and later), else float16, else float32.
_CUDA_PREFERENCE = ("int8_float16", "float16", "float32")


@dataclass(frozen=True)
class DeviceChoice:
    """A settled device and compute type, as CTranslate2 takes them."""

    device: str  # "cpu" or "cuda"
    compute_type: str
    cuda_devices: int  # how many GPUs CTranslate2 sees (0 on CPU-only machines)

    def describe(self) -> str:
        return f"{self.device}, {self.compute_type}"


def choose_device(device: str, compute_type: str | None, *, cuda_devices: int,
                  supported: Callable[[str], Collection[str]]) -> DeviceChoice:
    """The device and compute type to decode with.

    `device` "auto" is "cuda" when `cuda_devices` > 0, else "cpu". `compute_type` None is the
    device's default (see `_CUDA_PREFERENCE`); a named one must be among `supported(device)`
    (CTranslate2's `get_supported_compute_types`) or "default"/"auto", else a one-line error
    lists those allowed.
    """
    if device not in DEVICES:
        raise UsageError(f"unknown device {device!r} (choose from {', '.join(DEVICES)})")
    if device == "auto":
        device = "cuda" if cuda_devices > 0 else "cpu"
    elif device == "cuda" and cuda_devices < 1:
        raise EngineError("--device cuda: CTranslate2 sees no CUDA device (no NVIDIA GPU or "
                          "driver here, or CUDA 12's cuBLAS missing); use --device cpu or auto")
    allowed = set(supported(device))
    if compute_type is None:
        if device == "cpu":
            return DeviceChoice(device, "default", cuda_devices)
        fastest = next((name for name in _CUDA_PREFERENCE if name in allowed), "default")
        return DeviceChoice(device, fastest, cuda_devices)
    if compute_type not in allowed and compute_type not in _ALWAYS_VALID:
        choices = ", ".join([*sorted(allowed), *_ALWAYS_VALID])
        raise EngineError(f"compute type {compute_type!r} is not supported on {device} here "
                          f"(choose from {choices})")
    return DeviceChoice(device, compute_type, cuda_devices)


def resolve_device(device: str = "auto", compute_type: str | None = None) -> DeviceChoice:
    """`choose_device` with what this machine's CTranslate2 reports."""
    try:
        import ctranslate2
    except ImportError as error:
        raise EngineError(f"the argos engine needs ctranslate2: {error}") from None

    def supported(name: str) -> set[str]:
        try:
            return set(ctranslate2.get_supported_compute_types(name))
        except (RuntimeError, ValueError) as error:
            raise EngineError(f"CTranslate2 cannot use {name}: {error}") from None

    return choose_device(device, compute_type, cuda_devices=cuda_device_count(),
                         supported=supported)


def cuda_problem() -> str | None:
    """Why CTranslate2 cannot decode on a GPU here, in a few words, or None when it can:
    it needs an NVIDIA device and, for its 4.x wheels, CUDA 12's cuBLAS library."""
    import ctypes

    if cuda_device_count() < 1:
        return "no CUDA device: CTranslate2 sees no NVIDIA GPU or driver"
    try:
        ctypes.CDLL("libcublas.so.12")
    except OSError as error:
        return f"a GPU is present but CUDA 12's cuBLAS cannot be loaded ({error})"
    return None


def cuda_device_count() -> int:
    """GPUs CTranslate2 can use: 0 without an NVIDIA driver (the call itself never fails for
    that, but an unusual build might, and then there is no GPU to use either)."""
    import ctranslate2

    try:
        return int(ctranslate2.get_cuda_device_count())
    except RuntimeError:
        return 0
