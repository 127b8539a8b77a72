"""The request budget in the schema: every operation is charged its cost before it executes
(``RequestBudgetGuard``), and a client can read what is left and what a document would cost.

    { rateLimitInfo { limit remaining resetInSeconds } queryCost(query: "{ viewer { login } }") }

Budgets (gateway.ratelimit.buckets): a logged-in user's and its client address's, a staff
key's alone, an anonymous client's address's. Over budget: RATE_LIMITED with
``extensions.retryAfter``; a document costing more than a full budget: QUERY_TOO_COMPLEX.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import strawberry
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError, GraphQLSyntaxError, parse
from strawberry.extensions import SchemaExtension

from gateway.context import Context, Info
from gateway.errors import BadUserInput, GatewayError
from gateway.permissions import PUBLIC, public_fields
from gateway.schema.limits import MAX_TOKENS, ParsedDocument, cost_of, operation_cost
from gateway.sessions import client_address


def _principal(context: Context) -> str | None:
    if context.staff is not None:
        return f"staff:{context.staff.key_id}"
    if context.viewer is not None:
        return f"user:{context.viewer.user_id}"
    return None


class RequestBudgetGuard(SchemaExtension):
    """Charges the operation's cost before it executes; refused, it does not execute."""

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context = execution.context
        document = execution.graphql_document
        if isinstance(context, Context) and document is not None and not execution.result:
            name = execution.operation_name
            cost = (
                cost_of(ParsedDocument(execution.query, document), name)
                if execution.query is not None
                else operation_cost(document, name)
            )
            context.cost = cost or 1
            refused = await charge(context)
            if refused is not None:
                execution.result = GraphQLExecutionResult(
                    data=None, errors=[GraphQLError(refused.message, original_error=refused)]
                )
        yield


async def charge(context: Context) -> GatewayError | None:
    """Charges ``context.cost`` to the caller's budgets; the refusal, when over."""
    try:
        context.rate_limit = await context.services.budget.charge(
            principal=_principal(context),
            address=None if context.staff is not None else client_address(context.request),
            cost=context.cost,
            now=context.services.clock().timestamp(),
        )
    except GatewayError as refused:
        return refused
    return None


@public_fields
@strawberry.type(description="The caller's request budget (its tightest bucket), after this request.")
class RateLimitInfo:
    limit: int = strawberry.field(description="Points the budget holds when full.")
    remaining: int = strawberry.field(description="Points left after this request.")
    reset_in_seconds: float = strawberry.field(description="Seconds until the budget is full again.")


@strawberry.type
class RateLimitQuery:
    @strawberry.field(
        metadata=PUBLIC, description="What this request left of the caller's budget; null when none applies."
    )
    def rate_limit_info(self, info: Info) -> RateLimitInfo | None:
        decision = info.context.rate_limit
        if decision is None:
            return None
        return RateLimitInfo(
            limit=decision.limit,
            remaining=decision.remaining,
            reset_in_seconds=round(decision.reset_in, 1),
        )

    @strawberry.field(
        metadata=PUBLIC,
        description="The points a document would cost, without running it: 1, plus each field "
        "weighted by the page sizes (`first`) above it.",
    )
    def query_cost(
        self,
        query: Annotated[str, strawberry.argument(description="A GraphQL document, as it would be sent.")],
        operation_name: Annotated[
            str | None,
            strawberry.argument(
                description="Which operation of the document; needed when it holds more than one."
            ),
        ] = None,
    ) -> int:
        try:
            document = parse(query, max_tokens=MAX_TOKENS)
        except (GraphQLSyntaxError, RecursionError) as error:
            raise BadUserInput("The query does not parse.") from error
        cost = operation_cost(document, operation_name)
        if cost is None:
            raise BadUserInput("The query has no operation of that name.")
        return cost
