"""Settings, read from the environment (prefix ``GATEWAY_``) or a ``.env`` file.

README.md has the table of every setting; keep the two in step. ``load_settings`` is how
the command line reads them: a bad value is one ``SettingsError`` line per setting, naming
its variable, never a traceback; ``unknown_variables`` finds misspelt names.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from dotenv import dotenv_values
from pydantic import Field, IPvAnyNetwork, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from gateway.domain.qr_payment import czech_iban
from gateway.nomination.validation import DAY_OF_MONTH, DAYS_BEFORE, GateClosureRules, parse_gate
from gateway.ratelimit.buckets import DEFAULT_POLICY

DEMO_SECRET_KEY = "change-me-outside-demo"  # noqa: S105 -- refused outside demo mode (app.create_app)
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
DATABASE_URL_FORMS = "use sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER:PASSWORD@HOST:PORT/DB"
ENV_PREFIX = "GATEWAY_"
ENV_FILE = ".env"
# The drivers the store runs on (gateway.store.db): async SQLAlchemy dialects only.
DATABASE_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
# GATEWAY_* names that are not settings but are read elsewhere (the test suite's servers).
NOT_SETTINGS_PREFIXES = ("GATEWAY_TEST_",)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=ENV_FILE, extra="ignore")

    host: str = Field("127.0.0.1", description="Address gateway serve listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port gateway serve listens on.")
    workers: int | None = Field(
        None,
        ge=1,
        description="Worker processes of gateway serve; default: the CPU cores with Redis, else 1.",
    )
    demo: bool = Field(False, description="Demo mode: seed the demo accounts, relax Secure cookies.")
    graphiql: bool = Field(True, description="Serve GraphiQL at GET /graphql to browsers.")
    dashboard: bool = Field(
        False,
        description="Serve the example staff dashboard at GET /dashboard (a page on the public "
        "GraphQL API with a staff key); on in gateway demo unless set.",
    )
    introspection: bool | None = Field(
        None, description="Introspection and 'Did you mean' suggestions; default: on only in demo mode."
    )
    log_level: str = Field("info", description="critical, error, warning, info, debug or trace.")
    log_format: Literal["json", "text"] | None = Field(
        None, description="Log lines as JSON objects or as text; default: json for serve, text for demo."
    )

    database_url: str = Field(
        "sqlite+aiosqlite:///var/gateway.db",
        description="The account store: sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER@HOST/DB.",
    )
    database_startup_seconds: float = Field(
        30.0, ge=0, description="At start-up, seconds to keep trying a database that does not answer."
    )
    redis_url: str | None = Field(
        None, description="Shared cache, throttling, budgets and persisted queries; unset: in-process."
    )
    redis_timeout: float = Field(
        1.0, gt=0, description="Seconds Redis has to connect or answer a call before it counts as down."
    )
    redis_retry_seconds: float = Field(
        5.0, gt=0, description="While Redis is down, seconds between tries (local fallbacks serve meanwhile)."
    )

    billing_url: str = Field("http://127.0.0.1:8101/soap", description="Billing's SOAP endpoint.")
    billing_username: str = Field("portal-gw", description="Billing's WS-Security user.")
    billing_password: SecretStr = Field(SecretStr("billing-secret"), description="Billing's password.")
    billing_timeout: float = Field(5.0, gt=0, description="Seconds per call to billing.")
    payee_account: str = Field(
        "2000145399/0800",
        description="The supplier's collection account (the one billing prints on its invoices): "
        "the payee of every QR payment.",
    )

    crm_url: str = Field("http://127.0.0.1:8102", description="The CRM's REST base URL.")
    crm_api_key: SecretStr = Field(SecretStr("crm-demo-key"), description="Sent to the CRM as X-Api-Key.")
    crm_timeout: float = Field(5.0, gt=0, description="Seconds per call to the CRM.")

    nomination_url: str = Field("http://127.0.0.1:8103/soap", description="Nomination's SOAP endpoint.")
    nomination_username: str = Field("portal-gw", description="Nomination's WS-Security user.")
    nomination_password: SecretStr = Field(
        SecretStr("nomination-secret"), description="Nomination's password."
    )
    nomination_timeout: float = Field(5.0, gt=0, description="Seconds per call to nomination.")
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

    idempotency_lease_seconds: float = Field(
        60.0,
        gt=0,
        description="Seconds an unfinished idempotent mutation holds its key; then a retry takes it over.",
    )

    # Cache (gateway.cache): TTLs per kind of data are in gateway/cache/policy.py.
    cache_enabled: bool = Field(
        True, description="Cache back-end reads across requests (off: every read is live)."
    )
    response_cache_bytes: int = Field(
        64 * 1024 * 1024,
        ge=0,
        description="Bytes of whole answers kept per process (gateway.cache.responses); 0: off. "
        "In Redis when GATEWAY_REDIS_URL is set. Off with the cache (GATEWAY_CACHE_ENABLED=false).",
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

    secret_key: SecretStr = Field(
        SecretStr(DEMO_SECRET_KEY), description="Signs document links; required outside demo mode."
    )
    session_idle_minutes: int = Field(30, ge=1, description="A session unused this long ends.")
    session_absolute_hours: int = Field(12, ge=1, description="A session ends this long after login.")
    cookie_name: str = Field("portal_session", description="The session cookie's name.")
    outbox_dir: Path = Field(Path("var/outbox"), description="Where mail is written, one .eml per mail.")
    email_verification_hours: int = Field(48, ge=1, description="How long an e-mail token is valid.")
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

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = value.strip().lower()
        if level not in LOG_LEVELS:
            raise ValueError(f"not a log level; one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except (ArgumentError, ValueError):
            raise ValueError(f"not a database URL; {DATABASE_URL_FORMS}") from None
        if url.drivername not in DATABASE_DRIVERS:
            raise ValueError(f"the driver {url.drivername!r} is not supported; {DATABASE_URL_FORMS}")
        if url.drivername.startswith("postgresql") and not url.database:
            raise ValueError(f"names no database; {DATABASE_URL_FORMS}")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(REDIS_SCHEMES):
            raise ValueError("not a Redis URL; redis://HOST:PORT/DB, rediss://... or unix://PATH")
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
    def worker_processes(self) -> int:
        """``workers``; unset, one per CPU core this process may run on when Redis is
        configured, else one: without Redis, login throttling, request budgets and the caches
        live in each process, so several workers would each allow the limit and serve what
        another worker's write has changed."""
        if self.workers:
            return self.workers
        return (len(os.sched_getaffinity(0)) or 1) if self.redis_url else 1

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


