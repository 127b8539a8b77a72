"""Bounds on what one document may ask, checked before anything executes.

Depth, aliases and tokens use Strawberry's limiters; ``PageProductRule`` bounds how many
nodes nested connections can return: the ``first`` of each connection multiplied down
the nesting (a variable counts as the cap, 100; an omitted ``first`` as the default, 20),
summed over the document. Every violation answers QUERY_TOO_COMPLEX (``errors.classify``).

The rules are built once, here: the ValidationCache is keyed by the rule classes, so a
class made per request would never hit the cache. The extensions list holds factories
(Strawberry builds extension instances per request) that reuse these classes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as create_alias_validator
from strawberry.extensions.query_depth_limiter import create_validator as create_depth_validator

from gateway.schema.common import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from gateway.schema.credential_fields import CredentialFieldsRule

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 2_000
MAX_PAGE_NODES = 2_000  # one page of 100 under a page of 20 is fine; 100 x 100 is not
COMPLEXITY_CODE = "QUERY_TOO_COMPLEX"

# Messages of the Strawberry and graphql-core limits, which carry no code of their own.
TOO_COMPLEX_MESSAGES = (
    "exceeds maximum operation depth",
    "aliases found. Allowed:",
    "Document contains more than",
)


def _first(field: FieldNode) -> int | None:
    """The page size a connection field asks for; None for a field without ``first``."""
    for argument in field.arguments or ():
        if argument.name.value == "first":
            if isinstance(argument.value, IntValueNode):
                return int(argument.value.value)
            return MAX_PAGE_SIZE  # a variable: at most the cap, or the field refuses it
    return None


class PageProductRule(ValidationRule):
    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.fragments = {
            definition.name.value: definition
            for definition in context.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
        total = self._nodes(node.selection_set, 1, frozenset())
        if total > MAX_PAGE_NODES:
            self.report_error(
                GraphQLError(
                    f"The nested page sizes could return {total} objects; at most {MAX_PAGE_NODES}.",
                    node,
                    extensions={"code": COMPLEXITY_CODE},
                )
            )

    def _nodes(self, selections: SelectionSetNode | None, multiplier: int, seen: frozenset[str]) -> int:
        if selections is None:
            return 0
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                first = _first(selection)
                inner = multiplier
                if first is not None or _is_connection(selection):
                    inner = multiplier * (first if first is not None else DEFAULT_PAGE_SIZE)
                    total += inner
                total += self._nodes(selection.selection_set, inner, seen)
            elif isinstance(selection, InlineFragmentNode):
                total += self._nodes(selection.selection_set, multiplier, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:  # a cycle is another rule's error
                    total += self._nodes(fragment.selection_set, multiplier, seen | {name})
        return total


def _is_connection(field: FieldNode) -> bool:
    """A field selecting ``edges`` is a connection even when ``first`` is omitted."""
    selections = field.selection_set.selections if field.selection_set else ()
    return any(isinstance(child, FieldNode) and child.name.value == "edges" for child in selections)


DEPTH_RULE = create_depth_validator(MAX_DEPTH, None, None)
ALIAS_RULE = create_alias_validator(MAX_ALIASES)
LIMIT_RULES: Sequence[type[ValidationRule]] = (DEPTH_RULE, ALIAS_RULE, PageProductRule, CredentialFieldsRule)


def _rules() -> SchemaExtension:
    return AddValidationRules(list(LIMIT_RULES))


def _tokens() -> SchemaExtension:
    return MaxTokensLimiter(max_token_count=MAX_TOKENS)


def _parser_cache() -> SchemaExtension:
    return ParserCache(maxsize=512)


def _validation_cache() -> SchemaExtension:
    return ValidationCache(maxsize=512)


# Order matters: the rules and the token limit are set in ``on_operation``, before the
# caches parse and validate with them.
LIMIT_EXTENSIONS: tuple[Callable[[], SchemaExtension], ...] = (
    _tokens,
    _rules,
    _parser_cache,
    _validation_cache,
)
