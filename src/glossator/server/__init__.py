"""The two local servers, on one ASGI stack (Starlette on uvicorn): the review workspace
(`glossator review --web`) and the LibreTranslate-compatible API (`glossator serve`). Both call
the same library functions as the CLI; `runner` starts and stops either one."""
