"""A lean HTTP/1.1 keep-alive client for the latency figures.

httpx costs about a millisecond a request on this machine, as much as the thing measured;
this client writes the request and reads a ``Content-Length`` response off one kept-alive
connection, so the figures are the gateway's and not the client's.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any


class GraphQLConnection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str) -> None:
        self._reader, self._writer, self._host = reader, writer, host
        self.headers: dict[str, str] = {}

    @classmethod
    async def open(cls, host: str, port: int) -> GraphQLConnection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer, f"{host}:{port}")

    async def post(self, payload: dict[str, Any]) -> dict[str, Any]:
        """POST ``payload`` to /graphql; the decoded JSON answer."""
        body = json.dumps(payload).encode()
        head = [
            "POST /graphql HTTP/1.1",
            f"Host: {self._host}",
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
            *(f"{name}: {value}" for name, value in self.headers.items()),
        ]
        self._writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await self._writer.drain()
        status_line, *header_lines = (await self._reader.readuntil(b"\r\n\r\n")).decode().split("\r\n")
        length = next(
            int(line.partition(":")[2]) for line in header_lines if line.lower().startswith("content-length:")
        )
        answer: dict[str, Any] = json.loads(await self._reader.readexactly(length))
        if not status_line.startswith("HTTP/1.1 200"):
            raise RuntimeError(f"the gateway answered {status_line}: {answer}")
        return answer

    async def close(self) -> None:
        self._writer.close()
        await self._writer.wait_closed()
