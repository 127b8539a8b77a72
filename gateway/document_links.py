"""Where a document is fetched: ``/documents/<global id>`` for a session, or the same with a
short-lived signed ``sig`` that works without one (for a download manager, a mail client).

The signature (``gateway.tokens``, HMAC-SHA256 with ``settings.secret_key``) covers the
document's own id and its expiry, so a link is good for that one document, for minutes.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from gateway import tokens

LINK_LIFETIME = dt.timedelta(minutes=5)
PATH_PREFIX = "/documents/"


def document_path(global_id: str) -> str:
    return PATH_PREFIX + quote(global_id, safe="")


def _payload(document_id: str) -> str:
    return f"document:{document_id}"


def signed_document_url(
    global_id: str, document_id: str, *, key: bytes, now: dt.datetime
) -> tuple[str, dt.datetime]:
    """The signed URL of a document and the moment it stops working."""
    expires_at = now + LINK_LIFETIME
    signature = tokens.sign(_payload(document_id), key=key, expires_at=expires_at)
    return f"{document_path(global_id)}?sig={quote(signature, safe='')}", expires_at


def signature_allows(signature: str, document_id: str, *, key: bytes, now: dt.datetime) -> bool:
    """True for an unexpired signature made for exactly this document."""
    return tokens.verify(signature, key=key, now=now) == _payload(document_id)
