"""A customer number and its supply points, fetched live from the simulated CRM."""

from __future__ import annotations

from typing import Any

import pytest
from stdnum import ean
from stdnum.eu import eic

from tests.e2e.client import GraphQLClient, error_codes

CUSTOMER = """
query Customer($number: String!) {
  customer(number: $number) {
    id number name segment
    permanentAddress { street houseNumber city postcode }
    supplyPoints {
      id code commodity contractType product
      address { city postcode }
      technical {
        __typename
        ... on ElectricityTechnicalData {
          mainBreakerAmps phases distributionTariff expectedAnnualConsumptionKwh
        }
        ... on GasTechnicalData { meterNumber consumptionBand expectedAnnualConsumptionKwh }
      }
    }
  }
}
"""
NODE = "query Node($id: ID!) { node(id: $id) { id __typename ... on Customer { number } } }"


def points_by_commodity(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {point["commodity"]: point for point in result["data"]["customer"]["supplyPoints"]}


async def test_novak_has_electricity_on_combined_services_and_gas(gql: GraphQLClient) -> None:
    # given
    await gql.login("novak")

    # when
    result = await gql.execute(CUSTOMER, {"number": "1000012345"})

    # then
    assert "errors" not in result
    customer = result["data"]["customer"]
    assert customer["number"] == "1000012345"
    assert customer["segment"] == "HOUSEHOLD"
    assert len(customer["permanentAddress"]["postcode"]) == 6  # "NNN NN"
    points = points_by_commodity(result)
    electricity, gas = points["ELECTRICITY"], points["GAS"]
    code = electricity["code"]
    # GS1's mod-10 over 18 digits (stdnum's validate stops at 14 digits; its check-digit rule does not)
    assert len(code) == 18 and code.isdigit() and ean.calc_check_digit(code[:-1]) == code[-1]
    assert electricity["code"].startswith("859182400")
    assert electricity["contractType"] == "COMBINED_SERVICES"
    assert electricity["technical"]["__typename"] == "ElectricityTechnicalData"
    assert electricity["technical"]["distributionTariff"] == "D02d"
    assert (electricity["technical"]["phases"], electricity["technical"]["mainBreakerAmps"]) == (3, 25)
    assert eic.is_valid(gas["code"])
    assert gas["technical"]["__typename"] == "GasTechnicalData"


async def test_a_supply_only_point_has_no_technical_data(gql: GraphQLClient) -> None:
    await gql.login("svobodova")

    result = await gql.execute(CUSTOMER, {"number": "1000023456"})

    (point,) = result["data"]["customer"]["supplyPoints"]
    assert point["contractType"] == "SUPPLY_ONLY"
    assert point["technical"] is None


async def test_pekarna_has_25_supply_points(gql: GraphQLClient) -> None:
    await gql.login("pekarna")

    result = await gql.execute(CUSTOMER, {"number": "2000034567"})

    assert result["data"]["customer"]["segment"] == "BUSINESS"
    assert len(result["data"]["customer"]["supplyPoints"]) == 25


@pytest.mark.parametrize("number", ["1000023456", "9999999999", "not-a-number"])
async def test_another_customers_number_and_a_missing_one_answer_the_same_not_found(
    gql: GraphQLClient, number: str
) -> None:
    await gql.login("novak")

    result = await gql.execute(CUSTOMER, {"number": number})

    assert result["data"] == {"customer": None}
    assert error_codes(result) == ["NOT_FOUND"]
    assert result["errors"][0]["message"] == "Not found."


async def test_anonymous_reads_nothing_and_is_asked_to_log_in(gql: GraphQLClient) -> None:
    result = await gql.execute(CUSTOMER, {"number": "1000012345"})

    assert error_codes(result) == ["UNAUTHENTICATED"]
    assert result["errors"][0]["message"] == "You need to log in."
    assert result["data"] == {"customer": None}


async def test_node_fetches_own_objects_and_hides_foreign_ones(gql: GraphQLClient) -> None:
    # given: novak's own supply point and svobodova's
    await gql.login("svobodova")
    foreign = (await gql.execute(CUSTOMER, {"number": "1000023456"}))["data"]["customer"]
    gql.headers.clear()
    await gql.login("novak")
    own = (await gql.execute(CUSTOMER, {"number": "1000012345"}))["data"]["customer"]

    # when
    own_customer = await gql.execute(NODE, {"id": own["id"]})
    own_point = await gql.execute(NODE, {"id": own["supplyPoints"][0]["id"]})
    foreign_customer = await gql.execute(NODE, {"id": foreign["id"]})
    foreign_point = await gql.execute(NODE, {"id": foreign["supplyPoints"][0]["id"]})
    garbage = await gql.execute(NODE, {"id": "bm90LWFuLWlk"})

    # then
    assert own_customer["data"]["node"] == {"id": own["id"], "__typename": "Customer", "number": "1000012345"}
    assert own_point["data"]["node"]["__typename"] == "SupplyPoint"
    for result in (foreign_customer, foreign_point, garbage):
        assert result["data"] == {"node": None}
        assert error_codes(result) == ["NOT_FOUND"]
