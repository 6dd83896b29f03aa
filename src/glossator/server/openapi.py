"""The description `/spec` serves: LibreTranslate's routes and fields, as OpenAPI 3.0, with the
schema of every answer (checked by openapi-spec-validator and schemathesis in the tests)."""

from __future__ import annotations

from typing import Any

_STRING: dict[str, Any] = {"type": "string"}
_STRINGS: dict[str, Any] = {"type": "array", "items": _STRING}
_FORMS = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
_KEY = {"type": "string", "description": "API key (when the server requires keys)"}
_LANGUAGE = {"type": "string", "description": "language code"}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _body(schema: dict[str, Any], kinds: tuple[str, ...] = _FORMS) -> dict[str, Any]:
    return {"requestBody": {"required": True,
                            "content": {kind: {"schema": schema} for kind in kinds}}}


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERROR = _object({"error": _STRING}, ["error"])
_ERRORS = {str(code): _json(text, _ERROR) for code, text in (
    (400, "invalid request"), (403, "invalid or missing API key"), (413, "body too large"),
    (429, "rate limit"), (500, "the server's fault"), (503, "translation timed out"))}

_DETECTION = _object({"confidence": {"type": "number"}, "language": _STRING},
                     ["confidence", "language"])
_TERMS = _object({"found": {"type": "integer"}, "landed": {"type": "integer"},
                  "missed": _STRINGS}, ["found", "landed", "missed"])


def _one_or_many(schema: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [schema, {"type": "array", "items": schema}]}


_TRANSLATED = _object({
    "translatedText": _one_or_many(_STRING),
    "detectedLanguage": _one_or_many(_DETECTION),
    "alternatives": _one_or_many(_STRINGS),
    "glossary": {**_one_or_many(_TERMS),
                 "description": "glossary pins found, landed and missed per text"},
}, ["translatedText", "glossary"])

_LANGUAGES = {"type": "array", "items": _object(
    {"code": _STRING, "name": _STRING, "targets": _STRINGS}, ["code", "name", "targets"])}

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "glossator serve", "version": "0",
             "description": "LibreTranslate-compatible API; glossary terms are pinned."},
    "paths": {
        "/translate": {"post": {
            "summary": "Translate text; the glossary's pins are enforced",
            **_body(_object({
                "q": {**_one_or_many(_STRING), "description": "text, or a list of texts"},
                "source": {"type": "string", "description": "language code or auto"},
                "target": _LANGUAGE,
                "format": {"type": "string", "enum": ["text", "html"]},
                "alternatives": {"type": "integer", "minimum": 0, "maximum": 5,
                                 "description": "how many alternative translations"},
                "api_key": _KEY}, ["q", "source", "target"])),
            "responses": {"200": _json("the translations", _TRANSLATED), **_ERRORS}}},
        "/detect": {"post": {
            "summary": "Detect the language of a text",
            **_body(_object({"q": _STRING, "api_key": _KEY}, ["q"])),
            "responses": {"200": _json("languages, likeliest first",
                                       {"type": "array", "items": _DETECTION}), **_ERRORS}}},
        "/languages": {"get": {
            "summary": "Languages and the targets of each",
            "responses": {"200": _json("languages", _LANGUAGES)}}},
        "/translate_file": {"post": {
            "summary": "Translate a .txt or .po file, or a document (Markdown, HTML ...) in "
                       "its own format",
            **_body(_object({"file": {"type": "string", "format": "binary"},
                             "source": {"type": "string", "description": "language code or "
                                                                         "auto"},
                             "target": _LANGUAGE, "api_key": _KEY},
                            ["file", "source", "target"]), ("multipart/form-data",)),
            "responses": {"200": _json("where to download it", _object(
                {"translatedFileUrl": _STRING, "detectedLanguage": _DETECTION},
                ["translatedFileUrl"])), **_ERRORS}}},
        "/download_file/{id}": {"get": {
            "summary": "A translated file",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": _STRING}],
            "responses": {
                "200": {"description": "the file", "content": {
                    kind: {"schema": {"type": "string", "format": "binary"}}
                    for kind in ("text/plain", "text/x-gettext-translation")}},
                "404": _json("no such file", _ERROR)}}},
        "/health": {"get": {"summary": "Liveness", "responses": {
            "200": _json("ok", _object({"status": _STRING}, ["status"]))}}},
        "/frontend/settings": {"get": {"summary": "Settings for a frontend", "responses": {
            "200": _json("settings", _object({"charLimit": {"type": "integer"}}))}}},
        "/spec": {"get": {"summary": "This description", "responses": {
            "200": _json("OpenAPI 3", {"type": "object"})}}},
    },
}
