"""Bounds on what one document may ask, checked before anything executes.

Every bound is measured by one walk of the document (``measure``), in time linear in its
size: each fragment is measured once, after the fragments it spreads, and every spread of
it adds that measure instead of walking it again. A document of 8 fragments each spreading
the next 10 times expands to 10^7 fields, yet is measured in about 50 visits. Fragment
cycles (refused by validation) count as empty, so the walk ends on them too.

Per operation, after fragment expansion:

- ``fields``: at most ``MAX_FIELDS`` fields;
- ``depth``: at most ``MAX_DEPTH`` nested fields with a selection (introspection fields
  are not counted, as in Strawberry's depth limiter);
- ``page_nodes``: the objects nested pages can return, at most ``MAX_PAGE_NODES``: the
  ``first`` of each connection multiplied down the nesting (a variable counts as the cap,
  100; an omitted ``first`` of a field selecting ``edges`` as the default, 20; ``nodes(ids:)``
  as the number of IDs, a variable as the cap);
- ``cost``: every field weighted by the page sizes above it; the points a request costs
  (``operation_cost``, gateway.schema.rate_limits).

Per document: at most ``MAX_ALIASES`` aliases in all, and at most ``MAX_REPEATS`` fields of one
response name merged at one level (directly, through inline fragments and through spread
fragments, each counted once), since graphql-core's OverlappingFieldsCanBeMerged compares
those pairwise; merging a fragment's names into every level that spreads it stops, and the
document is refused, past ``MAX_FIELDS`` names (``overflow``). Every violation answers
QUERY_TOO_COMPLEX, and is checked before graphql-core's own validation (whose
OverlappingFieldsCanBeMerged can be slow on a large expansion): an oversized document is
refused in milliseconds and never validated further. Tokens are bounded by the parser
(``MAX_TOKENS``, Strawberry's MaxTokensLimiter).

``DocumentValidation`` replaces Strawberry's ValidationCache: it runs the bounds, then the
standard rules through one LRU cache keyed by (schema, document, rules, hide suggestions).
The rule tuples are built once, here, so the cache hits. With introspection off
(``GATEWAY_INTROSPECTION``) ``__schema`` / ``__type`` are refused and no message suggests a
field, argument or type name ("Did you mean ...").
"""

from __future__ import annotations

import functools
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    validate,
)
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import MaxTokensLimiter, ParserCache, SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from gateway.context import Context
from gateway.errors import ErrorCode
from gateway.schema.common import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from gateway.schema.credential_fields import CredentialFieldsRule
from gateway.schema.errors import classify

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 2_000
MAX_FIELDS = 5_000  # the largest front-end query (the overview of 25 supply points) has ~100
MAX_PAGE_NODES = 2_000  # one page of 100 under a page of 20 is fine; 100 x 100 is not
MAX_REPEATS = 10  # fields of one response name at one level (OverlappingFieldsCanBeMerged pairs them)
COMPLEXITY_CODE = "QUERY_TOO_COMPLEX"
# Sums saturate here: a chain of fragments can expand past any integer worth computing.
_CEILING = 10**12

# Added to the standard rules when introspection is off; ALWAYS_RULES in every validation.
INTROSPECTION_OFF_RULES: tuple[type[ASTValidationRule], ...] = (NoSchemaIntrospectionCustomRule,)
# Strawberry's own rules, and at most one credential-checking field per operation.
ALWAYS_RULES: tuple[type[ASTValidationRule], ...] = (
    MaybeNullValidationRule,
    OneOfInputValidationRule,
    CredentialFieldsRule,
)
VALIDATION_CACHE_SIZE = 512


@dataclass(frozen=True, slots=True)
class Size:
    """What a selection set asks for once its fragments are expanded."""

    fields: int = 0
    aliases: int = 0
    depth: int = 0
    page_nodes: int = 0
    cost: int = 0
    repeats: int = 0  # the most fields of one response name merged at one level
    selects_edges: bool = False  # a connection, even without ``first``
    level: Mapping[str, int] = field(default_factory=dict)  # response names of the top level


EMPTY = Size()


def _cap(value: int) -> int:
    return min(value, _CEILING)


