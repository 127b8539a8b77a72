"""What one GraphQL request carries: who asks, its loaders, its response."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo

from gateway.config import Settings
from gateway.dataloaders import Loaders
from gateway.errors import Unauthenticated
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
    # Why the credential the request presented (session, bearer token, API key) was refused;
    # the caller is then anonymous, and told so wherever a login is needed.
    rejected_credential: str | None = None

    def require_identity(self) -> None:
        """UNAUTHENTICATED unless a portal user or staff asks."""
        if self.viewer is None and self.staff is None:
            raise self._unauthenticated()

    def _unauthenticated(self) -> Unauthenticated:
        return Unauthenticated(self.rejected_credential) if self.rejected_credential else Unauthenticated()

    def refuse_rejected_credential(self) -> None:
        """UNAUTHENTICATED when the request presented a credential that did not resolve."""
        if self.rejected_credential is not None:
            raise Unauthenticated(self.rejected_credential)

    def access(self, customer_number: str) -> Access | None:
        """The viewer's access to ``customer_number`` (loaded from the store for this request
        only, so a revoked or expired grant gives nothing from the next request on); ``None``
        without any. UNAUTHENTICATED for an anonymous caller: who asks comes first."""
        if self.staff is not None:
            self.staff_reads.add(customer_number)
            return STAFF_ACCESS
        if self.viewer is None:
            raise self._unauthenticated()
        return self.viewer.access.get(customer_number)


Info = StrawberryInfo[Context, None]
