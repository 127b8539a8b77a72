from __future__ import annotations

from argon2 import PasswordHasher, Type

from gateway import passwords

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
