"""Persisted operations on /graphql: Apollo's automatic persisted queries, and the allow-list mode."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio

from gateway.app import create_app
from gateway.config import Settings
from gateway.http.persisted_queries import MAX_DOCUMENT_BYTES, RedisDocuments, document_hash
from tests.e2e.client import LOGIN, PASSWORD, error_codes

VIEWER = "query Viewer { viewer { login } }"
CONTACT = "query Contact { contactInfo { phone } }"
CUSTOMER = "query Customer($number: String!) { customer(number: $number) { number } }"
LOGOUT = "mutation Logout { logout { ok } }"
NOVAK = "1000012345"
NOT_FOUND_BODY = {
    "data": None,
    "errors": [
        {
            "message": "PersistedQueryNotFound",
            "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND", "retryable": True},
        }
    ],
}


def persisted(digest: str, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


async def post(
    client: httpx.AsyncClient,
    digest: str,
    query: str | None = None,
    variables: dict[str, Any] | None = None,
    **headers: str,
) -> httpx.Response:
    body: dict[str, Any] = {"extensions": persisted(digest)}
    if query is not None:
        body["query"] = query
    if variables is not None:
        body["variables"] = variables
    return await client.post("/graphql", json=body, headers=headers)


async def get(
    client: httpx.AsyncClient, digest: str, variables: dict[str, Any] | None = None
) -> httpx.Response:
    params = {"extensions": json.dumps(persisted(digest))}
    if variables is not None:
        params["variables"] = json.dumps(variables)
    return await client.get("/graphql", params=params)  # httpx accepts */*, like a browser's fetch


async def bearer(client: httpx.AsyncClient, login: str = "novak") -> str:
    response = await client.post(
        "/graphql", json={"query": LOGIN, "variables": {"login": login, "password": PASSWORD}}
    )
    token: str = response.json()["data"]["login"]["token"]
    client.cookies.clear()  # the bearer token alone authenticates
    return f"Bearer {token}"


async def test_an_unknown_hash_asks_the_client_for_the_query(client: httpx.AsyncClient) -> None:
    digest = document_hash("query Never { viewer { login } }")

    by_post = await post(client, digest)
    by_get = await get(client, digest)

    assert by_post.status_code == by_get.status_code == 200
    assert by_post.json() == by_get.json() == NOT_FOUND_BODY


async def test_a_registered_document_runs_by_hash_alone_for_whoever_sends_it(
    client: httpx.AsyncClient,
) -> None:
    # given: novak's front end registers the document while running it
    auth = await bearer(client)
    digest = document_hash(VIEWER)
    registering = await post(client, digest, VIEWER, Authorization=auth)

    # when
    by_post = await post(client, digest, Authorization=auth)
    anonymous = await post(client, digest)

    # then: the document is public, the answer is the caller's
    assert registering.json() == {"data": {"viewer": {"login": "novak"}}}
    assert by_post.json() == {"data": {"viewer": {"login": "novak"}}}
    assert anonymous.json() == {"data": {"viewer": None}}


async def test_a_registered_document_runs_over_get_with_its_variables(client: httpx.AsyncClient) -> None:
    # given
    auth = await bearer(client)
    digest = document_hash(CUSTOMER)
    await post(client, digest, CUSTOMER, {"number": NOVAK}, Authorization=auth)
    client.headers["Authorization"] = auth

    # when
    response = await get(client, digest, {"number": NOVAK})

    # then
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"data": {"customer": {"number": NOVAK}}}


async def test_get_registers_a_query_too(client: httpx.AsyncClient) -> None:
    digest = document_hash(CONTACT)
    params = {"query": CONTACT, "extensions": json.dumps(persisted(digest))}

    registering = await client.get("/graphql", params=params)
    by_hash = await post(client, digest)

    assert registering.json() == by_hash.json() == {"data": {"contactInfo": {"phone": "+420800123456"}}}


async def test_a_query_that_does_not_match_its_hash_is_refused_and_not_stored(
    client: httpx.AsyncClient,
) -> None:
    # given: a hash that names another document
    claimed = document_hash(CONTACT)

    # when
    refused = await post(client, claimed, VIEWER)

    # then: nothing ran, and neither the claimed nor the real hash names a document
    assert refused.status_code == 200
    assert error_codes(refused.json()) == ["BAD_USER_INPUT"]
    assert refused.json()["errors"][0]["extensions"]["retryable"] is False
    assert refused.json()["data"] is None
    assert (await post(client, claimed)).json() == NOT_FOUND_BODY
    assert (await post(client, document_hash(VIEWER))).json() == NOT_FOUND_BODY


@pytest.mark.parametrize(
    "extensions",
    [
        persisted(document_hash(CONTACT), version=2),
        {"persistedQuery": {"sha256Hash": document_hash(CONTACT)}},
        persisted(document_hash(CONTACT).upper()),
        persisted("abc123"),
        {"persistedQuery": "yes"},
    ],
    ids=["version 2", "no version", "upper-case hash", "short hash", "not an object"],
)
async def test_a_malformed_persisted_query_extension_is_bad_user_input(
    client: httpx.AsyncClient, extensions: dict[str, Any]
) -> None:
    response = await client.post("/graphql", json={"query": CONTACT, "extensions": extensions})

    assert response.status_code == 200
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]
    assert response.json()["data"] is None


async def test_a_document_that_does_not_validate_is_not_stored(client: httpx.AsyncClient) -> None:
    document = "query Broken { noSuchField }"
    digest = document_hash(document)

    first = await post(client, digest, document)

    assert error_codes(first.json()) == ["GRAPHQL_VALIDATION_FAILED"]
    assert (await post(client, digest)).json() == NOT_FOUND_BODY


async def test_a_document_over_the_size_limit_is_refused(client: httpx.AsyncClient) -> None:
    document = CONTACT + "\n#" + "x" * MAX_DOCUMENT_BYTES
    digest = document_hash(document)

    response = await post(client, digest, document)

    assert error_codes(response.json()) == ["BAD_USER_INPUT"]
    assert (await post(client, digest)).json() == NOT_FOUND_BODY


async def test_a_persisted_mutation_still_never_runs_over_get(client: httpx.AsyncClient) -> None:
    # given: a logout registered over POST (which ran it), then a new cookie session
    digest = document_hash(LOGOUT)
    registered = await post(client, digest, LOGOUT, Authorization=await bearer(client, "svobodova"))
    assert registered.json() == {"data": {"logout": {"ok": True}}}
    await client.post(
        "/graphql", json={"query": LOGIN, "variables": {"login": "novak", "password": PASSWORD}}
    )
    assert "portal_session" in client.cookies

    # when
    response = await get(client, digest)

    # then: refused, and the session lives on
    assert response.status_code in {400, 405}
    still = await client.post("/graphql", json={"query": "{ viewer { login } }"})
    assert still.json()["data"]["viewer"] == {"login": "novak"}


# The allow-list mode


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    path = tmp_path / "persisted-queries.json"
    path.write_text(json.dumps({document_hash(CONTACT): CONTACT}), encoding="utf-8")
    return path


@pytest.fixture
async def allow_list_client(settings: Settings, manifest: Path) -> AsyncIterator[httpx.AsyncClient]:
    only = settings.model_copy(update={"persisted_only": True, "persisted_manifest": manifest})
    async with running(only) as client:
        yield client


@contextlib.asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An app with its lifespan, and an HTTP client to it."""
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as client,
    ):
        yield client


