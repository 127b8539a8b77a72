from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.store.audit import list_audit, write_audit
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
