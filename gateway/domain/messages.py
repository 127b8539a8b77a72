"""Messages the supplier sends to a customer's portal inbox."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class MessageKind(enum.Enum):
    MARKETING = "MARKETING"
    PRODUCT_NEWS = "PRODUCT_NEWS"
    NOTICE = "NOTICE"  # service notices: outages, price changes, contract matters


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    customer_number: str
    kind: MessageKind
    subject: str
    body: str
    sent_at: dt.datetime  # timezone-aware
    read: bool
