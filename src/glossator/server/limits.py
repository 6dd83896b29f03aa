"""What one client may ask of `glossator serve`: request size, characters and texts per request,
API keys (stored as SHA-256 hashes only) and requests/characters per minute per key.

The key file has one key a line: `SHA256-HEX [REQUESTS-PER-MINUTE [CHARACTERS-PER-MINUTE]]`
(0 or nothing: no limit), `#` comments. `printf %s "$KEY" | sha256sum` gives the hash; the
server never sees a key in clear text except in the request that carries it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from glossator.errors import InputError

WINDOW_SECONDS = 60.0
_HASH = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Limits:
    body_bytes: int = 2_000_000  # 413 above
    body_seconds: float = 30.0  # a request's body must arrive within this; 408 after
    characters: int = 10_000  # per request, all texts together; 400 above (0: none)
    texts: int = 128  # texts in one request (q as a list); 400 above (0: none)
    timeout: float = 120.0  # seconds a translation may take before 503
    requests_per_minute: int = 0  # per client address when no key file is used (0: none)


@dataclass(frozen=True)
class KeyLimit:
    requests_per_minute: int = 0  # 0: no limit
    characters_per_minute: int = 0


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def read_api_keys(path: Path) -> dict[str, KeyLimit]:
    """The key file: hash → limits. A malformed line is an InputError naming it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the API key file: {error}", path=path) from None
    keys: dict[str, KeyLimit] = {}
    for number, line in enumerate(lines, start=1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        digest, numbers = fields[0].lower(), fields[1:]
        if not _HASH.match(digest) or len(numbers) > 2 or not all(n.isdigit() for n in numbers):
            raise InputError("expected SHA256-HEX [REQUESTS-PER-MINUTE "
                             "[CHARACTERS-PER-MINUTE]]", path=path, line=number)
        keys[digest] = KeyLimit(*(int(n) for n in numbers))
    if not keys:
        raise InputError("the API key file holds no key", path=path)
    return keys


class KeyRing:
    """Checks a key against the stored hashes, in constant time per hash."""

    def __init__(self, keys: dict[str, KeyLimit]) -> None:
        self.keys = keys

    def limit_for(self, key: str | None) -> tuple[str, KeyLimit] | None:
        """(hash, limits) of a valid key, else None."""
        if not key:
            return None
        digest = hash_key(key)
        for stored, limit in self.keys.items():
            if hmac.compare_digest(stored, digest):
                return stored, limit
        return None


class RateLimiter:
    """Requests and characters per identity over the last minute (a sliding window)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.seen: dict[str, deque[tuple[float, int]]] = {}

    def admit(self, identity: str, characters: int, limit: KeyLimit) -> str | None:
        """Record the request and return None, or return why it is refused (not recorded)."""
        if not limit.requests_per_minute and not limit.characters_per_minute:
            return None
        now = self.clock()
        window = self.seen.setdefault(identity, deque())
        while window and window[0][0] <= now - WINDOW_SECONDS:
            window.popleft()
        if limit.requests_per_minute and len(window) >= limit.requests_per_minute:
            return f"Slowdown: more than {limit.requests_per_minute} requests per minute"
        used = sum(chars for _time, chars in window)
        if limit.characters_per_minute and used + characters > limit.characters_per_minute:
            return (f"Slowdown: more than {limit.characters_per_minute} characters per "
                    "minute")
        window.append((now, characters))
        if len(self.seen) > 10_000:  # forget idle identities
            for name in [n for n, w in self.seen.items() if not w]:
                del self.seen[name]
        return None


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class BodyLimit:
    """ASGI middleware: a body over `limit` bytes gets 413 `{"error": ...}`, whether it
    announces its length or streams it, and one that does not arrive within `seconds` gets 408.
    The body is read in full (it is small) before the app runs, so the app never sees part of a
    refused one. Before a 413 the rest of the body is read and thrown away (up to
    `DRAIN_BYTES`): closing on unread data makes the kernel reset the connection, and a client
    still sending would get that reset instead of the answer."""

    DRAIN_BYTES = 16 * 1024 * 1024

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]],
                 limit: int, seconds: float = 30.0) -> None:
        self.app, self.limit, self.seconds = app, limit, seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.seconds
        try:
            async with asyncio.timeout_at(deadline):
                body = await self._read(scope, receive)
        except TimeoutError:
            await _answer(send, 408, f"Request body not received within {self.seconds:g} "
                          "seconds")
            return
        except _TooLarge:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout_at(deadline):
                    await _drain(receive, self.DRAIN_BYTES)
            await _answer(send, 413, f"Request body too large (more than {self.limit} bytes)")
            return
        if body is None:
            return  # the client went away
        replayed = False

        async def replay() -> MutableMapping[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read(self, scope: Scope, receive: Receive) -> bytes | None:
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.limit:
            raise _TooLarge
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.limit:
                raise _TooLarge
            if not message.get("more_body", False):
                return b"".join(chunks)


class _TooLarge(Exception):
    pass


async def _drain(receive: Receive, most: int) -> None:
    """Read and drop what is left of a body, up to `most` bytes."""
    drained = 0
    while drained <= most:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return
        drained += len(message.get("body", b""))


async def _answer(send: Send, status: int, error: str) -> None:
    body = json.dumps({"error": error}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
