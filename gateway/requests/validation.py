"""Checks of each request kind's input, run before any back end is called.

Every check answers a list of ``FieldError`` whose ``path`` is relative to the kind's
input (``("amount",)``); the submission prefixes the member of the one-of input. The
facts a check needs (the deposit plan, the supply point, earlier requests, today) are
looked up by the caller and handed in, so the checks are plain functions.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from stdnum import iban as stdnum_iban
from stdnum.cz import bankaccount as stdnum_bankaccount
from stdnum.cz import dic as stdnum_dic
from stdnum.exceptions import ValidationError as StdnumError

from gateway.domain.billing import DepositFrequency, DepositPlan, PaymentMethod
from gateway.domain.requests import CustomerRequest, DocumentUpload, RequestKind, RequestState
from gateway.domain.supply_points import (
    Commodity,
    ElectricityTechnicalData,
    RegisterKind,
    SupplyPoint,
)

MAX_DEPOSIT = Decimal(50_000)  # CZK a deposit: above it a typing error is likelier than a real need
# Billing reckons deposits per month: a quarterly deposit's minimum is three monthly ones.
MONTHS_PER_DEPOSIT = {DepositFrequency.MONTHLY: 1, DepositFrequency.QUARTERLY: 3}
MAX_TEXT = 2000
MAX_SUBJECT = 120
# A self-reading may show at most this many times the expected consumption since the last reading
# (plus a floor for short periods): more is likelier a typo than a real winter.
PLAUSIBLE_FACTOR = 3
PLAUSIBLE_FLOOR_KWH = 500
TARIFF_CHANGE_PREFIX = "Změna distribuční sazby"
BREAKER_CHANGE_PREFIX = "Změna hlavního jističe"
ELECTRICITY_PRODUCTS = ("ESCO Standard", "ESCO Fix 24", "ESCO Fix 36", "ESCO Online")
GAS_PRODUCTS = ("ESCO Plyn Standard", "ESCO Plyn Fix 24")
DISTRIBUTION_TARIFFS = frozenset(
    {"D01d", "D02d", "D25d", "D26d", "D27d", "D35d", "D45d", "D56d", "D57d", "D61d"}
    | {"C01d", "C02d", "C03d", "C25d", "C26d", "C35d", "C45d", "C56d", "C62d"}
)
CLOSED_TO_NEW = frozenset({"D35d", "D45d", "D55d", "D56d"})  # closed to new customers on 31 Mar 2016
BREAKER_AMPS = (10, 13, 16, 20, 25, 32, 40, 50, 63)
EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+"
)
CZ_PHONE = re.compile(r"[2-7]\d{8}")  # fixed lines start 2-5, mobiles 6-7 (DOMAIN.md section 1)
PSC = re.compile(r"[1-7]\d{4}")  # the first digit is the region


class Code(enum.Enum):
    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    TOO_LOW = "TOO_LOW"
    TOO_HIGH = "TOO_HIGH"
    IN_FUTURE = "IN_FUTURE"
    IN_PAST = "IN_PAST"
    IMPLAUSIBLE = "IMPLAUSIBLE"
    UNCHANGED = "UNCHANGED"
    TOO_SOON = "TOO_SOON"
    NOT_FOUND = "NOT_FOUND"
    NOT_PERMITTED = "NOT_PERMITTED"
    REQUEST_CLOSED = "REQUEST_CLOSED"


@dataclass(frozen=True, slots=True)
class FieldError:
    path: tuple[str, ...]
    message: str
    code: Code

    def under(self, *prefix: str) -> FieldError:
        return FieldError((*prefix, *self.path), self.message, self.code)


def _error(field: str, message: str, code: Code = Code.INVALID) -> FieldError:
    return FieldError((field,), message, code)


# --- values -----------------------------------------------------------------------------


def bank_account(text: str) -> str | None:
    """A Czech account (``19-2000145399/0800``) or a Czech IBAN, checked (mod 11, the bank
    code on the ČNB list, mod 97), in the billing system's form; ``None`` when invalid."""
    compact = text.replace(" ", "").upper()
    if compact.startswith("CZ"):
        try:
            compact = stdnum_iban.validate(compact)
        except StdnumError:
            return None
        bank, prefix, number = compact[4:8], compact[8:14], compact[14:]
        compact = f"{prefix}-{number}/{bank}"
    try:
        valid = stdnum_bankaccount.validate(compact)
    except StdnumError:
        return None
    account, _, bank = valid.partition("/")
    prefix, _, number = account.rpartition("-")
    prefix, number = prefix.lstrip("0"), number.lstrip("0")
    return f"{prefix}-{number}/{bank}" if prefix else f"{number}/{bank}"


