"""Choosing the response media type from ``Accept``, and the status of a graphql-response+json answer."""

from __future__ import annotations

import pytest

from gateway.http.media_types import GRAPHQL_RESPONSE, JSON, negotiate, retry_after, status_of


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0.1, */*;q=0.2", JSON),
        (f"{GRAPHQL_RESPONSE};q=0, application/json", JSON),
        (f"{GRAPHQL_RESPONSE};charset=latin1, application/json;q=0.1", JSON),
        ("text/html", None),
        ("application/json;q=0", None),
        ("application/json;q=nan", None),
        ("application/xml, text/plain", None),
    ],
)
def test_the_client_gets_the_json_type_it_prefers(accept: str | None, chosen: str | None) -> None:
    assert negotiate(accept) == chosen


def test_an_answer_with_data_is_200_and_one_without_takes_its_status_from_the_first_code() -> None:
    def refused(code: str) -> dict[str, object]:
        return {"errors": [{"message": "m", "extensions": {"code": code}}]}

    assert status_of({"data": None, "errors": [{"message": "m", "path": ["customer"]}]}) == 200
    assert status_of(refused("GRAPHQL_VALIDATION_FAILED")) == 400
    assert status_of(refused("QUERY_TOO_COMPLEX")) == 400
    assert status_of(refused("UNAUTHENTICATED")) == 401
    assert status_of(refused("PERSISTED_QUERY_NOT_FOUND")) == 404
    assert status_of(refused("RATE_LIMITED")) == 429


def test_retry_after_is_whole_seconds_rounded_up() -> None:
    answer = {"errors": [{"message": "m", "extensions": {"code": "RATE_LIMITED", "retryAfter": 2.1}}]}

    assert retry_after(answer) == "3"
    assert retry_after({"errors": [{"message": "m", "extensions": {}}]}) is None
