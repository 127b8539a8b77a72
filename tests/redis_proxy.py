"""A TCP proxy in front of the test Redis, so a test can make Redis vanish and come back for
real (refused connections, dropped ones) without touching the server others share."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import pytest

REDIS_URL_VARIABLE = "GATEWAY_TEST_REDIS_URL"


class RedisProxy:
    """Forwards 127.0.0.1:``port`` to the test Redis while open; closed, the port refuses
    connections and every connection it carried is reset."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 6379)
        self.target_url = url
        self._parts = parts
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.stalled = False  # connections stay open, but nothing gets through (a hung Redis)
        self.writes = 0  # what clients sent, as it came in: a command or a pipeline is one

    @property
    def url(self) -> str:
        """The test Redis's URL (same database and password), through this proxy."""
        netloc = self._parts.netloc.rsplit("@", 1)
        auth = f"{netloc[0]}@" if len(netloc) == 2 else ""
        return urlunsplit(self._parts._replace(netloc=f"{auth}127.0.0.1:{self.port}"))

    async def open(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        """Redis vanishes: no new connections, the open ones reset."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()
        await asyncio.sleep(0)

    async def _serve(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.transport.abort()
            return
        self._writers.update((client_writer, upstream_writer))

        async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, counted: bool) -> None:
            try:
                while data := await reader.read(65536):
                    if self.stalled:
                        continue
                    self.writes += counted
                    writer.write(data)
                    await writer.drain()
            except (OSError, asyncio.IncompleteReadError):
                pass
            finally:
                writer.transport.abort()
                self._writers.discard(writer)

        await asyncio.gather(
            pipe(client_reader, upstream_writer, counted=True),
            pipe(upstream_reader, client_writer, counted=False),
        )


@contextlib.asynccontextmanager
async def redis_proxy() -> AsyncIterator[RedisProxy]:
    """An open proxy to ``GATEWAY_TEST_REDIS_URL`` (the test skips when it is unset)."""
    url = os.environ.get(REDIS_URL_VARIABLE)
    if not url:
        pytest.skip(f"{REDIS_URL_VARIABLE} is not set")
    proxy = RedisProxy(url)
    await proxy.open()
    try:
        yield proxy
    finally:
        await proxy.close()
