"""Headers every answer carries, and the GraphiQL page's Content-Security-Policy.

Answers are per caller and often personal: ``Cache-Control: no-store`` unless the route set
its own (GraphiQL's static assets keep Starlette's validators), and ``X-Content-Type-Options:
nosniff`` always, so a browser never runs a JSON answer as something else.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.types import Message

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def add_answer_headers(message: Message, *, request_id: str, static: bool) -> None:
    """Adds to an ``http.response.start`` message the headers every answer carries: the request's
    ``X-Request-ID`` (in place of any other), ``nosniff``, and ``no-store`` unless the route
    set its own ``Cache-Control`` or it is a static asset."""
    headers = [(name, value) for name, value in message.get("headers", ()) if name.lower() != b"x-request-id"]
    names = {name.lower() for name, _ in headers}
    headers.append((b"x-request-id", request_id.encode("latin-1")))
    if b"x-content-type-options" not in names:
        headers.append((b"x-content-type-options", b"nosniff"))
    if not static and b"cache-control" not in names:
        headers.append((b"cache-control", b"no-store"))
    message["headers"] = headers


def content_security_policy(html: str) -> str:
    """A policy for ``html`` that runs only this server's scripts and the page's own inline ones."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' {hashes}".rstrip(),
            "style-src 'self' 'unsafe-inline'",  # GraphiQL styles elements inline
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )
