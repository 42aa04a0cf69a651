"""The result cache: per version, computed once under concurrency."""

from __future__ import annotations

import threading
import time

from graphsvc.cache import ResultCache


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
    cache = ResultCache(lambda: 1, maxsize=2)
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)
    cache.get("a", lambda: 0)
    cache.get("c", lambda: 3)
    assert cache.get("b", lambda: 20) == 20
    assert cache.get("a", lambda: 10) == 10
