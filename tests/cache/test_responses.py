"""The response cache's in-process store: bounded in bytes, dropped by tag, and never keeping
an answer whose execution raced a drop."""

from __future__ import annotations

from gateway.cache.policy import Kind
from gateway.cache.responses import Hit, MemoryResponses, Reads, response_key


def hit(body: bytes, numbers: tuple[str, ...] = ("1000012345",)) -> Hit:
    return Hit(body=body, numbers=numbers, label="Q", name="Q", cost=3)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


async def kept(store: MemoryResponses, key: str, answer: Hit, tags: list[str], seconds: float = 15) -> None:
    lookup = await store.lookup(key)
    assert lookup.hit is None
    await store.keep(key, answer, tags, seconds=seconds, epoch=lookup.epoch)


async def test_an_answer_is_served_until_its_lifetime_ends() -> None:
    clock = Clock()
    store = MemoryResponses(10_000, clock=clock)
    await kept(store, "a", hit(b'{"data":1}'), ["c:1"])

    clock.now += 14.9
    served = (await store.lookup("a")).hit
    clock.now += 0.2
    expired = (await store.lookup("a")).hit

    assert served is not None and served.body == b'{"data":1}' and served.cost == 3
    assert served.numbers == ("1000012345",) and served.label == "Q"
    assert expired is None


async def test_the_least_recently_used_answers_go_first_past_the_byte_bound() -> None:
    probe = MemoryResponses(10_000, clock=Clock())
    await kept(probe, "a", hit(b"x" * 200), ["c:a"])
    size = probe.bytes  # of one answer with its metadata
    store = MemoryResponses(4 * size + size // 2, clock=Clock())
    for key in "abcd":
        await kept(store, key, hit(b"x" * 200), [f"c:{key}"])
    assert (await store.lookup("a")).hit is not None  # a used last now

    await kept(store, "e", hit(b"x" * 200), ["c:e"])

    assert store.bytes == 4 * size and len(store) == 4
    assert (await store.lookup("b")).hit is None
    assert all([(await store.lookup(key)).hit is not None for key in "acde"])


async def test_an_answer_larger_than_the_bound_is_not_kept() -> None:
    store = MemoryResponses(100, clock=Clock())
    await kept(store, "a", hit(b"x" * 200), ["c:a"])
    assert (await store.lookup("a")).hit is None and store.bytes == 0


async def test_a_drop_removes_every_answer_of_its_tags_and_only_those() -> None:
    store = MemoryResponses(10_000, clock=Clock())
    await kept(store, "novak", hit(b"1"), ["c:1000012345", "u:1"])
    await kept(store, "poradce", hit(b"2"), ["c:1000012345", "u:5"])
    await kept(store, "pekarna", hit(b"3"), ["c:2000034567", "u:3"])

    await store.drop(["c:1000012345"])

    assert (await store.lookup("novak")).hit is None and (await store.lookup("poradce")).hit is None
    assert (await store.lookup("pekarna")).hit is not None
    await store.drop(["u:3"])
    assert (await store.lookup("pekarna")).hit is None and len(store) == 0 and store.bytes == 0


async def test_an_answer_that_raced_a_drop_is_not_kept() -> None:
    store = MemoryResponses(10_000, clock=Clock())
    lookup = await store.lookup("a")  # before execution

    await store.drop(["c:1000012345"])  # a write lands while the query runs
    await store.keep("a", hit(b"old"), ["c:1000012345"], seconds=15, epoch=lookup.epoch)

    assert (await store.lookup("a")).hit is None


def test_the_key_changes_with_every_part() -> None:
    base = ("s:1", [1, "novak", [["1000012345", "OWNER", ["VIEW_BILLING"]]]], "{ q }", "Q", {"n": "1"})
    variants = [
        ("s:2", *base[1:]),
        (base[0], [1, "novak", [["1000012345", "DELEGATE", ["VIEW_BILLING"]]]], *base[2:]),
        (*base[:2], "{ q2 }", *base[3:]),
        (*base[:3], "Other", base[4]),
        (*base[:4], {"n": "2"}),
    ]
    keys = {response_key(*base), *(response_key(*variant) for variant in variants)}
    assert len(keys) == 1 + len(variants)
    assert response_key(*base) == response_key(base[0], base[1], base[2], base[3], {"n": "1"})


def test_an_answers_lifetime_is_the_shortest_ttl_of_what_it_read() -> None:
    reads = Reads()
    assert reads.lifetime() == 15.0  # only the store read: the shortest TTL
    reads.kinds.update({Kind.TECHNICAL, Kind.MASTER})
    assert reads.lifetime() == 300.0
    reads.limit(60.0)
    assert reads.lifetime() == 60.0
    reads.kinds.add(Kind.BILLING)
    assert reads.lifetime() == 15.0
