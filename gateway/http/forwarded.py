"""Who the client is: the peer's address, or, when the peer is a trusted proxy, the
address it forwarded in ``X-Forwarded-For``.

Only proxies in ``GATEWAY_TRUSTED_PROXIES`` (none by default) are believed; from a chain
``client, proxy1, proxy2`` the right-most address that is not itself a trusted proxy is
the client, since every hop appends what it saw and only the trusted hops' appends can be
believed. ``gateway.http.edge`` writes the answer into the ASGI scope's ``client``, so
``request.client`` (``gateway.sessions.client_address``) means the same everywhere: the
throttles, sessions, audit log and access log. Uvicorn's own proxy-header handling is off
(``gateway.cli``): it would trust 127.0.0.1 by default.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.types import Scope

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


def forwarded_scope(scope: Scope, trusted: Sequence[Network]) -> Scope:
    """``scope`` with its ``client`` the forwarded client's address, when it came by a trusted proxy."""
    if not trusted or not scope.get("client"):
        return scope
    host, _port = scope["client"]
    values = [value.decode("latin-1") for name, value in scope["headers"] if name == b"x-forwarded-for"]
    client = forwarded_client(host, values, trusted)
    return scope if client == host else {**scope, "client": (client, 0)}
