"""Text a client may send: XML 1.0 characters, nothing else.

Every string argument ends up in a SOAP envelope (lxml refuses NUL and control characters),
in PostgreSQL (refuses NUL) or in a hash (a lone surrogate has no UTF-8). So a string with
NUL, another C0 control character but tab, LF and CR, a lone surrogate, U+FFFE or U+FFFF is
refused as BAD_USER_INPUT before anything runs, in two places that between them see every
string: ``gateway.http.limits`` for the request's JSON (variables, query, extensions) and
``StringLiteralRule`` here for the string literals written in the document.

The same two places bound every string's length (``MAX_TEXT_LENGTH``): no argument of the
schema needs more (a field with a tighter bound, a login, an e-mail, a request's text, a
consent, an idempotency key, checks its own), so a value near the body limit is refused before
any resolver, back end or the store sees it. The document itself is bounded by the body
limit and the parser's tokens.
"""

from __future__ import annotations

import re
from typing import Any

from graphql import GraphQLError, StringValueNode, ValidationRule
from strawberry.extensions import AddValidationRules, SchemaExtension

from gateway.errors import ErrorCode

# The complement of XML 1.0's Char production.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What an identifier (a global ID's parts) may not hold: any control character at all.
_NOT_ID_CHAR = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

REFUSAL = "Text may not contain NUL, control characters or unpaired surrogates."
# Characters of any one string argument, inline or in variables: a week's nomination CSV
# (676 lines) and a document for queryCost (like a persisted one, MAX_DOCUMENT_BYTES) fit.
MAX_TEXT_LENGTH = 100_000
TOO_LONG = f"Text may be at most {MAX_TEXT_LENGTH} characters long."


def is_clean_text(value: str) -> bool:
    # Printable ASCII (most input) is clean: checked in C before the regular expression.
    return (value.isascii() and value.isprintable()) or _NOT_XML_CHAR.search(value) is None


def text_refusal(value: str) -> str | None:
    """Why a string argument is refused (too long, or not clean text); None when it is not."""
    if len(value) > MAX_TEXT_LENGTH:
        return TOO_LONG
    return None if is_clean_text(value) else REFUSAL


def is_clean_identifier(value: str) -> bool:
    return _NOT_ID_CHAR.search(value) is None


class StringLiteralRule(ValidationRule):
    """Refuses a string literal of the document that ``is_clean_text`` refuses."""

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        refusal = text_refusal(node.value)
        if refusal is not None:
            self.report_error(
                GraphQLError(refusal, node, extensions={"code": ErrorCode.BAD_USER_INPUT.value})
            )


def string_literal_rule() -> SchemaExtension:
    return AddValidationRules([StringLiteralRule])
