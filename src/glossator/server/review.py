"""`glossator review PATH --web`: the review workspace on a local web page (Starlette).

A server on this machine that writes files is guarded as Jupyter guards its own:

- it listens on loopback unless `--host` says otherwise;
- every request needs the random token printed with the URL: `?token=` once, which sets an
  HttpOnly, SameSite=Strict cookie and redirects to the URL without it; else 403;
- the Host header must name the server (127.0.0.1:PORT, localhost:PORT or the `--host`), so
  a page on another site whose name resolves to 127.0.0.1 (DNS rebinding) is refused;
- a write (POST) needs the per-server CSRF secret in a header (the page carries it in a meta
  tag only same-origin script can read) and, where the browser sends one, a matching Origin;
- a PO is named by its path under PATH, resolved there and refused when it leads outside;
- the Content-Security-Policy allows only this server's own script and style; the script
  builds the page with `textContent`, never with markup from data, and the pages written here
  escape every text.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from functools import cache, partial
from html import escape
from importlib import resources
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from glossator import __version__
from glossator.errors import GlossatorError, display_path
from glossator.review.workspace import Workspace

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
       "img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
CSRF_HEADER = "x-glossator-csrf"
MAX_BODY = 256 * 1024  # bytes of one JSON request
STATIC = {"workspace.js": "application/javascript; charset=utf-8",
          "workspace.css": "text/css; charset=utf-8",
          "instruments.js": "application/javascript; charset=utf-8",
          "instruments.css": "text/css; charset=utf-8"}
_HEADERS = {"Content-Security-Policy": CSP, "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
            "Cache-Control": "no-store"}


class Guard:
    """ASGI middleware: Host, token and (for writes) CSRF checks before any route runs."""

    def __init__(self, app: ASGIApp, *, token: str, csrf: str, hosts: set[str],
                 cookie: str) -> None:
        self.app, self.token, self.csrf, self.hosts, self.cookie = app, token, csrf, hosts, cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        host = request.headers.get("host", "")
        if host not in self.hosts:
            await _refuse("unknown Host header", 403)(scope, receive, send)
            return
        given = request.query_params.get("token")
        if given is not None and request.method == "GET":
            if not _same(given, self.token):
                await _refuse("wrong token", 403)(scope, receive, send)
                return
            # The token leaves the address bar (and history) at once; the cookie carries it.
            query = "&".join(f"{quote(key)}={quote(value)}"
                             for key, value in request.query_params.multi_items()
                             if key != "token")
            path = "/" + request.url.path.lstrip("/")  # never "//host": no open redirect
            response = RedirectResponse(path + (f"?{query}" if query else ""), 303)
            response.set_cookie(self.cookie, self.token, httponly=True, samesite="strict",
                                path="/")
            await response(scope, receive, send)
            return
        if not _same(request.cookies.get(self.cookie, ""), self.token):
            await _refuse("a token is needed: open the URL the server printed", 403)(
                scope, receive, send)
            return
        if request.method not in ("GET", "HEAD"):
            origin = request.headers.get("origin")
            if origin is not None and origin != f"http://{host}":
                await _refuse("cross-origin write refused", 403)(scope, receive, send)
                return
            if not _same(request.headers.get(CSRF_HEADER, ""), self.csrf):
                await _refuse("CSRF token missing or wrong", 403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _refuse(message: str, status: int) -> Response:
    return PlainTextResponse(message + "\n", status, headers=_HEADERS)


def create_app(workspace: Workspace, *, token: str, hosts: set[str],
               csrf: str | None = None, cookie: str = "glossator-token",
               warm_memory: bool = False) -> Guard:
    """The workspace's web app behind its guard; `hosts` are the Host headers accepted.
    `warm_memory`: index the translation memory in the background at once."""
    csrf = csrf or secrets.token_urlsafe(24)

    def home(request: Request) -> Response:
        return _page("glossator review", csrf, _home_body(workspace), "home")

    def article_page(request: Request) -> Response:
        relative = request.query_params.get("path", "")
        workspace.resolve(relative)  # 404 now, not from the script later
        return _page(f"{relative} · glossator review", csrf, "", "article", relative)

    def article_data(request: Request) -> Response:
        return _json(workspace.article(request.query_params.get("path", "")))

    def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name == "review.css":
            from glossator.formats.html import stylesheet

            return Response(stylesheet(), media_type="text/css; charset=utf-8",
                            headers=_HEADERS)
        if name not in STATIC:
            return _refuse("not found", 404)
        return Response(_static_text(name), media_type=STATIC[name], headers=_HEADERS)

    async def save(request: Request) -> Response:
        body = await _body(request)
        result = await _threaded(partial(
            workspace.save, _text(body, "path"), _text(body, "id"), _text(body, "base"),
            _text(body, "action"), body.get("text") if isinstance(body.get("text"), str) else None,
            ask=body.get("ask") is True))
        return _json(asdict(result), 409 if result.status == "conflict" else 200)

    async def alternatives(request: Request) -> Response:
        body = await _body(request)
        found = await _threaded(workspace.alternatives, _text(body, "path"), _text(body, "id"))
        return _json({"alternatives": found})

    async def translate_again(request: Request) -> Response:
        body = await _body(request)
        return _json(await _threaded(workspace.translate_again, _text(body, "path"),
                                     _text(body, "id")))

    async def add_term(request: Request) -> Response:
        body = await _body(request)
        result = await _threaded(workspace.add_term, _text(body, "path"), _text(body, "term"),
                                 _text(body, "rendering"), _text(body, "glossary"),
                                 body.get("note") if isinstance(body.get("note"), str) else "")
        return _json(asdict(result), 409 if result.status == "clash" else 200)

    async def repin(request: Request) -> Response:
        body = await _body(request)
        ids = body.get("ids")
        if not isinstance(ids, list) or not all(isinstance(item, str) for item in ids):
            raise _BadRequest("ids: a list of segment ids is needed")
        saved = await _threaded(workspace.repin, _text(body, "path"), ids)
        return _json({"segments": saved})

    routes = [
        Route("/", home), Route("/article", article_page),
        Route("/api/article", article_data), Route("/static/{name}", static),
        Route("/api/save", save, methods=["POST"]),
        Route("/api/alternatives", alternatives, methods=["POST"]),
        Route("/api/translate-again", translate_again, methods=["POST"]),
        Route("/api/term", add_term, methods=["POST"]),
        Route("/api/repin", repin, methods=["POST"]),
        *_segment_context_routes(workspace),
    ]
    handlers: dict[Any, Callable[..., Any]] = {GlossatorError: _error, _BadRequest: _error}
    routes += _instrument_routes(workspace, warm_memory=warm_memory)
    app = Starlette(routes=routes, exception_handlers=handlers)
    return Guard(app, token=token, csrf=csrf, hosts=hosts, cookie=cookie)


def _segment_context_routes(workspace: Workspace) -> list[Route]:
    """Comments, history, the file's version (for the page to see changes on disk) and the
    outputs beside the PO (stale after a save; rebuilt on request)."""

    async def comment(request: Request) -> Response:
        body = await _body(request)
        result = await _threaded(workspace.comment, _text(body, "path"), _text(body, "id"),
                                 _text(body, "base"), _text(body, "text"))
        return _json(asdict(result), 409 if result.status == "conflict" else 200)

    async def history(request: Request) -> Response:
        query = request.query_params
        return _json({"history": await _threaded(workspace.history, query.get("path", ""),
                                                 query.get("id", ""))})

    def version(request: Request) -> Response:
        return _json({"file_version": workspace.file_version(request.query_params.get("path",
                                                                                      ""))})

    async def outputs(request: Request) -> Response:
        return _json({"outputs": await _threaded(workspace.outputs,
                                                 request.query_params.get("path", ""))})

    async def rebuild(request: Request) -> Response:
        body = await _body(request)
        written = await _threaded(workspace.rebuild, _text(body, "path"))
        return _json({"written": written})

    return [Route("/api/comment", comment, methods=["POST"]),
            Route("/api/history", history), Route("/api/version", version),
            Route("/api/outputs", outputs), Route("/api/rebuild", rebuild, methods=["POST"])]


class _BadRequest(Exception):
    pass


async def _error(request: Request, error: Exception) -> Response:
    status = 400
    if isinstance(error, GlossatorError) and "not a PO file of this workspace" in error.message:
        status = 404
    return _json({"error": str(error)}, status)


async def _threaded(function: Callable[..., Any], *args: Any) -> Any:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(function, *args)


async def _body(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise _BadRequest("send JSON (Content-Type: application/json)")
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            raise _BadRequest(f"request too large (limit {MAX_BODY} bytes)")
    try:
        body = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise _BadRequest("not valid JSON") from None
    except RecursionError:  # arrays or objects nested thousands deep, under the size limit
        raise _BadRequest("JSON nested too deeply") from None
    if not isinstance(body, dict):
        raise _BadRequest("a JSON object is needed")
    return body


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str):
        raise _BadRequest(f"{key}: a string is needed")
    return value


def _json(data: Any, status: int = 200) -> Response:
    return JSONResponse(data, status, headers=_HEADERS)


@cache
def _static_text(name: str) -> str:
    return resources.files("glossator.server").joinpath("static", name).read_text("utf-8")


def _page(title: str, csrf: str, body: str, view: str, article: str = "") -> Response:
    html = "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="glossator-csrf" content="{escape(csrf)}">',
        f"<title>{escape(title)}</title>",
        '<link rel="stylesheet" href="/static/review.css">',
        '<link rel="stylesheet" href="/static/workspace.css">',
        '<script src="/static/workspace.js" defer></script>',
        '<link rel="stylesheet" href="/static/instruments.css">',
        '<script src="/static/instruments.js" defer></script>', "</head>",
        f'<body class="workspace" data-view="{view}" data-path="{escape(article)}">',
        body, "</body>", "</html>", ""])
    return Response(html, media_type="text/html; charset=utf-8", headers=_HEADERS)


def _home_body(workspace: Workspace) -> str:
    rows = []
    for item in workspace.articles():
        share = item.reviewed / item.total if item.total else 1.0
        changed = datetime.fromtimestamp(item.modified).strftime("%Y-%m-%d %H:%M")
        link = f"/article?path={quote(item.path)}"
        rows.append(
            f'<tr><th scope="row"><a href="{escape(link)}">{escape(item.path)}</a></th>'
            f"<td>{escape(item.language)}</td>"
            f'<td class="num">{item.reviewed}/{item.total}'
            f' <progress max="1" value="{share:.3f}"></progress></td>'
            f'<td class="num">{item.flagged}</td><td>{escape(changed)}</td></tr>')
    table = ("<table><thead><tr><th>Article</th><th>Language</th><th>Reviewed</th>"
             "<th>Flagged</th><th>Last change</th></tr></thead>"
             f"<tbody>{''.join(rows)}</tbody></table>" if rows
             else "<p>No glossator PO files here.</p>")
    return "\n".join([
        '<header class="top"><div class="bar"><div class="heading">',
        f"<h1>Review workspace</h1><p class=\"pair\">{escape(str(workspace.root))}</p>",
        "</div></div></header>",
        f'<main class="home">{table}</main>',
        f'<footer class="colophon"><p>glossator {escape(__version__)}</p></footer>'])


def serve_workspace(workspace: Workspace, *, host: str = "127.0.0.1", port: int = 0,
                    open_browser: bool = False,
                    report: Callable[[str], None] = lambda _line: None) -> None:
    """Run the workspace until Ctrl+C; print its URL (with the token) on stdout."""
    from glossator.server.runner import bind, bound_port, is_loopback, serve, url_host

    if not is_loopback(host):
        report(f"warning: listening on {host}: anyone who can reach this machine and has the "
               "token can change the files")
    sock = bind(host, port)
    port = bound_port(sock)
    token = secrets.token_urlsafe(24)
    hosts = {f"{url_host(host)}:{port}", f"127.0.0.1:{port}", f"localhost:{port}"}
    if ":" in host:
        hosts.add(f"[::1]:{port}")
    app = create_app(workspace, token=token, hosts=hosts, cookie=f"glossator-token-{port}",
                     warm_memory=True)
    url = f"http://{url_host(host if host not in ('0.0.0.0', '::') else '127.0.0.1')}:{port}/"
    url += f"?token={token}"

    def started() -> None:
        report(f"review workspace for {display_path(workspace.root)}; Ctrl+C stops it")
        print(url, flush=True)
        if open_browser:
            webbrowser.open(url)

    try:
        serve(app, sock, on_started=started)
    except KeyboardInterrupt:
        pass  # Ctrl+C is how this server is meant to stop; uvicorn has let requests finish
    finally:
        sock.close()
    report("review workspace stopped")


def _instrument_routes(workspace: Workspace, *, warm_memory: bool) -> list[Route]:
    """The reviewer's instruments: memory matches, concordance, the glossary panel, search and
    replace (glossator.review.memory, .concepts, .replace)."""
    from glossator.review.concepts import ConceptPanel
    from glossator.review.memory import WorkspaceMemory
    from glossator.review.replace import Replacer, Search

    memory = WorkspaceMemory(workspace)
    concepts, replacer = ConceptPanel(workspace, memory.document), Replacer(workspace)
    if warm_memory:
        threading.Thread(target=memory.warm, name="memory index", daemon=True).start()

    async def matches(request: Request) -> Response:
        body = await _body(request)
        return _json({"matches": await _threaded(memory.matches, _text(body, "path"),
                                                  _text(body, "id"))})

    async def concordance(request: Request) -> Response:
        body = await _body(request)
        return _json(await _threaded(memory.search, _text(body, "path"), _text(body, "phrase")))

    async def glossary_panel(request: Request) -> Response:
        body = await _body(request)
        return _json(await _threaded(concepts.concepts, _text(body, "path"), _text(body, "id")))

    def _search(body: dict[str, Any]) -> tuple[Search, list[str] | None]:
        flags = {key: body.get(key, False) for key in ("regex", "case", "reviewed")}
        if not all(isinstance(value, bool) for value in flags.values()):
            raise _BadRequest("regex, case, reviewed: true or false")
        scope = body.get("scope", "article")
        if scope not in ("article", "workspace"):
            raise _BadRequest("scope: article or workspace")
        search = Search(_text(body, "find"), _text(body, "replacement"), **flags)
        return search, None if scope == "workspace" else [_text(body, "path")]

    async def replace_preview(request: Request) -> Response:
        search, paths = _search(await _body(request))
        return _json(await _threaded(replacer.preview, search, paths))

    async def replace_apply(request: Request) -> Response:
        body = await _body(request)
        search, _paths = _search(body)
        changes = body.get("changes")
        if not isinstance(changes, list) or not all(
                isinstance(item, dict) and all(isinstance(item.get(key), str)
                                               for key in ("path", "id", "version"))
                for item in changes):
            raise _BadRequest("changes: a list of {path, id, version} from the preview")
        chosen = [(item["path"], item["id"], item["version"]) for item in changes]
        return _json(await _threaded(replacer.apply, search, chosen))

    async def replace_undo(request: Request) -> Response:
        batch = (await _body(request)).get("batch")
        if not isinstance(batch, int) or isinstance(batch, bool):
            raise _BadRequest("batch: the number a replacement returned")
        return _json(await _threaded(replacer.undo, batch))

    return [
        Route("/api/matches", matches, methods=["POST"]),
        Route("/api/concordance", concordance, methods=["POST"]),
        Route("/api/concepts", glossary_panel, methods=["POST"]),
        Route("/api/replace/preview", replace_preview, methods=["POST"]),
        Route("/api/replace/apply", replace_apply, methods=["POST"]),
        Route("/api/replace/undo", replace_undo, methods=["POST"]),
    ]
