"""Secrets the gateway hands out: session tokens, API keys, signed document links.

Session tokens and API keys are random (``secrets``) and only their SHA-256 hash is stored:
a leaked database does not log anyone in. They are long enough (256 bits) that a fast,
unsalted hash is the right tool; passwords, which are guessable, use Argon2id instead.

Signed links are ``<payload b64>.<expiry unix seconds>.<HMAC-SHA256 b64>``: short-lived,
stateless, and tied to the server's key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from datetime import datetime

TOKEN_BYTES = 32


def new_token() -> str:
    """A fresh URL-safe random token (256 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(raw: str) -> str:
    """The SHA-256 hex digest under which a token or key is stored and looked up."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def sign(payload: str, *, key: bytes, expires_at: datetime) -> str:
    """A URL-safe token carrying ``payload`` that ``verify`` accepts until ``expires_at``."""
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be timezone-aware")
    message = f"{_b64encode(payload.encode('utf-8'))}.{int(expires_at.timestamp())}"
    return f"{message}.{_b64encode(_mac(key, message))}"


def verify(token: str, *, key: bytes, now: datetime) -> str | None:
    """The payload of a token made by ``sign`` with ``key``, or None when it is forged,
    malformed or expired (the caller answers all three alike)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload_b64, expiry_text, mac_b64 = parts
    message = f"{payload_b64}.{expiry_text}"
    try:
        mac = _b64decode(mac_b64)
    except (binascii.Error, ValueError):
        return None
    if not hmac.compare_digest(mac, _mac(key, message)):
        return None
    if not expiry_text.isdigit() or now.timestamp() >= int(expiry_text):
        return None
    try:
        return _b64decode(payload_b64).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
