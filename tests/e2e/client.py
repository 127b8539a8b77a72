"""A small GraphQL client for the end-to-end tests, and helpers to drive the simulators."""

from __future__ import annotations

from typing import Any

import httpx

PASSWORD = "Demo-heslo-2026"


class GraphQLClient:
    """Posts GraphQL documents as one logged-in (or anonymous) client."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        # The messages as the code raises them; Czech, the default, in tests/e2e/test_languages.py.
        self.headers: dict[str, str] = {"Accept-Language": "en"}

    async def login(self, login: str, password: str = PASSWORD) -> dict[str, Any]:
        result = await self.execute(LOGIN, {"login": login, "password": password})
        token = result["data"]["login"]["token"]
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        return result

    async def login_raw(self, login: str, password: str = PASSWORD) -> dict[str, Any]:
        """The login mutation's whole response, without keeping its token."""
        return await self.execute(LOGIN, {"login": login, "password": password})

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=self.headers
        )
        assert response.headers["content-type"].startswith("application/json"), response.text
        body: dict[str, Any] = response.json()
        return body


LOGIN = """
mutation Login($login: String!, $password: String!) {
  login(input: {login: $login, password: $password}) { token errors { message code } viewer { login } }
}
"""


def error_codes(result: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in result.get("errors", [])]


def set_faults(base: str, **faults: object) -> None:
    httpx.post(f"{base}/__sim/faults", json=faults).raise_for_status()
