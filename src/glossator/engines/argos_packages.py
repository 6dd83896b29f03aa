"""The Argos package folder: where it is, what is installed there, and safe installs into it.

The folder is the one argospm uses, so packages installed by either tool are seen by both.
argostranslate is imported only to reach the online package index: importing it creates folders
in the home directory, and its own `install_from_path` extracts archives without any check.

A package file is checked before anything is extracted: one top folder, no absolute, `..`,
symbolic-link or control-character member names, no encrypted member, only stored or deflated
(or bzip2, lzma) members, at most `MAX_MEMBERS` members, at most `MAX_UNCOMPRESSED_BYTES`
uncompressed in all (real Argos models are about 100–300 MB), a `metadata.json` of at most
`MAX_METADATA_BYTES` whose `from_code` and `to_code` are language codes babel knows (or one of
`ARGOS_ONLY_CODES`). zipfile never extracts more than the size a member declares (it stops
there and checks the CRC), so the declared sizes bound what an install writes.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import urllib.request
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from glossator.errors import EXIT_ENGINE, EngineError, InputError, LanguageError
from glossator.io.printable import printable

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
INSTALL_HINT = "install a downloaded file with: glossator models install FILE.argosmodel"
_NETWORK_TIMEOUT_S = 60
_STAGING_PREFIX = ".glossator-install-"
_NETWORK_ERRORS = (OSError, http.client.HTTPException, ValueError)

MIB = 1 << 20
MAX_UNCOMPRESSED_BYTES = 2048 * MIB  # all members together, as extracted
MAX_MEMBERS = 1000  # a real package has about a dozen
MAX_METADATA_BYTES = 1 * MIB  # a real metadata.json is under 1 KiB
# Codes the Argos index uses that CLDR does not have: Chinese (traditional), Portuguese (Brazil).
ARGOS_ONLY_CODES = frozenset({"zt", "pb"})
_SUPPORTED_COMPRESSION = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate",
                          zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "lzma"}
_ENCRYPTED_FLAG = 0x1
_CODE_SHAPE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Errors zipfile and its decompressors raise on a damaged or unsupported member.
_ARCHIVE_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error,
                   NotImplementedError, RuntimeError, ValueError, LookupError)


class PackageFileError(InputError):
    """A package file that is not a valid, safe Argos package: a model problem, so it exits
    as an engine error does."""

    exit_code = EXIT_ENGINE


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
        _check_code(key, metadata[key])

    def text(key: str, default: str = "") -> str:
        value = metadata.get(key, default)
        return value if isinstance(value, str) else str(value)

    return ArgosPackage(
        path=path, folder=folder, type=text("type", "translate"),
        from_code=metadata["from_code"], to_code=metadata["to_code"],
        package_version=text("package_version"), from_name=text("from_name"),
        to_name=text("to_name"), target_prefix=text("target_prefix"),
    )


def _check_code(key: str, code: str) -> None:
    """ValueError unless `code` is a language code babel knows, or one of ARGOS_ONLY_CODES."""
    if code in ARGOS_ONLY_CODES:
        return
    if not _CODE_SHAPE.fullmatch(code):
        raise ValueError(f"metadata.json {key} {shown(code)} is not a language code")
    from glossator.languages import parse_language

    try:
        parse_language(code)
    except LanguageError as error:
        raise ValueError(f"metadata.json {key}: {error.message}") from None


def shown(text: str, limit: int = 40) -> str:
    """`text` quoted for a one-line message: shortened, control characters escaped."""
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


def _warn(message: str) -> None:
    print(f"glossator: warning: {message}", file=sys.stderr, flush=True)


def installed_packages(directory: Path | None = None, *,
                       warn: Callable[[str], None] | None = None) -> list[ArgosPackage]:
    """Every package folder in `directory` (default: `packages_dir()`), sorted by folder name.

    Hidden (staging) folders and folders without a metadata.json are skipped silently; a
    metadata.json that is not a regular file, is over `MAX_METADATA_BYTES`, or is not valid
    (bad JSON, unknown language codes) is skipped with a line to `warn` (default: stderr).
    """
    warn = _warn if warn is None else warn
    directory = packages_dir() if directory is None else Path(directory)
    try:
        folders = sorted(entry for entry in directory.iterdir() if entry.is_dir())
    except OSError:
        return []
    packages = []
    for folder in folders:
        if folder.name.startswith("."):
            continue
        metadata = folder / "metadata.json"
        try:
            raw = _read_metadata_file(metadata)
            if raw is not None:
                packages.append(_package_from_metadata(raw, folder, folder.name))
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            warn(printable(f"{metadata}: package skipped: {reason}"))
    return packages


def _read_metadata_file(path: Path) -> bytes | None:
    """The bytes of an installed metadata.json, None where there is none; ValueError where it
    is not a regular file or is over MAX_METADATA_BYTES (only that much is ever read)."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(status.st_mode):
        raise ValueError("metadata.json is not a regular file")
    if status.st_size > MAX_METADATA_BYTES:
        raise ValueError(f"metadata.json is {status.st_size} bytes "
                         f"(limit {MAX_METADATA_BYTES // MIB} MiB)")
    with path.open("rb") as handle:
        raw = handle.read(MAX_METADATA_BYTES + 1)
    if len(raw) > MAX_METADATA_BYTES:
        raise ValueError(f"metadata.json is over {MAX_METADATA_BYTES // MIB} MiB")
    return raw


