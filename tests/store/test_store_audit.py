from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.permissions import StaffRole
from gateway.store.accounts import create_user
from gateway.store.api_keys import create_api_key
from gateway.store.audit import AuditFilter, list_audit, page_audit, write_audit
from gateway.store.models import ActorKind

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


async def test_an_entry_keeps_who_did_what_on_which_customer(session: AsyncSession) -> None:
    await write_audit(
        session,
        now=NOW,
        actor_kind=ActorKind.STAFF,
        actor_id=7,
        action="read_invoices",
        customer_number="1000012345",
        detail={"fields": ["invoices"], "count": 3, "note": "čtení"},
        client_address="198.51.100.4",
    )
    await session.commit()
    session.expunge_all()

    [entry] = await list_audit(session)

    assert entry.at == NOW
    assert entry.actor_kind is ActorKind.STAFF
    assert entry.actor_id == "7"
    assert entry.action == "read_invoices"
    assert entry.customer_number == "1000012345"
    assert entry.detail == {"fields": ["invoices"], "count": 3, "note": "čtení"}
    assert entry.client_address == "198.51.100.4"


async def test_list_audit_filters_and_shows_the_newest_first(session: AsyncSession) -> None:
    for minute, (kind, number) in enumerate(
        [
            (ActorKind.USER, "1000012345"),
            (ActorKind.STAFF, "1000012345"),
            (ActorKind.STAFF, "2000034567"),
            (ActorKind.ANONYMOUS, None),
        ]
    ):
        await write_audit(
            session,
            now=NOW + minute * MINUTE,
            actor_kind=kind,
            actor_id=None,
            action=f"a{minute}",
            customer_number=number,
        )

    assert [e.action for e in await list_audit(session)] == ["a3", "a2", "a1", "a0"]
    assert [e.action for e in await list_audit(session, customer_number="1000012345")] == ["a1", "a0"]
    assert [e.action for e in await list_audit(session, actor_kind=ActorKind.STAFF)] == ["a2", "a1"]
    assert [e.action for e in await list_audit(session, since=NOW + 2 * MINUTE)] == ["a3", "a2"]
    assert [e.action for e in await list_audit(session, limit=1)] == ["a3"]


async def test_a_page_of_the_audit_log_names_its_actors_and_counts_every_match(session: AsyncSession) -> None:
    # given: a user's login, two reads by a key, one by a key since deleted, an anonymous attempt
    user = await create_user(session, login="Novak", password_hash="x", email=None, now=NOW)
    _, key = await create_api_key(session, name="desk", roles=[StaffRole.SUPPORT], now=NOW)
    entries = [
        (ActorKind.USER, user.id, "login", None),
        (ActorKind.STAFF, key.id, "staff_read", "1000012345"),
        (ActorKind.STAFF, key.id, "staff_read", "2000034567"),
        (ActorKind.STAFF, 999, "staff_read", "1000012345"),
        (ActorKind.ANONYMOUS, None, "login_failed", None),
    ]
    for minute, (kind, actor_id, action, number) in enumerate(entries):
        await write_audit(
            session,
            now=NOW + minute * MINUTE,
            actor_kind=kind,
            actor_id=actor_id,
            action=action,
            customer_number=number,
        )
    await session.commit()

    # when
    everything = await page_audit(session, where=AuditFilter(), offset=0, limit=10)
    first = await page_audit(session, where=AuditFilter(action="staff_read"), offset=0, limit=2)
    rest = await page_audit(session, where=AuditFilter(action="staff_read"), offset=2, limit=2)
    past_the_end = await page_audit(session, where=AuditFilter(), offset=10, limit=2)
    period = await page_audit(
        session, where=AuditFilter(since=NOW + MINUTE, until=NOW + 3 * MINUTE), offset=0, limit=10
    )
    customer = await page_audit(
        session,
        where=AuditFilter(customer_number="1000012345", actor_kind=ActorKind.STAFF),
        offset=0,
        limit=10,
    )

    # then
    assert [(row.entry.action, row.actor) for row in everything.rows] == [
        ("login_failed", None),
        ("staff_read", None),  # the key is no longer in the store
        ("staff_read", "desk"),
        ("staff_read", "desk"),
        ("login", "Novak"),
    ]
    assert everything.total == 5
    assert [row.entry.customer_number for row in first.rows + rest.rows] == [
        "1000012345",
        "2000034567",
        "1000012345",
    ]
    assert (first.total, rest.total, len(rest.rows)) == (3, 3, 1)
    assert (past_the_end.rows, past_the_end.total) == ([], 5)
    assert [row.entry.at for row in period.rows] == [NOW + 2 * MINUTE, NOW + MINUTE]  # until: exclusive
    assert [row.entry.actor_id for row in customer.rows] == ["999", str(key.id)]
