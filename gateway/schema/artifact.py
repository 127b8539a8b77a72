"""The schema as an artifact: ``schema.graphql`` printed from the code, and what changed
between two versions of it.

``schema.graphql`` at the repository root is what a front end builds on (codegen, review of
a change); ``tests/schema/test_schema_artifact.py`` fails when it and the code differ. The
breaking-change check (``gateway schema check``, run by ``.ci/run``) compares the code's
schema with the one committed on the previous commit of main, using graphql-core's
``find_breaking_changes`` / ``find_dangerous_changes``. A breaking change fails the check
unless the change declares it: ``CHANGELOG.md`` gains a line holding the change's
description as graphql-core words it (``Field Customer.foo was removed``), in the section
of that change. Dangerous changes (an enum value or an optional argument added: a client's
exhaustive ``switch`` may break) are reported, never fatal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphql import build_schema, find_breaking_changes, find_dangerous_changes

SCHEMA_FILE = "schema.graphql"
CHANGELOG_FILE = "CHANGELOG.md"
REGENERATE = "python -m gateway schema print > schema.graphql"


def printed_schema() -> str:
    """The code's schema in SDL, as ``schema.graphql`` holds it (one trailing newline)."""
    from gateway.schema import schema  # noqa: PLC0415 -- the whole schema, only when asked

    return schema.as_str().rstrip("\n") + "\n"


@dataclass(frozen=True, slots=True)
class SchemaChanges:
    breaking: tuple[str, ...]  # graphql-core's descriptions, in its order
    dangerous: tuple[str, ...]
    undeclared: tuple[str, ...]  # the breaking ones no new CHANGELOG line names

    @property
    def ok(self) -> bool:
        return not self.undeclared


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("`", "")).strip()


def new_changelog_lines(changelog: str, base_changelog: str | None) -> str:
    """The lines of ``changelog`` that ``base_changelog`` (the base's file; None when it had
    none) does not hold: what this change declares. An older declaration does not excuse a
    new break of the same thing."""
    before = set((base_changelog or "").splitlines())
    return "\n".join(line for line in changelog.splitlines() if line not in before)


def is_declared(description: str, declarations: str) -> bool:
    """Whether ``declarations`` names the breaking change: its description, without the final
    full stop, on one line (backticks and runs of spaces ignored)."""
    wanted = _normalised(description).removesuffix(".")
    return any(wanted in _normalised(line) for line in declarations.splitlines())


def compare(old_sdl: str | None, new_sdl: str, *, declarations: str) -> SchemaChanges:
    """What changed from ``old_sdl`` (None: no previous schema, nothing to compare) to
    ``new_sdl``, and which breaking changes ``declarations`` leaves undeclared."""
    if old_sdl is None:
        return SchemaChanges(breaking=(), dangerous=(), undeclared=())
    old, new = build_schema(old_sdl), build_schema(new_sdl)
    breaking = tuple(change.description for change in find_breaking_changes(old, new))
    dangerous = tuple(change.description for change in find_dangerous_changes(old, new))
    undeclared = tuple(change for change in breaking if not is_declared(change, declarations))
    return SchemaChanges(breaking=breaking, dangerous=dangerous, undeclared=undeclared)


def report(changes: SchemaChanges, *, base: str) -> str:
    """What ``gateway schema check`` prints."""
    counts = f"{len(changes.breaking)} breaking, {len(changes.dangerous)} dangerous"
    lines = [f"schema compared with {base}: {counts}"]
    lines += [f"  dangerous: {change}" for change in changes.dangerous]
    lines += [
        f"  breaking ({'undeclared' if change in changes.undeclared else 'declared'}): {change}"
        for change in changes.breaking
    ]
    if changes.undeclared:
        lines.append(
            f"Undeclared breaking changes. Keep the old field (@deprecated) for a deprecation period, "
            f"or declare each in {CHANGELOG_FILE}, in this change's section, as a line holding its "
            f"description, e.g.:"
        )
        lines += [
            f"- {change.removesuffix('.')}: <why, and what a client does instead>."
            for change in changes.undeclared
        ]
    return "\n".join(lines)