def masked_account(account: str) -> str:
    """``19-2000145399/0800`` -> ``****5399/0800``: what a mail, a log or a summary may show of
    an account in billing's form (the last 4 digits and the bank, as a bank's statement does)."""
    number, _, bank = account.partition("/")
    digits = number.replace("-", "")
    return f"****{digits[-4:]}/{bank}"


def phone(text: str) -> str | None:
    """``+420 601 123 456`` (the prefix optional) -> ``+420601123456``; ``None`` when invalid."""
    compact = re.sub(r"[\s-]", "", text)
    if compact.startswith("+420"):
        compact = compact[4:]
    elif compact.startswith("00420"):
        compact = compact[5:]
    return "+420" + compact if CZ_PHONE.fullmatch(compact) else None


def email(text: str) -> str | None:
    value = text.strip()
    return value if len(value) <= 254 and EMAIL.fullmatch(value) else None


def postcode(text: str) -> str | None:
    """``110 00`` -> ``11000``; ``None`` when not a Czech postcode."""
    compact = text.replace(" ", "")
    return compact if PSC.fullmatch(compact) else None


def required_text(field: str, value: str, limit: int) -> list[FieldError]:
    if not value.strip():
        return [_error(field, "Fill this in.", Code.REQUIRED)]
    if len(value) > limit:
        return [_error(field, f"At most {limit} characters.", Code.TOO_HIGH)]
    return []


# --- instant changes --------------------------------------------------------------------


def minimum_deposit(plan: DepositPlan, frequency: DepositFrequency) -> Decimal:
    """Billing's minimum for one of the plan's deposits once they come at ``frequency``."""
    months = Decimal(MONTHS_PER_DEPOSIT[frequency]) / MONTHS_PER_DEPOSIT[plan.frequency]
    return (plan.minimum_amount.amount * months).quantize(Decimal("0.01"))


def deposit_amount_errors(
    amount: Decimal, plan: DepositPlan, frequency: DepositFrequency | None = None
) -> list[FieldError]:
    """``amount`` per deposit at ``frequency`` (the plan's own when omitted)."""
    minimum = minimum_deposit(plan, frequency or plan.frequency)
    maximum = min(MAX_DEPOSIT, minimum * 20)  # billing refuses more than 20 times its minimum
    if amount != amount.quantize(Decimal("0.01")) or amount <= 0:
        return [_error("amount", "Give a positive amount in CZK with at most two decimals.")]
    if amount < minimum:
        return [_error("amount", f"The deposit must be at least {minimum} CZK.", Code.TOO_LOW)]
    if amount > maximum:
        return [_error("amount", f"The deposit can be at most {maximum} CZK.", Code.TOO_HIGH)]
    return []


def payment_method_errors(
    method: PaymentMethod, account: str | None, plan: DepositPlan
) -> tuple[list[FieldError], str | None]:
    """Errors, and the bank account in billing's form. Direct debit needs an account."""
    if account is None or not account.strip():
        if method is PaymentMethod.DIRECT_DEBIT:
            return [_error("bankAccount", "Direct debit needs a bank account.", Code.REQUIRED)], None
        if method is plan.payment_method:
            return [_error("method", "This is already the payment method.", Code.UNCHANGED)], None
        return [], None
    parsed = bank_account(account)
    if parsed is None:
        return [
            _error("bankAccount", "Not a valid Czech bank account (123-1234567890/0100) or Czech IBAN.")
        ], None
    return [], parsed


