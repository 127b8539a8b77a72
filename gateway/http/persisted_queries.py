"""Persisted operations on ``/graphql``: Apollo's automatic persisted queries and an allow-list.

A request names its document by hash in ``extensions``::

    {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<64 hex digits>"}}}

- hash, no ``query``: the stored document for the hash runs; an unknown hash answers
  ``PERSISTED_QUERY_NOT_FOUND`` (retryable: the client resends with the query);
- hash and ``query``: the SHA-256 of the query's UTF-8 text must be the hash (else
  ``BAD_USER_INPUT``, nothing stored); the query runs and, once it has parsed and
  validated, is stored under its hash;
- a version other than 1, a malformed hash, an oversized document: ``BAD_USER_INPUT``.

Documents are public (the same for every user), addressed by their content, so a copy
can never be stale: each process keeps the most recently used ones, bounded in count and
bytes, and with ``GATEWAY_REDIS_URL`` they are also shared by every replica in Redis
(bounded in count, expiring unused). A failing Redis is a miss, never a failed request:
the client resends the query (and while the gateway's Redis health, ``gateway.cache.shared_redis``,
has Redis down, it is not tried at all).

The front end's manifest (``GATEWAY_PERSISTED_MANIFEST``, JSON ``{hash: document}``) is
always known. With ``GATEWAY_PERSISTED_ONLY`` nothing else runs: an operation whose hash
(sent, or computed from the query) is not in the manifest answers
``PERSISTED_QUERY_NOT_FOUND``, and nothing is registered.

Which operation types a method may run is unchanged: a persisted mutation over GET is
still refused by Strawberry.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any, Protocol, cast

from redis.asyncio import Redis
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from gateway.cache.shared_redis import RedisHealth, SharedRedis
from gateway.errors import BadUserInput, PersistedQueryNotFound

log = logging.getLogger("gateway.persisted_queries")

MAX_DOCUMENT_BYTES = 100_000
LOCAL_MAX_DOCUMENTS = 2_000
LOCAL_MAX_BYTES = 20_000_000
SHARED_MAX_DOCUMENTS = 10_000
SHARED_TTL_SECONDS = 30 * 24 * 3600  # from the last registration
REDIS_PREFIX = "gw:apq:"

SUPPORTED_VERSION = 1
_HASH = re.compile(r"[0-9a-f]{64}")

Execute = Callable[[GraphQLRequestData], Awaitable[ExecutionResult]]


def document_hash(document: str) -> str:
    """The hash a client sends for ``document``: SHA-256 of its UTF-8 text, lowercase hex."""
    return hashlib.sha256(document.encode()).hexdigest()


def requested_hash(extensions: Mapping[str, Any] | None) -> str | None:
    """The hash in ``extensions.persistedQuery``; ``None`` when the request names none."""
    if not extensions or extensions.get("persistedQuery") is None:
        return None
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, Mapping):
        raise BadUserInput("extensions.persistedQuery must be an object.")
    if persisted.get("version") != SUPPORTED_VERSION:
        raise BadUserInput(f"Unsupported persisted query version; this gateway supports {SUPPORTED_VERSION}.")
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not _HASH.fullmatch(digest):
        raise BadUserInput("extensions.persistedQuery.sha256Hash must be 64 lowercase hex digits.")
    return digest


def load_manifest(path: Path) -> dict[str, str]:
    """The front end's ``{hash: document}``; ``ValueError`` unless every hash is its document's."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"persisted query manifest {path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise ValueError(f"persisted query manifest {path}: not a JSON object of hash: document")
    manifest: dict[str, str] = {}
    for digest, document in raw.items():
        if not isinstance(document, str) or document_hash(document) != digest:
            raise ValueError(
                f"persisted query manifest {path}: {digest!r} is not the SHA-256 of its document"
            )
        manifest[digest] = document
    return manifest


class DocumentStore(Protocol):
    async def get(self, digest: str) -> str | None: ...

    async def put(self, digest: str, document: str) -> None: ...


class LocalDocuments:
    """The most recently used documents of this process, bounded in count and in bytes."""

    def __init__(self, *, max_documents: int = LOCAL_MAX_DOCUMENTS, max_bytes: int = LOCAL_MAX_BYTES) -> None:
        self.max_documents = max_documents
        self.max_bytes = max_bytes
        self._documents: OrderedDict[str, str] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._documents)

    async def get(self, digest: str) -> str | None:
        document = self._documents.get(digest)
        if document is not None:
            self._documents.move_to_end(digest)
        return document

    async def put(self, digest: str, document: str) -> None:
        if digest in self._documents:
            self._documents.move_to_end(digest)
            return
        self._documents[digest] = document
        self._bytes += len(document)
        while len(self._documents) > self.max_documents or self._bytes > self.max_bytes:
            _, evicted = self._documents.popitem(last=False)
            self._bytes -= len(evicted)


