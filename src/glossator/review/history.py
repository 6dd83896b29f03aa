"""A PO's history: every change the workspace saved (who, when, the text), in a sidecar file
beside the PO ("visit.po" → "visit.po.history.json"), so that any earlier text can be seen,
compared and restored.

The PO is never put at risk for it: the history is written (atomically, as every file here)
after the PO, and a history that cannot be read or written leaves it as it is and only says so.
The file is JSON: {"format": FORMAT, "segments": {ID: [RECORD, ...]}}, oldest first; a RECORD
is {"when": ISO 8601 UTC, "who": NAME, "action": "edit" | "approve" | "revert" | "comment" |
"repin", "text": TARGET, "state": "machine" | "edited" | "reviewed", "comment": COMMENT}.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from glossator.errors import FormatError, GlossatorError, display_path
from glossator.io.files import write_all
from glossator.io.reading import read_regular
from glossator.model import Segment

FORMAT = "glossator-history 1"
MAX_BYTES = 64 * 1024 * 1024

History = dict[str, list[dict[str, Any]]]


def read_history(path: Path) -> History:
    """The records by segment id; {} where there is no history yet. FormatError where the
    file is not one."""
    if not path.exists():
        return {}
    try:
        data = json.loads(read_regular(path, FormatError, limit=MAX_BYTES))
    except (ValueError, RecursionError):
        raise FormatError("not a glossator history (not valid JSON)", path=path) from None
    if (not isinstance(data, dict) or data.get("format") != FORMAT
            or not isinstance(data.get("segments"), dict)
            or not all(isinstance(records, list) for records in data["segments"].values())):
        raise FormatError(f"not a glossator history (no \"format\": \"{FORMAT}\")", path=path)
    return data["segments"]


def record(path: Path, segments: Iterable[Segment], action: str, who: str) -> str:
    """Add one record per segment as it now is; "" or a line saying why it was not recorded
    (an unreadable history is left as it was, never replaced)."""
    try:
        history = read_history(path)
        when = datetime.now(timezone.utc).isoformat(timespec="seconds")
        for segment in segments:
            history.setdefault(segment.id, []).append({
                "when": when, "who": who, "action": action, "text": segment.target,
                "state": segment.state, "comment": segment.comment})
        text = json.dumps({"format": FORMAT, "segments": history}, ensure_ascii=False,
                          indent=1)
        write_all({path: text + "\n"})
    except (GlossatorError, OSError) as error:
        return f"history not recorded ({display_path(path)}: {error})"
    return ""
