"""What one GraphQL request carries: who asks, its loaders, its response."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo

from gateway.config import Settings
from gateway.dataloaders import Loaders
from gateway.permissions import STAFF_ACCESS, Access
from gateway.ratelimit.buckets import Decision
from gateway.services import Services


@dataclass(frozen=True, slots=True)
class Viewer:
    """A logged-in portal user, with every customer number it may see right now."""

    user_id: int
    login: str
    email: str | None
    session_id: int
    active_customer: str | None
    access: dict[str, Access]
    email_verified: bool = False


@dataclass(frozen=True, slots=True)
class Staff:
    key_id: int
    name: str


@dataclass
class Context:
    request: Request
    response: Response
    settings: Settings
    services: Services
    loaders: Loaders
    viewer: Viewer | None = None
    staff: Staff | None = None
    session_token: str | None = field(default=None, repr=False)
    # Customer numbers staff touched in this request: ``gateway.staff`` audits them at its end.
    staff_reads: set[str] = field(default_factory=set)
    # What this request's cost left of the caller's budget (gateway.schema.rate_limits).
    rate_limit: Decision | None = None

    def access(self, customer_number: str) -> Access | None:
        """The viewer's access to ``customer_number`` (loaded from the store for this request
        only, so a revoked or expired grant gives nothing from the next request on)."""
        if self.staff is not None:
            self.staff_reads.add(customer_number)
            return STAFF_ACCESS
        if self.viewer is None:
            return None
        return self.viewer.access.get(customer_number)


Info = StrawberryInfo[Context, None]
