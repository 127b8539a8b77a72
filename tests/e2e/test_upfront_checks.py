"""Review of issue 9: what the gateway can judge itself never reaches a back end: a supply
point code whose check digit is wrong, a request id that is no CRM request id."""

from __future__ import annotations

import httpx
import pytest
from stdnum import ean
from stdnum.eu import eic

from gateway.schema.node import to_global_id
from tests.e2e.client import GraphQLClient, error_codes

UNREGISTERED = "1000067890"
REGISTER = """
mutation Register($input: RegisterInput!) { register(input: $input) { token errors { code } } }
"""
NODE = "query N($id: ID!) { node(id: $id) { id } }"
CANCEL = """
mutation C($input: CancelRequestInput!) { cancelRequest(input: $input) { request { id } errors { code } } }
"""
EAN_BODY = "85918240010000001"
WRONG_EAN = next(EAN_BODY + d for d in "0123456789" if d != ean.calc_check_digit(EAN_BODY))
EIC_BODY = "27ZG600Z9549656"
WRONG_EIC = next(EIC_BODY + c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if not eic.is_valid(EIC_BODY + c))


def crm_calls(simulators: dict[str, str]) -> int:
    total: int = httpx.get(f"{simulators['crm']}/__sim/stats").json()["total"]
    return total


@pytest.mark.parametrize("code", [WRONG_EAN, WRONG_EIC], ids=["EAN", "EIC"])
async def test_a_supply_point_code_with_a_wrong_check_digit_fails_the_proof_without_a_crm_call(
    gql: GraphQLClient, simulators: dict[str, str], code: str
) -> None:
    httpx.delete(f"{simulators['crm']}/__sim/stats")

    result = await gql.execute(
        REGISTER,
        {
            "input": {
                "login": "preklep",
                "password": "Nove-heslo-2026!",
                "email": "preklep@example.cz",
                "customerNumber": UNREGISTERED,
                "proof": {"supplyPointCode": code},
            }
        },
    )

    assert [e["code"] for e in result["data"]["register"]["errors"]] == ["PROOF_FAILED"]
    assert crm_calls(simulators) == 0


@pytest.mark.parametrize("raw", ["..", "../../zakaznici/1000012345", "1000012345-0001/storno", "x" * 300])
async def test_a_request_id_that_is_no_crm_id_is_not_found_without_a_crm_call(
    gql: GraphQLClient, simulators: dict[str, str], raw: str
) -> None:
    await gql.login("novak")
    httpx.delete(f"{simulators['crm']}/__sim/stats")

    read = await gql.execute(NODE, {"id": to_global_id("CustomerRequest", raw)})
    cancelled = await gql.execute(CANCEL, {"input": {"requestId": to_global_id("CustomerRequest", raw)}})

    assert error_codes(read) == ["NOT_FOUND"]
    assert error_codes(cancelled) == ["NOT_FOUND"] or cancelled["data"]["cancelRequest"]["errors"]
    assert crm_calls(simulators) == 0
