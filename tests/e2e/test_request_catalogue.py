"""The request catalogue per supply point and per role: the owner may submit what the contract
type offers; a delegate without SUBMIT_REQUESTS, staff and anonymous callers see every kind
marked not allowed, with the reason."""

from __future__ import annotations

from typing import Any

from tests.e2e.client import GraphQLClient, error_codes

NOVAK, SVOBODOVA = "1000012345", "1000023456"
ENTRY = "code allowed notAllowedReason"
CATALOGUE = f"query Catalogue($sp: ID) {{ requestTypes(supplyPointId: $sp) {{ {ENTRY} }} }}"
POINTS = f"""
query Points($number: String!) {{
  customer(number: $number) {{ supplyPoints {{ id commodity contractType requestTypes {{ {ENTRY} }} }} }}
}}
"""
QUICK = f"""
query Quick($number: String!) {{
  customer(number: $number) {{ overview {{ quickRequestTypes(first: 20) {{ {ENTRY} }} }} }}
}}
"""


def entries(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    assert "errors" not in result, result["errors"]
    return {entry["code"]: entry for entry in result["data"]["requestTypes"]}


def verdicts(found: list[dict[str, Any]]) -> set[tuple[bool, str | None]]:
    return {(entry["allowed"], entry["notAllowedReason"]) for entry in found}


async def points_of(gql: GraphQLClient, number: str) -> list[dict[str, Any]]:
    result = await gql.execute(POINTS, {"number": number})
    assert "errors" not in result, result["errors"]
    found: list[dict[str, Any]] = result["data"]["customer"]["supplyPoints"]
    return found


async def test_the_owner_may_submit_what_the_contract_type_offers(gql: GraphQLClient) -> None:
    await gql.login("novak")
    novak_points = await points_of(gql, NOVAK)
    electricity = next(p for p in novak_points if p["commodity"] == "ELECTRICITY")
    gql.headers.clear()
    await gql.login("svobodova")
    [supply_only] = await points_of(gql, SVOBODOVA)

    supply_only_types = entries(await gql.execute(CATALOGUE, {"sp": supply_only["id"]}))
    gql.headers.clear()
    await gql.login("novak")
    combined_types = entries(await gql.execute(CATALOGUE, {"sp": electricity["id"]}))

    assert supply_only["contractType"] == "SUPPLY_ONLY"
    assert {"SELF_READING", "BREAKER_OR_TARIFF_CHANGE"} <= set(combined_types)
    assert {"SELF_READING", "BREAKER_OR_TARIFF_CHANGE"}.isdisjoint(supply_only_types)
    assert {"DEPOSIT_CHANGE", "PRODUCT_CHANGE", "TERMINATION"} <= set(supply_only_types)
    assert verdicts([*combined_types.values(), *supply_only_types.values()]) == {(True, None)}
    assert verdicts(electricity["requestTypes"]) == {(True, None)}
    assert {e["code"] for e in electricity["requestTypes"]} == set(combined_types)


async def test_a_delegate_without_submit_requests_sees_every_kind_not_allowed(gql: GraphQLClient) -> None:
    await gql.login("poradce")  # VIEW_BILLING on novak's number, nothing else

    catalogue = await gql.execute(CATALOGUE)
    quick = await gql.execute(QUICK, {"number": NOVAK})

    bare = entries(catalogue)
    assert len(bare) == 13  # with the transfer (přepis) and the power of attorney
    assert verdicts(list(bare.values())) == {(False, "SCOPE_MISSING")}
    # the quick start shows what the supply points offer: outside VIEW_BILLING
    assert error_codes(quick) == ["FORBIDDEN"]
    assert quick["errors"][0]["path"] == ["customer", "overview", "quickRequestTypes"]


async def test_staff_see_every_kind_of_a_supply_point_not_allowed(gql: GraphQLClient) -> None:
    gql.headers["X-API-Key"] = "demo-staff-key"
    novak_points = await points_of(gql, NOVAK)
    electricity = next(p for p in novak_points if p["commodity"] == "ELECTRICITY")

    per_point = entries(await gql.execute(CATALOGUE, {"sp": electricity["id"]}))

    assert "SELF_READING" in per_point
    assert verdicts(list(per_point.values())) == {(False, "STAFF_READ_ONLY")}
    assert verdicts([e for p in novak_points for e in p["requestTypes"]]) == {(False, "STAFF_READ_ONLY")}


async def test_anonymous_callers_see_the_catalogue_and_are_asked_to_sign_in(gql: GraphQLClient) -> None:
    result = await gql.execute(CATALOGUE)

    assert error_codes(result) == []
    assert verdicts(list(entries(result).values())) == {(False, "SIGN_IN_REQUIRED")}