def _page_size(field: FieldNode, child: Size) -> int | None:
    """The page size a field asks for; None for a field that is not a page."""
    for argument in field.arguments or ():
        if argument.name.value == "first":
            if isinstance(argument.value, IntValueNode):
                return max(int(argument.value.value), 0)
            return MAX_PAGE_SIZE  # a variable: at most the cap, or the field refuses it
        if argument.name.value == "ids":  # nodes(ids:): an object per ID, at most the cap
            if isinstance(argument.value, ListValueNode):
                return len(argument.value.values)
            return 1 if isinstance(argument.value, StringValueNode) else MAX_PAGE_SIZE
    return DEFAULT_PAGE_SIZE if child.selects_edges else None


class _Fragments:
    """The fragments measured so far. Merging a fragment's top level into each level that
    spreads it costs its names: past ``MAX_FIELDS`` names merged the document is refused as
    too large (``overflow``) and merging stops, so the walk stays linear."""

    def __init__(self) -> None:
        self.sizes: dict[str, Size] = {}
        self.merge_allowance = MAX_FIELDS
        self.overflow = False

    def size(self, name: str) -> Size:
        return self.sizes.get(name, EMPTY)  # unknown, or a cycle: validation refuses both

    def level(self, name: str) -> Mapping[str, int]:
        level = self.size(name).level
        self.merge_allowance -= len(level)
        if self.merge_allowance < 0:
            self.overflow = True
            return {}
        return level


def _level(selections: SelectionSetNode, fragments: _Fragments) -> Counter[str]:
    """How many fields of each response name one level merges: its own, those of its inline
    fragments and of the fragments it spreads (each once, as graphql-core compares them)."""
    counts: Counter[str] = Counter()
    spreads: set[str] = set()
    pending = [selections]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                counts[(selection.alias or selection.name).value] += 1
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                spreads.add(selection.name.value)
    for name in spreads:
        counts.update(fragments.level(name))
    return counts


def _measure_selections(
    selections: SelectionSetNode, fragments: _Fragments, *, starts_level: bool = True
) -> Size:
    """``starts_level``: the selection set is a level of its own, not an inline fragment's."""
    fields = aliases = depth = page_nodes = cost = 0
    level = _level(selections, fragments) if starts_level else Counter()
    repeats = max(level.values(), default=0)
    selects_edges = False
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            child = (
                _measure_selections(selection.selection_set, fragments) if selection.selection_set else EMPTY
            )
            page = _page_size(selection, child)
            fields += 1 + child.fields
            aliases += (selection.alias is not None) + child.aliases
            if selection.selection_set and not selection.name.value.startswith("__"):
                depth = max(depth, 1 + child.depth)
            if page is None:
                page_nodes += child.page_nodes
                cost += 1 + child.cost
            else:
                page_nodes += page * (1 + child.page_nodes)
                cost += 1 + page * child.cost
            repeats = max(repeats, child.repeats)
            selects_edges = selects_edges or selection.name.value == "edges"
            continue
        if isinstance(selection, InlineFragmentNode):
            child = _measure_selections(selection.selection_set, fragments, starts_level=False)
        elif isinstance(selection, FragmentSpreadNode):
            child = fragments.size(selection.name.value)
        else:  # pragma: no cover -- the three kinds of selection
            continue
        fields += child.fields
        aliases += child.aliases
        depth = max(depth, child.depth)
        page_nodes += child.page_nodes
        cost += child.cost
        repeats = max(repeats, child.repeats)
        selects_edges = selects_edges or child.selects_edges
    return Size(
        _cap(fields), _cap(aliases), depth, _cap(page_nodes), _cap(cost), _cap(repeats), selects_edges, level
    )


def _spread_names(selections: SelectionSetNode) -> Iterator[str]:
    for selection in selections.selections:
        if isinstance(selection, FragmentSpreadNode):
            yield selection.name.value
        elif isinstance(selection, (FieldNode, InlineFragmentNode)) and selection.selection_set:
            yield from _spread_names(selection.selection_set)


def _dependency_order(fragments: Mapping[str, FragmentDefinitionNode]) -> list[str]:
    """Fragment names, each after the fragments it spreads (a cycle is cut where it closes).
    Iterative: a chain of hundreds of fragments must not exhaust Python's stack."""
    order: list[str] = []
    seen: set[str] = set()
    for root in fragments:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(set(_spread_names(fragments[root].selection_set))))]
        while stack:
            name, spreads = stack[-1]
            for spread in spreads:
                if spread in fragments and spread not in seen:
                    seen.add(spread)
                    stack.append((spread, iter(set(_spread_names(fragments[spread].selection_set)))))
                    break
            else:
                stack.pop()
                order.append(name)
    return order


