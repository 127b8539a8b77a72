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


def owner_notice(*, customer_number: str, what_cs: str, what_en: str) -> tuple[str, str]:
    """Subject and body of the mail that tells a customer number's owners of a change of who
    may see it, or of a change of where its money or mail goes."""
    subject = f"Změna u zákaznického čísla {customer_number} / A change to customer number {customer_number}"
    body = (
        f"Dobrý den,\n\nu zákaznického čísla {customer_number}: {what_cs}\n\n"
        "Pokud o změně nevíte, přihlaste se do portálu a zkontrolujte, kdo má k číslu přístup "
        "(Uživatelé s přístupem), nebo volejte zákaznickou linku.\n\n"
        f"Customer number {customer_number}: {what_en}\n\n"
        "If you do not know of this change, log in to the portal and check who has access "
        "(Users with access), or call the customer line.\n"
    )
    return subject, body
