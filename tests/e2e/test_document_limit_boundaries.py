"""README's document limits at their boundaries: at most 30 aliases, 2,000 tokens, 2,000 nodes
across nested pages and ``first`` at most 100; one more is refused before anything runs."""

from __future__ import annotations

import pytest
from graphql import Source, TokenKind
from graphql.language import Lexer

from tests.e2e.client import GraphQLClient, error_codes

NOVAK = "1000012345"
PAGE = """
query Page($n: String!, $first: Int!) { customer(number: $n) { invoices(first: $first) { totalCount } } }
"""


def aliases(count: int) -> str:
    return "{ " + " ".join(f"a{i}: viewer {{ login }}" for i in range(count)) + " }"


def token_count(document: str) -> int:
    lexer = Lexer(Source(document))
    count = 0
    while lexer.advance().kind is not TokenKind.EOF:
        count += 1
    return count


def tokens(count: int) -> str:
    """A valid document of exactly ``count`` tokens: a status filter listing UNPAID over and over."""
    head = f'{{ customer(number: "{NOVAK}") {{ invoices(first: 1, filter: {{status: ['
    tail = "]}) { totalCount } } }"
    filler = count - token_count(head + tail)
    document = head + "UNPAID " * filler + tail
    assert token_count(document) == count
    return document


def pages(count: int) -> str:
    """``count`` pages of 100 invoices: 100 x ``count`` nodes."""
    return (
        "{ viewer { customers { "
        + " ".join(f"p{i}: invoices(first: 100) {{ totalCount }}" for i in range(count))
        + " } } }"
    )


@pytest.mark.parametrize(
    ("document", "refused"),
    [
        (aliases(30), False),
        (aliases(31), True),
        (tokens(2_000), False),
        (tokens(2_001), True),
        (pages(20), False),
        (pages(21), True),
    ],
    ids=["30-aliases", "31-aliases", "2000-tokens", "2001-tokens", "2000-nodes", "2100-nodes"],
)
async def test_a_document_at_a_limit_runs_and_one_past_it_is_too_complex(
    gql: GraphQLClient, document: str, refused: bool
) -> None:
    await gql.login("novak")

    result = await gql.execute(document)

    assert (error_codes(result) == ["QUERY_TOO_COMPLEX"]) is refused, result.get("errors")
    if not refused:
        assert error_codes(result) == [], result["errors"][0]["message"][:300]


@pytest.mark.parametrize(("first", "codes"), [(100, []), (101, ["BAD_USER_INPUT"])])
async def test_a_page_holds_at_most_100(gql: GraphQLClient, first: int, codes: list[str]) -> None:
    await gql.login("novak")

    result = await gql.execute(PAGE, {"n": NOVAK, "first": first})

    assert error_codes(result) == codes
