"""What the response cache (``gateway.cache.responses``) learns of an operation before it executes:
whether it is a mutation (whose end drops cached answers) or a query it may keep."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import DocumentNode, FieldNode, OperationDefinitionNode
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from gateway.cache.responses import CACHEABLE_ROOTS
from gateway.context import Context, Operation
from gateway.staff import operation_label


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((d for d in operations if d.name is not None and d.name.value == name), None)


def _cacheable(operation: OperationDefinitionNode | None) -> bool:
    """Root fields of ``CACHEABLE_ROOTS`` only, each selected plainly (no fragment on the root,
    no directive: nothing to reason about)."""
    if operation is None:
        return False
    return all(
        isinstance(selection, FieldNode)
        and selection.name.value in CACHEABLE_ROOTS
        and not selection.directives
        for selection in operation.selection_set.selections
    )


class ResponseCacheGuard(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        context = execution.context
        document = execution.graphql_document
        if isinstance(context, Context) and document is not None:
            definition = _operation(document, execution.operation_name)
            query = execution.operation_type is OperationType.QUERY
            context.operation = Operation(
                mutation=execution.operation_type is OperationType.MUTATION,
                cacheable=query and _cacheable(definition),
                label=operation_label(execution),
                name=execution.operation_name,
            )
        yield
