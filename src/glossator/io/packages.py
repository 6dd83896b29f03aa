"""Zip packages (DOCX, ODT) checked before any library opens them.

The file itself is capped as a text article is (`io.reading.MAX_ARTICLE_BYTES`, 16 MiB); a zip
may hold far more than it weighs, so its members are capped too, from the sizes its directory
declares (Python's zipfile never inflates a member past its declared size, so a lying header
gives a short member and a CRC error, not more data): at most `MAX_PACKAGE_MEMBERS` members
and `MAX_PACKAGE_BYTES` uncompressed in all. A news document is a few dozen members and a few
MB with its pictures. Every member is then inflated once and its CRC checked, so that a damaged
package is refused here, in one line, and not half-way through a run.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from glossator.errors import InputError
from glossator.io.reading import MIB

MAX_PACKAGE_MEMBERS = 2000
MAX_PACKAGE_BYTES = 64 * MIB
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: old .doc, or encrypted OOXML


def check_package(data: bytes, path: Path, what: str, required: str) -> None:
    """InputError (one line, the file named) unless `data` is a sound zip package within the
    caps that holds the member `required` ("word/document.xml"); `what` names the format."""
    a = "an" if what[:1] in "AEIOU" else "a"
    if data.startswith(_OLE):
        raise InputError(f"is an encrypted (password-protected) or old binary Office file, "
                         f"not {a} {what}: save it unprotected as {what}", path=path)
    if not data.startswith(b"PK"):
        raise InputError(f"is not {a} {what} (not a zip package)", path=path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            if len(members) > MAX_PACKAGE_MEMBERS:
                raise InputError(f"{what} of {len(members):,} members, over the limit of "
                                 f"{MAX_PACKAGE_MEMBERS:,}", path=path)
            total = sum(member.file_size for member in members)
            if total > MAX_PACKAGE_BYTES:
                raise InputError(f"{what} of {total:,} bytes uncompressed, over the "
                                 f"{MAX_PACKAGE_BYTES // MIB} MiB limit", path=path)
            if required not in package.namelist():
                raise InputError(f"has no {required}: not {a} {what} (a template, macros only, "
                                 "or another kind of package)", path=path)
            damaged = package.testzip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError,
            EOFError, OSError, RuntimeError, zlib.error) as problem:
        raise InputError(f"is a damaged {what} (zip: {problem})", path=path) from None
    if damaged is not None:
        raise InputError(f"is a damaged {what} (member {damaged} fails its CRC check)",
                         path=path)
