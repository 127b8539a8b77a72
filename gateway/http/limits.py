"""What one HTTP request may carry, refused before anything is parsed or run.

- The body: at most ``settings.max_body_bytes``, checked on ``Content-Length`` and again on
  the bytes as they stream in (a body without a length, or one that lies, is cut off at the
  limit): ``413``.
- The JSON of a GraphQL request: UTF-8, strict JSON (no ``NaN``, no number that overflows
  to infinity, no integer of more digits than Python converts), an object, ``variables``
  and ``extensions`` nested at most ``MAX_JSON_DEPTH`` deep and holding at most
  ``MAX_JSON_VALUES`` values, and every string in it (keys, values, the query, the
  operation name) clean text, and each string of the variables and extensions at most
  ``MAX_TEXT_LENGTH`` characters (``gateway.schema.text_input``): else ``400`` with
  ``BAD_USER_INPUT``.
"""

from __future__ import annotations

import json
import math
from typing import Any

from cross_web import HTTPException
from starlette.datastructures import Headers
from starlette.responses import Response
from strawberry.http import GraphQLRequestData

from gateway.http.refusals import refusal
from gateway.schema.text_input import REFUSAL, is_clean_text, text_refusal

MAX_JSON_DEPTH = 10  # the deepest input (a nomination's intervals) is 4
MAX_JSON_VALUES = 10_000  # a week of quarter-hour intervals is some 3,400 (672 intervals, 2 fields)


class BodyTooLarge(Exception):
    """The body streamed past the limit (``gateway.http.edge``)."""


def declared_length_refusal(headers: Headers, max_bytes: int) -> Response | None:
    """The answer to a request whose ``Content-Length`` is not a number or is over ``max_bytes``."""
    length = headers.get("content-length")
    if length is None:
        return None
    if not length.isdigit():
        return refusal(400, "Content-Length is not a number.")
    return too_large(max_bytes) if int(length) > max_bytes else None


def too_large(max_bytes: int) -> Response:
    """The answer to a body over ``max_bytes``, declared or streamed (``gateway.http.edge``
    counts it as it comes and raises ``BodyTooLarge``); the connection is not reused."""
    message = f"The request body is too large (at most {max_bytes} bytes)."
    return refusal(413, message, headers={"Connection": "close"})


def bad_request(message: str) -> HTTPException:
    """Strawberry's refusal, answered by ``GatewayGraphQL`` as a JSON ``400``."""
    return HTTPException(400, message)


def decode_request_json(data: str | bytes) -> dict[str, Any]:
    """A GraphQL request's JSON object (a POST body, or GET's ``variables`` / ``extensions``)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise bad_request("The request body is not UTF-8.") from None
    try:
        decoded = json.loads(data, parse_constant=_no_constant, parse_float=_finite_float)
    except RecursionError:
        raise bad_request(f"The JSON is nested too deeply (at most {MAX_JSON_DEPTH} levels).") from None
    except ValueError:  # not JSON, a number it will not take, a 5,000-digit integer
        raise bad_request("Unable to parse request body as JSON") from None
    if not isinstance(decoded, dict):
        raise bad_request("A GraphQL request, its variables and its extensions are JSON objects.")
    return decoded


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} overflows")
    return number


def check_request(request: GraphQLRequestData) -> None:
    """Refuses ``request`` unless its strings are clean text and its JSON within bounds."""
    for text in (request.query, request.operation_name):
        if isinstance(text, str) and not is_clean_text(text):
            raise bad_request(REFUSAL)
    budget = MAX_JSON_VALUES
    for value in (request.variables, request.extensions):
        budget = _check_json(value, 0, budget)


def _check_json(value: object, depth: int, budget: int) -> int:
    """``budget`` less the values (and object keys) in ``value``, refusing what is too deep, too
    many or not clean text. Recursion is bounded: nothing deeper than ``MAX_JSON_DEPTH`` is entered."""
    budget -= 1
    if budget < 0:
        raise bad_request(f"The variables hold too many values (at most {MAX_JSON_VALUES}).")
    if isinstance(value, str):
        refusal = text_refusal(value)
        if refusal is not None:
            raise bad_request(refusal)
        return budget
    if not isinstance(value, dict | list):
        return budget
    if depth >= MAX_JSON_DEPTH:
        raise bad_request(f"The JSON is nested too deeply (at most {MAX_JSON_DEPTH} levels).")
    if isinstance(value, dict):
        for key, child in value.items():
            budget = _check_json(child, depth + 1, _check_json(key, depth + 1, budget))
        return budget
    for child in value:
        budget = _check_json(child, depth + 1, budget)
    return budget
