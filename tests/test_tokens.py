from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest

from gateway import tokens

KEY = b"k" * 32
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)


def test_new_tokens_are_long_url_safe_and_unique() -> None:
    made = {tokens.new_token() for _ in range(100)}

    assert len(made) == 100
    assert all(len(token) >= 43 for token in made)
    assert all(
        set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for token in made
    )


def test_hash_token_is_the_sha256_hex_digest() -> None:
    assert tokens.hash_token("abc") == hashlib.sha256(b"abc").hexdigest()
    assert tokens.hash_token("abc") != tokens.hash_token("abd")


def test_a_signed_link_verifies_until_it_expires() -> None:
    signed = tokens.sign("document:INV-2026-0001", key=KEY, expires_at=LATER)

    assert tokens.verify(signed, key=KEY, now=NOW) == "document:INV-2026-0001"
    assert tokens.verify(signed, key=KEY, now=LATER - timedelta(seconds=1)) == "document:INV-2026-0001"
    assert tokens.verify(signed, key=KEY, now=LATER) is None


def test_payloads_survive_non_ascii_and_separators() -> None:
    payload = "faktura.č.1/2026?x=y"

    assert tokens.verify(tokens.sign(payload, key=KEY, expires_at=LATER), key=KEY, now=NOW) == payload


def test_another_key_does_not_verify() -> None:
    signed = tokens.sign("document:1", key=KEY, expires_at=LATER)

    assert tokens.verify(signed, key=b"other" * 8, now=NOW) is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t.replace(
            t.split(".")[0], tokens.sign("document:2", key=KEY, expires_at=LATER).split(".")[0]
        ),
        lambda t: ".".join([t.split(".")[0], str(int(t.split(".")[1]) + 3600), t.split(".")[2]]),
        lambda t: t[:-2],
        lambda t: t + ".x",
        lambda t: "",
        lambda t: "a.b.c",
        lambda t: "ž.1.ž",
    ],
    ids=["other payload", "extended expiry", "cut signature", "extra part", "empty", "garbage", "non-ascii"],
)
def test_a_tampered_or_malformed_link_does_not_verify(tamper: Callable[[str], str]) -> None:
    signed = tokens.sign("document:1", key=KEY, expires_at=LATER)

    assert tokens.verify(tamper(signed), key=KEY, now=NOW) is None


def test_expiry_is_an_instant_whatever_the_time_zone() -> None:
    prague = timezone(timedelta(hours=1))
    signed = tokens.sign("d", key=KEY, expires_at=LATER.astimezone(prague))

    assert tokens.verify(signed, key=KEY, now=(LATER - timedelta(seconds=1)).astimezone(prague)) == "d"
    assert tokens.verify(signed, key=KEY, now=LATER) is None


def test_a_naive_expiry_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        tokens.sign("d", key=KEY, expires_at=datetime(2026, 1, 1))
