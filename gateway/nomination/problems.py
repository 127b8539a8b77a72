"""The error a refused nomination raises: a ``BadUserInput`` that carries its positioned
problems, so a mutation can return them as typed results with field paths."""

from __future__ import annotations

from collections.abc import Iterable

from gateway.domain.nomination import NominationProblem
from gateway.errors import BadUserInput


class NominationRejected(BadUserInput):
    def __init__(self, problems: Iterable[NominationProblem]) -> None:
        self.problems = tuple(problems)
        if not self.problems:
            raise ValueError("a rejection needs at least one problem")
        super().__init__(self.problems[0].message)
