"""Single throttle attempts for tests, each reserved and settled at once, and a clock that
stands still until the test moves it."""

from __future__ import annotations

from gateway.throttle import LoginThrottle


async def check(throttle: LoginThrottle, *, login: str | None, address: str | None) -> None:
    """Reserve an attempt and release it unchecked: RateLimited while the key is locked."""
    async with throttle.attempt(login=login, address=address):
        pass


async def failed(throttle: LoginThrottle, *, login: str | None, address: str | None) -> None:
    async with throttle.attempt(login=login, address=address) as attempt:
        attempt.failed()


async def succeeded(throttle: LoginThrottle, *, login: str | None, address: str | None) -> None:
    async with throttle.attempt(login=login, address=address) as attempt:
        attempt.succeeded()


class Clock:
    """Unix seconds that stand still until the test moves them."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now