class SettingsError(Exception):
    """Settings that cannot run: one line per problem, each naming its variable."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def variable(field: str) -> str:
    return f"{ENV_PREFIX}{field.upper()}"


def _shown(field: str, value: object) -> str:
    """The value as the user gave it, unless it is (or may hold) a secret."""
    annotation = str(Settings.model_fields[field].annotation) if field in Settings.model_fields else ""
    if "SecretStr" in annotation or not isinstance(value, str | int | float):
        return ""
    text = str(value)
    if field.endswith("_url") and "@" in text:
        scheme, _, rest = text.partition("://")
        text = f"{scheme}://***@{rest.rpartition('@')[2]}"  # the password, if any, stays out
    return f"={text!r}" if len(text) <= 200 else ""


def _problems(error: ValidationError) -> list[str]:
    problems = []
    for detail in error.errors(include_url=False):
        message = str(detail["msg"]).removeprefix("Value error, ")
        if detail["loc"]:
            field = str(detail["loc"][0])
            problems.append(f"{variable(field)}{_shown(field, detail.get('input'))}: {message}")
        else:  # a rule across settings: its message names the variables
            problems.append(message)
    return problems


def load_settings(**overrides: Any) -> Settings:
    """``Settings`` from the environment and ``.env``, or ``SettingsError``."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise SettingsError(_problems(error)) from None


def serving_problems(settings: Settings) -> list[str]:
    """What stops these settings from serving, besides values that do not parse."""
    if not settings.demo and settings.secret_key.get_secret_value() == DEMO_SECRET_KEY:
        return [
            "GATEWAY_SECRET_KEY: not set; outside demo mode (GATEWAY_DEMO=false) it must be a secret "
            "of your own (it signs the links to documents), e.g. from: python -c "
            "'import secrets; print(secrets.token_urlsafe(32))'"
        ]
    return []


def unknown_variables(environ: Mapping[str, str] | None = None, env_file: str | Path = ENV_FILE) -> list[str]:
    """A warning for each ``GATEWAY_*`` variable (in the environment or ``.env``) that is not a setting."""
    names = {variable(field) for field in Settings.model_fields}
    given = dict(os.environ if environ is None else environ)
    if Path(env_file).is_file():
        given.update({key: value or "" for key, value in dotenv_values(env_file).items()})
    warnings = []
    for name in sorted(given):
        upper = name.upper()
        if not upper.startswith(ENV_PREFIX) or upper in names or upper.startswith(NOT_SETTINGS_PREFIXES):
            continue
        close = difflib.get_close_matches(upper, names, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        warnings.append(f"{name} is not a setting{hint}; it is ignored")
    return warnings
