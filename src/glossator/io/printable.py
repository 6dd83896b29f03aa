"""Text from articles, PO files and package metadata made safe to print on a terminal.

An article or a PO file can carry terminal control sequences: `ESC ] 0 ; … BEL` sets the
window title, `ESC [ 2 J` clears the screen, and bidi overrides (U+202E) reorder what is shown.
`printable` replaces every C0 control character (except tab and line feed, by default) with its
visible Unicode control picture (ESC → ␛, BEL → ␇), DEL with ␡, and C1 controls and bidi
embedding, override and isolate characters with U+FFFD �. Each replacement takes one column,
so widths and offsets computed on the text stay right. glossator's own colour codes are added
after this, so `review --color always` still colours.
"""

from __future__ import annotations

from functools import cache

REPLACEMENT = "\ufffd"
# LRE RLE PDF LRO RLO, LRI RLI FSI PDI: they reorder the text shown after them.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@cache
def _table(keep: str) -> dict[int, str]:
    table = {code: chr(0x2400 + code) for code in range(0x20)}  # ␀ … ␟
    table[0x7F] = "\u2421"  # ␡
    table.update({code: REPLACEMENT for code in range(0x80, 0xA0)})
    table.update({ord(char): REPLACEMENT for char in BIDI_CONTROLS})
    for char in keep:
        table.pop(ord(char), None)
    return table


def printable(text: str, keep: str = "\t\n") -> str:
    """`text` with control characters (but those in `keep`) replaced by visible ones.

    >>> printable("\\x1b]0;pwned\\x07title")
    '␛]0;pwned␇title'
    """
    return text.translate(_table(keep))
