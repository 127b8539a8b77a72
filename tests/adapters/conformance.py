"""Whether an adapter implements its back end's Protocol at run time, not only for mypy."""

from __future__ import annotations

import inspect
from typing import Any


def protocol_mismatches(adapter: object, protocol: type[Any]) -> list[str]:
    """Each operation of ``protocol`` the adapter lacks, does not make a coroutine of, or takes
    other parameters for; empty when the adapter conforms."""
    problems = []
    for name, member in vars(protocol).items():
        if name.startswith("_") or not inspect.iscoroutinefunction(member):
            continue
        implementation = getattr(adapter, name, None)
        if implementation is None:
            problems.append(f"{name}: missing")
        elif not inspect.iscoroutinefunction(implementation):
            problems.append(f"{name}: not a coroutine function")
        else:
            wanted = list(inspect.signature(member).parameters.values())[1:]  # without self
            given = list(inspect.signature(implementation).parameters.values())
            if [(p.name, p.kind) for p in wanted] != [(p.name, p.kind) for p in given]:
                problems.append(f"{name}: parameters {given} instead of {wanted}")
    return problems
