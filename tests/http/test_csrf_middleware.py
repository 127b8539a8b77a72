"""The CSRF guard as an ASGI middleware: what it lets through reaches the app whole; what it
refuses is a complete response of its own."""

from __future__ import annotations

import json

import pytest
from starlette.types import Message, Receive, Scope, Send

from gateway.http.csrf import CSRFMiddleware


async def run(middleware: CSRFMiddleware, scope: Scope, body: bytes) -> list[Message]:
    """Drive ``middleware`` with one request; returns what it sent."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await middleware(scope, receive, send)
    return sent


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    """An app that answers with the body it reads (through the ``receive`` it was given)."""
    message = await receive()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": message["body"]})


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_request_let_through_reaches_the_app_with_its_body(method: str) -> None:
    # given: a GET (never guarded) and a POST without the cookie (nothing to guard)
    middleware = CSRFMiddleware(echo, cookie_name="portal_session")
    headers = [(b"cookie", b"portal_session=abc")] if method == "GET" else []
    scope = {"type": "http", "method": method, "headers": headers}

    sent = await run(middleware, scope, b"the body")

    assert sent[0]["status"] == 200
    assert sent[1]["body"] == b"the body"


async def test_a_refusal_is_a_complete_json_response_the_app_never_sees() -> None:
    # given: a form POST carrying the session cookie
    middleware = CSRFMiddleware(echo, cookie_name="portal_session")
    scope = {
        "type": "http",
        "method": "POST",
        "headers": [(b"cookie", b"portal_session=abc"), (b"content-type", b"text/plain")],
    }

    start, body = await run(middleware, scope, b"mutation { logOut }")

    # then: 403 with ASGI's lowercase header names and the body's exact length
    assert start["status"] == 403
    assert dict(start["headers"]) == {
        b"content-type": b"application/json",
        b"content-length": str(len(body["body"])).encode(),
    }
    assert json.loads(body["body"])["errors"][0]["extensions"]["code"] == "FORBIDDEN"
