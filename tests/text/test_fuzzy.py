"""The memory index: fuzzy matches found through the index (not a scan), best first, with a
word diff; concordance by word start in both sides."""

from __future__ import annotations

from glossator.text.fuzzy import FuzzyIndex, Unit, word_diff

MISSILE = Unit("North Korea fired a missile into the sea on Monday, officials said.",
               "A Coreia do Norte disparou um míssil no mar na segunda-feira, disseram "
               "autoridades.", "memory")
TALKS = Unit("The talks on trade went well, the minister said.",
             "As conversas sobre comércio correram bem, disse o ministro.", "pt/a.po#2.1")


def filler(count: int) -> list[Unit]:
    return [Unit(f"The committee met {n} times in room {n * 7} before the vote on item {n}.",
                 f"O comité reuniu-se {n} vezes na sala {n * 7} antes da votação {n}.", "memory")
            for n in range(count)]


def test_a_sentence_with_one_word_changed_finds_its_unit_first_with_the_change_marked():
    index = FuzzyIndex([*filler(500), MISSILE, TALKS])
    [best, *_] = index.lookup("North Korea fired two missiles into the sea on Monday, "
                              "officials said.")
    assert best.source == MISSILE.source and best.target == MISSILE.target
    assert 75 <= best.score < 100 and best.origin == "memory"
    assert ("delete", "two") in best.diff and ("insert", "a") in best.diff
    assert ("delete", "missiles") in best.diff and ("insert", "missile") in best.diff
    assert "".join(text for kind, text in best.diff if kind != "delete") == MISSILE.source


def test_matches_are_best_first_and_below_the_threshold_left_out():
    index = FuzzyIndex(filler(300))
    matches = index.lookup("The committee met 12 times in room 84 before the vote on item 12.",
                           limit=5)
    assert matches[0].score == 100 and matches[0].source.startswith("The committee met 12 ")
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert all(m.score >= 75 for m in matches) and len(matches) == 5
    assert index.lookup("Completely unrelated words about football and weather today.") == []


def test_an_excluded_origin_and_an_empty_memory_give_nothing():
    index = FuzzyIndex([TALKS])
    assert index.lookup(TALKS.source)[0].score == 100
    assert index.lookup(TALKS.source, exclude={"pt/a.po#2.1"}) == []
    assert FuzzyIndex().lookup(TALKS.source) == []
    assert index.lookup("   ") == []


def test_a_pair_already_held_or_with_an_empty_side_is_not_added():
    index = FuzzyIndex()
    assert index.add(TALKS) and not index.add(Unit(TALKS.source, TALKS.target, "other"))
    assert not index.add(Unit("Source only.", " ")) and len(index) == 1


def test_concordance_finds_a_phrase_at_word_starts_in_source_and_target_case_ignored():
    index = FuzzyIndex([*filler(3000), MISSILE, TALKS])
    hits, more = index.search("korea")
    assert [hit.unit for hit in hits] == [MISSILE] and not more
    assert [MISSILE.source[a:b] for a, b in hits[0].source_spans] == ["Korea"]
    hits, _more = index.search("correram  bem")  # white space as typed
    assert [hit.unit for hit in hits] == [TALKS] and hits[0].source_spans == ()
    assert [TALKS.target[a:b] for a, b in hits[0].target_spans] == ["correram bem"]
    assert index.search("orea")[0] == []  # not at the start of a word
    assert [hit.unit for hit in index.search("Kor")[0]] == [MISSILE]


def test_concordance_of_common_words_stops_at_the_limit_and_says_there_are_more():
    index = FuzzyIndex([*filler(3000), MISSILE, TALKS])
    hits, more = index.search("the vote", limit=20)
    assert len(hits) == 20 and more
    assert all("the vote" in hit.unit.source for hit in hits)
    hits, more = index.search("minister said")  # both words common to no other unit
    assert [hit.unit for hit in hits] == [TALKS] and not more


def test_word_diff_marks_whole_words():
    assert word_diff("the big dog barked", "the small dog barked") == (
        ("same", "the "), ("delete", "big"), ("insert", "small"), ("same", " dog barked"))
    assert word_diff("same", "same") == (("same", "same"),)


def test_a_run_of_changed_words_is_one_deletion_and_one_insertion():
    assert word_diff("ties with North Korea.", "ties with Pyongyang.") == (
        ("same", "ties with "), ("delete", "North Korea"), ("insert", "Pyongyang"),
        ("same", "."))