@dataclass(frozen=True, slots=True)
class DocumentSize:
    # (operation, size) pairs: AST nodes hash by their whole content, so no dict of them.
    operations: tuple[tuple[OperationDefinitionNode, Size], ...]
    repeats: int  # over every operation and fragment, spread or not: all are validated
    overflow: bool  # its levels merge more than MAX_FIELDS fragment fields: too large

    @property
    def aliases(self) -> int:
        return sum(size.aliases for _, size in self.operations)

    def operation(self, name: str | None) -> Size | None:
        """The size of the operation ``name`` (the only one when None); None if there is none,
        or when None names none of several (the GraphQL spec: an operation name is required)."""
        if name is None and len(self.operations) > 1:
            return None
        for operation, size in self.operations:
            if name is None or (operation.name is not None and operation.name.value == name):
                return size
        return None


def _measure(document: DocumentNode) -> DocumentSize:
    definitions = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    fragments = _Fragments()
    for name in _dependency_order(definitions):
        fragments.sizes[name] = _measure_selections(definitions[name].selection_set, fragments)
    operations = tuple(
        (definition, _measure_selections(definition.selection_set, fragments))
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
    )
    sizes = [*fragments.sizes.values(), *(size for _, size in operations)]
    return DocumentSize(operations, max((size.repeats for size in sizes), default=0), fragments.overflow)


# ParserCache hands out one DocumentNode per query text, so a measure is kept by the
# document's identity (the entry holds the document, so its id is not reused meanwhile).
_measured: OrderedDict[int, tuple[DocumentNode, DocumentSize]] = OrderedDict()


def measure(document: DocumentNode) -> DocumentSize:
    entry = _measured.get(id(document))
    if entry is not None and entry[0] is document:
        _measured.move_to_end(id(document))
        return entry[1]
    size = _measure(document)
    _measured[id(document)] = (document, size)
    if len(_measured) > VALIDATION_CACHE_SIZE:
        _measured.popitem(last=False)
    return size


def operation_cost(document: DocumentNode, operation_name: str | None) -> int | None:
    """Points the operation costs: 1 for the request, plus each field weighted by the page
    sizes above it (``invoices(first: 10) { edges { node { number } } }``: 1 + 1 + 10 x 3).
    None when the document has no such operation."""
    size = measure(document).operation(operation_name)
    return None if size is None else 1 + size.cost


def _too_complex(message: str, node: OperationDefinitionNode | None = None) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": COMPLEXITY_CODE})


MULTIPLE_OPERATIONS = "Must provide operation name if query contains multiple operations."


def unnamed_operation_errors(document: DocumentNode) -> list[GraphQLError]:
    """The request's fault when ``document`` has several operations and it names none."""
    operations = sum(isinstance(definition, OperationDefinitionNode) for definition in document.definitions)
    if operations > 1:
        return [GraphQLError(MULTIPLE_OPERATIONS, extensions={"code": ErrorCode.BAD_USER_INPUT.value})]
    return []


def limit_errors(document: DocumentNode) -> list[GraphQLError]:
    """QUERY_TOO_COMPLEX errors of ``document`` (none when it is within every bound)."""
    size = measure(document)
    errors: list[GraphQLError] = []
    for operation, operation_size in size.operations:
        if operation_size.fields > MAX_FIELDS:
            errors.append(
                _too_complex(
                    f"The operation expands to {operation_size.fields} fields; at most {MAX_FIELDS}.",
                    operation,
                )
            )
        if operation_size.depth > MAX_DEPTH:
            errors.append(
                _too_complex(
                    f"The operation is nested {operation_size.depth} levels deep; at most {MAX_DEPTH}.",
                    operation,
                )
            )
        if operation_size.page_nodes > MAX_PAGE_NODES:
            errors.append(
                _too_complex(
                    f"The nested page sizes could return {operation_size.page_nodes} objects;"
                    f" at most {MAX_PAGE_NODES}.",
                    operation,
                )
            )
    if size.overflow:
        errors.append(_too_complex(f"The document expands to more than {MAX_FIELDS} fields."))
    if size.repeats > MAX_REPEATS:
        errors.append(
            _too_complex(f"A selection asks for one field {size.repeats} times; at most {MAX_REPEATS}.")
        )
    if size.aliases > MAX_ALIASES:
        errors.append(_too_complex(f"{size.aliases} aliases found; at most {MAX_ALIASES}."))
    return errors


