"""`glossator serve`: LibreTranslate's HTTP API, with the glossary layer behind it.

Same routes, field names, status codes and error shape (`{"error": "..."}`) as LibreTranslate,
bodies as JSON, urlencoded or multipart forms, so its clients (libretranslatepy, Weblate,
browser add-ons) work unchanged. One field is added to `/translate`: `glossary`, the pins found,
landed and missed per text. Routes are thin: parse, check limits, call `TranslationService`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from glossator import __version__
from glossator.errors import EngineError, GlossatorError
from glossator.server.files import (
    FileStore,
    read_document,
    safe_name,
    translate_document,
    translate_po,
    translate_txt,
)
from glossator.server.htmltext import parse_html, translate_html
from glossator.server.limits import BodyLimit, KeyLimit, KeyRing, Limits, RateLimiter
from glossator.server.service import TranslationService
from glossator.server.textjob import TermCounts, TextResult

MAX_ALTERNATIVES = 5


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class ServerState:
    service: TranslationService
    limits: Limits
    keys: KeyRing | None
    rates: RateLimiter
    files: FileStore


def create_app(service: TranslationService, *, limits: Limits | None = None,
               keys: KeyRing | None = None, origins: Sequence[str] = ("*",)) -> Any:
    """The ASGI app; `service` must be loaded (`TranslationService.load`) already. Browsers
    on `origins` (`*`: any, as LibreTranslate) may call it from their pages."""
    limits = limits or Limits()
    state = ServerState(service, limits, keys, RateLimiter(), FileStore())

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await service.close()
            state.files.close()

    routes = [
        Route("/translate", _endpoint(state, translate), methods=["POST"]),
        Route("/detect", _endpoint(state, detect), methods=["POST"]),
        Route("/languages", _endpoint(state, languages), methods=["GET"]),
        Route("/translate_file", _endpoint(state, translate_file), methods=["POST"]),
        Route("/download_file/{file_id}", _endpoint(state, download_file), methods=["GET"],
              name="download_file"),
        Route("/health", _endpoint(state, health), methods=["GET"]),
        Route("/frontend/settings", _endpoint(state, settings), methods=["GET"]),
        Route("/spec", _endpoint(state, spec), methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: _http_error, Exception: _server_error})
    app.state.server = state  # for tests and tools that look inside
    # Outermost, so that every answer, 413 and preflight included, carries the CORS headers.
    return CORSMiddleware(BodyLimit(app, limits.body_bytes, limits.body_seconds),
                          allow_origins=list(origins), allow_methods=["GET", "POST"],
                          allow_headers=["*"], max_age=600)


async def _http_error(_request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return JSONResponse({"error": error.detail}, status_code=error.status_code,
                        headers=error.headers)


async def _server_error(_request: Request, _error: Exception) -> Response:
    """A bug's answer is JSON too (the error itself is logged by the server)."""
    return JSONResponse({"error": "Internal server error"}, status_code=500)


def _endpoint(state: ServerState, handler: Any) -> Any:
    async def endpoint(request: Request) -> Response:
        try:
            result = await _unless_hung_up(request, handler(state, request))
        except ApiError as error:
            return JSONResponse({"error": error.message}, status_code=error.status)
        except EngineError as error:  # the server's fault, not the request's
            return JSONResponse({"error": f"Translation failed: {error}"}, status_code=500)
        except GlossatorError as error:  # a bad file or text sent
            return JSONResponse({"error": str(error)}, status_code=400)
        if result is _HUNG_UP:
            return Response(status_code=499)  # nobody reads it: nginx's "client closed"
        return result if isinstance(result, Response) else JSONResponse(result)
    return endpoint


_HUNG_UP = object()


async def _unless_hung_up(request: Request, work: Any) -> Any:
    """`work`'s result, or `_HUNG_UP` once the client has gone: the work is cancelled, so the
    gatherer drops the sentences of it not yet decoded."""
    await request.body()  # read in full (BodyLimit has it): what comes next is a hang-up
    task = asyncio.ensure_future(work)
    watch = asyncio.ensure_future(_hang_up(request))
    try:
        await asyncio.wait({task, watch}, return_when=asyncio.FIRST_COMPLETED)
    finally:  # also when the server stops: neither is left running
        watch.cancel()
        if not task.done():
            task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        return await task
    return _HUNG_UP


async def _hang_up(request: Request) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass


# Request fields ------------------------------------------------------------------------------