def _unsafe_reason(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if _CONTROL_CHARACTERS.search(name):
        return "has a control character in its name"
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
    """Check that `path` is a well-formed, safe `.argosmodel` archive within the limits above;
    PackageFileError (an InputError with exit code 5) if not. Only metadata.json is read."""
    path = Path(path)
    if not path.is_file():
        raise PackageFileError("no such package file", path=path)
    try:
        _check_member_count_early(path)
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise PackageFileError("not an Argos package (not a zip archive)", path=path) from None
    except OSError as error:
        raise PackageFileError(f"cannot read package: {error.strerror or error}",
                               path=path) from None
    with archive:
        metadata = _check_layout(path, archive.infolist())
        try:
            raw = archive.read(metadata)
        except _ARCHIVE_ERRORS as error:
            raise PackageFileError(f"damaged package archive: {_one_line(error)}",
                                   path=path) from None
        except OSError as error:
            raise PackageFileError(f"cannot read package: {error.strerror or error}",
                                   path=path) from None
    folder = PurePosixPath(metadata).parts[0]
    try:
        return _package_from_metadata(raw, path, folder)
    except ValueError as error:
        raise PackageFileError(f"not an Argos package: {error}", path=path) from None


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _check_member_count_early(path: Path) -> None:
    """Refuse too many members from the end-of-archive record, before zipfile reads the
    central directory (a million entries would cost it seconds and hundreds of MB)."""
    end_record = getattr(zipfile, "_EndRecData", None)
    if end_record is None:  # a private helper: without it, _check_limits still counts
        return
    with path.open("rb") as handle:
        record = end_record(handle)
    if record is not None and record[zipfile._ECD_ENTRIES_TOTAL] > MAX_MEMBERS:
        raise PackageFileError(f"too many members ({record[zipfile._ECD_ENTRIES_TOTAL]}; "
                               f"limit {MAX_MEMBERS})", path=path)


def _check_limits(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Encrypted or unsupported members, and the member count and size limits."""
    if len(members) > MAX_MEMBERS:
        raise PackageFileError(f"too many members ({len(members)}; limit {MAX_MEMBERS})",
                               path=path)
    total = 0
    for info in members:
        if info.flag_bits & _ENCRYPTED_FLAG:
            raise PackageFileError(f"member {shown(info.filename, 80)} is encrypted",
                                   path=path)
        if info.compress_type not in _SUPPORTED_COMPRESSION:
            raise PackageFileError(f"member {shown(info.filename, 80)} uses unsupported "
                                   f"compression method {info.compress_type} (supported: "
                                   f"{', '.join(_SUPPORTED_COMPRESSION.values())})", path=path)
        total += info.file_size
    if total > MAX_UNCOMPRESSED_BYTES:
        raise PackageFileError(f"uncompressed size {total} bytes is over the "
                               f"{MAX_UNCOMPRESSED_BYTES // MIB} MiB limit for a package",
                               path=path)


def _check_layout(path: Path, members: list[zipfile.ZipInfo]) -> str:
    """Reject unsafe members and a wrong layout; return the metadata.json member name."""
    if not members:
        raise PackageFileError("not an Argos package (empty archive)", path=path)
    _check_limits(path, members)
    for info in members:
        reason = _unsafe_reason(info)
        if reason:
            raise PackageFileError(f"unsafe member {shown(info.filename, 80)}: {reason}",
                                   path=path)
    tops = {info.filename.split("/")[0] for info in members}
    loose = [info.filename for info in members if "/" not in info.filename.rstrip("/")
             and not info.is_dir()]
    if len(tops) != 1 or loose:
        raise PackageFileError("not an Argos package: files must sit in exactly one top folder "
                               f"(found {', '.join(sorted(tops)[:3])})", path=path)
    top = tops.pop()
    if top.startswith("."):
        raise PackageFileError(f"not an Argos package: hidden top folder {top!r}", path=path)
    by_name = {info.filename: info for info in members}
    for required in ("metadata.json", "model/model.bin", "sentencepiece.model"):
        if f"{top}/{required}" not in by_name:
            raise PackageFileError(f"not an Argos package: {top}/{required} is missing",
                                   path=path)
    metadata = by_name[f"{top}/metadata.json"]
    if metadata.file_size > MAX_METADATA_BYTES:
        raise PackageFileError(f"{top}/metadata.json is {metadata.file_size} bytes "
                               f"(limit {MAX_METADATA_BYTES // MIB} MiB)", path=path)
    return metadata.filename


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
            needed = sum(info.file_size for info in archive.infolist())
            free = shutil.disk_usage(staging).free
            if needed > free:
                raise PackageFileError(f"needs {needed // MIB} MiB but only {free // MIB} MiB "
                                       f"are free in {directory}", path=path)
            archive.extractall(staging)
        _swap_into_place(staging / package.folder, target, staging / ".replaced")
    except _ARCHIVE_ERRORS as error:
        raise PackageFileError(f"damaged package archive: {_one_line(error)}",
                               path=path) from None
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
