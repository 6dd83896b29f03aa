"""The Argos package folder: where it is, what is installed there, and safe installs into it.

The folder is the one argospm uses, so packages installed by either tool are seen by both.
argostranslate is imported only to reach the online package index: importing it creates folders
in the home directory, and its own `install_from_path` extracts archives without any check.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import stat
import tempfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from glossator.errors import EngineError, InputError

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
INSTALL_HINT = "install a downloaded file with: glossator models install FILE.argosmodel"
_NETWORK_TIMEOUT_S = 60
_STAGING_PREFIX = ".glossator-install-"
_NETWORK_ERRORS = (OSError, http.client.HTTPException, ValueError)


@dataclass(frozen=True)
class ArgosPackage:
    """One package: an installed folder, or (from `validate_package_file`) an archive."""

    path: Path
    folder: str
    type: str
    from_code: str
    to_code: str
    package_version: str
    from_name: str = ""
    to_name: str = ""
    target_prefix: str = ""

    @property
    def package_id(self) -> str:
        """Name and version as people write them: "translate-en_de-1.0"."""
        return f"{self.type}-{self.from_code}_{self.to_code}-{self.package_version}"


def version_key(version: str) -> tuple[int, ...]:
    """Order "1.9" before "1.10"; anything without digits sorts first."""
    return tuple(int(number) for number in re.findall(r"\d+", version))


def packages_dir() -> Path:
    """The folder argospm installs into: ARGOS_PACKAGES_DIR (read now), argos settings, default."""
    configured = os.environ.get("ARGOS_PACKAGES_DIR") or _argos_settings_file_value()
    if configured:
        return Path(configured).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "argos-translate" / "packages"


def _argos_settings_file_value() -> str | None:
    config_home = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    try:
        text = (Path(config_home) / "argos-translate" / "settings.json").read_text("utf-8")
        value = json.loads(text).get("ARGOS_PACKAGES_DIR")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def _package_from_metadata(raw: bytes, path: Path, folder: str) -> ArgosPackage:
    """Parse metadata.json; ValueError says what is wrong."""
    try:
        metadata = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"metadata.json is not valid JSON ({error})") from None
    if not isinstance(metadata, dict):
        raise ValueError("metadata.json is not a JSON object")
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not metadata[key].strip():
            raise ValueError(f"metadata.json has no {key}")

    def text(key: str, default: str = "") -> str:
        value = metadata.get(key, default)
        return value if isinstance(value, str) else str(value)

    return ArgosPackage(
        path=path, folder=folder, type=text("type", "translate"),
        from_code=metadata["from_code"], to_code=metadata["to_code"],
        package_version=text("package_version"), from_name=text("from_name"),
        to_name=text("to_name"), target_prefix=text("target_prefix"),
    )


def installed_packages(directory: Path | None = None) -> list[ArgosPackage]:
    """Every package folder in `directory` (default: `packages_dir()`), sorted by folder name.

    Folders without a readable metadata.json are skipped, as are hidden (staging) folders.
    """
    directory = packages_dir() if directory is None else Path(directory)
    try:
        folders = sorted(entry for entry in directory.iterdir() if entry.is_dir())
    except OSError:
        return []
    packages = []
    for folder in folders:
        if folder.name.startswith("."):
            continue
        try:
            raw = (folder / "metadata.json").read_bytes()
            packages.append(_package_from_metadata(raw, folder, folder.name))
        except (OSError, ValueError):
            continue
    return packages


def _unsafe_reason(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if stat.S_ISLNK(info.external_attr >> 16):
        return "is a symbolic link"
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "is an absolute path"
    if "\\" in name:
        return "contains a backslash"
    if any(part in ("..", ".") for part in name.split("/")):
        return "has a '..' or '.' path component"
    return None


def validate_package_file(path: Path) -> ArgosPackage:
    """Check that `path` is a well-formed, safe `.argosmodel` archive; InputError if not."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such package file", path=path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            metadata = _check_layout(path, members)
            raw = archive.read(metadata)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise InputError("not an Argos package (not a zip archive)", path=path) from None
    except OSError as error:
        raise InputError(f"cannot read package: {error.strerror or error}", path=path) from None
    folder = PurePosixPath(metadata).parts[0]
    try:
        return _package_from_metadata(raw, path, folder)
    except ValueError as error:
        raise InputError(f"not an Argos package: {error}", path=path) from None


