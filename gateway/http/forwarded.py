"""Who the client is: the peer's address, or, when the peer is a trusted proxy, the
address it forwarded in ``X-Forwarded-For``.

Only proxies in ``GATEWAY_TRUSTED_PROXIES`` (none by default) are believed; from a chain
``client, proxy1, proxy2`` the right-most address that is not itself a trusted proxy is
the client, since every hop appends what it saw and only the trusted hops' appends can be
believed. The middleware writes the answer into the ASGI scope's ``client``, so
``request.client`` (``gateway.sessions.client_address``) means the same everywhere: the
throttles, sessions and audit log. Uvicorn's own proxy-header handling is off
(``gateway.cli``): it would trust 127.0.0.1 by default.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def forwarded_client(peer: str, forwarded_for: Sequence[str], trusted: Sequence[Network]) -> str:
    """The client's address, from the peer and the ``X-Forwarded-For`` header values."""

    def is_trusted(text: str) -> bool:
        address = _address(text)
        return address is not None and any(address in network for network in trusted)

    if not is_trusted(peer):
        return peer
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",")]
    for hop in reversed(hops):
        if not is_trusted(hop):
            address = _address(hop)
            return str(address) if address is not None else peer  # garbage: the proxy's own
    return hops[0] if hops and _address(hops[0]) is not None else peer  # every hop trusted


class ForwardedClientMiddleware:
    def __init__(self, app: ASGIApp, *, trusted_proxies: Sequence[Network]) -> None:
        self.app = app
        self.trusted = tuple(trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.trusted and scope["type"] in {"http", "websocket"} and scope.get("client"):
            host, _port = scope["client"]
            values = [
                value.decode("latin-1") for name, value in scope["headers"] if name == b"x-forwarded-for"
            ]
            client = forwarded_client(host, values, self.trusted)
            if client != host:
                scope = {**scope, "client": (client, 0)}
        await self.app(scope, receive, send)
