"""Whose address a request comes from: the peer, or what a trusted proxy forwarded."""

from __future__ import annotations

import ipaddress

import pytest

from gateway.http.forwarded import forwarded_client

TRUSTED = (
    ipaddress.ip_network("127.0.0.1/32"),
    ipaddress.ip_network("10.0.0.0/8"),
    ipaddress.ip_network("::1/128"),
)


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client"),
    [
        ("192.0.2.7", ["198.51.100.1"], "192.0.2.7"),  # not a proxy: the header is the client's own
        ("127.0.0.1", [], "127.0.0.1"),  # a trusted proxy that forwarded nothing
        ("127.0.0.1", ["198.51.100.1"], "198.51.100.1"),
        ("127.0.0.1", ["6.6.6.6, 198.51.100.1, 10.2.3.4"], "198.51.100.1"),  # forged start ignored
        ("127.0.0.1", ["6.6.6.6", "198.51.100.1, 10.2.3.4"], "198.51.100.1"),  # header lines join
        ("::1", ["2001:db8::5"], "2001:db8::5"),
        ("127.0.0.1", ["10.9.9.9, 10.1.1.1"], "10.9.9.9"),  # every hop a proxy: the first one
        ("127.0.0.1", ["6.6.6.6, not-an-address"], "127.0.0.1"),  # garbage: the proxy itself
    ],
)
def test_only_a_trusted_proxy_is_believed_and_the_rightmost_untrusted_hop_is_the_client(
    peer: str, forwarded_for: list[str], client: str
) -> None:
    assert forwarded_client(peer, forwarded_for, TRUSTED) == client


def test_without_trusted_proxies_the_peer_is_the_client() -> None:
    assert forwarded_client("127.0.0.1", ["198.51.100.1"], ()) == "127.0.0.1"