def _check_layout(path: Path, members: list[zipfile.ZipInfo]) -> str:
    """Reject unsafe members and a wrong layout; return the metadata.json member name."""
    if not members:
        raise InputError("not an Argos package (empty archive)", path=path)
    for info in members:
        reason = _unsafe_reason(info)
        if reason:
            raise InputError(f"unsafe member {info.filename!r}: {reason}", path=path)
    tops = {info.filename.split("/")[0] for info in members}
    loose = [info.filename for info in members if "/" not in info.filename.rstrip("/")
             and not info.is_dir()]
    if len(tops) != 1 or loose:
        raise InputError("not an Argos package: files must sit in exactly one top folder "
                         f"(found {', '.join(sorted(tops)[:3])})", path=path)
    top = tops.pop()
    if top.startswith("."):
        raise InputError(f"not an Argos package: hidden top folder {top!r}", path=path)
    names = {info.filename for info in members}
    for required in ("metadata.json", "model/model.bin", "sentencepiece.model"):
        if f"{top}/{required}" not in names:
            raise InputError(f"not an Argos package: {top}/{required} is missing", path=path)
    return f"{top}/metadata.json"


def install_package_file(path: Path, directory: Path | None = None) -> Path:
    """Validate `path`, extract it beside the packages, and rename it into place.

    A package with the same folder name is replaced; the installed folder is returned.
    """
    path = Path(path)
    package = validate_package_file(path)
    directory = packages_dir() if directory is None else Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=directory))
    except OSError as error:
        raise EngineError(f"cannot write the Argos packages folder: {error.strerror or error}",
                          path=directory) from None
    target = directory / package.folder
    try:
        with zipfile.ZipFile(path) as archive:
            archive.extractall(staging)
        _swap_into_place(staging / package.folder, target, staging / ".replaced")
    except (zipfile.BadZipFile, EOFError) as error:
        raise InputError(f"damaged package archive: {error}", path=path) from None
    except OSError as error:
        raise EngineError(f"cannot install package: {error.strerror or error}",
                          path=target) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _swap_into_place(new: Path, target: Path, parking: Path) -> None:
    # Two renames on one file system: readers see either the old folder or the new one.
    if target.exists() or target.is_symlink():
        os.rename(target, parking)
        try:
            os.rename(new, target)
        except OSError:
            os.rename(parking, target)
            raise
    else:
        os.rename(new, target)


def install_from_index(from_code: str, to_code: str, directory: Path | None = None) -> Path:
    """Download the from→to package listed in the Argos package index, then install it."""
    try:
        from argostranslate import package as argos_package
        from argostranslate import settings as argos_settings
    except ImportError as error:
        raise EngineError(f"the Argos package index needs argostranslate: {error}") from None
    # argostranslate.settings read ARGOS_PACKAGE_INDEX when first imported; read it again now.
    index_url = str(argos_settings.get_setting("ARGOS_PACKAGE_INDEX", DEFAULT_INDEX_URL))
    index_url = index_url.rstrip("/") + "/index.json"
    try:
        data = _download(index_url)
    except _NETWORK_ERRORS as error:
        raise EngineError(f"cannot reach the Argos package index (offline?): "
                          f"{_reason(error)}; {INSTALL_HINT}", path=index_url) from None
    try:
        available = [argos_package.AvailablePackage(entry) for entry in json.loads(data)]
    except (ValueError, TypeError, AttributeError):
        raise EngineError("the Argos package index is not a valid index", path=index_url) from None
    _remember_index(argos_settings.local_package_index, data)

    matches = [p for p in available if p.type == "translate" and p.from_code == from_code
               and p.to_code == to_code and p.links]
    if not matches:
        raise EngineError(f"the Argos package index has no package for {from_code} → {to_code}",
                          path=index_url)
    chosen = max(matches, key=lambda p: version_key(str(p.package_version)))
    return _download_and_install(chosen.links, f"{from_code} → {to_code}", directory)


def _download_and_install(links: list[str], pair: str, directory: Path | None) -> Path:
    directory = packages_dir() if directory is None else Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise EngineError(f"cannot write the Argos packages folder: {error.strerror or error}",
                          path=directory) from None
    errors = []
    for link in links:
        try:
            data = _download(link)
        except _NETWORK_ERRORS as error:
            errors.append(_reason(error))
            continue
        fd, temporary = tempfile.mkstemp(prefix=_STAGING_PREFIX, suffix=".argosmodel",
                                         dir=directory)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            return install_package_file(Path(temporary), directory)
        except InputError as error:
            raise EngineError(f"the downloaded package for {pair} is not valid: {error.message}",
                              path=link) from None
        finally:
            Path(temporary).unlink(missing_ok=True)
    raise EngineError(f"cannot download the Argos package for {pair} (offline?): "
                      f"{'; '.join(errors) or 'no download link'}; {INSTALL_HINT}")


def _download(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "glossator"})
    with urllib.request.urlopen(request, timeout=_NETWORK_TIMEOUT_S) as response:
        return response.read()


def _reason(error: Exception) -> str:
    reason = getattr(error, "reason", None) or getattr(error, "strerror", None) or error
    return str(reason)


def _remember_index(local_index: Path, data: bytes) -> None:
    # Keep argospm's cached index in step; it is only a cache, so failing here is harmless.
    with contextlib.suppress(OSError):
        Path(local_index).write_bytes(data)
