"""Staff (``X-API-Key``) are read-only and audited: one schema extension does both.

- A mutation from staff is refused with FORBIDDEN before it executes.
- After a staff operation, one audit entry is written per customer number the request
  touched (every ``Context.access`` call records it), with the operation's name.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import FieldNode, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType
from strawberry.utils.operation import get_first_operation

from gateway.context import Context
from gateway.errors import Forbidden
from gateway.sessions import client_address
from gateway.store import audit
from gateway.store.db import transaction
from gateway.store.models import ActorKind

STAFF_READ = "staff_read"


class StaffGuard(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context = execution.context
        if not isinstance(context, Context) or context.staff is None:
            yield
            return
        if execution.operation_type is OperationType.MUTATION:
            refused = Forbidden("Staff access is read-only.")
            execution.result = GraphQLExecutionResult(
                data=None, errors=[GraphQLError(refused.message, original_error=refused)]
            )
        yield
        await write_staff_reads(context, operation=operation_label(execution))


def operation_label(execution: ExecutionContext) -> str:
    """The operation's name, or its root fields for an anonymous one (``{ customer node }``)."""
    if execution.operation_name:
        return execution.operation_name
    operation = get_first_operation(execution.graphql_document) if execution.graphql_document else None
    if operation is None:
        return "anonymous"
    names = [
        selection.name.value
        for selection in operation.selection_set.selections
        if isinstance(selection, FieldNode)
    ]
    return "{ " + " ".join(names) + " }"


async def write_staff_reads(context: Context, *, operation: str) -> None:
    if context.staff is None or not context.staff_reads:
        return
    now = context.services.clock()
    async with transaction(context.services.store) as db:
        await audit.write_audit_per_customer(
            db,
            now=now,
            actor_kind=ActorKind.STAFF,
            actor_id=context.staff.key_id,
            action=STAFF_READ,
            customer_numbers=sorted(context.staff_reads),
            detail={"operation": operation[:64], "staff": context.staff.name},
            client_address=client_address(context.request),
        )
    context.staff_reads.clear()
