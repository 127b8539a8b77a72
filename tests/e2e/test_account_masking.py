"""Review of issue 9: a new bank account is never mailed, answered, audited or logged whole."""

from __future__ import annotations

import logging

import httpx
import pytest
from starlette.applications import Starlette

from gateway.config import Settings
from gateway.requests.validation import masked_account
from gateway.store import audit
from gateway.store.db import transaction
from tests.e2e.simulators import own_simulators
from tests.e2e.test_owner_only_changes import (
    NOVAK,
    NOVAK_MAIL,
    SUBMIT,
    first_plan,
    mails_to,
    signed_in,
    submission,
    submitting_delegate,
)

ACCOUNT = "19-2000145399/0800"
IBAN = "CZ65 0800 0000 1920 0014 5399"


# Own simulators (CRM cases stay as filed): the bank accounts it changes stay out of other modules.
simulators = own_simulators(progression=None)


def test_an_account_is_masked_to_its_last_four_digits_and_bank() -> None:
    assert masked_account("19-2000145399/0800") == "****5399/0800"
    assert masked_account("2000145399/0800") == "****5399/0800"
    assert masked_account("123/0100") == "****123/0100"


@pytest.mark.parametrize("entered", [ACCOUNT, IBAN])
async def test_a_new_bank_account_is_masked_in_the_mail_the_answer_the_audit_and_the_logs(
    client: httpx.AsyncClient,
    settings: Settings,
    app: Starlette,
    caplog: pytest.LogCaptureFixture,
    entered: str,
) -> None:
    # given
    caplog.set_level(logging.INFO)
    owner = await signed_in(client, "novak")
    point = (await first_plan(owner))["supplyPointId"]

    # when
    changed = await owner.execute(
        SUBMIT,
        submission(
            f"mask-{len(entered)}", {"bankDetailsChange": {"supplyPointId": point, "bankAccount": entered}}
        ),
    )

    # then: done, and the account shows as a bank shows it
    assert changed["data"]["submitRequest"]["errors"] == []
    summary = changed["data"]["submitRequest"]["change"]["summary"]
    assert "****5399/0800" in summary
    [told] = mails_to(settings.outbox_dir, NOVAK_MAIL)
    assert "****5399/0800" in told
    async with transaction(app.state.services.store) as db:
        entries = await audit.list_audit(db, customer_number=NOVAK)
    for whole in ("2000145399", "1920 0014 5399", "192000145399"):
        assert whole not in summary
        assert whole not in told
        assert whole not in str(entries[0].detail)
        assert whole not in caplog.text


async def test_a_deposit_plans_account_is_whole_to_an_owner_and_masked_to_a_delegate(
    client: httpx.AsyncClient,
) -> None:
    # given: the owner has set the plan's account
    owner = await signed_in(client, "novak")
    point = (await first_plan(owner))["supplyPointId"]
    changed = await owner.execute(
        SUBMIT,
        submission("plan-account", {"bankDetailsChange": {"supplyPointId": point, "bankAccount": ACCOUNT}}),
    )
    assert changed["data"]["submitRequest"]["errors"] == []
    delegate = await submitting_delegate(client, "poradce")

    # when
    owners_view, delegates_view = await first_plan(owner), await first_plan(delegate)

    # then
    assert owners_view["bankAccount"] == ACCOUNT
    assert delegates_view["bankAccount"] == "****5399/0800"
