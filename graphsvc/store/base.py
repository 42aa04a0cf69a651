"""The interface every storage engine implements.

A backend runs named statements from ``queries/`` — reads on their own, writes inside
one transaction — and creates the schema. Everything above it (``GraphStore``) is the
same for every engine.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from typing import Any, Protocol

from graphsvc.model import PropType

__all__ = ["Backend", "Transaction", "Row"]

Row = dict[str, Any]


class Transaction(Protocol):
    def run(self, name: str, params: dict[str, Any] | None = None) -> list[Row]:
        """Run the named statement and return its rows."""

    def unwind(self, name: str, rows: list[Row], types: dict[str, PropType]) -> list[Row]:
        """Run a statement that starts ``UNWIND $rows AS row``; ``types`` declares the
        type of every key of the rows."""


class Backend(ABC):
    name: str

    @abstractmethod
    def create_schema(self) -> None: ...

    @abstractmethod
    def read(self, name: str, params: dict[str, Any] | None = None) -> list[Row]: ...

    def read_table(self, name: str, params: dict[str, Any] | None = None):
        """The rows of a named read as a ``pyarrow.Table`` (columns, not row dicts), or
        None when the engine has no columnar results (then ``read`` serves)."""
        return None

    def content_stamp(self) -> str | None:
        """A stamp of the stored data's state, equal only when nothing has been written
        since, or None when the engine cannot tell (a server). Found without reading the
        graph: it names the fingerprint of the results kept on disk."""
        return None

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Transaction]:
        """A write transaction: committed when the block ends, rolled back on error."""

    @abstractmethod
    def close(self) -> None: ...
