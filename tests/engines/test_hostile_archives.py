"""Hostile `.argosmodel` files, built here with zipfile: each is refused in one line, exit 5,
before anything is extracted. Also hostile packages already in the packages folder.

The archives only need the layout of a package (tests/tiny_argos.py builds real ones): nothing
here loads a model, so a few bytes stand in for the weights and the tests stay fast.
"""

from __future__ import annotations

import json
import os
import re
import struct
import threading
import zipfile
from pathlib import Path

import pytest

from glossator.cli import main
from glossator.engines import argos_packages
from glossator.engines.argos_packages import (
    PackageFileError,
    install_package_file,
    installed_packages,
    validate_package_file,
)
from helpers import run_cli

TOP = "translate-en_de-1_0"
METADATA = {"package_version": "1.0", "argos_version": "1.0", "from_code": "en",
            "from_name": "English", "to_code": "de", "to_name": "German", "type": "translate"}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def fake_package(path: Path, *, metadata: dict | bytes | None = None,
                 extra: list[tuple[str, bytes]] = (), model: bytes = b"weights " * 64) -> Path:
    """A package with the Argos layout: metadata.json, model/model.bin, sentencepiece.model."""
    raw = metadata if isinstance(metadata, bytes) else json.dumps({**METADATA,
                                                                   **(metadata or {})})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{TOP}/metadata.json", raw)
        archive.writestr(f"{TOP}/model/model.bin", model)
        archive.writestr(f"{TOP}/sentencepiece.model", b"pieces")
        for name, data in extra:
            archive.writestr(name, data)
    return path


def patch_member_header(path: Path, member: str, *, flags: int = 0,
                        method: int | None = None) -> None:
    """Set general-purpose flag bits and/or the compression method of `member`, in its local
    header and its central directory entry, as a tool that wrote it so would have."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(member).header_offset
        position = archive.start_dir
    assert data[local:local + 4] == b"PK\x03\x04"
    while data[position:position + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, position + 28)
        if data[position + 46:position + 46 + name_length].decode() == member:
            break
        position += 46 + name_length + extra_length + comment_length
    else:
        raise AssertionError(f"{member} not in the central directory")
    for header, flag_at, method_at in ((local, 6, 8), (position, 8, 10)):
        old_flags = struct.unpack_from("<H", data, header + flag_at)[0]
        struct.pack_into("<H", data, header + flag_at, old_flags | flags)
        if method is not None:
            struct.pack_into("<H", data, header + method_at, method)
    path.write_bytes(bytes(data))


@pytest.fixture
def package_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "argos-packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(root))
    return root


def installed_nothing(root: Path) -> bool:
    return not root.exists() or not any(root.iterdir())


def refused_by_cli(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Install `path` through the CLI in this process (so monkeypatched limits hold); the
    stderr line, after checking exit code 5 and the one-line shape."""
    code = main(["models", "install", str(path)])
    captured = capsys.readouterr()
    assert code == 5, captured.err
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith(f"glossator: {path}: ")
    assert not CONTROL.search(captured.err)
    return captured.err


def test_the_fake_package_itself_installs(tmp_path: Path, package_root: Path):
    """The control: what the hostile variants below start from is a valid package."""
    installed = install_package_file(fake_package(tmp_path / "ok.argosmodel"))
    assert (installed / "model" / "model.bin").is_file()
    [package] = installed_packages()
    assert (package.from_code, package.to_code) == ("en", "de")


def test_encrypted_member_is_refused(tmp_path: Path, package_root: Path, capsys):
    path = fake_package(tmp_path / "encrypted.argosmodel")
    patch_member_header(path, f"{TOP}/model/model.bin", flags=0x1)
    message = refused_by_cli(path, capsys)
    assert f"member '{TOP}/model/model.bin' is encrypted" in message
    assert installed_nothing(package_root)


@pytest.mark.parametrize("method", [97, 99])  # WavPack, AE-x: zipfile reads neither
def test_unsupported_compression_is_refused(tmp_path: Path, package_root: Path, capsys,
                                            method: int):
    path = fake_package(tmp_path / "method.argosmodel")
    patch_member_header(path, f"{TOP}/model/model.bin", method=method)
    message = refused_by_cli(path, capsys)
    assert f"uses unsupported compression method {method}" in message
    assert installed_nothing(package_root)


