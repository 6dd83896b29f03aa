"""Paths quoted for a PO header, and back."""

from __future__ import annotations

import os

from hypothesis import given
from hypothesis import strategies as st

from glossator.io import names
from glossator.io.names import quote_path, unquote_path

# Names as os.fsdecode gives them: any character but surrogates, bytes that are not UTF-8 as
# U+DC80-U+DCFF, and the characters quoting is about made likely.
_PATHS = st.text(st.one_of(st.characters(exclude_categories=("Cs",)),
                           st.sampled_from(' %"\\\t\n\u00a0\u2028/é'),
                           st.sampled_from([chr(0xDC80 + byte) for byte in (0, 0x3F, 0x7F)])))


@given(_PATHS)
def test_a_path_needing_no_quotes_is_kept_as_it_is_and_every_path_comes_back(path):
    quoted = quote_path(path)
    assert quoted == "".join(names._quoted(char) for char in path)  # each character's rule
    assert quoted.isprintable() and " " not in quoted and '"' not in quoted
    assert "\\" not in quoted
    assert unquote_path(quoted) == os.fsdecode(os.fsencode(path))
