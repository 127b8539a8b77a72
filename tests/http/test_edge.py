"""The edge layer (``gateway.http.edge``) as ASGI: what it lets through reaches the app whole;
what it refuses (CSRF, a body too large) is a complete response of its own, with the headers
every answer carries."""

from __future__ import annotations

import json

import pytest
from starlette.types import Message, Receive, Scope, Send

from gateway.http.edge import Edge

LIMIT = 64


async def run(app: Edge, scope: Scope, chunks: list[bytes]) -> list[Message]:
    """Drive ``app`` with one request whose body comes in ``chunks``; returns what it sent."""
    sent: list[Message] = []
    pending = list(chunks)

    async def receive() -> Message:
        body = pending.pop(0) if pending else b""
        return {"type": "http.request", "body": body, "more_body": bool(pending)}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    """An app that answers with the body it reads (through the ``receive`` it was given)."""
    body = b""
    while True:
        message = await receive()
        body += message["body"]
        if not message["more_body"]:
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def edge() -> Edge:
    return Edge(echo, max_body_bytes=LIMIT, cookie_name="portal_session")


def http(method: str, headers: list[tuple[bytes, bytes]]) -> Scope:
    client = ("10.0.0.9", 1)
    return {"type": "http", "method": method, "path": "/graphql", "headers": headers, "client": client}


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_request_let_through_reaches_the_app_with_its_body(method: str) -> None:
    # given: a GET (never guarded) and a POST without the cookie (nothing to guard)
    headers = [(b"cookie", b"portal_session=abc")] if method == "GET" else []

    start, body = await run(edge(), http(method, headers), [b"the ", b"body"])

    # then: the app's answer, with the headers every answer carries
    assert start["status"] == 200
    assert body["body"] == b"the body"
    names = dict(start["headers"])
    assert names[b"x-content-type-options"] == b"nosniff"
    assert names[b"cache-control"] == b"no-store"
    assert len(names[b"x-request-id"]) == 32


async def test_a_csrf_refusal_is_a_complete_json_response_the_app_never_sees() -> None:
    # given: a form POST carrying the session cookie
    headers = [(b"cookie", b"portal_session=abc"), (b"content-type", b"text/plain")]
    headers.append((b"x-request-id", b"r-1"))

    start, body = await run(edge(), http("POST", headers), [b"mutation { logOut }"])

    # then: 403 with ASGI's lowercase header names, the body's exact length, the request's id
    assert start["status"] == 403
    names = dict(start["headers"])
    assert names[b"content-type"] == b"application/json"
    assert names[b"content-length"] == str(len(body["body"])).encode()
    assert names[b"x-request-id"] == b"r-1"
    assert json.loads(body["body"])["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize("declared", [True, False])
async def test_a_body_past_the_limit_is_refused_whether_declared_or_streamed(declared: bool) -> None:
    # given: a body one byte over the limit, its length declared, or streamed without one
    headers = [(b"content-length", str(LIMIT + 1).encode())] if declared else []

    start, body = await run(edge(), http("POST", headers), [b"x" * LIMIT, b"x"])

    # then: 413, and the app's echo never sent
    assert start["status"] == 413
    assert dict(start["headers"])[b"connection"] == b"close"
    assert json.loads(body["body"])["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
