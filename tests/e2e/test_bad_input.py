"""Bad input gets a clean 4xx in the gateway's JSON error shape, never a 500 or INTERNAL."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.http.limits import MAX_JSON_DEPTH, MAX_JSON_VALUES
from tests.e2e.client import LOGIN, GraphQLClient, error_codes

NOVAK = "1000012345"
JSON = {"content-type": "application/json"}
VIEWER = "{ viewer { login } }"
GRANT = """
mutation Grant($input: GrantAccessInput!) {
  grantAccess(input: $input) { grant { login } errors { code } }
}
"""
GRANTS = "query G($n: String!) { customer(number: $n) { accessGrants { login } } }"
SUBMIT = """
mutation Submit($input: SubmitRequestInput!) { submitRequest(input: $input) { errors { code } } }
"""
NODE = "query Node($id: ID!) { node(id: $id) { id } }"
INLINE_LOGIN = 'mutation { login(input: {login: "noESCAPEDvak", password: "Demo-heslo-2026"}) { token } }'
# Strings a back end cannot take: NUL (PostgreSQL, lxml), a control character (lxml), lone surrogates.
UNCLEAN = ["no\x00vak", "a\x01b", "\ud800", "x\udfff"]


def refused(response: httpx.Response, status: int = 400, code: str = "BAD_USER_INPUT") -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert [error["extensions"]["code"] for error in response.json()["errors"]] == [code]
    assert "Traceback" not in response.text


def global_id(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


@pytest.mark.parametrize("body", [b'"x"', b"123", b"null", b"[]", b"true"])
async def test_a_body_that_is_not_a_json_object_is_a_400(client: httpx.AsyncClient, body: bytes) -> None:
    refused(await client.post("/graphql", content=body, headers=JSON))


@pytest.mark.parametrize(
    "number", [b"NaN", b"-Infinity", b"1e400", b"1" * 5000, b'"x", "w": 1e999'], ids=lambda n: n[:12].decode()
)
async def test_a_number_json_does_not_have_or_python_cannot_take_is_a_400(
    client: httpx.AsyncClient, number: bytes
) -> None:
    body = b'{"query": "query($v: Float) { viewer { login } }", "variables": {"v": ' + number + b"}}"

    refused(await client.post("/graphql", content=body, headers=JSON))


@pytest.mark.parametrize("body", [b"\xff\xfe{\x00}\x00", b'{"query": "{ viewer { login } } # \xe9"}'])
async def test_a_body_that_is_not_utf8_is_a_400(client: httpx.AsyncClient, body: bytes) -> None:
    refused(await client.post("/graphql", content=body, headers=JSON))


async def test_variables_nested_5000_deep_are_a_400(client: httpx.AsyncClient) -> None:
    deep = b"[" * 5000 + b"]" * 5000
    body = b'{"query": "query($v: [String]) { viewer { login } }", "variables": {"v": ' + deep + b"}}"

    refused(await client.post("/graphql", content=body, headers=JSON))


async def test_variables_deeper_than_the_limit_are_a_400_and_at_the_limit_run(
    client: httpx.AsyncClient,
) -> None:
    def nested(depth: int) -> Any:
        value: Any = "x"
        for _ in range(depth - 1):  # the variables object itself is one level
            value = [value]
        return value

    ok = await client.post("/graphql", json={"query": VIEWER, "variables": {"v": nested(MAX_JSON_DEPTH)}})
    too_deep = await client.post(
        "/graphql", json={"query": VIEWER, "variables": {"v": nested(MAX_JSON_DEPTH + 1)}}
    )

    assert ok.json() == {"data": {"viewer": None}}
    refused(too_deep)


async def test_variables_with_too_many_values_are_a_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": VIEWER, "variables": {"v": [1] * MAX_JSON_VALUES}}
    )

    refused(response)


async def test_a_persisted_query_with_a_lone_surrogate_is_a_400(client: httpx.AsyncClient) -> None:
    query = VIEWER + " # \ud800"
    digest = hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()
    body = {"query": query, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}

    response = await client.post("/graphql", content=json.dumps(body).encode(), headers=JSON)

    refused(response)


async def test_a_lone_surrogate_over_get_is_a_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": VIEWER, "variables": '{"v": "\\ud800"}'})

    refused(response)


@pytest.mark.parametrize("text", UNCLEAN)
async def test_a_login_variable_that_no_back_end_can_take_is_bad_user_input(
    client: httpx.AsyncClient, text: str
) -> None:
    body = {"query": LOGIN, "variables": {"login": text, "password": "Demo-heslo-2026"}}

    response = await client.post("/graphql", content=json.dumps(body).encode(), headers=JSON)

    refused(response)


@pytest.mark.parametrize("escaped", ["\\u0000", "\\u0007", "\\uFFFF"])
async def test_a_string_literal_that_no_back_end_can_take_is_bad_user_input(
    gql: GraphQLClient, escaped: str
) -> None:
    document = INLINE_LOGIN.replace("ESCAPED", escaped)

    result = await gql.execute(document)

    assert result["data"] is None
    assert error_codes(result) == ["BAD_USER_INPUT"]


async def test_a_nul_in_a_grant_or_a_request_never_reaches_the_store(gql: GraphQLClient) -> None:
    # given
    await gql.login("novak")
    before = await gql.execute(GRANTS, {"n": NOVAK})
    grant = {"customerNumber": NOVAK, "login": "svobodova", "scopes": ["VIEW_BILLING"], "consentText": "ok"}
    submission = {
        "customerNumber": NOVAK,
        "idempotencyKey": "k\x00",
        "request": {"freeText": {"subject": "s", "text": "t"}},
    }

    # when
    bad_login = await gql.http.post(
        "/graphql",
        json={"query": GRANT, "variables": {"input": grant | {"login": "svo\x00bodova"}}},
        headers=gql.headers,
    )
    bad_consent = await gql.http.post(
        "/graphql",
        json={"query": GRANT, "variables": {"input": grant | {"consentText": "ano\x00"}}},
        headers=gql.headers,
    )
    bad_key = await gql.http.post(
        "/graphql", json={"query": SUBMIT, "variables": {"input": submission}}, headers=gql.headers
    )

    # then
    for response in (bad_login, bad_consent, bad_key):
        refused(response)
    assert await gql.execute(GRANTS, {"n": NOVAK}) == before


@pytest.mark.parametrize(
    "raw", [b"Invoice:\x00", b"Invoice:1\x00", b"Customer:\x1b[2J", b"\x00:1", b"Invoice:\xff"]
)
async def test_a_global_id_holding_a_control_character_or_no_utf8_is_not_found(
    gql: GraphQLClient, raw: bytes
) -> None:
    await gql.login("novak")

    result = await gql.execute(NODE, {"id": global_id(raw)})

    assert result["data"] == {"node": None}
    assert error_codes(result) == ["NOT_FOUND"]


async def test_a_document_id_holding_a_nul_is_a_404_for_a_session(gql: GraphQLClient) -> None:
    await gql.login("novak")

    response = await gql.http.get("/documents/RG9jdW1lbnQ6AA==", headers=gql.headers)

    refused(response, 404, "NOT_FOUND")


async def test_a_body_over_the_limit_is_refused_by_its_length_before_it_is_read(
    client: httpx.AsyncClient,
) -> None:
    password = "x" * 10_000_000
    body = json.dumps({"query": LOGIN, "variables": {"login": "novak", "password": password}})

    refused(await client.post("/graphql", content=body, headers=JSON), 413)


async def test_a_streamed_body_is_cut_off_at_the_limit(client: httpx.AsyncClient) -> None:
    # given: 10 MB in 64 kB chunks, without a Content-Length
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'{"query": "{ viewer { login } }", "variables": {"v": "'
        for _ in range(160):
            sent += 1
            yield b"x" * 65_536
        yield b'"}}'

    # when
    response = await client.post("/graphql", content=chunks(), headers=JSON)

    # then: refused after about 1 MB was read, not 10
    refused(response, 413)
    assert sent <= 17


@pytest.mark.parametrize(
    ("method", "path", "headers", "expected"),
    [
        ("GET", "/no-such-page", {}, (404, "NOT_FOUND")),
        ("GET", "/static/graphiql/no-such-asset.js", {}, (404, "NOT_FOUND")),
        ("PUT", "/graphql", JSON, (405, "BAD_USER_INPUT")),
        ("POST", "/graphql", {"content-type": "text/plain"}, (400, "BAD_USER_INPUT")),
        ("POST", "/graphql", JSON, (400, "BAD_USER_INPUT")),  # an empty body
    ],
)
async def test_every_http_refusal_is_json_with_a_code(
    client: httpx.AsyncClient, method: str, path: str, headers: dict[str, str], expected: tuple[int, str]
) -> None:
    response = await client.request(method, path, headers=headers)

    refused(response, *expected)


async def test_an_unexpected_failure_is_a_json_500_without_a_trace(app: Starlette) -> None:
    # given: a route with a bug
    async def broken(request: Request) -> Response:
        raise RuntimeError("secret detail of a bug")

    app.router.routes.append(Route("/broken", broken))
    transport = httpx.ASGITransport(app, raise_app_exceptions=False)

    # when
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as http:
        response = await http.get("/broken")

    # then
    refused(response, 500, "INTERNAL")
    assert "secret detail" not in response.text
