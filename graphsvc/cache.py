"""Results computed from the graph, cached per store version.

A write raises the store's version, which makes every cached result stale. Concurrent
requests for the same missing result wait for one computation instead of each
starting their own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["ResultCache"]

T = TypeVar("T")


class ResultCache:
    def __init__(self, version: Callable[[], int], *, maxsize: int = 128):
        """``version()`` returns the current store version."""
        self._version = version
        self._maxsize = maxsize
        self._values: OrderedDict[tuple, Any] = OrderedDict()
        self._locks: dict[tuple, threading.Lock] = {}
        self._guard = threading.Lock()
        self.computed = 0  # how many computations ran (for tests and the log)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        full = (self._version(), key)
        with self._guard:
            if full in self._values:
                self._values.move_to_end(full)
                return self._values[full]
            lock = self._locks.setdefault(full, threading.Lock())
        with lock:
            with self._guard:
                if full in self._values:
                    return self._values[full]
            value = compute()
            with self._guard:
                self.computed += 1
                self._values[full] = value
                self._locks.pop(full, None)
                current = self._version()
                for stale in [k for k in self._values if k[0] != current]:
                    del self._values[stale]
                while len(self._values) > self._maxsize:
                    self._values.popitem(last=False)
            return value