class ParsedDocument:
    """A parsed document as a cache key: by its text, which is equal for equal documents and
    hashes in one pass (graphql-core's nodes hash their whole tree again on every lookup)."""

    __slots__ = ("_hash", "node", "text")

    def __init__(self, text: str, node: DocumentNode) -> None:
        self.text, self.node, self._hash = text, node, hash(text)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ParsedDocument) and other.text == self.text


@functools.lru_cache(maxsize=VALIDATION_CACHE_SIZE)
def validate_document(
    schema: GraphQLSchema,
    document: ParsedDocument,
    rules: tuple[type[ASTValidationRule], ...],
    *,
    hide_suggestions: bool,
) -> list[GraphQLError]:
    """graphql-core's validation plus ``ALWAYS_RULES``, cached (the rule classes are
    module-level, so equal requests make equal keys)."""
    return validate(schema, document.node, (*rules, *ALWAYS_RULES), hide_suggestions=hide_suggestions)


@functools.lru_cache(maxsize=VALIDATION_CACHE_SIZE)
def checked_limits(document: ParsedDocument) -> list[GraphQLError]:
    """``limit_errors``, cached per document text."""
    return limit_errors(document.node)


@functools.lru_cache(maxsize=VALIDATION_CACHE_SIZE)
def cost_of(document: ParsedDocument, operation_name: str | None) -> int | None:
    """``operation_cost``, cached per document text and operation."""
    return operation_cost(document.node, operation_name)


def introspection_allowed(context: object) -> bool:
    """The app's setting; a schema executed without the gateway's context allows it."""
    return context.settings.allows_introspection if isinstance(context, Context) else True


class GatewayExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor; with introspection off, a variable that does not coerce is not
    told the names it could have meant either (an enum's values, an input's fields).

    What ``build`` refuses is the request's input, not its document (variables that do not
    coerce, variables nested too deeply, an unknown operation): ``BAD_USER_INPUT`` unless
    a scalar already said otherwise. Validation (``DocumentValidation``) gives the document's
    faults, ``GRAPHQL_VALIDATION_FAILED``; the two are told apart by where they arise, not by
    their messages."""

    @classmethod
    def build(
        cls,
        schema: GraphQLSchema,
        document: DocumentNode,
        root_value: Any = None,
        context_value: Any = None,
        *args: Any,
        hide_suggestions: bool = False,
        **kwargs: Any,
    ) -> Any:
        kwargs["hide_suggestions"] = hide_suggestions or not introspection_allowed(context_value)
        built = super().build(schema, document, root_value, context_value, *args, **kwargs)
        if isinstance(built, list):
            for error in built:
                if classify(error)[0] is ErrorCode.GRAPHQL_VALIDATION_FAILED:
                    error.extensions = {**(error.extensions or {}), "code": ErrorCode.BAD_USER_INPUT.value}
        return built


class DocumentValidation(SchemaExtension):
    """The bounds first (linear, cheap), then the cached standard validation."""

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        document = execution.graphql_document
        if document is not None and execution.query is not None:
            parsed = ParsedDocument(execution.query, document)
            # Strawberry runs the first operation when none is named (its operation_name
            # property); the spec asks for a name when there are several.
            named = execution._provided_operation_name
            errors = [] if named is not None else unnamed_operation_errors(document)
            errors = errors or checked_limits(parsed)
            if not errors:
                open_schema = introspection_allowed(execution.context)
                rules = execution.validation_rules + (() if open_schema else INTROSPECTION_OFF_RULES)
                errors = validate_document(
                    execution.schema._schema, parsed, rules, hide_suggestions=not open_schema
                )
            execution.pre_execution_errors = errors
        yield


def _tokens() -> SchemaExtension:
    return MaxTokensLimiter(max_token_count=MAX_TOKENS)


def _parser_cache() -> SchemaExtension:
    return ParserCache(maxsize=512)


# Order matters: the token limit is set in ``on_operation``, before the parser cache parses.
LIMIT_EXTENSIONS: tuple[Callable[[], SchemaExtension], ...] = (_tokens, _parser_cache, DocumentValidation)
