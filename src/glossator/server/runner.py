"""Start an ASGI app on uvicorn, on a socket bound before the server starts (so a free port is
known and printed), and stop it gracefully: on Ctrl+C or SIGTERM uvicorn stops accepting and lets
the requests in flight finish.

Slow clients cannot lock the others out: a connection must send a request's headers within a
deadline (from its start, and again after each answer), and past a cap on open connections a
new one closes the oldest that is still waiting for its headers, so the server never runs out
of file descriptors and a real client gets in at once."""

from __future__ import annotations

import asyncio
import ipaddress
import resource
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from glossator.errors import UsageError

SPARE_FILES = 64  # file descriptors kept free of connections (models, logs, temporary files)
BACKLOG = 128  # connections waiting to be accepted; asyncio accepts up to this many at once


@dataclass(frozen=True)
class Connections:
    header_timeout: float = 10.0  # seconds to send a request's headers
    keep_alive: float = 5.0  # seconds an idle keep-alive connection stays open
    most: int = 1000  # open connections, fewer where the file limit is low
    grace: float = 10.0  # seconds requests in flight may take to finish after a stop signal

    def cap(self) -> int:
        """The most open connections: `most`, within the file limit (raised to its hard
        limit first) less the spare files and one burst of accepts."""
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = self.most + SPARE_FILES + BACKLOG
        if soft != resource.RLIM_INFINITY and soft < wanted:
            soft = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        if soft == resource.RLIM_INFINITY:
            return self.most
        return max(min(self.most, soft - SPARE_FILES - BACKLOG), 16)


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening-ready socket on host:port (port 0: a free one), or a UsageError."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and
    # without it a response written in two parts waits for a delayed ACK (40 ms a request).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except (OSError, OverflowError) as error:
        sock.close()
        reason = getattr(error, "strerror", None) or str(error)
        raise UsageError(f"cannot listen on {host}:{port}: {reason}") from None
    sock.set_inheritable(True)
    return sock


def bound_port(sock: socket.socket) -> int:
    return sock.getsockname()[1]


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def guarded_protocol(connections: Connections) -> type:
    """uvicorn's h11 protocol with a header deadline and a cap on open connections."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    cap = connections.cap()

    class Guarded(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None
        _since = 0.0

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()
            if len(self.connections) > cap:
                waiting = [c for c in self.connections if isinstance(c, Guarded)
                           and c is not self and c.waiting()
                           and not c.transport.is_closing()]
                oldest = min(waiting, key=lambda c: c._since, default=self)
                oldest.transport.close()

        def waiting(self) -> bool:
            """No request is being read or answered: only (part of) the next one's headers."""
            return self.conn.their_state is h11.IDLE and (
                self.cycle is None or self.cycle.response_complete)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            super().connection_lost(exc)

        def _arm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            self._since = self.loop.time()
            self._deadline = self.loop.call_later(connections.header_timeout, self._expire)

        def _expire(self) -> None:
            if self.waiting() and not self.transport.is_closing():
                self.transport.close()

    return Guarded


def serve(app: Any, sock: socket.socket, *, on_started: Callable[[], None] | None = None,
          connections: Connections | None = None, **config: Any) -> None:
    """Run `app` on `sock` until a stop signal; `on_started` runs once it accepts connections.
    Extra keyword arguments go to `uvicorn.Config` (e.g. `limit_concurrency`)."""
    import uvicorn

    connections = connections or Connections()

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if on_started is not None and not self.should_exit:
                on_started()

    options: dict[str, Any] = {"log_level": "warning", "lifespan": "on",
                               "timeout_graceful_shutdown": connections.grace,
                               "server_header": False,
                               "http": guarded_protocol(connections),
                               "timeout_keep_alive": connections.keep_alive,
                               "backlog": BACKLOG}
    options.update(config)
    Server(uvicorn.Config(app, **options)).run(sockets=[sock])
