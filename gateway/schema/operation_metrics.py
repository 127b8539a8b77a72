"""Every GraphQL operation counted by name and outcome, with its latency, in the app's metrics."""

from __future__ import annotations

import time
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from gateway.context import Context


class OperationMetrics(SchemaExtension):
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
            operation=self.execution_context.operation_name,
            outcome=outcome,
            seconds=time.perf_counter() - started,
        )
