"""The parts of `glossator serve` without a server: the HTML text-node translator, API key
files and rate limits, the request gatherer, plain-text jobs."""

from __future__ import annotations

import asyncio
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from lxml import html

from glossator.errors import InputError
from glossator.model import Segment
from glossator.server.batching import Gatherer
from glossator.server.htmltext import parse_html, translate_html
from glossator.server.limits import KeyLimit, KeyRing, RateLimiter, hash_key, read_api_keys
from glossator.server.runner import bind, bound_port
from glossator.server.textjob import TermCounts, TextResult, finish_text, prepare_text

HOSTILE = ('<p onclick="steal()">Hello <b>there</b> &amp; welcome</p>'
           '<script>alert(1)</script><a href=" java\tscript:alert(2)">link</a>'
           '<img src=x onerror="alert(3)"><svg><script>alert(4)</script></svg>'
           '<iframe srcdoc="<script>alert(5)</script>"></iframe>'
           '<div style="background:url(javascript:alert(6))">box</div>'
           '<!-- <script>alert(7)</script> --><span translate="no">Keep me</span> end')


def test_html_text_nodes_are_translated_and_markup_kept() -> None:
    job = parse_html('<p class="lead">Hello <b>world</b>, again.</p>\n<ul><li>One</li></ul>')
    assert job.texts == ["Hello", "world", ", again.", "One"]
    out = job.render(["Olá", "mundo", ", de novo.", "Um"])
    assert out == '<p class="lead">Olá <b>mundo</b>, de novo.</p>\n<ul><li>Um</li></ul>'


def test_html_output_runs_nothing_of_the_input_or_the_translation() -> None:
    job = parse_html(HOSTILE)
    assert "Keep me" not in job.texts  # translate="no"
    assert not any("alert" in text for text in job.texts)
    out = job.render([f"<script>alert({i})</script>{text}" for i, text in
                      enumerate(job.texts)])
    tree = html.fragment_fromstring(out, create_parent="div")
    assert tree.xpath("//script | //svg | //iframe | //comment()") == []
    for element in tree.iter():
        for name, value in element.attrib.items():
            assert not name.startswith("on")
            assert "script" not in value.lower()
    assert "&lt;script&gt;alert(0)&lt;/script&gt;Hello" in out
    assert "<b>" in out and "Keep me" in out


def test_a_whole_page_keeps_its_head_and_doctype() -> None:
    job = parse_html("<!DOCTYPE html><html><head><title>Title</title>"
                     "<script>x()</script></head><body><p>Body</p></body></html>")
    assert job.texts == ["Title", "Body"]
    out = job.render(["Título", "Corpo"])
    assert out.startswith("<!DOCTYPE html>") and "<title>Título</title>" in out
    assert "script" not in out


