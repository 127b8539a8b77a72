"""Every GraphQL operation as a span (``graphql <type> <name>``) and in its request's log line.

The span is current while the operation parses, validates and executes, so the DataLoader
batches it starts, and their back-end calls, are traced below it. The name is the operation's
when it is a proper one (``gateway.metrics.OPERATION_NAME``); a document that did not parse
or validate is traced as ``graphql operation``.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from gateway.metrics import OPERATION_NAME
from gateway.observability import request_record, tracing


class OperationTrace(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        with tracing.span("graphql operation") as span:
            yield
            execution = self.execution_context
            name = execution.operation_name
            name = name if name and OPERATION_NAME.fullmatch(name) else None
            try:
                kind: str | None = execution.operation_type.value if execution.graphql_document else None
            except (RuntimeError, GraphQLError):  # no such operation in the document
                kind = None
            record = request_record.current()
            if record is not None:
                record.operation, record.operation_type = name, kind
            if span is not None and kind is not None:
                span.update_name(f"graphql {kind} {name or 'anonymous'}")
                span.set_attribute("graphql.operation.type", kind)
                if name is not None:
                    span.set_attribute("graphql.operation.name", name)
