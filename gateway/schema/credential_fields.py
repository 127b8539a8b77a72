"""At most one credential-checking mutation field per operation.

Each of these fields checks a secret (Argon2 for a password, back-end reads for a
customer proof): aliases would multiply that cost and the guesses one request makes.
Counted over each operation's root selection, through fragments and inline fragments
(each fragment counted once, memoised: linear in the document's size), before anything
executes; more than one answers QUERY_TOO_COMPLEX. Only the executed operation counts
in the end, but a document is refused when any of its operations asks for more.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

CREDENTIAL_FIELDS = frozenset({"login", "register", "changePassword", "mergeAccounts", "addCustomerNumber"})
MAX_CREDENTIAL_FIELDS = 1
COMPLEXITY_CODE = "QUERY_TOO_COMPLEX"


class CredentialFieldsRule(ValidationRule):
    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.fragments = {
            definition.name.value: definition
            for definition in context.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.counted: dict[str, int] = {}

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
        if node.operation is not OperationType.MUTATION:
            return
        count = self._count(node.selection_set, frozenset())
        if count > MAX_CREDENTIAL_FIELDS:
            names = ", ".join(sorted(CREDENTIAL_FIELDS))
            self.report_error(
                GraphQLError(
                    f"An operation may check credentials once: at most {MAX_CREDENTIAL_FIELDS} of "
                    f"{names} (aliases included); this one has {count}.",
                    node,
                    extensions={"code": COMPLEXITY_CODE},
                )
            )

    def _count(self, selections: SelectionSetNode, seen: frozenset[str]) -> int:
        """Credential fields at the root of ``selections`` (not inside other fields)."""
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += selection.name.value in CREDENTIAL_FIELDS
            elif isinstance(selection, InlineFragmentNode):
                total += self._count(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value, seen)
        return total

    def _fragment(self, name: str, seen: frozenset[str]) -> int:
        if name in self.counted:
            return self.counted[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in seen:  # unknown or cyclic: other rules' errors
            return 0
        self.counted[name] = self._count(fragment.selection_set, seen | {name})
        return self.counted[name]