def sipo_number_errors(
    method: PaymentMethod, sipo_number: str | None, plan: DepositPlan
) -> tuple[list[FieldError], str | None]:
    """Errors, and the connection number: SIPO (Česká pošta) collects by the payer's spojovací
    číslo, ten digits; switching to SIPO needs one, a plan already on SIPO keeps its own."""
    text = (sipo_number or "").replace(" ", "")
    if not text:
        if method is PaymentMethod.SIPO and plan.sipo_number is None:
            return [
                _error("sipoNumber", "SIPO needs its connection number (spojovací číslo).", Code.REQUIRED)
            ], None
        return [], None
    if method is not PaymentMethod.SIPO:
        return [_error("sipoNumber", "A connection number is only for SIPO.")], None
    if len(text) != 10 or not text.isascii() or not text.isdigit():
        return [_error("sipoNumber", "A SIPO connection number has ten digits.")], None
    return [], text


def contact_errors(
    email_text: str | None, phone_text: str | None
) -> tuple[list[FieldError], str | None, str | None]:
    errors: list[FieldError] = []
    if email_text is None and phone_text is None:
        return [FieldError((), "Give a new e-mail, phone or both.", Code.REQUIRED)], None, None
    new_email = email(email_text) if email_text is not None else None
    new_phone = phone(phone_text) if phone_text is not None else None
    if email_text is not None and new_email is None:
        errors.append(_error("email", "Not an e-mail address."))
    if phone_text is not None and new_phone is None:
        errors.append(_error("phone", "Give a Czech number: +420 and nine digits."))
    return errors, new_email, new_phone


def address_errors(
    street: str, house_number: str, city: str, postcode_text: str
) -> tuple[list[FieldError], str | None]:
    errors = [
        *required_text("street", street, 100),
        *required_text("houseNumber", house_number, 20),
        *required_text("city", city, 100),
    ]
    if house_number.strip() and not re.fullmatch(
        r"\d{1,5}(/\d{1,5}[a-zA-Z]?)?[a-zA-Z]?", house_number.strip()
    ):
        errors.append(_error("houseNumber", "A house number like 12 or 1234/5a."))
    code = postcode(postcode_text)
    if code is None:
        errors.append(_error("postcode", "A Czech postcode: five digits, written 110 00."))
    return errors, code


# --- tracked requests -------------------------------------------------------------------


def self_reading_errors(
    point: SupplyPoint,
    *,
    reading_date: dt.date,
    high_kwh: Decimal,
    low_kwh: Decimal | None,
    today: dt.date,
) -> list[FieldError]:
    errors: list[FieldError] = []
    meter = point.meter
    if meter is None:
        return [
            _error("supplyPointId", "The distributor takes this supply point's readings.", Code.NOT_PERMITTED)
        ]
    registers = {register.kind: register for register in meter.registers}
    dual = RegisterKind.LOW_TARIFF in registers
    high = registers.get(RegisterKind.HIGH_TARIFF) or registers.get(RegisterKind.SINGLE)
    low = registers.get(RegisterKind.LOW_TARIFF)
    if reading_date > today:
        errors.append(_error("readingDate", "The reading date cannot be in the future.", Code.IN_FUTURE))
    if high is not None and reading_date < high.last_reading_date:
        errors.append(
            _error("readingDate", f"The last reading was on {high.last_reading_date}.", Code.IN_PAST)
        )
    values: list[tuple[str, Decimal, int | None]] = [
        ("highTariffKwh", high_kwh, high.last_reading_kwh if high else None)
    ]
    if dual:
        if low_kwh is None:
            errors.append(_error("lowTariffKwh", "This meter has a low-tariff register too.", Code.REQUIRED))
        else:
            values.append(("lowTariffKwh", low_kwh, low.last_reading_kwh if low else None))
    elif low_kwh is not None:
        errors.append(_error("lowTariffKwh", "This meter has one register only.", Code.INVALID))
    delta = 0
    for field, value, last in values:
        if value != value.to_integral_value() or value < 0:
            errors.append(_error(field, "Whole kWh, as the meter shows them, without decimals."))
        elif last is not None and value < last:
            errors.append(_error(field, f"The last reading of this register was {last} kWh.", Code.TOO_LOW))
        elif last is not None:
            delta += int(value) - last
    if not errors and high is not None:
        days = max((reading_date - high.last_reading_date).days, 1)
        plausible = point.expected_annual_consumption_kwh * days * PLAUSIBLE_FACTOR // 365
        if delta > plausible + PLAUSIBLE_FLOOR_KWH:
            errors.append(
                _error(
                    "highTariffKwh",
                    f"{delta} kWh since the last reading is far above the expected consumption; "
                    "check the digits.",
                    Code.IMPLAUSIBLE,
                )
            )
    return errors


