"""Where glossaries are found: the default rule and the files of a folder.

The default rule, the same for `translate` and every `glossary` verb: the first that exists of
`./glossaries/`, `$GLOSSATOR_GLOSSARIES` (a folder or a file), and the user data folder
(`platformdirs.user_data_path("glossator") / "glossaries"`, no app author on Windows).
`--glossary PATH` replaces it. A folder contributes its `*.csv` and `*.tbx` files.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from glossator.errors import GlossaryError

LOCAL_FOLDER = Path("glossaries")
ENVIRONMENT = "GLOSSATOR_GLOSSARIES"
SUFFIXES = (".csv", ".tbx")
_SKIPPED_PREFIXES = (".", "~$")  # hidden files, and the lock files editors write


def user_folder() -> Path:
    """The user data folder's `glossaries` (~/.local/share/glossator/glossaries on Linux)."""
    import platformdirs  # only verbs that read glossaries pay for it

    return platformdirs.user_data_path("glossator", appauthor=False) / "glossaries"


def default_folder() -> tuple[Path | None, str]:
    """The folder (or file) the default rule finds, and which rule found it; (None, where it
    looked) when there is none. `$GLOSSATOR_GLOSSARIES` naming nothing is an error."""
    if LOCAL_FOLDER.is_dir():
        return LOCAL_FOLDER, f"./{LOCAL_FOLDER}"
    named = os.environ.get(ENVIRONMENT, "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.exists():
            raise GlossaryError(f"no such glossary file or folder (named by ${ENVIRONMENT})",
                                path=path)
        return path, f"${ENVIRONMENT}"
    user = user_folder()
    if user.is_dir():
        return user, str(user)
    return None, f"looked in ./{LOCAL_FOLDER}, ${ENVIRONMENT}, {user}"


def glossary_files(paths: Sequence[str | Path],
                   suffixes: Sequence[str] = SUFFIXES) -> list[Path]:
    """Files named, and the glossary files of folders named (sorted), each file once.

    A folder contributes its files ending in one of `suffixes` (any case), less those whose
    names start with `.` or `~$`; a folder with none is an error.
    """
    files: list[Path] = []
    for given in map(Path, paths):
        if given.is_dir():
            found = sorted(
                child for child in given.iterdir()
                if child.suffix.lower() in suffixes and child.is_file()
                and not child.name.startswith(_SKIPPED_PREFIXES)
            )
            if not found:
                kinds = " or ".join(f"*{suffix}" for suffix in suffixes)
                raise GlossaryError(f"folder has no glossary files ({kinds})", path=given)
            files.extend(found)
        elif given.is_file():
            files.append(given)
        elif given.exists():  # a FIFO or a device: never opened, it could hang or never end
            raise GlossaryError("not a regular file or folder", path=given)
        else:
            raise GlossaryError("no such glossary file or folder", path=given)
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)  # a file named and also in a named folder
    return list(unique.values())
