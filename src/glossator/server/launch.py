"""`glossator serve`: load what the API translates with, bind, print the address, serve until
Ctrl+C or SIGTERM (requests in flight finish first)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from glossator.server.limits import KeyRing, Limits, read_api_keys
from glossator.server.runner import (
    Connections,
    bind,
    bound_port,
    is_loopback,
    serve,
    url_host,
)
from glossator.server.service import ServiceOptions, TranslationService

Report = Callable[[str], None]


def run_api(host: str, port: int, options: ServiceOptions, *, limits: Limits,
            key_file: Path | None = None, origins: Sequence[str] = ("*",),
            connections: Connections | None = None,
            report: Report = lambda _line: None,
            on_address: Callable[[str], None] = print) -> None:
    """Serve the API on host:port (0: a free port) until a stop signal. `on_address` gets the
    base URL once connections are accepted."""
    from glossator.server.api import create_app

    keys = KeyRing(read_api_keys(key_file)) if key_file else None
    sock = bind(host, port)  # before loading models: a taken port fails at once
    service = TranslationService(options, report)
    service.load()
    pairs = ", ".join(f"{s}→{t}" for s, t in sorted(service.engines))
    report(f"serving {len(service.engines)} language pairs: {pairs}")
    if not is_loopback(host) and keys is None:
        report(f"warning: {host} is reachable from other machines and no --api-keys file "
               "is set: anyone who can reach it can translate")
    address = f"http://{url_host(host)}:{bound_port(sock)}"
    serve(create_app(service, limits=limits, keys=keys, origins=origins), sock,
          on_started=lambda: on_address(address), connections=connections)