def product_change_errors(
    point: SupplyPoint, *, product: str, effective_from: dt.date | None, today: dt.date
) -> list[FieldError]:
    offered = ELECTRICITY_PRODUCTS if point.commodity is Commodity.ELECTRICITY else GAS_PRODUCTS
    errors: list[FieldError] = []
    if product not in offered:
        errors.append(_error("product", f"Choose one of: {', '.join(offered)}."))
    elif product == point.product:
        errors.append(_error("product", "This supply point already has this product.", Code.UNCHANGED))
    if effective_from is not None:
        if effective_from <= today:
            errors.append(
                _error("effectiveFrom", "The change can start tomorrow at the earliest.", Code.IN_PAST)
            )
        elif effective_from > today + dt.timedelta(days=365):
            errors.append(_error("effectiveFrom", "At most a year ahead.", Code.TOO_HIGH))
    return errors


def _tariff_changes(requests: Iterable[CustomerRequest], point_id: str) -> list[CustomerRequest]:
    return [
        r
        for r in requests
        if r.kind is RequestKind.BREAKER_OR_TARIFF_CHANGE
        and r.supply_point_id == point_id
        and r.summary.startswith(TARIFF_CHANGE_PREFIX)
        and r.state not in (RequestState.REJECTED, RequestState.CANCELLED)
    ]


def breaker_or_tariff_errors(
    point: SupplyPoint,
    *,
    phases: int | None,
    amps: int | None,
    tariff: str | None,
    earlier: Iterable[CustomerRequest],
    now: dt.datetime,
) -> list[FieldError]:
    technical = point.technical
    if not isinstance(technical, ElectricityTechnicalData):
        return [_error("supplyPointId", "Only for electricity on combined services.", Code.NOT_PERMITTED)]
    if technical.main_breaker_amps is None or technical.distribution_tariff is None:
        return [
            _error(
                "supplyPointId",
                "A high-voltage supply point has a reserved capacity, not a breaker or a tariff.",
                Code.NOT_PERMITTED,
            )
        ]
    if (phases is None) != (amps is None):
        field = "mainBreakerAmps" if amps is None else "mainBreakerPhases"
        return [_error(field, "Give both the phases and the amps of the new breaker.", Code.REQUIRED)]
    if phases is None and tariff is None:
        return [FieldError((), "Give a new main breaker, a new distribution tariff or both.", Code.REQUIRED)]
    errors: list[FieldError] = []
    if phases is not None and amps is not None:
        if phases not in (1, 3):
            errors.append(_error("mainBreakerPhases", "1 or 3 phases."))
        if amps not in BREAKER_AMPS or (phases == 1 and amps > 32):
            sizes = ", ".join(str(a) for a in BREAKER_AMPS)
            errors.append(_error("mainBreakerAmps", f"A standard size: {sizes} A (1 phase at most 32 A)."))
        if (phases, amps) == (technical.phases, technical.main_breaker_amps):
            errors.append(_error("mainBreakerAmps", "This is the current breaker.", Code.UNCHANGED))
    if tariff is not None:
        if tariff not in DISTRIBUTION_TARIFFS or (tariff[0] != technical.distribution_tariff[0]):
            errors.append(_error("distributionTariff", "Not a distribution tariff for this supply point."))
        elif tariff in CLOSED_TO_NEW:
            errors.append(
                _error("distributionTariff", "This tariff is closed to new customers.", Code.NOT_PERMITTED)
            )
        elif tariff == technical.distribution_tariff:
            errors.append(_error("distributionTariff", "This is the current tariff.", Code.UNCHANGED))
        elif recent := [
            r for r in _tariff_changes(earlier, point.id) if r.created_at > now - dt.timedelta(days=365)
        ]:
            errors.append(
                _error(
                    "distributionTariff",
                    f"The tariff can change once in 12 months; the last change was filed on "
                    f"{min(r.created_at for r in recent).date()}.",
                    Code.TOO_SOON,
                )
            )
    return errors


