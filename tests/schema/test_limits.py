"""The document bounds: measured in time linear in the document, whatever its fragments expand to."""

from __future__ import annotations

import time

import pytest
from graphql import DocumentNode, parse

from gateway.schema.common import MAX_PAGE_SIZE
from gateway.schema.limits import (
    MAX_DEPTH,
    MAX_FIELDS,
    MAX_PAGE_NODES,
    MAX_REPEATS,
    Size,
    limit_errors,
    measure,
    operation_cost,
)

# Generous: the walk takes well under a millisecond; walking every spread takes hours.
LINEAR_BOUND_SECONDS = 0.1


def fragment_chain(levels: int, width: int = 10) -> str:
    """``levels`` fragments, each spreading the next ``width`` times: width^(levels-1) fields."""
    fragments = [f"fragment F{i} on Query {{ " + f"...F{i + 1} " * width + "}" for i in range(levels - 1)]
    fragments.append(f"fragment F{levels - 1} on Query {{ __typename }}")
    return "query { ...F0 } " + " ".join(fragments)


def aliased_chain(levels: int, width: int = 40) -> str:
    """Wide: each fragment aliases a field and spreads the next ``width`` times."""
    fragments = [
        f"fragment F{i} on Query {{ a{i}: __typename " + f"...F{i + 1} " * width + "}"
        for i in range(levels - 1)
    ]
    fragments.append(f"fragment F{levels - 1} on Query {{ last: __typename }}")
    return "query { ...F0 } " + " ".join(fragments)


def size_of(document: DocumentNode) -> Size:
    size = measure(document).operation(None)
    assert size is not None
    return size


def codes(document: str) -> list[str]:
    return [error.extensions["code"] for error in limit_errors(parse(document)) if error.extensions]


@pytest.mark.parametrize("levels", [8, 9, 10])
def test_a_chain_of_fragments_is_measured_once_per_fragment(levels: int) -> None:
    # given
    document = parse(fragment_chain(levels))

    # when
    started = time.perf_counter()
    errors = limit_errors(document)
    elapsed = time.perf_counter() - started

    # then
    assert size_of(document).fields == 10 ** (levels - 1)
    assert [error.extensions["code"] for error in errors if error.extensions] == ["QUERY_TOO_COMPLEX"]
    assert f"at most {MAX_FIELDS}" in errors[0].message
    assert elapsed < LINEAR_BOUND_SECONDS


def test_a_wide_chain_of_aliased_spreads_is_measured_once_per_fragment() -> None:
    # given: 40^5 expansions of aliased fields
    document = parse(aliased_chain(6))

    # when
    started = time.perf_counter()
    errors = [error.message for error in limit_errors(document)]
    elapsed = time.perf_counter() - started

    # then
    size = size_of(document)
    assert size.aliases == sum(40**i for i in range(6))
    assert any("aliases found" in message for message in errors)
    assert any("fields" in message for message in errors)
    assert elapsed < LINEAR_BOUND_SECONDS


def test_a_fragment_cycle_ends_the_walk() -> None:
    # given: refused by graphql-core's NoFragmentCycles; the bounds must not loop on it
    document = parse(
        "query { ...A } fragment A on Query { viewer { ...B } } fragment B on Viewer { login ...A }"
    )

    # when
    size = size_of(document)

    # then
    assert size.fields == 2  # viewer, login: the spread closing the cycle counts as empty


def test_depth_counts_nested_selections_through_fragments() -> None:
    nested = "viewer { " * MAX_DEPTH + "login" + " }" * MAX_DEPTH
    through_fragment = "query { ...Deep } fragment Deep on Query { " + nested + " }"
    one_more = "query { ...Deep } fragment Deep on Query { viewer { " + nested + " } }"

    assert codes("{ " + nested + " }") == []
    assert codes(through_fragment) == []
    assert codes(one_more) == ["QUERY_TOO_COMPLEX"]


def test_nested_pages_multiply_through_fragments_and_an_omitted_first_counts_as_twenty() -> None:
    # given: 100 invoices under each of 20 (default) customers' pages
    page = "edges { node { invoices(first: 100) { edges { node { number } } } } }"
    inside_fragment = (
        "{ viewer { customers { ...Page } } } fragment Page on Customer { x: requests { " + page + " } }"
    )

    # when
    size = size_of(parse(inside_fragment))

    # then
    assert size.page_nodes == 20 * (1 + 100)
    assert size.page_nodes > MAX_PAGE_NODES
    assert codes(inside_fragment) == ["QUERY_TOO_COMPLEX"]


def test_one_field_repeated_at_one_level_beyond_the_bound_is_refused_through_fragments() -> None:
    spreads = " ".join(f"...V{i}" for i in range(MAX_REPEATS + 1))
    fragments = " ".join(f"fragment V{i} on Query {{ viewer {{ login }} }}" for i in range(MAX_REPEATS + 1))

    assert codes("{ viewer { " + "login " * MAX_REPEATS + "} }") == []
    assert codes("{ viewer { " + "login " * (MAX_REPEATS + 1) + "} }") == ["QUERY_TOO_COMPLEX"]
    assert codes(f"{{ {spreads} }} {fragments}") == ["QUERY_TOO_COMPLEX"]
    assert codes("{ viewer { login } } fragment Unused on Viewer { " + "login " * 11 + "}") == [
        "QUERY_TOO_COMPLEX"
    ]


def test_the_cost_weights_every_field_by_the_page_sizes_above_it() -> None:
    document = parse(
        "query Page { viewer { customers { invoices(first: 10) { edges { node { number status } } } } } }"
        " query Small { viewer { login } }"
    )

    # viewer, customers, invoices: 3; edges, node, number, status under a page of 10: 40; the request: 1
    assert operation_cost(document, "Page") == 1 + 3 + 10 * 4
    assert operation_cost(document, "Small") == 1 + 2


def test_a_wide_fragment_spread_at_many_levels_stops_being_merged_once_too_large() -> None:
    # given: 1,000 names merged into each of 150 levels
    document = parse(
        "{ "
        + "a { ...F } " * 150
        + "} fragment F on Query { "
        + " ".join(f"f{i}" for i in range(1000))
        + " }"
    )

    # when
    started = time.perf_counter()
    errors = [error.message for error in limit_errors(document)]
    elapsed = time.perf_counter() - started

    # then
    assert measure(document).overflow
    assert f"The document expands to more than {MAX_FIELDS} fields." in errors
    assert elapsed < LINEAR_BOUND_SECONDS


@pytest.mark.parametrize(
    ("ids", "objects"), [('["a", "b", "c"]', 3), ('"a"', 1), ("$ids", MAX_PAGE_SIZE), ("[]", 0)]
)
def test_nodes_counts_an_object_per_id_and_a_variable_as_the_cap(ids: str, objects: int) -> None:
    size = size_of(parse(f"query Q($ids: [ID!]!) {{ nodes(ids: {ids}) {{ id }} }}"))

    assert size.page_nodes == objects
    assert size.cost == 1 + objects