async def test_the_allow_list_runs_its_documents_by_hash_or_by_text(
    allow_list_client: httpx.AsyncClient,
) -> None:
    expected = {"data": {"contactInfo": {"phone": "+420800123456"}}}

    by_hash = await post(allow_list_client, document_hash(CONTACT))
    by_get = await get(allow_list_client, document_hash(CONTACT))
    by_text = await allow_list_client.post("/graphql", json={"query": CONTACT})

    assert by_hash.json() == by_get.json() == by_text.json() == expected


async def test_the_allow_list_refuses_any_other_query_and_registers_nothing(
    allow_list_client: httpx.AsyncClient,
) -> None:
    # when
    plain = await allow_list_client.post("/graphql", json={"query": VIEWER})
    registering = await post(allow_list_client, document_hash(VIEWER), VIEWER)
    by_hash = await post(allow_list_client, document_hash(VIEWER))

    # then
    for response in (plain, registering, by_hash):
        assert response.status_code == 200
        assert response.json()["data"] is None
        assert response.json()["errors"][0]["extensions"] == {
            "code": "PERSISTED_QUERY_NOT_FOUND",
            "retryable": False,  # resending the query cannot help
        }


async def test_without_the_allow_list_the_manifest_is_known_from_the_start(
    settings: Settings, manifest: Path
) -> None:
    async with running(settings.model_copy(update={"persisted_manifest": manifest})) as client:
        known = await post(client, document_hash(CONTACT))
        other = await client.post("/graphql", json={"query": VIEWER})

    assert known.json() == {"data": {"contactInfo": {"phone": "+420800123456"}}}
    assert other.json() == {"data": {"viewer": None}}


async def test_a_manifest_with_a_wrong_hash_stops_the_start(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({document_hash(VIEWER): CONTACT}), encoding="utf-8")

    with pytest.raises(ValueError, match="not the SHA-256 of its document"):
        async with running(settings.model_copy(update={"persisted_manifest": path})):
            pass


def test_the_allow_list_needs_a_manifest() -> None:
    with pytest.raises(ValueError, match="GATEWAY_PERSISTED_MANIFEST"):
        Settings(persisted_only=True)


# Replicas sharing Redis

REDIS_URL_VARIABLE = "GATEWAY_TEST_REDIS_URL"


@pytest.mark.redis
async def test_a_registration_is_visible_to_a_replica_sharing_redis(settings: Settings) -> None:
    url = os.environ.get(REDIS_URL_VARIABLE)
    if not url:
        pytest.skip(f"{REDIS_URL_VARIABLE} is not set")
    probe = redis.asyncio.Redis.from_url(url, socket_connect_timeout=2)
    try:
        assert await probe.ping(), f"Redis at {url} does not answer"  # set but down: fail, never skip
    except BaseException:
        await probe.aclose()
        raise
    document = f"query Fresh{secrets.token_hex(8)} {{ contactInfo {{ phone }} }}"  # never stored before
    digest = document_hash(document)
    try:
        shared = settings.model_copy(update={"redis_url": url})

        # given: one replica registers the document
        async with running(shared) as first, running(shared) as second:
            assert (await post(second, digest)).json() == NOT_FOUND_BODY
            await post(first, digest, document)

            # when: the other, whose process never saw it, runs it by hash
            response = await post(second, digest)

        # then
        assert response.json() == {"data": {"contactInfo": {"phone": "+420800123456"}}}
    finally:
        names = RedisDocuments(probe)
        await probe.delete(names.key(digest))
        await probe.zrem(names.index, digest)
        await probe.aclose()