class TerminationReason(enum.Enum):
    MOVING_OUT = "MOVING_OUT"
    SUPPLIER_CHANGE = "SUPPLIER_CHANGE"
    TRANSFER_TO_NEW_CUSTOMER = "TRANSFER_TO_NEW_CUSTOMER"
    DECEASED = "DECEASED"
    OTHER = "OTHER"


def termination_errors(
    *, end_date: dt.date, reason: TerminationReason, note: str | None, today: dt.date
) -> list[FieldError]:
    errors: list[FieldError] = []
    if end_date < today:
        errors.append(_error("endDate", "The contract cannot end in the past.", Code.IN_PAST))
    elif end_date > today + dt.timedelta(days=365):
        errors.append(_error("endDate", "At most a year ahead.", Code.TOO_HIGH))
    if reason is TerminationReason.OTHER and (note is None or not note.strip()):
        errors.append(_error("note", "Say why, when the reason is OTHER.", Code.REQUIRED))
    if note is not None and len(note) > MAX_TEXT:
        errors.append(_error("note", f"At most {MAX_TEXT} characters.", Code.TOO_HIGH))
    return errors


def free_text_errors(*, subject: str, text: str) -> list[FieldError]:
    return [*required_text("subject", subject, MAX_SUBJECT), *required_text("text", text, MAX_TEXT)]


# --- documents, transfer (přepis), power of attorney (plná moc) --------------------------

# A file rides base64 inside the JSON body, as one string argument, and every string argument
# is at most MAX_TEXT_LENGTH (100,000) characters (gateway.schema.text_input): 72 KiB of file is
# 98,304 characters of base64. A scanned page as a JPEG fits; a bigger file needs an upload path
# of its own (not built yet).
MAX_DOCUMENT_BYTES = 72 * 1024
MAX_DOCUMENTS = 3
MAX_NAME = 200
# What the first bytes of each accepted type are: a file is what it says it is, or refused.
DOCUMENT_SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
TRANSFER_BACKDATE_DAYS = 30  # a change of customer is reported within 30 days at most (DOMAIN.md §2)
MAX_POWER_OF_ATTORNEY_YEARS = 10


def document_errors(
    documents: Sequence[tuple[str, str, str]],
) -> tuple[list[FieldError], tuple[DocumentUpload, ...]]:
    """``(file name, content type, base64 content)`` each: the files, or what is wrong with
    them, the path ``("documents", i, field)``."""
    errors: list[FieldError] = []
    uploads: list[DocumentUpload] = []
    if len(documents) > MAX_DOCUMENTS:
        return [_error("documents", f"At most {MAX_DOCUMENTS} documents at once.", Code.TOO_HIGH)], ()
    for i, (file_name, content_type, encoded) in enumerate(documents):
        at = ("documents", str(i))
        name = file_name.strip()
        if not name or len(name) > MAX_NAME or any(c in name for c in "/\\\x00") or not name.isprintable():
            errors.append(
                FieldError((*at, "fileName"), f"A file name of 1 to {MAX_NAME} characters.", Code.INVALID)
            )
        if content_type not in DOCUMENT_SIGNATURES:
            types = ", ".join(DOCUMENT_SIGNATURES)
            errors.append(FieldError((*at, "contentType"), f"One of: {types}.", Code.INVALID))
            continue
        if len(encoded) > (MAX_DOCUMENT_BYTES + 2) // 3 * 4 + 4:
            errors.append(FieldError((*at, "contentBase64"), "At most 72 KiB a file.", Code.TOO_HIGH))
            continue
        try:
            content = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            errors.append(FieldError((*at, "contentBase64"), "Not base64.", Code.INVALID))
            continue
        if not content:
            errors.append(FieldError((*at, "contentBase64"), "The file is empty.", Code.REQUIRED))
        elif len(content) > MAX_DOCUMENT_BYTES:
            errors.append(FieldError((*at, "contentBase64"), "At most 72 KiB a file.", Code.TOO_HIGH))
        elif not content.startswith(DOCUMENT_SIGNATURES[content_type]):
            message = f"The file is not {content_type}."
            errors.append(FieldError((*at, "contentBase64"), message, Code.INVALID))
        else:
            uploads.append(DocumentUpload(file_name=name, content_type=content_type, content=content))
    return errors, tuple(uploads) if not errors else ()


