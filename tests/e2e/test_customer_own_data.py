"""The customer's own master data (e-mail, phone, IČO, DIČ, bank account): its owner and
staff read it; a delegate, even one that sees the invoices, does not."""

from __future__ import annotations

from tests.e2e.client import GraphQLClient, error_codes
from tests.e2e.simulators import own_simulators

# The contact change it makes for novak stays out of other modules.
simulators = own_simulators()

NOVAK = "1000012345"
PEKARNA = "2000034567"
OWN_DATA = """
query($number: String!) { customer(number: $number) { number email phone ico dic bankAccount } }
"""
SUBMIT = """
mutation($input: SubmitRequestInput!) { submitRequest(input: $input) { errors { message } } }
"""


async def test_an_owner_reads_its_households_contact_and_bank_details(gql: GraphQLClient) -> None:
    await gql.login("novak")

    result = await gql.execute(OWN_DATA, {"number": NOVAK})

    assert "errors" not in result, result["errors"]
    assert result["data"]["customer"] == {
        "number": NOVAK,
        "email": "jan.novak@example.cz",
        "phone": "+420722198908",
        "ico": None,
        "dic": None,
        "bankAccount": "906056-71652073/3030",
    }


async def test_a_business_owner_reads_its_ico_and_dic(gql: GraphQLClient) -> None:
    await gql.login("pekarna")

    result = await gql.execute(OWN_DATA, {"number": PEKARNA})

    customer = result["data"]["customer"]
    assert (customer["ico"], customer["dic"]) == ("11949031", "CZ11949031")
    assert customer["bankAccount"] == "72600988/0300"


async def test_a_contact_change_shows_in_the_customers_own_data(gql: GraphQLClient) -> None:
    # given
    await gql.login("novak")
    request = {"contactChange": {"phone": "+420 601 123 456"}}
    submitted = await gql.execute(
        SUBMIT, {"input": {"customerNumber": NOVAK, "idempotencyKey": "own-phone-1", "request": request}}
    )
    assert submitted["data"]["submitRequest"]["errors"] == []

    # when
    result = await gql.execute(OWN_DATA, {"number": NOVAK})

    # then
    assert result["data"]["customer"]["phone"] == "+420601123456"


async def test_a_delegate_that_sees_the_invoices_does_not_see_the_customers_own_data(
    gql: GraphQLClient,
) -> None:
    await gql.login("poradce")

    result = await gql.execute(OWN_DATA, {"number": NOVAK})

    assert set(error_codes(result)) == {"FORBIDDEN"}
    customer = result["data"]["customer"]
    assert customer["number"] == NOVAK
    assert [customer[f] for f in ("email", "phone", "ico", "dic", "bankAccount")] == [None] * 5


async def test_staff_read_the_customers_own_data(gql: GraphQLClient) -> None:
    gql.headers["X-API-Key"] = "demo-staff-key"

    result = await gql.execute(OWN_DATA, {"number": PEKARNA})

    assert "errors" not in result, result["errors"]
    assert result["data"]["customer"]["dic"] == "CZ11949031"
