"""Which language a request asks for: ``Accept-Language``, Czech unless English is preferred."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from contextvars import ContextVar, Token
from typing import Literal

Language = Literal["cs", "en"]
DEFAULT: Language = "cs"


@functools.lru_cache(maxsize=256)  # clients repeat their header on every request
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
    """The language of the request being answered (``begin``); Czech outside one."""
    return _current.get()


def begin(headers: Mapping[str, str]) -> Token[Language]:
    """The request's language from ``headers``, for everything that answers it (``gateway.http.edge``
    sets it first, so that its refusals speak it too); ``end`` with the token when answered."""
    return _current.set(language_of(headers))


def end(token: Token[Language]) -> None:
    _current.reset(token)
