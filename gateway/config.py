"""Settings, read from the environment (prefix ``GATEWAY_``) or a ``.env`` file.

README.md has the table of every setting; keep the two in step.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import Field, IPvAnyNetwork, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from gateway.domain.qr_payment import czech_iban
from gateway.nomination.validation import DAY_OF_MONTH, DAYS_BEFORE, GateClosureRules, parse_gate
from gateway.ratelimit.buckets import DEFAULT_POLICY

DEMO_SECRET_KEY = "change-me-outside-demo"  # noqa: S105 -- refused outside demo mode (app.create_app)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    demo: bool = Field(False, description="Demo mode: seed the demo accounts, relax Secure cookies.")
    graphiql: bool = Field(True, description="Serve GraphiQL at GET /graphql to browsers.")
    introspection: bool | None = Field(
        None, description="Introspection and 'Did you mean' suggestions; default: on only in demo mode."
    )
    log_level: str = "info"

    database_url: str = "sqlite+aiosqlite:///var/gateway.db"
    redis_url: str | None = None
    redis_timeout: float = Field(
        1.0, gt=0, description="Seconds Redis has to connect or answer a call before it counts as down."
    )
    redis_retry_seconds: float = Field(
        5.0, gt=0, description="While Redis is down, seconds between tries (local fallbacks serve meanwhile)."
    )

    billing_url: str = "http://127.0.0.1:8101/soap"
    billing_username: str = "portal-gw"
    billing_password: SecretStr = SecretStr("billing-secret")
    billing_timeout: float = 5.0
    payee_account: str = Field(
        "2000145399/0800",
        description="The supplier's collection account (the one billing prints on its invoices): "
        "the payee of every QR payment.",
    )

    crm_url: str = "http://127.0.0.1:8102"
    crm_api_key: SecretStr = SecretStr("crm-demo-key")
    crm_timeout: float = 5.0

    nomination_url: str = "http://127.0.0.1:8103/soap"
    nomination_username: str = "portal-gw"
    nomination_password: SecretStr = SecretStr("nomination-secret")
    nomination_timeout: float = 5.0
    # Gate closure, Europe/Prague wall time, "<day> <HH:MM>" (gateway.nomination.validation).
    nomination_weekly_gate: str = Field(
        "4 12:00", description="Weekly values close this many days before the week's Monday, at this time."
    )
    nomination_daily_gate: str = Field(
        "1 09:00", description="A daily refinement closes this many days before the day, at this time."
    )
    nomination_monthly_gate: str = Field(
        "20 12:00", description="A monthly refinement closes on this day of the month before, at this time."
    )

    # Resilience (gateway.resilience): a timeout per attempt is the back end's ``*_timeout``.
    retry_attempts: int = Field(3, description="Attempts in all for a read while a back end is unavailable.")
    breaker_failure_threshold: int = Field(5, description="Consecutive failures that open a breaker.")
    breaker_reset_seconds: float = Field(10.0, description="Seconds a breaker stays open before one probe.")
    billing_max_concurrency: int = Field(20, description="Calls to billing in flight at once, at most.")
    crm_max_concurrency: int = Field(20, description="Calls to the CRM in flight at once, at most.")
    nomination_max_concurrency: int = Field(10, description="Calls to nomination in flight at once, at most.")

    # Cache (gateway.cache): TTLs per kind of data are in gateway/cache/policy.py.
    cache_enabled: bool = Field(
        True, description="Cache back-end reads across requests (off: every read is live)."
    )
    cache_stale_seconds: float = Field(
        600.0, description="Seconds past its TTL an entry may be served, flagged, while its back end is down."
    )

    # Persisted operations (gateway.http.persisted_queries).
    persisted_only: bool = Field(
        False, description="Run only the operations of the persisted query manifest (an allow-list)."
    )
    persisted_manifest: Path | None = Field(
        None, description="The front end's persisted operations, a JSON object {sha256 hash: document}."
    )

    # HTTP (gateway.http).
    max_body_bytes: int = Field(1_000_000, gt=0, description="Largest request body accepted; larger: 413.")
    metrics_token: SecretStr | None = Field(
        None, description="When set, GET /metrics needs Authorization: Bearer <this token>."
    )

    # Request budget (gateway.ratelimit): a request costs 1 + its fields weighted by page sizes.
    rate_limit_points: int = Field(
        DEFAULT_POLICY.capacity,
        ge=0,
        description="Points a user's or staff key's budget holds (an address: 5x); 0: none.",
    )
    rate_limit_refill: float = Field(
        DEFAULT_POLICY.refill, gt=0, description="Points a budget regains per second (an address: 5x)."
    )

    secret_key: SecretStr = SecretStr(DEMO_SECRET_KEY)
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    cookie_name: str = "portal_session"
    outbox_dir: Path = Field(Path("var/outbox"), description="Where mail is written, one .eml per mail.")
    email_verification_hours: int = 48
    cookie_secure: bool | None = Field(None, description="Secure cookies; default: on unless demo mode.")
    trusted_proxies: Annotated[list[IPvAnyNetwork], NoDecode] = Field(
        default_factory=list,
        description="Proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For is believed.",
    )
    password_hash_threads: int = Field(2, ge=1, description="Argon2 hashes or verifications at once.")
    password_hash_queue: int = Field(
        8, ge=0, description="Argon2 jobs that may wait for a thread; beyond them, RATE_LIMITED."
    )

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("payee_account")
    @classmethod
    def _czech_account(cls, value: str) -> str:
        czech_iban(value)  # refuses an account that fails its checks
        return value

    @field_validator("nomination_weekly_gate", "nomination_daily_gate")
    @classmethod
    def _days_before_gate(cls, value: str) -> str:
        parse_gate(value, days=DAYS_BEFORE)
        return value

    @field_validator("nomination_monthly_gate")
    @classmethod
    def _monthly_gate(cls, value: str) -> str:
        parse_gate(value, days=DAY_OF_MONTH)
        return value

    @model_validator(mode="after")
    def _allow_list_needs_manifest(self) -> Settings:
        if self.persisted_only and self.persisted_manifest is None:
            raise ValueError("GATEWAY_PERSISTED_ONLY needs GATEWAY_PERSISTED_MANIFEST (the allow-list)")
        return self

    @cached_property
    def gate_closure(self) -> GateClosureRules:
        return GateClosureRules.parse(
            weekly=self.nomination_weekly_gate,
            daily=self.nomination_daily_gate,
            monthly=self.nomination_monthly_gate,
        )

    @cached_property
    def allows_introspection(self) -> bool:
        return self.introspection if self.introspection is not None else self.demo

    @cached_property
    def secure_cookies(self) -> bool:
        return self.cookie_secure if self.cookie_secure is not None else not self.demo
