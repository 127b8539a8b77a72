"""The session, its user and grants, kept per token between requests until anything changes.

Every logged-in request needs its viewer (``gateway.sessions``): one statement, which on
SQLite costs more than the rest of a response-cache hit. The answer is kept per token and
reused while both hold:

- **Nothing was written since.** Every statement that writes the tables a viewer is made of
  (``users``, ``sessions``, ``customer_access``) bumps an epoch, through the engine's own
  events (``watch``), so no code path can forget it: once when the statement runs and again
  when its connection goes back to the pool (after the commit). A viewer is kept with the
  epoch read *before* its statement ran, so an answer read across a write is never reused.
  With Redis the epoch is also a Redis counter (``INCR`` after the commit, before the
  writing request answers; read on every request), so a revocation, logout or password
  change on one replica holds on every replica from the next request on. Redis down: nothing
  is reused (every request runs the statement, as before), and bumps that failed are
  replayed first when it answers again.
- **Nothing expired.** ``holds_until`` of the statement's answer: the next ``last_seen_at``
  write (every 30 s: the idle clock still runs), the session's absolute end, the first grant
  to expire, measured by the services' clock.

The idle clock's own write (``last_seen_at``) is marked ``viewer_neutral`` and does not bump;
nor does a new session's INSERT (a login changes no viewer kept: each is kept by its own token).
Without Redis the cache lives in the process only: it is on only with one worker process
(as the response cache, which assumes the same).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.cache.shared_redis import FAILURES, SharedRedis
from gateway.context import Viewer

log = logging.getLogger("gateway.sessions")

EPOCH_KEY = "gateway:viewers:epoch"
DEFAULT_MAX_ENTRIES = 10_000
# A write to what a viewer is made of. Generous on purpose: a needless bump costs one
# statement per session, a missed one would be a revocation that does not hold.
_VIEWER_TABLES = re.compile(r"\b(users|sessions|customer_access)\b", re.IGNORECASE)
_READ = re.compile(r"^\s*(SELECT|PRAGMA|SHOW|SET|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)
# A new session (a login) changes no viewer kept: each is kept by its own token, and a new row
# has a token nobody held. Without this, every login anywhere would drop every kept viewer.
_NEW_SESSION = re.compile(r'^\s*INSERT\s+INTO\s+"?sessions"?\s', re.IGNORECASE)
_WROTE = "gateway_viewer_write"

Epoch = tuple[int, bytes | None]


class SessionCache:
    """Viewers by token (in this process's memory only, as every request's token is),
    bounded to ``max_entries`` (the oldest go first)."""

    def __init__(self, redis: SharedRedis | None = None, *, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self.redis = redis
        self.max_entries = max_entries
        self.local = 0  # bumped at once by every write in this process
        self._published = 0  # the local bumps Redis has been told of
        self._publishing = asyncio.Lock()
        self._entries: OrderedDict[str, tuple[Epoch, dt.datetime, Viewer]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def bump(self) -> None:
        """A write to users, sessions or grants ran or committed (called by the engine's events)."""
        self.local += 1
        self._entries.clear()

    @property
    def pending(self) -> bool:
        """Bumps Redis has not yet been told of."""
        return self.redis is not None and self._published != self.local

    async def publish(self) -> None:
        """Tell the other replicas (Redis) of this process's bumps, before the writing request
        answers. Failed: retried by the next ``publish`` or ``epoch`` call."""
        if self.redis is None:
            return
        target = self.local
        async with self._publishing:
            if self._published >= target:
                return
            target = self.local
            redis = self.redis
            try:
                await redis.health.attempt(lambda: redis.client.incr(EPOCH_KEY))
            except FAILURES as error:
                log.warning("session cache: a change not yet shared with the other replicas (%s)", error)
                return
            self._published = target

    async def epoch(self) -> Epoch | None:
        """What the viewers kept now must have been read under; None when it cannot be known
        (Redis down, or a bump of this process not yet shared): then nothing is reused."""
        if self.redis is None:
            return (self.local, None)
        if self.pending:
            await self.publish()
            if self.pending:
                return None
        local = self.local
        redis = self.redis
        try:
            values = await redis.health.attempt(lambda: redis.reads.mget([EPOCH_KEY]))
        except FAILURES:
            return None
        return (local, values[0] or b"")

    async def lookup(self, token: str, now: dt.datetime) -> tuple[Viewer | None, Epoch | None]:
        """The viewer kept for ``token`` if it still holds, and the epoch to keep a fresh one under."""
        epoch = await self.epoch()
        if epoch is None:
            return None, None
        entry = self._entries.get(token)
        if entry is not None:
            if entry[0] == epoch and now < entry[1]:
                return entry[2], epoch
            del self._entries[token]
        return None, epoch

    async def lookup_reading(
        self, token: str, now: dt.datetime, keys_for: Callable[[Viewer], Sequence[str]]
    ) -> tuple[Viewer | None, Epoch | None, list[bytes | None] | None]:
        """``lookup``, and with Redis the values of ``keys_for(viewer)`` for the viewer kept, read
        in the same round trip as the epoch (a response-cache hit: one round trip in all). The
        values are None when not read: no viewer kept, no Redis, or the viewer kept no longer holds."""
        entry = self._entries.get(token)
        redis = self.redis
        if redis is None or entry is None or self.pending or not now < entry[1] or entry[0][0] != self.local:
            viewer, epoch = await self.lookup(token, now)
            return viewer, epoch, None
        keys = [EPOCH_KEY, *keys_for(entry[2])]
        local = self.local
        try:
            values = await redis.health.attempt(lambda: redis.reads.mget(keys))
        except FAILURES:
            return None, None, None
        epoch = (local, values[0] or b"")
        if epoch == entry[0]:
            return entry[2], epoch, values[1:]
        if self._entries.get(token) is entry:
            del self._entries[token]
        return None, epoch, None

    def keep(self, token: str, viewer: Viewer, holds_until: dt.datetime | None, epoch: Epoch) -> None:
        """``viewer`` as the statement answered it under ``epoch`` (read before it ran), until
        ``holds_until`` at the latest."""
        if holds_until is None or epoch[0] != self.local:
            return
        self._entries[token] = (epoch, holds_until, viewer)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def watch(self, engine: AsyncEngine) -> None:
        """Bump on every write ``engine`` runs to users, sessions or grants, and again when
        its connection is returned (after its commit or rollback)."""
        sync_engine: Engine = engine.sync_engine

        def before_cursor_execute(  # noqa: PLR0917 - SQLAlchemy's signature
            conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
        ) -> None:
            if (
                _READ.match(statement)
                or not _VIEWER_TABLES.search(statement)
                or _NEW_SESSION.match(statement)
            ):
                return
            if context is not None and context.execution_options.get("viewer_neutral"):
                return
            conn.info[_WROTE] = True
            self.bump()

        def checkin(dbapi_connection: Any, record: Any) -> None:
            if record is not None and record.info.pop(_WROTE, False):
                self.bump()

        event.listen(sync_engine, "before_cursor_execute", before_cursor_execute)
        event.listen(sync_engine.pool, "checkin", checkin)
