"""The shared model: a segment's state, as every view shows it."""

from __future__ import annotations

from glossator.model import EDITED, MACHINE, REVIEWED, Segment, count_states


def test_state_is_reviewed_edited_or_machine():
    machine = Segment("1.1", "Hello.", 1, target="Olá.", machine="Olá.")
    edited = Segment("1.2", "Hello.", 1, target="Oi.", machine="Olá.")
    reviewed = Segment("1.3", "Hello.", 1, target="Oi.", machine="Olá.", fuzzy=False)
    foreign = Segment("1.4", "Hello.", 1, target="Oi.")  # no machine text recorded
    assert [s.state for s in (machine, edited, reviewed, foreign)] == [
        MACHINE, EDITED, REVIEWED, MACHINE]


def test_count_states_names_every_state():
    assert count_states([]) == {REVIEWED: 0, EDITED: 0, MACHINE: 0}
    segments = [Segment("1.1", "a", 1, target="b", machine="c"),
                Segment("1.2", "a", 1, target="b", fuzzy=False),
                Segment("1.3", "a", 1, target="b", fuzzy=False)]
    assert count_states(segments) == {REVIEWED: 2, EDITED: 1, MACHINE: 0}
