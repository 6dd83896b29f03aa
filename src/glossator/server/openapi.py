"""The description `/spec` serves: LibreTranslate's routes and fields, as OpenAPI 3."""

from __future__ import annotations

from typing import Any


def _form(properties: dict[str, str], required: list[str]) -> dict[str, Any]:
    schema = {"type": "object", "required": required,
              "properties": {name: {"type": "string", "description": text}
                             for name, text in properties.items()}}
    content = {kind: {"schema": schema} for kind in (
        "application/json", "application/x-www-form-urlencoded", "multipart/form-data")}
    return {"requestBody": {"required": True, "content": content}}


_ERRORS = {str(code): {"description": text} for code, text in (
    (400, "invalid request"), (403, "invalid or missing API key"), (413, "body too large"),
    (429, "rate limit"), (503, "translation timed out"))}

_KEY = "API key (when the server requires keys)"

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "glossator serve",
             "description": "LibreTranslate-compatible API; glossary terms are pinned."},
    "paths": {
        "/translate": {"post": {
            "summary": "Translate text; the glossary's pins are enforced",
            **_form({"q": "text, or a list of texts", "source": "language code or auto",
                     "target": "language code", "format": "text or html",
                     "alternatives": "how many alternative translations (0-5)",
                     "api_key": _KEY}, ["q", "source", "target"]),
            "responses": {"200": {"description": "translatedText, detectedLanguage (source "
                                                 "auto), alternatives, glossary: pins found, "
                                                 "landed and missed per text"}, **_ERRORS}}},
        "/detect": {"post": {"summary": "Detect the language of a text",
                             **_form({"q": "text", "api_key": _KEY}, ["q"]),
                             "responses": {"200": {"description": "[{confidence, language}]"},
                                           **_ERRORS}}},
        "/languages": {"get": {"summary": "Languages and the targets of each",
                               "responses": {"200": {"description": "[{code, name, targets}]"}}}},
        "/translate_file": {"post": {
            "summary": "Translate a .txt or .po file",
            **_form({"file": "the file", "source": "language code", "target": "language code",
                     "api_key": _KEY}, ["file", "source", "target"]),
            "responses": {"200": {"description": "{translatedFileUrl}"}, **_ERRORS}}},
        "/download_file/{id}": {"get": {"summary": "A translated file",
                                        "responses": {"200": {"description": "the file"},
                                                      "404": {"description": "no such file"}}}},
        "/health": {"get": {"summary": "Liveness", "responses": {"200": {"description": "ok"}}}},
        "/frontend/settings": {"get": {"summary": "Settings for a frontend",
                                       "responses": {"200": {"description": "settings"}}}},
        "/spec": {"get": {"summary": "This description",
                          "responses": {"200": {"description": "OpenAPI 3"}}}},
    },
}
