"""Dates read with CLDR's data for the source language and rendered in the target's (issue 18):
"quinta-feira, 12 de setembro de 2024" is pinned to "Thursday, September 12, 2024"."""

from __future__ import annotations

from datetime import date

import pytest

from glossator.terms.pinning import find_pins
from glossator.text.dates import find_dateline, find_dates, render_date

SEPT_12 = date(2024, 9, 12)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Thursday, September 12, 2024"),
    ("en", "12 September 2024"),
    ("en", "Thursday 12 September, 2024"),
    ("pt", "quinta-feira, 12 de setembro de 2024"),
    ("pt", "Quinta-Feira, 12 de Setembro de 2024"),
    ("es", "jueves, 12 de septiembre de 2024"),
    ("fr", "jeudi 12 septembre 2024"),
    ("de", "Donnerstag, 12. September 2024"),
    ("ru", "четверг, 12 сентября 2024 г."),
    ("ja", "2024年9月12日木曜日"),
    ("hu", "2024. szeptember 12., csütörtök"),
])
def test_a_full_date_is_read_as_its_language_writes_it(language, text):
    [found] = find_dates(f"On {text} the talks began.", language)
    assert found.value == SEPT_12 and found.text == text
    assert find_dateline(text) == SEPT_12


@pytest.mark.parametrize(("language", "text"), [
    ("pt", "sexta-feira, 12 de setembro de 2024"),  # the 12th was a Thursday
    ("pt", "30 de fevereiro de 2024"),
    ("en", "September 12 of 2024"),
    ("pt", "12 de setembro"),  # no year: nothing to render for sure
])
def test_what_is_no_date_is_left_to_the_model(language, text):
    assert find_dates(text, language) == []


def test_the_longest_reading_wins_and_dates_do_not_overlap():
    text = "Na quinta-feira, 12 de setembro de 2024, e em 3 de março de 2023."
    found = find_dates(text, "pt")
    assert [(m.text, m.with_weekday) for m in found] == [
        ("quinta-feira, 12 de setembro de 2024", True), ("3 de março de 2023", False)]


def test_pt_to_en_dateline_is_cldr_english_not_the_engines():
    [pin] = find_pins("quinta-feira, 12 de setembro de 2024", None, "en", "pt")
    assert pin.target_text == "Thursday, September 12, 2024"
    assert pin.concept == "date"
    # and en → pt as before
    [pin] = find_pins("Thursday, September 12, 2024", None, "pt", "en")
    assert pin.target_text == render_date(SEPT_12, "pt", with_weekday=True) == \
        "quinta-feira, 12 de setembro de 2024"


def test_an_english_date_in_a_portuguese_text_is_not_read_as_portuguese():
    assert find_dates("Thursday, September 12, 2024", "pt") == []


def test_cldr_names_are_made_once_and_read_back_from_the_cache(monkeypatch, cache_folder):
    """Reading English's hundred regions of CLDR takes half a second: a run after the first
    reads the names from the cache, and a damaged entry is made again, never an error."""
    import babel

    from glossator.io.cache import entry_path
    from glossator.text import dates

    entry = entry_path("cldr-dates", f"{babel.__version__} pt")
    assert entry.parent == cache_folder
    entry.unlink(missing_ok=True)  # the session's, linked in: this test makes its own
    made = dates.cldr_date_names("pt")
    assert made is not None and made[0]["setembro"] == 9 and made[1]["quinta-feira"] == 3
    assert entry.exists()

    def no_cldr():
        raise AssertionError("CLDR read again")

    cldr = dates.locale_identifiers
    monkeypatch.setattr(dates, "locale_identifiers", no_cldr)
    assert dates.cldr_date_names("pt") == made
    entry.write_bytes(entry.read_bytes()[:-5])  # cut short (a file of its own: written anew)
    with pytest.raises(AssertionError, match="CLDR read again"):
        dates.cldr_date_names("pt")
    monkeypatch.setattr(dates, "locale_identifiers", cldr)
    assert dates.cldr_date_names("pt") == made
    assert dates.cldr_date_names("xx-not-a-language") is None
