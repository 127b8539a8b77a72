"""The catalogue is complete: every code has a Czech and an English text, and every message the
gateway raises has its Czech text. A new code or message without one fails here, by name."""

from __future__ import annotations

import ast
import string
from pathlib import Path
from typing import TypeGuard

from gateway.domain.nomination import ProblemKind
from gateway.domain.refusals import AccessErrorCode, AccountErrorCode
from gateway.errors import ErrorCode
from gateway.i18n.catalogue import CODES, MESSAGES, Text
from gateway.i18n.translate import translate
from gateway.requests.validation import Code as RequestErrorCode

GATEWAY = Path(__file__).resolve().parents[2] / "gateway"

# The callables that take a message a client reads, and which positional argument it is
# (``message=`` counts too).
MESSAGE_ARGUMENT: dict[str, int | None] = {
    "GatewayError": 0,
    "Unauthenticated": 0,
    "Forbidden": 0,
    "NotFound": 0,
    "BadUserInput": 0,
    "QueryTooComplex": 0,
    "PersistedQueryNotFound": 0,
    "BackendError": 1,
    "BackendRejected": 1,
    "BackendUnavailable": 1,
    "BackendProtocolError": 1,
    "RateLimited": 1,
    "Rejected": 1,
    "FieldError": 1,
    "_error": 1,
    "error": 2,  # gateway/http/documents.py
    "NominationProblem": 1,
    # a payload's errors, one class per payload family (``message=``)
    "AccountError": None,
    "AccessError": None,
    "RequestError": None,
    "NominationError": None,
    "refusal": 1,
    "bad_request": 0,
    "HTTPException": 1,
    "GraphQLError": 0,
    "_too_complex": 0,
}
# Module constants holding such messages (passed by name), and lists of them (joined).
MESSAGE_CONSTANT_SUFFIXES = (
    "_MESSAGE",
    "PROOF_FAILED",
    "STRONGER_PROOF_NEEDED",
    "SESSION_ENDED",
    "API_KEY_REFUSED",
    "REFUSAL",
    "TOO_LONG",
    "MULTIPLE_OPERATIONS",
)
# Modules whose messages are for the operator, not a client: the settings' problems, one line
# each, which the command line prints as they are.
OPERATOR_MODULES = {"gateway/config.py"}


def _template(node: ast.expr) -> str | None:
    """A literal message, with ``{}`` where an f-string puts a value."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values)
    return None


def _callable_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _is_problems_append(node: ast.AST) -> TypeGuard[ast.Call]:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "append"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "problems"
    )


def raised_messages() -> dict[str, list[str]]:
    """Every literal message the gateway hands a client, each with where it is raised."""
    found: dict[str, list[str]] = {}
    for path in sorted(GATEWAY.rglob("*.py")):
        where = path.relative_to(GATEWAY.parent)
        if path.parent.name == "i18n" or where.as_posix() in OPERATOR_MODULES:
            continue
        tree = ast.parse(path.read_text())
        module_constants = {id(node) for node in tree.body if isinstance(node, ast.Assign)}
        for node in ast.walk(tree):
            messages: list[ast.expr] = []
            if isinstance(node, ast.Call) and (name := _callable_name(node)) in MESSAGE_ARGUMENT:
                messages = [keyword.value for keyword in node.keywords if keyword.arg == "message"]
                index = MESSAGE_ARGUMENT[name]
                if index is not None and len(node.args) > index:
                    messages.append(node.args[index])
            elif (
                isinstance(node, ast.Assign)
                and id(node) in module_constants
                and any(
                    isinstance(target, ast.Name) and target.id.endswith(MESSAGE_CONSTANT_SUFFIXES)
                    for target in node.targets
                )
            ):
                messages = [node.value]
            elif _is_problems_append(node):
                messages = list(node.args)  # the password's problems, joined into one message
            for message in messages:
                if (template := _template(message)) is not None:
                    found.setdefault(template, []).append(f"{where}:{message.lineno}")
    return found


def _shape(english: str) -> str:
    """A catalogue text as the scan sees a message: every ``{name}`` a bare ``{}``."""
    return "".join(
        literal + ("{}" if name is not None else "")
        for literal, name, _, _ in string.Formatter().parse(english)
    )


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_code_has_a_czech_and_an_english_text() -> None:
    codes = (
        {code.value for code in ErrorCode}
        | {code.value for code in RequestErrorCode}
        | {kind.value for kind in ProblemKind}
        | {code.value for code in AccountErrorCode}
        | {code.value for code in AccessErrorCode}
    )

    missing = sorted(code for code in codes if code not in CODES)
    empty = sorted(code for code, text in CODES.items() if not (text.cs.strip() and text.en.strip()))

    assert missing == [], f"add these codes to CODES in gateway/i18n/catalogue.py: {missing}"
    assert empty == [], f"these codes lack a Czech or an English text: {empty}"


def test_every_message_the_gateway_raises_has_its_czech_text() -> None:
    known = {_shape(text.en) for text in MESSAGES.values()}

    def translated(template: str) -> bool:  # "The billing system ..." fits "The {backend} system ..."
        return template in known or translate(template, "cs") != template

    missing = {template: places for template, places in raised_messages().items() if not translated(template)}

    listed = "\n".join(
        f"  {template!r}  ({', '.join(places)})" for template, places in sorted(missing.items())
    )
    assert not missing, f"add these messages to MESSAGES in gateway/i18n/catalogue.py:\n{listed}"


def test_the_scan_finds_the_messages_it_is_meant_to() -> None:
    # given messages raised in the ways the scan knows: an error's argument, a constant, an
    # f-string, a payload error's ``message=`` (AccountError: "Wrong login or password.")
    found = raised_messages()

    assert "`first` must be between 0 and {}." in found
    assert "Your session has ended; log in again." in found
    assert "Wrong login or password." in found
    assert "The password must not contain the login." in found
    assert len(found) > 100


def test_each_text_has_the_same_values_in_both_languages() -> None:
    def differing(table: dict[str, Text]) -> list[str]:
        return [key for key, text in table.items() if _placeholders(text.cs) != _placeholders(text.en)]

    assert differing(MESSAGES) == []
    assert differing(CODES) == []


def test_no_two_messages_share_an_english_text() -> None:
    shapes = [_shape(text.en) for text in MESSAGES.values()]

    assert sorted({shape for shape in shapes if shapes.count(shape) > 1}) == []