def person_errors(
    prefix: str, *, name: str, email_text: str | None, phone_text: str | None
) -> tuple[list[FieldError], str | None, str | None]:
    """A person named in a request (the new customer, the attorney): name, optional contact."""
    errors = required_text(f"{prefix}Name", name, MAX_NAME)
    new_email = email(email_text) if email_text is not None else None
    new_phone = phone(phone_text) if phone_text is not None else None
    if email_text is not None and new_email is None:
        errors.append(_error(f"{prefix}Email", "Not an e-mail address."))
    if phone_text is not None and new_phone is None:
        errors.append(_error(f"{prefix}Phone", "A Czech phone number: +420 and nine digits."))
    return errors, new_email, new_phone


def ico_errors(field: str, ico: str | None) -> list[FieldError]:
    if ico is None:
        return []
    try:
        stdnum_dic.validate(ico)  # an 8-digit DIČ is the IČO, with the IČO's check digit
    except StdnumError:
        return [_error(field, "Not an IČO: eight digits with a valid check digit.")]
    return [] if len(stdnum_dic.compact(ico)) == 8 else [_error(field, "An IČO has eight digits.")]


def transfer_errors(
    point: SupplyPoint,
    *,
    transfer_date: dt.date,
    high_kwh: Decimal | None,
    low_kwh: Decimal | None,
    today: dt.date,
) -> list[FieldError]:
    """The date of the handover and, when given, the meter's state at it (whole kWh, NT only
    on a dual tariff)."""
    errors: list[FieldError] = []
    if transfer_date < today - dt.timedelta(days=TRANSFER_BACKDATE_DAYS):
        message = f"At most {TRANSFER_BACKDATE_DAYS} days back: report a change of customer in time."
        errors.append(_error("transferDate", message, Code.IN_PAST))
    elif transfer_date > today + dt.timedelta(days=365):
        errors.append(_error("transferDate", "At most a year ahead.", Code.TOO_HIGH))
    dual = point.meter is not None and any(r.kind is RegisterKind.LOW_TARIFF for r in point.meter.registers)
    for field, value in (("highTariffKwh", high_kwh), ("lowTariffKwh", low_kwh)):
        if value is not None and (value < 0 or value != value.to_integral_value()):
            errors.append(_error(field, "Whole kWh, not negative.", Code.INVALID))
    if low_kwh is not None and not dual:
        errors.append(_error("lowTariffKwh", "This meter has one register.", Code.NOT_PERMITTED))
    if low_kwh is not None and high_kwh is None:
        errors.append(_error("highTariffKwh", "Give the VT register too.", Code.REQUIRED))
    return errors


def power_of_attorney_errors(*, scope: str, valid_until: dt.date | None, today: dt.date) -> list[FieldError]:
    errors = required_text("scope", scope, MAX_TEXT)
    if valid_until is not None:
        if valid_until <= today:
            errors.append(_error("validUntil", "A power of attorney that has not expired yet.", Code.IN_PAST))
        elif valid_until > today + dt.timedelta(days=365 * MAX_POWER_OF_ATTORNEY_YEARS):
            errors.append(
                _error("validUntil", f"At most {MAX_POWER_OF_ATTORNEY_YEARS} years ahead.", Code.TOO_HIGH)
            )
    return errors