def test_damaged_member_data_is_refused_and_cleaned_up(tmp_path: Path, package_root: Path,
                                                       capsys):
    """A member whose deflate data is garbage passes the checks and fails in extraction: still
    one line, exit 5, and no staging folder left behind."""
    path = fake_package(tmp_path / "damaged.argosmodel", model=os.urandom(4096))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(f"{TOP}/model/model.bin")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start:start + info.compress_size] = b"\xff" * info.compress_size
    path.write_bytes(bytes(data))
    message = refused_by_cli(path, capsys)
    assert "damaged package archive" in message
    assert installed_nothing(package_root)


def test_zip_bomb_over_the_size_limit_is_refused(tmp_path: Path, package_root: Path, capsys,
                                                 monkeypatch: pytest.MonkeyPatch):
    # The limit is lowered, not the bomb made big: 4 MiB of zeros is a 4 KiB member.
    monkeypatch.setattr(argos_packages, "MAX_UNCOMPRESSED_BYTES", 2 * argos_packages.MIB)
    path = fake_package(tmp_path / "bomb.argosmodel", model=bytes(4 * argos_packages.MIB))
    assert path.stat().st_size < 16 * 1024
    message = refused_by_cli(path, capsys)
    assert "uncompressed size" in message and "over the 2 MiB limit" in message
    assert installed_nothing(package_root)


def test_the_real_size_limit_is_2_gib():
    assert argos_packages.MAX_UNCOMPRESSED_BYTES == 2 * 1024 ** 3
    assert argos_packages.MAX_MEMBERS == 1000
    assert argos_packages.MAX_METADATA_BYTES == 1024 ** 2


def test_too_many_members_are_refused(tmp_path: Path, package_root: Path, capsys):
    extra = [(f"{TOP}/junk/{index}", b"") for index in range(argos_packages.MAX_MEMBERS)]
    path = fake_package(tmp_path / "many.argosmodel", extra=extra)
    message = refused_by_cli(path, capsys)
    assert f"too many members ({argos_packages.MAX_MEMBERS + 3}; limit " in message
    assert installed_nothing(package_root)


def test_member_count_is_checked_after_opening_too(tmp_path: Path, package_root: Path,
                                                   monkeypatch: pytest.MonkeyPatch):
    """Without the end-record shortcut (a private zipfile helper) the count still holds."""
    monkeypatch.setattr(argos_packages, "_check_member_count_early", lambda path: None)
    monkeypatch.setattr(argos_packages, "MAX_MEMBERS", 5)
    path = fake_package(tmp_path / "many.argosmodel",
                        extra=[(f"{TOP}/junk/{index}", b"") for index in range(3)])
    with pytest.raises(PackageFileError, match=r"too many members \(6; limit 5\)"):
        validate_package_file(path)


def test_huge_metadata_is_refused_without_reading_it(tmp_path: Path, package_root: Path,
                                                     capsys):
    padding = " " * (2 * argos_packages.MAX_METADATA_BYTES)
    raw = json.dumps(METADATA)[:-1].encode() + f', "pad": "{padding}"}}'.encode()
    path = fake_package(tmp_path / "fat.argosmodel", metadata=raw)
    assert path.stat().st_size < 64 * 1024
    message = refused_by_cli(path, capsys)
    assert f"{TOP}/metadata.json is {len(raw)} bytes (limit 1 MiB)" in message
    assert installed_nothing(package_root)


@pytest.mark.parametrize(("key", "code", "expected"), [
    ("from_code", "../../etc", "from_code '../../etc' is not a language code"),
    ("to_code", "de\x1b]0;pwned\x07", r"to_code 'de\x1b]0;pwned\x07' is not a language code"),
    ("to_code", "de\u202e", r"is not a language code"),
    ("from_code", "english", "from_code 'english' is not a language code"),
    ("to_code", "qq", "unknown language code 'qq'"),
    ("to_code", "x" * 5000, "is not a language code"),
])
def test_bad_language_codes_are_refused(tmp_path: Path, package_root: Path, capsys,
                                        key: str, code: str, expected: str):
    path = fake_package(tmp_path / "codes.argosmodel", metadata={key: code})
    message = refused_by_cli(path, capsys)
    assert expected in message
    assert len(message) < 300
    assert installed_nothing(package_root)


