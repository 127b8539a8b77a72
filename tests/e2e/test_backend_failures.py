"""A failed back end fails only the fields that need it, with a clean, coded error."""

from __future__ import annotations

from tests.e2e.client import GraphQLClient, error_codes, set_faults

OVERVIEW = """
query($number: String!) {
  customer(number: $number) {
    number
    name
    supplyPoints { code }
    invoices(first: 3) { totalCount }
  }
}
"""
NOVAK = "1000012345"


async def test_billing_down_fails_only_the_invoices(gql: GraphQLClient, simulators: dict[str, str]) -> None:
    # given
    await gql.login("novak")
    set_faults(simulators["billing"], mode="down")

    # when
    result = await gql.execute(OVERVIEW, {"number": NOVAK})

    # then
    customer = result["data"]["customer"]
    assert customer["name"] and customer["supplyPoints"]
    assert customer["invoices"] is None
    (error,) = result["errors"]
    assert error["path"] == ["customer", "invoices"]
    assert error["extensions"] == {"code": "BACKEND_UNAVAILABLE", "retryable": True, "backend": "billing"}


async def test_crm_down_fails_only_the_crm_fields(gql: GraphQLClient, simulators: dict[str, str]) -> None:
    await gql.login("novak")
    set_faults(simulators["crm"], mode="down")

    result = await gql.execute(OVERVIEW, {"number": NOVAK})

    customer = result["data"]["customer"]
    assert customer["number"] == NOVAK
    assert customer["invoices"]["totalCount"] > 0
    assert customer["name"] is None and customer["supplyPoints"] is None
    assert set(error_codes(result)) == {"BACKEND_UNAVAILABLE"}


async def test_garbage_from_a_back_end_gives_a_clean_error(
    gql: GraphQLClient, simulators: dict[str, str]
) -> None:
    await gql.login("novak")
    set_faults(simulators["billing"], mode="garbage")
    set_faults(simulators["crm"], mode="garbage")

    result = await gql.execute(OVERVIEW, {"number": NOVAK})

    assert result["data"]["customer"]["number"] == NOVAK
    for error in result["errors"]:
        assert error["extensions"]["code"] == "BACKEND_UNAVAILABLE"
        assert error["extensions"]["retryable"] is False
        assert "Traceback" not in error["message"] and "<" not in error["message"]
        assert error["message"].startswith("The ")


async def test_a_syntax_error_is_parse_failed_and_an_unknown_field_validation_failed(
    gql: GraphQLClient,
) -> None:
    parse = await gql.execute("{ customer(number: ")
    validation = await gql.execute("{ nonsense }")

    assert error_codes(parse) == ["GRAPHQL_PARSE_FAILED"]
    assert error_codes(validation) == ["GRAPHQL_VALIDATION_FAILED"]
