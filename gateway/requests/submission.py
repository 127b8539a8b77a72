"""Filing a request exactly once: authorise, claim the idempotency key, validate, call the
back end, record the result and the audit entry; an instant change is mailed to the
customer's owners (``owner_only`` entries, where money or mail goes, are the owners' own).

Never lost, never doubled:

* The key is claimed in the account store (shared by every replica) before anything else;
  a finished submission is answered again from its record, without a back-end call. A
  duplicate while it runs is ``IN_PROGRESS`` (retryable). The claim is a lease: if the
  gateway dies mid-call, a retry after the lease has run out runs it again
  (``GATEWAY_IDEMPOTENCY_LEASE_SECONDS``), and the CRM's duplicate check answers the case
  the dead run filed.
* A refused submission (validation) releases the claim: the key may be used again.
* A back end that fails or times out releases the claim too, and the client gets a
  retryable ``BACKEND_UNAVAILABLE``. The back end may have done the work all the same (its
  answer lost); the retry is still safe: a CRM case carries the key as its client
  reference (``NewRequest.reference``), so the CRM answers the case it already filed, and the instant
  changes set absolute values, which applying twice leaves as once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from gateway.auditing import record_action
from gateway.context import Info
from gateway.domain import catalogue
from gateway.domain.access import Scope
from gateway.domain.billing import DepositFrequency, DepositPlan
from gateway.domain.catalogue import RequestTypeCode
from gateway.domain.contact import ContactDetailsChange
from gateway.domain.customers import Address
from gateway.domain.requests import CustomerRequest, DocumentUpload, NewRequest
from gateway.domain.supply_points import SupplyPoint
from gateway.errors import BadUserInput, Forbidden, NotFound
from gateway.i18n import czech
from gateway.idempotent import claim, release
from gateway.permissions import Role, require_access
from gateway.portal_accounts import Notice, owner_addresses, send_notice
from gateway.requests import validation as v
from gateway.requests.validation import Code, FieldError
from gateway.schema.node import from_global_id
from gateway.schema.request_inputs import RequestInput
from gateway.store.db import transaction
from gateway.store.idempotency import ClaimState, complete_idempotency_key

PRAGUE = ZoneInfo("Europe/Prague")
MAX_KEY_LENGTH = 128
OPERATION = "submitRequest"


@runtime_checkable
class Invalidates(Protocol):
    """A cached adapter: forgets what it holds of a customer."""

    async def invalidate_customer(self, customer_number: str) -> None: ...


@dataclass(frozen=True, slots=True)
class AppliedChange:
    """An instant change, done."""

    type: RequestTypeCode
    summary: str
    applied_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Outcome:
    errors: tuple[FieldError, ...] = ()
    request: CustomerRequest | None = None
    change: AppliedChange | None = None
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class _Done:
    request: CustomerRequest | None = None
    change: AppliedChange | None = None


def submitter_role(info: Info, customer_number: str, entry: catalogue.RequestType | None = None) -> Role:
    """Owner, or a delegate holding SUBMIT_REQUESTS (not for an owner-only ``entry``: where
    the customer's money or mail goes); staff never (they only read). Without ``entry``: for
    editing and cancelling tracked requests, none of which is owner-only."""
    access = require_access(info.context.access(customer_number))
    if access.role is Role.STAFF or info.context.viewer is None:
        raise Forbidden("Staff cannot submit requests.")
    if not access.allows(Scope.SUBMIT_REQUESTS):
        raise Forbidden
    if entry is not None and entry.owner_only and access.role is not Role.OWNER:
        raise Forbidden("Only the customer's owner can change where its money or mail goes.")
    return access.role


def member(request: RequestInput) -> tuple[str, Any]:
    """The one member given (``@oneOf`` guarantees exactly one): its GraphQL name and value."""
    for field in dataclasses.fields(request):
        value = getattr(request, field.name)
        if value is not None and value is not dataclasses.MISSING and not _unset(value):
            head, *rest = field.name.split("_")
            return head + "".join(part.title() for part in rest), value
    raise BadUserInput("Give exactly one kind of request.")


def _unset(value: object) -> bool:
    return type(value).__name__ == "UnsetType"


def reference(user_id: int, key: str) -> str:
    """The CRM's client reference: stable per user and key, without showing either."""
    return hashlib.sha256(f"{user_id}:{key}".encode()).hexdigest()[:40]


async def submit_request(
    info: Info, *, customer_number: str, idempotency_key: str, request: RequestInput
) -> Outcome:
    name, value = member(request)
    role = submitter_role(info, customer_number, catalogue.BY_CODE[KIND_CODES[name]])
    viewer = info.context.viewer
    assert viewer is not None
    if not 0 < len(idempotency_key) <= MAX_KEY_LENGTH:
        raise BadUserInput(f"`idempotencyKey` must have 1 to {MAX_KEY_LENGTH} characters.")
    services = info.context.services
    arguments = {"customer": customer_number, "kind": name, "input": dataclasses.asdict(value)}
    made = await claim(
        services, user_id=viewer.user_id, key=idempotency_key, operation=OPERATION, arguments=arguments
    )
    if made.state is ClaimState.REPLAY:
        assert made.record.response is not None
        return await _replay(info, made.record.response)
    try:
        result = await _run(info, customer_number, name, value, reference(viewer.user_id, idempotency_key))
    except BaseException:
        await release(services, made)
        raise
    if not isinstance(result, _Done):
        await release(services, made)
        return Outcome(errors=tuple(error.under("request", name) for error in result))
    record: dict[str, Any] = {"kind": name}
    if result.request is not None:
        record["request_id"] = result.request.id
    if result.change is not None:
        record["change"] = {
            "type": result.change.type.value,
            "summary": result.change.summary,
            "applied_at": result.change.applied_at.isoformat(),
        }
    async with transaction(services.store) as session:
        await complete_idempotency_key(
            session, user_id=viewer.user_id, key=idempotency_key, response=record, now=services.clock()
        )
        await record_action(
            info.context,
            session,
            "request.submit",
            customer_number=customer_number,
            login=viewer.login,
            role=role.value,
            **record,
        )
        notice = None
        if result.change is not None:
            notice = Notice(
                customer_number=customer_number,
                recipients=await owner_addresses(
                    session, customer_number=customer_number, now=services.clock()
                ),
                what_cs=f"uživatel {viewer.login} provedl změnu: {result.change.summary}.",
                what_en=f"the user {viewer.login} made a change ({result.change.type.value}): "
                f"{result.change.summary}.",
            )
    if notice is not None:
        await send_notice(info.context, notice)
    return Outcome(request=result.request, change=result.change)


async def _replay(info: Info, record: dict[str, Any]) -> Outcome:
    change = record.get("change")
    if change is not None:
        return Outcome(
            change=AppliedChange(
                type=RequestTypeCode(change["type"]),
                summary=change["summary"],
                applied_at=dt.datetime.fromisoformat(change["applied_at"]),
            ),
            replayed=True,
        )
    found = await info.context.loaders.request_by_id.load(record["request_id"])
    if found is None:
        raise NotFound
    return Outcome(request=found, replayed=True)


# --- per kind ---------------------------------------------------------------------------


KIND_CODES: dict[str, RequestTypeCode] = {field: code for code, (field, _) in catalogue.INPUTS.items()}


async def _point(
    info: Info, customer_number: str, code: RequestTypeCode, raw_id: str | None
) -> SupplyPoint | list[FieldError]:
    """The customer's supply point, offering ``code``; field errors otherwise."""
    if raw_id is None:
        return [FieldError(("supplyPointId",), "Choose a supply point.", Code.REQUIRED)]
    try:
        _, point_id = from_global_id(raw_id, expected="SupplyPoint")
    except NotFound:
        point_id = ""
    point = await info.context.loaders.supply_point_by_id.load(point_id) if point_id else None
    if point is None or point.customer_number != customer_number:
        return [FieldError(("supplyPointId",), "No such supply point of this customer.", Code.NOT_FOUND)]
    if not catalogue.BY_CODE[code].offered_for(point):
        return [
            FieldError(
                ("supplyPointId",),
                "This request is not offered for this supply point's contract.",
                Code.NOT_PERMITTED,
            )
        ]
    return point


async def _plan(info: Info, point: SupplyPoint) -> DepositPlan | list[FieldError]:
    plans = await info.context.loaders.deposit_plans_by_customer.load(point.customer_number)
    plan = next((p for p in plans if p.supply_point_id == point.id), None)
    if plan is None:
        return [FieldError(("supplyPointId",), "This supply point has no deposit plan.", Code.NOT_FOUND)]
    return plan


async def _invalidate(info: Info, customer_number: str) -> None:
    """So the next query shows an instant change (the cached adapters also do it on their writes)."""
    for backend in (info.context.services.backends.billing, info.context.services.backends.crm):
        if isinstance(backend, Invalidates):
            await backend.invalidate_customer(customer_number)


async def _run(
    info: Info, customer_number: str, name: str, value: Any, ext_ref: str
) -> _Done | list[FieldError]:
    code = KIND_CODES[name]
    entry = catalogue.BY_CODE[code]
    services = info.context.services
    billing, crm = services.backends.billing, services.backends.crm

    async def file(filing: Filing) -> _Done:
        created = await crm.create_request(
            NewRequest(
                customer_number=customer_number,
                kind=entry.kind,
                summary=filing.summary,
                supply_point_id=filing.point.id if filing.point else None,
                reference=ext_ref,
                attributes=tuple(sorted(filing.attributes.items())),
                documents=filing.documents,
            )
        )
        return _Done(request=created)

    async def applied(summary: str) -> _Done:
        await _invalidate(info, customer_number)
        return _Done(change=AppliedChange(type=code, summary=summary, applied_at=services.clock()))

    if code is RequestTypeCode.CONTACT_CHANGE:
        errors, email, phone = v.contact_errors(value.email, value.phone)
        if errors:
            return errors
        await crm.change_contact_details(customer_number, ContactDetailsChange(email=email, phone=phone))
        return await applied("Kontaktní údaje změněny")
    if code is RequestTypeCode.CORRESPONDENCE_ADDRESS_CHANGE:
        errors, postcode = v.address_errors(value.street, value.house_number, value.city, value.postcode)
        if errors:
            return errors
        assert postcode is not None
        address = Address(
            street=value.street.strip(),
            house_number=value.house_number.strip(),
            city=value.city.strip(),
            postcode=postcode,
        )
        await crm.change_contact_details(
            customer_number, ContactDetailsChange(correspondence_address=address)
        )
        return await applied("Korespondenční adresa změněna")
    if code is RequestTypeCode.E_INVOICE_CHANGE:
        email = v.email(value.email)
        if email is None:
            return [FieldError(("email",), "Not an e-mail address.", Code.INVALID)]
        await crm.change_contact_details(customer_number, ContactDetailsChange(e_invoice_email=email))
        return await applied("Adresa pro elektronickou fakturu změněna")
    if entry.processing is catalogue.Processing.TRACKED:
        filing = await tracked_filing(info, customer_number, name, value)
        return filing if isinstance(filing, list) else await file(filing)

    found = await _point(info, customer_number, code, value.supply_point_id)
    if isinstance(found, list):
        return found
    point = found
    if code is RequestTypeCode.DEPOSIT_CHANGE:
        plan = await _plan(info, point)
        if isinstance(plan, list):
            return plan
        frequency = value.frequency or plan.frequency
        errors = v.deposit_amount_errors(value.amount, plan, frequency)
        if errors:
            return errors
        if frequency is plan.frequency:
            await billing.change_deposit_amount(plan_id=plan.id, amount=value.amount)
            return await applied(f"Výše zálohy změněna na {czech.amount(value.amount)}")
        # one call: the new schedule and its amount together, or neither
        await billing.change_deposit_frequency(plan_id=plan.id, frequency=frequency, amount=value.amount)
        every = "měsíčně" if frequency is DepositFrequency.MONTHLY else "čtvrtletně"
        return await applied(f"Zálohy {every}, každá {czech.amount(value.amount)}")
    if code in (RequestTypeCode.PAYMENT_METHOD_CHANGE, RequestTypeCode.BANK_DETAILS_CHANGE):
        plan = await _plan(info, point)
        if isinstance(plan, list):
            return plan
        method = value.method if code is RequestTypeCode.PAYMENT_METHOD_CHANGE else plan.payment_method
        errors, account = v.payment_method_errors(method, value.bank_account, plan)
        sipo_errors, sipo = v.sipo_number_errors(method, getattr(value, "sipo_number", None), plan)
        if sipo is not None:  # a new connection number is a change even on a SIPO plan
            errors = [e for e in errors if e.code is not Code.UNCHANGED]
        if errors or sipo_errors:
            return errors + sipo_errors
        await billing.change_payment_method(
            plan_id=plan.id, method=method, bank_account=account, sipo_number=sipo
        )
        # The summary is mailed to the owners, audited and stored: never the whole account.
        shown = f", účet {v.masked_account(account)}" if account else ""
        return await applied(f"Způsob platby: {czech.PAYMENT_METHODS[method]}{shown}")
    raise AssertionError(f"no instant change {code}")


@dataclass(frozen=True, slots=True)
class Filing:
    """A tracked request's case, checked: what the CRM files (or an update writes)."""

    summary: str
    point: SupplyPoint | None
    attributes: dict[str, str]
    documents: tuple[DocumentUpload, ...] = ()


def _documents(items: list[Any] | None) -> tuple[list[FieldError], tuple[DocumentUpload, ...]]:
    return v.document_errors([(d.file_name, d.content_type, d.content_base64) for d in items or ()])


async def tracked_filing(
    info: Info, customer_number: str, name: str, value: Any, *, updating: str | None = None
) -> Filing | list[FieldError]:
    """The case a tracked request files, from its kind's input, or the input's errors (paths
    relative to the member). ``updating``: the id of the case whose fields change (it does not
    count against itself, e.g. the tariff's once in 12 months)."""
    code = KIND_CODES[name]
    now = info.context.services.clock()
    today = now.astimezone(PRAGUE).date()
    if code is RequestTypeCode.FREE_TEXT:
        errors = v.free_text_errors(subject=value.subject, text=value.text)
        point: SupplyPoint | None = None
        if value.supply_point_id is not None:
            found = await _point(info, customer_number, code, value.supply_point_id)
            if isinstance(found, list):
                errors += found
            else:
                point = found
        if errors:
            return errors
        return Filing(f"{value.subject.strip()}: {value.text.strip()}", point, {})
    if code is RequestTypeCode.POWER_OF_ATTORNEY:
        return await _power_of_attorney(info, customer_number, value, today)
    found = await _point(info, customer_number, code, value.supply_point_id)
    if isinstance(found, list):
        return found
    point = found
    if code is RequestTypeCode.SELF_READING:
        errors = v.self_reading_errors(
            point,
            reading_date=value.reading_date,
            high_kwh=value.high_tariff_kwh,
            low_kwh=value.low_tariff_kwh,
            today=today,
        )
        if errors:
            return errors
        attributes = {
            "DATUM_ODECTU": value.reading_date.strftime("%Y%m%d"),
            "STAV_VT": str(value.high_tariff_kwh),
        }
        summary = f"Samoodečet k {czech.date(value.reading_date)}: VT {value.high_tariff_kwh} kWh"
        if value.low_tariff_kwh is not None:
            attributes["STAV_NT"] = str(value.low_tariff_kwh)
            summary += f", NT {value.low_tariff_kwh} kWh"
        return Filing(summary, point, attributes)
    if code is RequestTypeCode.PRODUCT_CHANGE:
        errors = v.product_change_errors(
            point, product=value.product, effective_from=value.effective_from, today=today
        )
        if errors:
            return errors
        since = f" od {czech.date(value.effective_from)}" if value.effective_from else ""
        return Filing(f"Změna produktu na {value.product}{since}", point, {"PRODUKT": value.product})
    if code is RequestTypeCode.BREAKER_OR_TARIFF_CHANGE:
        cases = await info.context.loaders.requests_by_customer.load(customer_number)
        earlier = [case for case in cases if case.id != updating]
        errors = v.breaker_or_tariff_errors(
            point,
            phases=value.main_breaker_phases,
            amps=value.main_breaker_amps,
            tariff=value.distribution_tariff,
            earlier=earlier,
            now=now,
        )
        if errors:
            return errors
        parts, attributes = [], {}
        if value.distribution_tariff is not None:
            parts.append(f"{v.TARIFF_CHANGE_PREFIX} na {value.distribution_tariff}")
            attributes["DS"] = value.distribution_tariff
        if value.main_breaker_amps is not None:
            breaker = f"{value.main_breaker_phases}x{value.main_breaker_amps}"
            parts.append(f"{v.BREAKER_CHANGE_PREFIX} na {breaker} A")
            attributes["HL_JISTIC"] = breaker
        return Filing("; ".join(parts), point, attributes)
    if code is RequestTypeCode.TRANSFER:
        return _transfer(point, value, today)
    assert code is RequestTypeCode.TERMINATION
    errors = v.termination_errors(end_date=value.end_date, reason=value.reason, note=value.note, today=today)
    if errors:
        return errors
    note = f" ({value.note.strip()})" if value.note else ""
    reason = czech.TERMINATION_REASONS[value.reason.value]
    return Filing(
        f"Ukončení smlouvy k {czech.date(value.end_date)}, důvod: {reason}{note}",
        point,
        {"DATUM_UKONCENI": value.end_date.strftime("%Y%m%d"), "DUVOD": value.reason.value},
    )


def _transfer(point: SupplyPoint, value: Any, today: dt.date) -> Filing | list[FieldError]:
    errors, email, phone = v.person_errors(
        "newCustomer",
        name=value.new_customer_name,
        email_text=value.new_customer_email,
        phone_text=value.new_customer_phone,
    )
    errors += v.ico_errors("newCustomerIco", value.new_customer_ico)
    errors += v.transfer_errors(
        point,
        transfer_date=value.transfer_date,
        high_kwh=value.high_tariff_kwh,
        low_kwh=value.low_tariff_kwh,
        today=today,
    )
    document_errors, documents = _documents(value.documents)
    errors += document_errors
    if errors:
        return errors
    assert email is not None
    attributes = {
        "DATUM_PREPISU": value.transfer_date.strftime("%Y%m%d"),
        "NOVY_ZAKAZNIK": value.new_customer_name.strip(),
        "NOVY_EMAIL": email,
    }
    if phone is not None:
        attributes["NOVY_TELEFON"] = phone
    if value.new_customer_ico is not None:
        attributes["NOVY_ICO"] = value.new_customer_ico.strip()
    summary = f"Přepis na {value.new_customer_name.strip()} k {value.transfer_date}"
    if value.high_tariff_kwh is not None:
        attributes["STAV_VT"] = str(int(value.high_tariff_kwh))
        summary += f", stav VT {int(value.high_tariff_kwh)} kWh"
    if value.low_tariff_kwh is not None:
        attributes["STAV_NT"] = str(int(value.low_tariff_kwh))
        summary += f", NT {int(value.low_tariff_kwh)} kWh"
    return Filing(summary, point, attributes, documents)


async def _power_of_attorney(
    info: Info, customer_number: str, value: Any, today: dt.date
) -> Filing | list[FieldError]:
    errors, email, _ = v.person_errors(
        "representative",
        name=value.representative_name,
        email_text=value.representative_email,
        phone_text=None,
    )
    errors += v.power_of_attorney_errors(scope=value.scope, valid_until=value.valid_until, today=today)
    codes: list[str] = []
    for i, raw_id in enumerate(value.supply_point_ids or ()):
        found = await _point(info, customer_number, RequestTypeCode.FREE_TEXT, raw_id)
        if isinstance(found, list):
            errors += [FieldError(("supplyPointIds", str(i)), e.message, e.code) for e in found]
        else:
            codes.append(found.code)
    document_errors, documents = _documents([value.document])
    errors += [FieldError(("document", *e.path[2:]), e.message, e.code) for e in document_errors]
    if errors:
        return errors
    attributes = {"ZMOCNENEC": value.representative_name.strip(), "ROZSAH": value.scope.strip()}
    if email is not None:
        attributes["ZMOCNENEC_EMAIL"] = email
    if value.valid_until is not None:
        attributes["PLATNOST_DO"] = value.valid_until.strftime("%Y%m%d")
    if codes:
        attributes["OM"] = ",".join(codes)
    until = f" do {value.valid_until}" if value.valid_until else ""
    return Filing(f"Plná moc pro {value.representative_name.strip()}{until}", None, attributes, documents)
