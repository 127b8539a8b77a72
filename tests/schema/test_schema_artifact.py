"""``schema.graphql`` is the code's schema, and a breaking change fails unless CHANGELOG.md declares it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gateway.schema.artifact import (
    REGENERATE,
    SCHEMA_FILE,
    compare,
    is_declared,
    new_changelog_lines,
    printed_schema,
)

ROOT = Path(__file__).resolve().parents[2]
OLD = """
type Query {
  "The customer."
  customer(number: String!): Customer
  retired: String
}

type Customer {
  number: String!
  segment: Segment
}

enum Segment { HOUSEHOLD BUSINESS }
"""
NEW = """
type Query {
  customer(number: String!, strict: Boolean): Customer
}

type Customer {
  number: String!
  segment: Segment
  name: String
}

enum Segment { HOUSEHOLD BUSINESS LARGE }
"""
REMOVED = "Field Query.retired was removed."


def test_the_committed_schema_is_the_codes_schema() -> None:
    committed = (ROOT / SCHEMA_FILE).read_text(encoding="utf-8")

    assert committed == printed_schema(), f"{SCHEMA_FILE} is stale: regenerate it with `{REGENERATE}`"


def test_an_undeclared_removal_is_breaking_and_fails() -> None:
    changes = compare(OLD, NEW, declarations="")

    assert changes.breaking == (REMOVED,)
    assert changes.undeclared == (REMOVED,)
    assert not changes.ok


def test_a_removal_declared_by_its_description_passes() -> None:
    changes = compare(
        OLD, NEW, declarations="### Breaking\n- Field `Query.retired` was removed: nothing used it."
    )

    assert changes.breaking == (REMOVED,)
    assert changes.undeclared == ()
    assert changes.ok


def test_a_declaration_must_name_the_change_itself() -> None:
    assert not is_declared(REMOVED, "- Field Query.retiredSoon was removed.")
    assert not is_declared(REMOVED, "- Field Query was removed. retired")
    assert is_declared(REMOVED, "- Field Query.retired was removed")


def test_added_enum_values_and_optional_arguments_are_dangerous_but_pass() -> None:
    changes = compare(OLD, NEW, declarations="- Field Query.retired was removed.")

    assert "Enum value Segment.LARGE was added." in changes.dangerous
    assert "An optional argument Query.customer(strict:) was added." in changes.dangerous
    assert changes.ok


def test_no_previous_schema_has_nothing_to_compare() -> None:
    changes = compare(None, NEW, declarations="")

    assert changes.breaking == () and changes.dangerous == () and changes.ok


def test_only_lines_the_change_adds_declare() -> None:
    base = "# Changelog\n- Field Query.retired was removed: long ago.\n"
    now = base + "- Field Customer.name was removed: merged into fullName.\n"

    declared = new_changelog_lines(now, base)

    assert declared == "- Field Customer.name was removed: merged into fullName."
    assert new_changelog_lines(now, None) == now.rstrip("\n")


# -- the command, in a repository of its own ------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(  # noqa: S603
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],  # noqa: S607
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _check(repo: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "gateway", "schema", "check"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _repo_whose_main_had_a_field_the_code_lacks(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    old = printed_schema().replace("type Query {\n", "type Query {\n  retiredField: String\n", 1)
    (repo / SCHEMA_FILE).write_text(old, encoding="utf-8")
    (repo / "CHANGELOG.md").write_text("# Changelog\n", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "the old schema")
    return repo


def test_the_check_compares_with_the_previous_commit_of_main(tmp_path: Path) -> None:
    # given: main's previous commit has Query.retiredField, which the code no longer has
    repo = _repo_whose_main_had_a_field_the_code_lacks(tmp_path)
    (repo / "README").write_text("x", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "a change that does not declare it")

    # when
    undeclared = _check(repo)
    with (repo / "CHANGELOG.md").open("a", encoding="utf-8") as changelog:
        changelog.write("- Field Query.retiredField was removed: use customer.\n")
    _git(repo, "commit", "-q", "-am", "declare it")
    declared = _check(repo)

    # then
    assert undeclared.returncode == 1, undeclared.stdout + undeclared.stderr
    assert "breaking (undeclared): Field Query.retiredField was removed." in undeclared.stdout
    assert "- Field Query.retiredField was removed: <why" in undeclared.stdout
    assert declared.returncode == 0, declared.stdout + declared.stderr
    assert "breaking (declared): Field Query.retiredField was removed." in declared.stdout


def test_on_a_branch_the_check_compares_with_where_it_left_main(tmp_path: Path) -> None:
    repo = _repo_whose_main_had_a_field_the_code_lacks(tmp_path)
    _git(repo, "checkout", "-q", "-b", "feature")
    for n in range(2):
        (repo / "README").write_text(str(n), encoding="utf-8")
        _git(repo, "add", ".")
        _git(repo, "commit", "-q", "-m", f"work {n}")

    result = _check(repo)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Field Query.retiredField was removed." in result.stdout


def test_without_a_previous_schema_the_check_passes(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / "README").write_text("x", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "first")

    result = _check(repo)

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"no previous {SCHEMA_FILE}" in result.stdout