def test_key_file_holds_hashes_and_limits(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.write_text(f"# newsroom\n{hash_key('secret')} 10 5000\n{hash_key('other')}\n",
                    encoding="utf-8")
    ring = KeyRing(read_api_keys(keys))
    assert ring.limit_for("secret") == (hash_key("secret"), KeyLimit(10, 5000))
    assert ring.limit_for("other") == (hash_key("other"), KeyLimit())
    assert ring.limit_for("wrong") is None and ring.limit_for(None) is None
    assert "secret" not in keys.read_text(encoding="utf-8")


@pytest.mark.parametrize("line", ["secret 10", f"{hash_key('k')} ten", f"{hash_key('k')} 1 2 3"])
def test_a_bad_key_line_names_file_and_line(tmp_path: Path, line: str) -> None:
    keys = tmp_path / "keys"
    keys.write_text(f"# first\n{line}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"keys:2: expected SHA256-HEX"):
        read_api_keys(keys)


def test_rate_limiter_counts_requests_and_characters_per_minute() -> None:
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    limit = KeyLimit(requests_per_minute=2, characters_per_minute=100)
    assert limiter.admit("a", 40, limit) is None
    assert "characters" in limiter.admit("a", 61, limit)
    assert limiter.admit("a", 60, limit) is None
    assert "requests" in limiter.admit("a", 1, limit)
    assert limiter.admit("b", 1, limit) is None  # another key has its own window
    now[0] = 61.0
    assert limiter.admit("a", 100, limit) is None


def _segments(name: str, count: int) -> list[Segment]:
    return [Segment(id=f"1.{i + 1}", source=f"{name}{i}", paragraph=1) for i in range(count)]


def test_gatherer_decodes_concurrent_requests_together_and_interleaves_big_ones() -> None:
    batches: list[list[str]] = []
    release, entered = threading.Event(), threading.Event()

    def decode(segments: list[Segment]) -> None:
        entered.set()
        release.wait(5)
        batches.append([s.source for s in segments])
        for segment in segments:
            segment.target = segment.source.upper()

    async def scenario() -> tuple[list[Segment], list[Segment], list[Segment]]:
        with ThreadPoolExecutor(1) as pool:
            gatherer = Gatherer(decode, pool, wait=0.01, batch_segments=8, piece_segments=4)
            big, small, other = _segments("big", 20), _segments("s", 2), _segments("o", 1)
            first = asyncio.ensure_future(gatherer.translate(big))
            while not entered.is_set():  # the first batch is decoding (held by `release`)
                await asyncio.sleep(0.001)
            rest = [asyncio.ensure_future(gatherer.translate(small)),
                    asyncio.ensure_future(gatherer.translate(other))]
            await asyncio.sleep(0.01)
            release.set()
            await asyncio.gather(first, *rest)
            await gatherer.close()
            return big, small, other

    big, small, other = asyncio.run(scenario())
    assert [s.target for s in big + small + other] == [s.source.upper()
                                                       for s in big + small + other]
    assert batches[0] == [f"big{i}" for i in range(8)]
    # the small requests ride in the second batch, beside a piece of the big one
    assert set(batches[1]) >= {"s0", "s1", "o0"} and len(batches[1]) <= 8
    assert sum(map(len, batches)) == 23


def test_gatherer_waits_for_the_answered_requests_to_come_back_before_a_small_batch() -> None:
    batches: list[list[str]] = []
    release = threading.Event()

    def decode(segments: list[Segment]) -> None:
        release.wait(5)
        batches.append([s.source for s in segments])

    async def scenario() -> None:
        with ThreadPoolExecutor(1) as pool:
            gatherer = Gatherer(decode, pool, wait=0.2, batch_segments=8, piece_segments=4)
            first = asyncio.ensure_future(gatherer.translate(_segments("a", 1)))
            await asyncio.sleep(0.3)  # "a" is decoding
            queued = asyncio.ensure_future(gatherer.translate(_segments("b", 1)))
            await asyncio.sleep(0)
            release.set()
            await first
            # the client answered first sends its next request at once: it joins "b"
            await asyncio.gather(queued, gatherer.translate(_segments("c", 1)))
            await gatherer.close()

    asyncio.run(scenario())
    assert batches == [["a0"], ["b0", "c0"]]


def test_gatherer_off_decodes_one_request_per_call() -> None:
    calls: list[int] = []

    def decode(segments: list[Segment]) -> None:
        calls.append(len(segments))

    async def scenario() -> None:
        with ThreadPoolExecutor(1) as pool:
            gatherer = Gatherer(decode, pool, gather=False, batch_segments=8, piece_segments=4)
            await asyncio.gather(*(gatherer.translate(_segments(str(i), 2)) for i in range(3)))
            await gatherer.close()

    asyncio.run(scenario())
    assert calls == [2, 2, 2]


def test_text_job_keeps_line_breaks_and_spacing_between_sentences() -> None:
    text = "  First one. Second one!\n\nThird  one?\n"
    job = prepare_text(text, "en", "pt", None)
    assert [s.source for s in job.segments] == ["First one.", "Second one!", "Third  one?"]
    for segment in job.segments:
        segment.target = f"<{segment.source}>"
    assert finish_text(job, "pt").text == "  <First one.> <Second one!>\n\n<Third  one?>\n"


def _dictionary(table: dict[str, str]):
    return lambda texts: [table.get(text, text.upper()) for text in texts]


def test_html_sentence_through_inline_markup_is_translated_whole() -> None:
    translate = _dictionary({
        "Seoul and Washington held drills.": "Seul e Washington realizaram exercícios.",
        "Washington": "Washington", "One": "Um"})
    job = parse_html("<p>Seoul and <em>Washington</em> held drills. </p><ul><li>One</li></ul>")
    first = job.first_pass()
    assert first == ["Seoul and Washington held drills.", "Washington", "One"]
    used, second = job.place(translate(first))
    assert used == [0, 2] and second == []
    assert job.finish([]) == ("<p>Seul e <em>Washington</em> realizaram exercícios. </p>"
                              "<ul><li>Um</li></ul>")


def test_html_inline_text_not_found_once_falls_back_to_nodes_keeping_markup() -> None:
    translate = _dictionary({"Hello world, again.": "Olá, mundo, de novo.", "world": "terra",
                             "Hello": "Olá", ", again.": ", de novo."})
    job = parse_html('<p>Hello <a href="/w">world</a>, again.</p>')
    used, second = job.place(translate(job.first_pass()))
    assert used == [1] and second == ["Hello", ", again."]
    assert job.finish(translate(second)) == '<p>Olá <a href="/w">terra</a>, de novo.</p>'


def test_html_inline_part_found_where_the_sentence_words_it_a_little_differently() -> None:
    translate = _dictionary({
        "They said the KCNA report was false.": "Disseram que o relatório da KCNA era falso.",
        "the KCNA report": "o relatório KCNA"})
    job = parse_html('<p>They said <a href="/r">the KCNA report</a> was false.</p>')
    used, second = job.place(translate(job.first_pass()))
    assert used == [0] and second == []
    assert job.finish([]) == '<p>Disseram que <a href="/r">o relatório da KCNA</a> era falso.</p>'


def test_translate_html_runs_two_batches_and_counts_the_terms_it_uses() -> None:
    table = {"Hello world, again.": "Olá, mundo, de novo.", "world": "terra", "Hello": "Olá",
             ", again.": ", de novo.", "Seoul and Washington met.": "Seul e Washington.",
             "Washington": "Washington"}
    batches: list[list[str]] = []

    async def translate(texts):
        batches.append(list(texts))
        return [TextResult(table[text], TermCounts(1, 1 if text != "world" else 0,
                                                   ["world"] if text == "world" else []))
                for text in texts]

    markups = ['<p>Hello <a href="/w">world</a>, again.</p>',
               "<p>Seoul and <em>Washington</em> met.</p>"]
    first, second = asyncio.run(translate_html(markups, translate))
    assert batches == [["Hello world, again.", "world", "Seoul and Washington met.", "Washington"],
                       ["Hello", ", again."]]
    assert first.text == '<p>Olá <a href="/w">terra</a>, de novo.</p>'
    assert first.terms.as_dict() == {"found": 3, "landed": 2, "missed": ["world"]}
    assert second.text == "<p>Seul e <em>Washington</em>.</p>"
    assert second.terms.as_dict() == {"found": 1, "landed": 1, "missed": []}


def test_term_counts_add_up() -> None:
    total = TermCounts.total([TermCounts(2, 1, ["a"]), TermCounts(), TermCounts(1, 1, ["b"])])
    assert total.as_dict() == {"found": 3, "landed": 2, "missed": ["a", "b"]}


def test_accepted_connections_send_without_waiting_for_acks() -> None:
    """asyncio turns Nagle off only on a socket made as TCP; else each response written in two
    parts waited for the client's delayed ACK (40 ms a request, measured)."""
    async def accept_one() -> int:
        sock = bind("127.0.0.1", 0)
        sock.listen()
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Record(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                raw = transport.get_extra_info("socket")
                accepted.set_result(raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

        server = await asyncio.get_running_loop().create_server(Record, sock=sock)
        _reader, writer = await asyncio.open_connection("127.0.0.1", bound_port(sock))
        nodelay = await asyncio.wait_for(accepted, 10)
        writer.close()
        server.close()
        return nodelay

    assert asyncio.run(accept_one()) != 0