class _Fields:
    """A request's fields, from JSON or a form; a form's repeated `q` is a list. A string that
    is not valid Unicode (a lone surrogate, which JSON can spell) is a 400 here, so no field
    reaches the engines, the HTML parser or an error message unencodable."""

    def __init__(self, values: dict[str, Any], uploads: dict[str, Any] | None = None) -> None:
        self.values, self.uploads = values, uploads or {}
        for name, value in values.items():
            if not all(_encodable(text) for text in (
                    [name, *value] if isinstance(value, list) else [name, value])):
                raise ApiError(400, f"Invalid request: {_shown(name)} is not valid Unicode "
                                    "(a lone surrogate)")

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name, default)
        if value is None:
            return None
        if not isinstance(value, str):
            raise ApiError(400, f"Invalid request: {name} must be a string")
        return value

    def required(self, name: str) -> str:
        value = self.text(name)
        if not value:
            raise ApiError(400, f"Invalid request: missing {name} parameter")
        return value


async def _fields(request: Request) -> _Fields:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            form = await request.form(max_files=1, max_fields=1000)
        except (ValueError, AssertionError, HTTPException) as error:
            raise ApiError(400, f"Invalid request: cannot read the form: {error}") from None
        values: dict[str, Any] = {}
        uploads: dict[str, Any] = {}
        for key, value in form.multi_items():
            if not isinstance(value, str):
                uploads[key] = value
            elif key == "q" and key in values:
                previous = values[key]
                values[key] = [*(previous if isinstance(previous, list) else [previous]),
                               value]
            else:
                values[key] = value
        return _Fields(values, uploads)
    body = await request.body()
    if not body.strip():
        return _Fields(dict(request.query_params))
    try:
        values = json.loads(body, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ApiError(400, "Invalid request: the body is not valid JSON") from None
    if not isinstance(values, dict):
        raise ApiError(400, "Invalid request: the JSON body must be an object")
    return _Fields(values)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # json.loads takes NaN and Infinity by default


def _encodable(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(value: str, most: int = 40) -> str:
    """A client's value as an error message names it: cut short, one line."""
    value = " ".join(value.split())
    return value if len(value) <= most else value[:most] + "…"


def _admit(state: ServerState, request: Request, fields: _Fields, characters: int) -> None:
    """403 for a missing or unknown key where keys are required; 429 over a rate limit."""
    if state.keys is not None:
        found = state.keys.limit_for(fields.text("api_key"))
        if found is None:
            raise ApiError(403, "Invalid API key")
        identity, limit = found
    else:
        identity = f"address {request.client.host if request.client else '?'}"
        limit = KeyLimit(state.limits.requests_per_minute)
    refused = state.rates.admit(identity, characters, limit)
    if refused:
        raise ApiError(429, refused)


def _texts(state: ServerState, fields: _Fields) -> tuple[list[str], bool]:
    """`q` as a list of texts, and whether it was sent as a list; 400 over the limits."""
    q = fields.values.get("q")
    if q is None or q == "" or q == []:  # as LibreTranslate: an empty q is a missing one
        raise ApiError(400, "Invalid request: missing q parameter")
    as_list = isinstance(q, list)
    texts = q if as_list else [q]
    if not all(isinstance(text, str) for text in texts):
        raise ApiError(400, "Invalid request: q must be a string or a list of strings")
    limits = state.limits
    if as_list and limits.texts and len(texts) > limits.texts:
        raise ApiError(400, f"Invalid request: request ({len(texts)}) exceeds text limit "
                            f"({limits.texts})")
    characters = sum(map(len, texts))
    if limits.characters and characters > limits.characters:
        raise ApiError(400, f"Invalid request: request ({characters}) exceeds character "
                            f"limit ({limits.characters})")
    return texts, as_list


def _language(state: ServerState, sent: str, role: str) -> str:
    """The served code `sent` names, or a 400 that names it as the client spelt it."""
    code = sent.strip().lower().replace("_", "-")
    known = state.service.sources() if role == "source" else {
        t for s in state.service.sources() for t in state.service.targets(s)}
    if code not in known:
        raise ApiError(400, f"{_shown(sent.strip())} is not supported")
    return code


# Routes --------------------------------------------------------------------------------------


async def translate(state: ServerState, request: Request) -> dict[str, Any]:
    fields = await _fields(request)
    texts, as_list = _texts(state, fields)
    source_code = fields.required("source")
    target = _language(state, fields.required("target"), "target")
    text_format = (fields.text("format") or "text").lower()
    if text_format not in ("text", "html"):
        raise ApiError(400, f"Invalid request: format must be text or html, not {text_format}")
    alternatives = _alternatives(fields)
    _admit(state, request, fields, sum(map(len, texts)))

    detected: list[dict[str, Any]] | None = None
    if source_code.strip().lower() == "auto":
        assert state.service.detector is not None
        plain = ([" ".join(parse_html(text).texts) for text in texts]
                 if text_format == "html" else texts)
        guesses = [state.service.detector.detect(text) for text in plain]
        detected = [{"confidence": guess.confidence, "language": guess.language}
                    for guess in guesses]
        sources = [guess.language for guess in guesses]
    else:
        sources = [_language(state, source_code, "source")] * len(texts)

    results: list[TextResult | None] = [None] * len(texts)
    for source in dict.fromkeys(sources):
        indexes = [i for i, s in enumerate(sources) if s == source]
        done = await _translate_some(state, [texts[i] for i in indexes], source, target,
                                     text_format, alternatives)
        for i, result in zip(indexes, done):
            results[i] = result

    translated = [result.text for result in results if result]
    response: dict[str, Any] = {"translatedText": translated if as_list else translated[0]}
    if detected is not None:
        response["detectedLanguage"] = detected if as_list else detected[0]
    if alternatives:
        found = [result.alternatives for result in results if result]
        response["alternatives"] = found if as_list else found[0]
    terms = [result.terms.as_dict() for result in results if result]
    response["glossary"] = terms if as_list else terms[0]
    return response


def _alternatives(fields: _Fields) -> int:
    """A JSON whole number or a form's digits; not a float, a boolean or a list."""
    value = fields.values.get("alternatives", 0)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(400, "Invalid request: alternatives must be a whole number")
    count = value
    if not 0 <= count <= MAX_ALTERNATIVES:
        raise ApiError(400, f"Invalid request: alternatives must be 0 to {MAX_ALTERNATIVES}")
    return count


async def _translate_some(state: ServerState, texts: list[str], source: str, target: str,
                          text_format: str, alternatives: int) -> list[TextResult]:
    """Texts of one source language; the same language in and out comes back unchanged."""
    service = state.service
    if source == target:
        return [TextResult(text, TermCounts()) for text in texts]
    if not service.supports(source, target):
        raise ApiError(400, f"{source} → {target} is not supported")
    if text_format == "html":
        return await translate_html(texts, lambda batch: _with_timeout(
            state, service.translate(batch, source, target)))
    return await _with_timeout(state, service.translate(texts, source, target, alternatives))


async def _with_timeout(state: ServerState, work: Any) -> Any:
    try:
        return await asyncio.wait_for(work, state.limits.timeout)
    except asyncio.TimeoutError:
        raise ApiError(503, f"Translation timed out (over {state.limits.timeout:g} s)") from None


async def detect(state: ServerState, request: Request) -> list[dict[str, Any]]:
    fields = await _fields(request)
    texts, _as_list = _texts(state, fields)
    _admit(state, request, fields, sum(map(len, texts)))
    assert state.service.detector is not None
    guesses = state.service.detector.rank(" ".join(texts))
    return [{"confidence": guess.confidence, "language": guess.language} for guess in guesses]


async def languages(state: ServerState, _request: Request) -> list[dict[str, Any]]:
    service = state.service
    codes = sorted(set(service.sources()) | {t for s in service.sources()
                                             for t in service.targets(s)})
    return [{"code": code, "name": _english_name(code),
             "targets": service.targets(code) if code in service.sources() else []}
            for code in codes]


def _english_name(code: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code.replace("-", "_")).get_display_name("en") or code
    except (UnknownLocaleError, ValueError):
        return code


async def translate_file(state: ServerState, request: Request) -> dict[str, Any]:
    fields = await _fields(request)
    upload = fields.uploads.get("file")
    if upload is None:
        raise ApiError(400, "Invalid request: missing file parameter")
    source_code = fields.required("source")
    auto = source_code.strip().lower() == "auto"
    source = "" if auto else _language(state, source_code, "source")
    target = _language(state, fields.required("target"), "target")
    name, suffix = safe_name(upload.filename or "", target)
    data = await upload.read()
    if not data.strip():
        raise ApiError(400, "Invalid request: the file is empty")
    _admit(state, request, fields, len(data))
    if state.limits.characters and len(data) > state.limits.characters * 4:
        raise ApiError(400, "Invalid request: the file exceeds the character limit")
    if not auto and source != target and not state.service.supports(source, target):
        raise ApiError(400, f"{source} → {target} is not supported")  # before any work
    detected: dict[str, Any] = {}

    async def translate_texts(texts: Any) -> list[TextResult]:
        language = source
        if auto and texts:  # from the texts to translate: a PO's msgids, not its header
            assert state.service.detector is not None
            guess = state.service.detector.detect(" ".join(texts)[:5000])
            detected.update(confidence=guess.confidence, language=guess.language)
            language = guess.language
        return await _file_texts(state, list(texts), language, target)

    file_id, folder = state.files.folder()
    try:
        output: str | bytes
        if suffix == ".po":
            uploaded = folder / "upload.po"
            uploaded.write_bytes(data)
            output = await translate_po(uploaded, translate_texts)
            uploaded.unlink()
        elif suffix == ".txt":
            output = await translate_txt(data, translate_texts)
        else:
            article = await asyncio.to_thread(read_document, data, name)
            language = source
            if auto:
                assert state.service.detector is not None
                guess = state.service.detector.detect(
                    " ".join(p.text for p in article.paragraphs)[:5000])
                detected.update(confidence=guess.confidence, language=guess.language)
                language = guess.language
            output = await translate_document(
                article, language, target,
                lambda texts: _file_texts(state, list(texts), language, target))
        path = folder / name
        await asyncio.to_thread(_write, path, output)
    except BaseException as error:
        state.files.discard(file_id)
        if isinstance(error, GlossatorError) and not isinstance(error, EngineError):
            raise _upload_error(error, upload.filename or "") from None
        raise
    state.files.add(file_id, path, name)
    response = {"translatedFileUrl": str(request.url_for("download_file", file_id=file_id))}
    if auto and detected:
        response["detectedLanguage"] = detected
    return response


def _upload_error(error: GlossatorError, filename: str) -> ApiError:
    """A bad file's 400, naming it as the client did, never by the server's temporary path."""
    where = _shown(Path(filename.replace("\\", "/")).name) if error.path else ""
    if where and error.line is not None:
        where = f"{where}:{error.line}"
    return ApiError(400, f"{where}: {error.message}" if where else error.message)


async def _file_texts(state: ServerState, texts: list[str], source: str,
                      target: str) -> list[TextResult]:
    if source == target:
        return [TextResult(text, TermCounts()) for text in texts]
    if not state.service.supports(source, target):
        raise ApiError(400, f"{source} → {target} is not supported")
    return await _with_timeout(state, state.service.translate(texts, source, target))


def _write(path: Path, output: str | bytes) -> None:
    from glossator.io.files import write_all

    write_all({path: output})


async def download_file(state: ServerState, request: Request) -> Response:
    stored = state.files.get(request.path_params["file_id"])
    if stored is None or not stored.path.exists():
        raise ApiError(404, "File not found")
    return FileResponse(stored.path, filename=stored.name, media_type=_media_type(stored.name))


def _media_type(name: str) -> str:
    """What a downloaded file is; sent as an attachment, never shown as a page of the server."""
    import mimetypes

    if name.endswith(".po"):
        return "text/x-gettext-translation"
    if name.endswith((".md", ".markdown")):
        return "text/markdown; charset=utf-8"
    guessed, _encoding = mimetypes.guess_type(name)
    if guessed is None or guessed == "text/plain":
        return "text/plain; charset=utf-8"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


async def health(_state: ServerState, _request: Request) -> dict[str, Any]:
    return {"status": "ok"}


async def settings(state: ServerState, _request: Request) -> dict[str, Any]:
    service = state.service
    source = "en" if "en" in service.sources() else service.sources()[0]
    targets = service.targets(source)
    target = targets[0] if targets else source
    return {
        "charLimit": state.limits.characters or -1,
        "frontendTimeout": 500,
        "apiKeys": state.keys is not None,
        "keyRequired": state.keys is not None,
        "suggestions": False,
        "filesTranslation": True,
        "supportedFilesFormat": [".txt", ".po"],
        "language": {"source": {"code": source, "name": _english_name(source)},
                     "target": {"code": target, "name": _english_name(target)}},
        "glossary": {"sources": [s for s, m in service.matchers.items() if m]},
    }


async def spec(_state: ServerState, _request: Request) -> dict[str, Any]:
    from glossator.server.openapi import SPEC

    return {**SPEC, "info": {**SPEC["info"], "version": __version__}}
