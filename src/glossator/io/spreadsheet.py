"""Cells that a spreadsheet opens as text, never as a formula (CSV/formula injection).

Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula, which can fetch
URLs or start programs (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`). As OWASP recommends, such a
cell is written with a `'` in front; a cell that starts with `'` followed by one of those
characters or by another `'` gets one too, so that reading drops exactly one `'` from any cell
that starts with `'` and one of `=+-@'`, and gets back the text as it was. Any other cell,
`'t Hooft` or `-` written by hand in a glossary as `'-` included, is read as written. Tab and
carriage return, which OWASP also lists, cannot start a cell here: TSV writes them as `\\t` and
`\\r`, and glossary CSV cells are read without the white space around them.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@")
_GUARD = "'"
_GUARDED = (*FORMULA_STARTS, _GUARD)


def neutralise(cell: str) -> str:
    """`cell` as written to a spreadsheet file: "=1+1" → "'=1+1", "'=x" → "''=x"."""
    if cell.startswith(FORMULA_STARTS) or (cell.startswith(_GUARD)
                                          and cell[1:].startswith(_GUARDED)):
        return _GUARD + cell
    return cell


def restore(cell: str) -> str:
    """The inverse of `neutralise`: "'=1+1" → "=1+1"; "'t Hooft" stays as it is."""
    if cell.startswith(_GUARD) and cell[1:].startswith(_GUARDED):
        return cell[1:]
    return cell
