"""Mail the gateway sends (e-mail verification), written to an outbox directory.

Each mail is one RFC 5322 ``.eml`` file in ``settings.outbox_dir`` (``var/outbox`` by
default): in demo mode that is where a developer reads the verification link; in
production a mail relay picks the files up. Nothing here speaks SMTP.
"""

from __future__ import annotations

import datetime as dt
import secrets
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

SENDER = "Zákaznický portál <portal@example.cz>"


class DirectoryOutbox:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, *, to: str, subject: str, body: str, now: dt.datetime) -> Path:
        message = EmailMessage()
        message["From"] = SENDER
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = format_datetime(now)
        message.set_content(body)
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{now:%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.eml"
        path.write_bytes(bytes(message))
        return path


def verification_mail(*, login: str, token: str) -> tuple[str, str]:
    """Subject and body of the mail that proves an address belongs to ``login``."""
    subject = "Ověření e-mailové adresy / Verify your e-mail address"
    body = (
        f"Dobrý den,\n\npro ověření adresy k účtu {login} použijte tento kód:\n\n    {token}\n\n"
        "(mutation verifyEmail(token: ...) v API portálu). Kód platí 48 hodin.\n\n"
        f"To verify this address for the account {login}, use the token above with the "
        "verifyEmail mutation. It is valid for 48 hours.\n"
    )
    return subject, body