class RedisDocuments:
    """Documents shared by every replica, behind this process's ``LocalDocuments``.

    ``gw:apq:doc:<hash>`` holds a document for ``SHARED_TTL_SECONDS`` after its last
    registration; ``gw:apq:index`` (hash by registration time) keeps the count at
    ``max_documents``, dropping the oldest registrations first.
    """

    def __init__(
        self,
        redis: Redis,
        *,
        local: LocalDocuments | None = None,
        max_documents: int = SHARED_MAX_DOCUMENTS,
        ttl: int = SHARED_TTL_SECONDS,
        clock: Callable[[], float] = time.time,
        prefix: str = REDIS_PREFIX,
        health: RedisHealth | None = None,
    ) -> None:
        self.redis = redis
        self.health = health or RedisHealth(name="persisted query store")
        self.prefix = prefix
        self.index = f"{prefix}index"
        self.local = local or LocalDocuments()
        self.max_documents = max_documents
        self.ttl = ttl
        self.clock = clock

    def key(self, digest: str) -> str:
        return f"{self.prefix}doc:{digest}"

    async def get(self, digest: str) -> str | None:
        document = await self.local.get(digest)
        if document is not None:
            return document

        async def miss() -> Any:
            return None

        # a failing store is a miss: the client resends the query
        raw = await self.health.call("persisted_queries", lambda: self.redis.get(self.key(digest)), miss)
        if raw is None:
            return None
        document = raw.decode() if isinstance(raw, bytes) else str(raw)
        if document_hash(document) != digest:  # never run what the hash does not name
            log.error("persisted query store: the document under %s has another hash", digest)
            return None
        await self.local.put(digest, document)
        return document

    async def put(self, digest: str, document: str) -> None:
        await self.local.put(digest, document)

        async def kept_here() -> None:  # the operation still ran; the next client resends the query
            return None

        await self.health.call("persisted_queries", lambda: self._share(digest, document), kept_here)

    async def _share(self, digest: str, document: str) -> None:
        now = self.clock()
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(self.key(digest), document, ex=self.ttl)
            pipe.zadd(self.index, {digest: now})
            pipe.zremrangebyscore(self.index, "-inf", now - self.ttl)
            pipe.zcard(self.index)
            *_, count = await pipe.execute()
        excess = int(count) - self.max_documents
        if excess > 0:
            oldest: list[tuple[bytes, float]] = cast(Any, await self.redis.zpopmin(self.index, excess))
            names = [member.decode() for member, _ in oldest]
            if names:
                await self.redis.delete(*(self.key(name) for name in names))


@dataclasses.dataclass(frozen=True, slots=True)
class PersistedQueries:
    store: DocumentStore
    manifest: Mapping[str, str] = dataclasses.field(default_factory=dict)
    persisted_only: bool = False

    async def execute(self, request: GraphQLRequestData, execute: Execute) -> ExecutionResult:
        """Run ``request`` through ``execute`` with its persisted document, registering a new one.

        Raises ``PersistedQueryNotFound`` or ``BadUserInput`` for the caller to answer in the
        gateway's error format.
        """
        digest = requested_hash(request.extensions)
        query = request.query or None
        if digest is None and not self.persisted_only:
            return await execute(request)
        if query is None:
            if digest is None:  # no query at all: Strawberry's own answer
                return await execute(request)
            document = self.manifest.get(digest)
            if document is None and not self.persisted_only:
                document = await self.store.get(digest)
            if document is None:
                raise PersistedQueryNotFound(retryable=not self.persisted_only)
            return await execute(dataclasses.replace(request, query=document))
        computed = document_hash(query)
        if digest is not None and computed != digest:
            raise BadUserInput("The query's SHA-256 does not match extensions.persistedQuery.sha256Hash.")
        if self.persisted_only or computed in self.manifest:
            if computed not in self.manifest:
                raise PersistedQueryNotFound(
                    "This operation is not among the persisted operations this gateway runs.",
                    retryable=False,
                )
            return await execute(request)
        if len(query.encode()) > MAX_DOCUMENT_BYTES:
            raise BadUserInput(f"The document is too large to persist (at most {MAX_DOCUMENT_BYTES} bytes).")
        result = await execute(request)
        if _ran(result):
            await self.store.put(computed, query)
        return result


def _ran(result: ExecutionResult) -> bool:
    """Whether the document parsed and validated (a request error has no path)."""
    return result.data is not None or not any(error.path is None for error in result.errors or ())


def open_persisted_queries(
    shared: SharedRedis | None, *, manifest: Path | None = None, persisted_only: bool = False
) -> PersistedQueries:
    """Persisted queries for the app's lifetime: shared through Redis when it is configured."""
    documents = load_manifest(manifest) if manifest is not None else {}
    if shared is None:
        return PersistedQueries(LocalDocuments(), documents, persisted_only)
    return PersistedQueries(RedisDocuments(shared.client, health=shared.health), documents, persisted_only)
