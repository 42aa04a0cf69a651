"""The result cache: per version, computed once under concurrency, bounded in bytes, year
windows rationed."""

from __future__ import annotations

import sys
import threading
import time

from graphsvc.cache import ResultCache, deep_size, year_windows


def test_cached_per_version():
    version = [1]
    cache = ResultCache(lambda: version[0])
    assert cache.get("x", lambda: "a") == "a"
    assert cache.get("x", lambda: "b") == "a"
    version[0] = 2
    assert cache.get("x", lambda: "c") == "c"
    assert cache.computed == 2


def test_concurrent_requests_compute_once():
    cache = ResultCache(lambda: 1)
    calls = []
    start = threading.Barrier(8)

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return 42

    results = []

    def worker():
        start.wait()
        results.append(cache.get("slow", slow))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 8
    assert len(calls) == 1


def test_least_recently_used_goes_first():
    cache = ResultCache(lambda: 1, max_bytes=2, sizeof=lambda value: 1)
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)
    cache.get("a", lambda: 0)
    cache.get("c", lambda: 3)
    assert cache.get("b", lambda: 20) == 20
    assert cache.get("a", lambda: 10) == 10


def test_bounded_by_bytes_not_entries():
    cache = ResultCache(lambda: 1, max_bytes=2500, sizeof=len)
    for key in "abc":
        cache.get(key, lambda: b"x" * 1000)
    assert cache.bytes == 2000  # "a" went to make room for "c"
    assert cache.get("a", lambda: b"new") == b"new"  # computed again: it was dropped
    assert cache.bytes == 2003  # "b", "c" and the new "a"
    # a value larger than the whole cache is returned, never kept
    assert cache.get("big", lambda: b"y" * 3000) == b"y" * 3000
    assert cache.get("big", lambda: b"z") == b"z"
    assert cache.computed == 6


def test_year_windows_beyond_the_ration_are_computed_but_not_kept():
    version = [1]
    cache = ResultCache(lambda: version[0], max_windows=2, sizeof=lambda value: 1)
    cache.get(("gaps", (2010, 2012)), lambda: "a")
    cache.get(("centrality", (2010, 2012), "region"), lambda: "b")  # the same window again
    cache.get(("gaps", (2013, 2015)), lambda: "c")
    assert cache.get(("gaps", (2016, 2018)), lambda: "d") == "d"  # a third window
    assert cache.get(("gaps", (2016, 2018)), lambda: "e") == "e"  # … not kept
    assert cache.get(("compare", (2010, 2012), (2016, 2018)), lambda: "f") == "f"
    assert cache.get(("compare", (2010, 2012), (2016, 2018)), lambda: "g") == "g"
    # the first two windows and results without a window stay
    assert cache.get(("gaps", (2010, 2012)), lambda: "x") == "a"
    assert cache.get(("gaps", (2013, 2015)), lambda: "x") == "c"
    assert cache.get(("gaps", None), lambda: "h") == "h"
    assert cache.get(("gaps", None), lambda: "x") == "h"
    assert cache.computed == 8
    version[0] = 2  # a write: a new ration
    cache.get(("gaps", (2016, 2018)), lambda: "i")
    assert cache.get(("gaps", (2016, 2018)), lambda: "x") == "i"


def test_year_windows_are_the_tuples_of_two_ints():
    assert year_windows(("compare", (2015, 2019), (2020, 2024), "region")) == {(2015, 2019), (2020, 2024)}
    assert year_windows(("gaps", None, "region")) == frozenset()
    assert year_windows(("bridges", 5, 3, "da")) == frozenset()
    assert year_windows("data") == frozenset()


def test_deep_size_counts_every_object_once():
    shared = "x" * 100
    value = {"a": [shared, shared], "b": (1.5,)}
    expected = sum(sys.getsizeof(v) for v in (value, "a", "b", value["a"], shared, value["b"], 1.5))
    assert deep_size(value) == expected


def test_in_flight_waits_for_a_quiet_moment():
    from graphsvc.cache import InFlight

    requests = InFlight()
    assert requests.wait_quiet(0) is True
    requests.enter()
    requests.enter()
    assert (requests.count, requests.wait_quiet(0.05)) == (2, False)
    requests.leave()
    waiter_saw = []
    waiter = threading.Thread(target=lambda: waiter_saw.append(requests.wait_quiet(10)))
    waiter.start()
    requests.leave()
    waiter.join(10)
    assert (requests.count, waiter_saw) == (0, [True])
