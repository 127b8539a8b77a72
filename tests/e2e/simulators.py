"""A module's own simulators, for e2e modules whose writes (requests filed, accounts changed)
must stay out of the session's shared simulators: ``simulators = own_simulators()``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from fixtures.billing.app import create_app as create_billing
from fixtures.crm.app import create_app as create_crm
from fixtures.nomination.app import create_app as create_nomination
from fixtures.server import serve_in_thread


def own_simulators(**crm_options: Any) -> Callable[[], Iterator[dict[str, str]]]:
    """A module-scoped ``simulators`` fixture; ``crm_options`` go to the CRM simulator."""

    @pytest.fixture(scope="module")
    def simulators() -> Iterator[dict[str, str]]:
        with (
            serve_in_thread(create_billing()) as billing,
            serve_in_thread(create_crm(**crm_options)) as crm,
            serve_in_thread(create_nomination()) as nomination,
        ):
            yield {"billing": billing, "crm": crm, "nomination": nomination}

    return simulators
