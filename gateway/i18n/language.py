"""Which language a request asks for: ``Accept-Language``, Czech unless English is preferred."""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from typing import Literal

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

Language = Literal["cs", "en"]
DEFAULT: Language = "cs"


def from_accept_language(header: str | None) -> Language:
    """The first of Czech and English by the header's qualities; Czech when it names neither.

    ``en-GB``, ``en;q=0.8`` and ``cs-CZ`` count as their language; ``*`` means the default.
    """
    best: tuple[float, Language] | None = None
    for entry in (header or "").split(","):
        tag, *parameters = entry.strip().split(";")
        primary = tag.strip().lower().split("-")[0]
        language: Language | None = "en" if primary == "en" else "cs" if primary in {"cs", "*"} else None
        if language is None:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, language)
    return best[1] if best is not None else DEFAULT


def language_of(headers: Mapping[str, str]) -> Language:
    return from_accept_language(headers.get("accept-language"))


_current: ContextVar[Language] = ContextVar("language", default=DEFAULT)


def current() -> Language:
    """The language of the request being answered (``LanguageMiddleware``); Czech outside one."""
    return _current.get()


class LanguageMiddleware:
    """Sets the request's language for everything that answers it, the refusals of the other
    middlewares included (it is the outermost)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _current.set(language_of(Headers(scope=scope)))
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)
