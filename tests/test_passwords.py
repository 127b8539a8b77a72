from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Literal

import pytest
from argon2 import PasswordHasher, Type

from gateway import passwords
from gateway.errors import BadUserInput, RateLimited
from gateway.metrics import Metrics

PASSWORD = "Demo-heslo-2026"


def test_hashes_are_argon2id_salted_and_verify() -> None:
    first = passwords.hash_password(PASSWORD)
    second = passwords.hash_password(PASSWORD)

    assert first.startswith("$argon2id$v=19$")
    assert first != second
    assert PASSWORD not in first
    assert passwords.verify_password(first, PASSWORD)
    assert passwords.verify_password(second, PASSWORD)


def test_a_wrong_password_does_not_verify() -> None:
    hashed = passwords.hash_password(PASSWORD)

    assert not passwords.verify_password(hashed, PASSWORD + "x")
    assert not passwords.verify_password(hashed, "")


def test_a_malformed_hash_is_a_mismatch_and_needs_rehash() -> None:
    assert not passwords.verify_password("not a hash", PASSWORD)
    assert passwords.needs_rehash("not a hash")


def test_only_hashes_with_other_parameters_or_variant_need_rehash() -> None:
    current = passwords.hash_password(PASSWORD)
    weaker = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1, type=Type.ID).hash(PASSWORD)
    argon2i = PasswordHasher(type=Type.I).hash(PASSWORD)

    assert not passwords.needs_rehash(current)
    assert passwords.needs_rehash(weaker)
    assert passwords.needs_rehash(argon2i)
    assert passwords.verify_password(weaker, PASSWORD)


def test_the_default_parameters_are_at_least_rfc_9106_low_memory() -> None:
    parameters = passwords.HASHER
    assert parameters.type is Type.ID
    assert parameters.memory_cost >= 64 * 1024
    assert parameters.time_cost >= 3


def test_the_dummy_hash_matches_no_ordinary_password_and_has_current_parameters() -> None:
    dummy = passwords.dummy_hash()

    assert not passwords.verify_password(dummy, PASSWORD)
    assert not passwords.verify_password(dummy, "")
    assert not passwords.needs_rehash(dummy)


class CountingHasher(PasswordHasher):
    """A fast real hasher that records in which thread each verification ran."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
        self.verified: list[tuple[str, str]] = []  # (hash, thread name)

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.verified.append(
            (hash if isinstance(hash, str) else hash.decode(), threading.current_thread().name)
        )
        return super().verify(hash, password)


@pytest.fixture
def counting_hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingHasher]:
    hasher = CountingHasher()
    monkeypatch.setattr(passwords, "HASHER", hasher)
    passwords.dummy_hash.cache_clear()
    yield hasher
    passwords.dummy_hash.cache_clear()


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
def hashing(metrics: Metrics) -> Iterator[passwords.PasswordHashing]:
    hashing = passwords.PasswordHashing(threads=1, queue=1, metrics=metrics)
    yield hashing
    hashing.close()


def checks(metrics: Metrics, outcome: str) -> float:
    return metrics.registry.get_sample_value("gateway_password_checks_total", {"outcome": outcome}) or 0.0


async def test_verification_runs_in_the_hashing_threads_not_on_the_event_loop(
    counting_hasher: CountingHasher, hashing: passwords.PasswordHashing
) -> None:
    stored = counting_hasher.hash(PASSWORD)

    assert await hashing.verify(stored, PASSWORD)
    assert not await hashing.verify(stored, "not-the-password")
    assert [thread for _, thread in counting_hasher.verified] == ["argon2_0", "argon2_0"]


async def test_an_unknown_login_verifies_the_dummy_hash_and_never_matches(
    counting_hasher: CountingHasher, hashing: passwords.PasswordHashing
) -> None:
    assert not await hashing.verify(None, PASSWORD)
    assert [stored for stored, _ in counting_hasher.verified] == [passwords.dummy_hash()]


async def test_hashing_beyond_its_threads_and_queue_is_refused_at_once(
    counting_hasher: CountingHasher, hashing: passwords.PasswordHashing, metrics: Metrics
) -> None:
    # given: one thread and one waiting place
    stored = counting_hasher.hash(PASSWORD)

    # when: five at once
    results = await asyncio.gather(
        *(hashing.verify(stored, PASSWORD) for _ in range(5)), return_exceptions=True
    )

    # then: two ran, three were refused without running
    assert results[:2] == [True, True]
    assert all(isinstance(result, RateLimited) and result.retry_after > 0 for result in results[2:])
    assert len(counting_hasher.verified) == 2
    assert (checks(metrics, "run"), checks(metrics, "refused")) == (2, 3)
    assert await hashing.verify(stored, PASSWORD)  # the places were given back


async def test_an_overlong_password_is_refused_and_never_hashed(
    counting_hasher: CountingHasher, hashing: passwords.PasswordHashing, metrics: Metrics
) -> None:
    stored = counting_hasher.hash(PASSWORD)
    overlong = "x" * (passwords.MAX_PASSWORD_LENGTH + 1)

    with pytest.raises(BadUserInput):
        await hashing.verify(stored, overlong)
    with pytest.raises(BadUserInput):
        await hashing.hash(overlong)

    assert counting_hasher.verified == []
    assert checks(metrics, "run") == 0
    assert "at most 128 characters" in " ".join(passwords.password_problems(overlong, login="novak"))
