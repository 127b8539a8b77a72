"""What one GraphQL request carries: who asks, its loaders, its response."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo

from gateway.cache.responses import Reads
from gateway.config import Settings
from gateway.dataloaders import Loaders
from gateway.errors import Forbidden, Unauthenticated
from gateway.permissions import STAFF_ACCESS, Access, StaffAbility, StaffRole, staff_abilities
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


STAFF_CUSTOMERS_REFUSAL = "This API key's roles do not include reading customers."


@dataclass(frozen=True, slots=True)
class Staff:
    """A staff API key and the roles stored with it (``gateway.store.api_keys``)."""

    key_id: int
    name: str
    roles: frozenset[StaffRole]

    def may(self, ability: StaffAbility) -> bool:
        return ability in staff_abilities(self.roles)


@dataclass(frozen=True, slots=True)
class Operation:
    """The operation that is about to execute, as the response cache needs it."""

    mutation: bool
    cacheable: bool  # a query of cacheable root fields only (gateway.cache.responses)
    label: str  # its name, or its root fields: what a staff read is audited under
    name: str | None  # its name, as the metrics count it


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
    cost: int = 1  # what this request's operation costs (charged again on a cached answer)
    # Why the credential the request presented (session, bearer token, API key) was refused;
    # the caller is then anonymous, and told so wherever a login is needed.
    rejected_credential: str | None = None
    # Every customer number an access check asked about (the response cache's tags) and the
    # numbers a mutation changed without asking (a claim, a merge): dropped from it at the end.
    touched: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    # What execution read (gateway.cache.responses): the kinds of data, anything live.
    reads: Reads = field(default_factory=Reads)
    # Set before execution (gateway.schema.response_cache): what ran and what it cost.
    operation: Operation | None = None

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

    def require_staff_customer_reads(self) -> None:
        """FORBIDDEN for a staff key whose roles lack ``READ_CUSTOMERS`` (an AUDITOR-only key).

        FORBIDDEN, not NOT_FOUND: the refusal is about the key, the same for every number
        and ID (so it confirms nothing about any of them), and is raised before anything is
        looked up. NOT_FOUND would tell an auditor, who sees customer numbers in the audit
        trail, that those customers do not exist."""
        if self.staff is not None and not self.staff.may(StaffAbility.READ_CUSTOMERS):
            raise Forbidden(STAFF_CUSTOMERS_REFUSAL)

    def access(self, customer_number: str) -> Access | None:
        """The viewer's access to ``customer_number`` (loaded from the store for this request
        only, so a revoked or expired grant gives nothing from the next request on); ``None``
        without any. UNAUTHENTICATED for an anonymous caller: who asks comes first. Staff get
        ``STAFF_ACCESS`` when their roles grant ``READ_CUSTOMERS`` (FORBIDDEN otherwise),
        and the number is audited as read."""
        self.touched.add(customer_number)
        if self.staff is not None:
            self.require_staff_customer_reads()
            self.staff_reads.add(customer_number)
            return STAFF_ACCESS
        if self.viewer is None:
            raise self._unauthenticated()
        return self.viewer.access.get(customer_number)


Info = StrawberryInfo[Context, None]
