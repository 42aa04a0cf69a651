"""Errors raised by graphsvc.

Every error the product raises on purpose derives from ``GraphsvcError`` and carries an
HTTP status and a short code, so the API and the CLI can report it without a traceback::

    GraphsvcError (500, error)
    ├── ConfigError (500, config)            a setting is wrong
    ├── NotFound (404, not_found)            no such organisation, municipality, query …
    ├── InputError (422, invalid_input)      bad input from a user: a file, a row, a value
    │   └── ImportFailed (422, import_failed) an import found errors and wrote nothing
    ├── Forbidden (403, forbidden)           a write without a valid token
    └── StoreError (500, store)              the database refused a statement
        └── StoreUnavailable (503, store_unavailable)  the database cannot be reached
"""

from __future__ import annotations

__all__ = [
    "GraphsvcError",
    "ConfigError",
    "NotFound",
    "InputError",
    "ImportFailed",
    "Forbidden",
    "StoreError",
    "StoreUnavailable",
]


class GraphsvcError(Exception):
    status = 500
    code = "error"

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class ConfigError(GraphsvcError):
    code = "config"


class NotFound(GraphsvcError):
    status = 404
    code = "not_found"


class InputError(GraphsvcError):
    status = 422
    code = "invalid_input"


class ImportFailed(InputError):
    code = "import_failed"

    def __init__(self, detail: str, report=None):
        super().__init__(detail)
        self.report = report


class Forbidden(GraphsvcError):
    status = 403
    code = "forbidden"


class StoreError(GraphsvcError):
    code = "store"


class StoreUnavailable(StoreError):
    status = 503
    code = "store_unavailable"
