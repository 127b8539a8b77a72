"""Concurrent misses of one key share one back-end call (within this process).

The first miss of a key ``claim``s it and loads it; misses of the same key that arrive
while that load is running ``wait`` for its result instead of calling the back end.
Across replicas each process loads once; the shared Redis cache then serves the rest.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SingleFlight(Generic[K, V]):
    def __init__(self) -> None:
        self._flights: dict[K, asyncio.Future[V]] = {}

    def split(self, keys: Iterable[K]) -> tuple[list[K], dict[K, asyncio.Future[V]]]:
        """``(keys this caller now owns and must load, futures of keys already in flight)``."""
        owned: list[K] = []
        waiting: dict[K, asyncio.Future[V]] = {}
        loop = asyncio.get_running_loop()
        for key in keys:
            flight = self._flights.get(key)
            if flight is not None:
                waiting[key] = flight
            elif key not in owned:
                self._flights[key] = loop.create_future()
                owned.append(key)
        return owned, waiting

    def resolve(self, key: K, value: V) -> None:
        flight = self._flights.pop(key, None)
        if flight is not None and not flight.done():
            flight.set_result(value)

    def fail(self, key: K, error: BaseException) -> None:
        flight = self._flights.pop(key, None)
        if flight is not None and not flight.done():
            flight.set_exception(error)
            flight.exception()  # whoever waits will see it; no "never retrieved" warning if nobody does

    def fail_all(self, keys: Iterable[K], error: BaseException) -> None:
        for key in keys:
            self.fail(key, error)