def test_argos_only_codes_are_accepted(tmp_path: Path):
    package = validate_package_file(fake_package(tmp_path / "zt.argosmodel",
                                                 metadata={"to_code": "zt"}))
    assert package.to_code == "zt"
    package = validate_package_file(fake_package(tmp_path / "pb.argosmodel",
                                                 metadata={"from_code": "pb"}))
    assert package.from_code == "pb"


def test_member_name_with_control_characters_is_refused(tmp_path: Path, package_root: Path,
                                                        capsys):
    path = fake_package(tmp_path / "names.argosmodel",
                        extra=[(f"{TOP}/\x1b[2Jclear", b"x")])
    message = refused_by_cli(path, capsys)
    assert "has a control character in its name" in message
    assert installed_nothing(package_root)


def test_refusals_run_as_a_user_runs_them(tmp_path: Path):
    """The same through a real `glossator` process: exit 5, one line, nothing installed."""
    path = fake_package(tmp_path / "encrypted.argosmodel")
    patch_member_header(path, f"{TOP}/model/model.bin", flags=0x1)
    root = tmp_path / "pk"
    result = run_cli("models", "install", str(path), env={"ARGOS_PACKAGES_DIR": str(root)})
    assert result.returncode == 5
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert installed_nothing(root)


# --- packages already installed ---------------------------------------------------------------

def install_by_hand(root: Path, folder: str, metadata: bytes | None) -> Path:
    """A package folder as another tool (or a person) may have left it."""
    target = root / folder
    (target / "model").mkdir(parents=True)
    (target / "model" / "model.bin").write_bytes(b"weights")
    (target / "sentencepiece.model").write_bytes(b"pieces")
    if metadata is not None:
        (target / "metadata.json").write_bytes(metadata)
    return target


def test_installed_huge_or_bad_metadata_is_skipped_with_a_warning(tmp_path: Path,
                                                                  package_root: Path):
    install_by_hand(package_root, "good", json.dumps(METADATA).encode())
    install_by_hand(package_root, "huge", json.dumps(METADATA).encode()
                    + b" " * (argos_packages.MAX_METADATA_BYTES + 1))
    install_by_hand(package_root, "traversal",
                    json.dumps({**METADATA, "from_code": "../../etc"}).encode())
    install_by_hand(package_root, "escape",
                    json.dumps({**METADATA, "to_code": "de\x1b[2J"}).encode())
    install_by_hand(package_root, "broken", b"{not json")
    install_by_hand(package_root, "none", None)  # not a package: skipped without a word
    warnings: list[str] = []
    packages = installed_packages(warn=warnings.append)
    assert [package.folder for package in packages] == ["good"]
    assert len(warnings) == 4
    assert all(": package skipped: " in line and not CONTROL.search(line) for line in warnings)
    assert any("huge/metadata.json" in line and "limit 1 MiB" in line for line in warnings)


def test_installed_metadata_that_is_a_fifo_does_not_hang(tmp_path: Path, package_root: Path):
    folder = install_by_hand(package_root, "fifo", None)
    os.mkfifo(folder / "metadata.json")
    result: list = []
    worker = threading.Thread(target=lambda: result.append(installed_packages(warn=print)),
                              daemon=True)
    worker.start()
    worker.join(10)
    assert result == [[]], "reading an installed metadata.json that is a FIFO blocked"


def test_models_list_prints_no_control_characters(tmp_path: Path):
    root = tmp_path / "pk"
    hostile = {**METADATA, "package_version": "1.0\x1b]0;pwned\x07\x1b[2J\u202e",
               "from_name": "\x1b[31mred"}
    install_by_hand(root, "translate-en_de-\x1b[2J", json.dumps(hostile).encode())
    install_by_hand(root, "bad-code", json.dumps({**METADATA, "to_code": "\x1b[2J"}).encode())
    result = run_cli("models", "list", env={"ARGOS_PACKAGES_DIR": str(root)})
    assert result.returncode == 0, result.stderr
    assert not CONTROL.search(result.stdout)
    assert not CONTROL.search(result.stderr)
    [row] = [line for line in result.stdout.splitlines() if line.startswith("en\t")]
    fields = row.split("\t")
    assert len(fields) == 5
    assert fields[2] == "1.0␛]0;pwned␇␛[2J\ufffd"
    assert "bad-code/metadata.json: package skipped" in result.stderr
