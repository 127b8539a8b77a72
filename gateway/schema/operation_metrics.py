"""Every GraphQL operation counted by name and outcome, with its latency, in the app's metrics.

Only a document that parsed and validated can name its label (``Metrics.operation_label``):
junk sent under made-up names never claims one of the bounded labels.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

from graphql import OperationDefinitionNode, parse
from strawberry.extensions import SchemaExtension

from gateway.context import Context


def operation_names(documents: Iterable[str]) -> set[str]:
    """The names of the operations in ``documents`` (a persisted query manifest's)."""
    return {
        definition.name.value
        for document in documents
        for definition in parse(document).definitions
        if isinstance(definition, OperationDefinitionNode) and definition.name is not None
    }


class OperationMetrics(SchemaExtension):
    valid = False

    def on_validate(self) -> Iterator[None]:
        yield
        self.valid = not self.execution_context.pre_execution_errors

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context.context
        metrics = context.services.metrics if isinstance(context, Context) else None
        if metrics is None:
            return
        result = self.execution_context.result
        outcome = "error" if result is None or result.data is None else "partial" if result.errors else "ok"
        metrics.record_request(
            operation=self.execution_context.operation_name if self.valid else None,
            valid=self.valid,
            outcome=outcome,
            seconds=time.perf_counter() - started,
        )
