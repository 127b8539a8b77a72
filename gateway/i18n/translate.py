"""A message raised in English, said in the request's language (``gateway.i18n``)."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from gateway.i18n.catalogue import CODES, MESSAGES, Text
from gateway.i18n.language import Language

# What the GraphQL parser and validator say is for the developer writing the document: kept
# as written when the catalogue does not know it.
DEVELOPER_CODES = frozenset({"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"})
# Messages a protocol fixes, which clients match on: Apollo's automatic persisted queries
# resend the document when the message is exactly this, in any language.
PROTOCOL_MESSAGES = frozenset({"PersistedQueryNotFound", "PersistedQueryNotSupported"})
_SENTENCE_END = re.compile(r"(?<=\.) (?=[A-Z`])")


@dataclass(frozen=True, slots=True)
class _Pattern:
    regex: re.Pattern[str]
    text: Text
    literal: str  # the English text without its values


def _placeholders(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def _pattern(text: Text) -> _Pattern:
    parts = []
    for literal, name, _, _ in string.Formatter().parse(text.en):
        parts.append(re.escape(literal))
        if name is not None:
            parts.append(f"(?P<{name}>.+?)")
    literal = "".join(literal for literal, _, _, _ in string.Formatter().parse(text.en))
    return _Pattern(re.compile("".join(parts) + r"\Z", re.DOTALL), text, literal)


_EXACT = {text.en: text for text in MESSAGES.values() if not _placeholders(text.en)}
_PATTERNS = [_pattern(text) for text in MESSAGES.values() if _placeholders(text.en)]


def _known(message: str, language: Language) -> str | None:
    if (exact := _EXACT.get(message)) is not None:
        return exact.cs if language == "cs" else exact.en
    # Of the texts that fit, the one that explains most of the message: a nested message the
    # catalogue knows ("Line 7: The value of interval 3 ... is not a number.") beats a text
    # that takes it as an opaque value ("Line {line}: {value} is not a number.").
    best: tuple[int, str] | None = None
    for pattern in _PATTERNS:
        if (match := pattern.regex.match(message)) is None:
            continue
        values = match.groupdict()
        explained = len(pattern.literal)
        if "message" in values and (nested := _known(values["message"], language)) is not None:
            values["message"] = nested
            explained += len(message)
        if best is None or explained > best[0]:
            template = pattern.text.cs if language == "cs" else pattern.text.en
            best = (explained, template.format(**values))
    return best[1] if best is not None else None


def translate(message: str, language: Language, *, code: str | None = None, developer: bool = False) -> str:
    """``message`` in ``language``: its catalogue text, or sentence by sentence (``"A. B."``);
    else, in Czech, the general text of ``code``, unless the message is graphql-core's, for the
    developer writing the document (``developer``: a variable that does not coerce, ...)."""
    if language == "en" or message in PROTOCOL_MESSAGES:
        return message
    if (known := _known(message, language)) is not None:
        return known
    sentences = _SENTENCE_END.split(message)
    if len(sentences) > 1:
        parts = [_known(sentence, language) for sentence in sentences]
        if all(part is not None for part in parts):
            return " ".join(part for part in parts if part is not None)
    if developer or code in DEVELOPER_CODES or code not in CODES:
        return message
    return CODES[code].cs
