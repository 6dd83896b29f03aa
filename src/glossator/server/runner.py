"""Start an ASGI app on uvicorn, on a socket bound before the server starts (so a free port is
known and printed), and stop it gracefully: on Ctrl+C or SIGTERM uvicorn stops accepting and lets
the requests in flight finish."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any

from glossator.errors import UsageError

GRACE_SECONDS = 10  # how long requests in flight may take to finish after a stop signal


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


def serve(app: Any, sock: socket.socket, *, on_started: Callable[[], None] | None = None,
          **config: Any) -> None:
    """Run `app` on `sock` until a stop signal; `on_started` runs once it accepts connections.
    Extra keyword arguments go to `uvicorn.Config` (e.g. `limit_concurrency`)."""
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if on_started is not None and not self.should_exit:
                on_started()

    options: dict[str, Any] = {"log_level": "warning", "lifespan": "on",
                               "timeout_graceful_shutdown": GRACE_SECONDS,
                               "server_header": False}
    options.update(config)
    Server(uvicorn.Config(app, **options)).run(sockets=[sock])
