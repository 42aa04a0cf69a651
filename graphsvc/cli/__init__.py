"""The ``graphsvc`` command line: the same code as the service, from a terminal.

Each module adds its commands to the ``main`` group. Errors exit 1 with one line on
stderr, never a traceback.
"""

from graphsvc.cli import analyse, core, decisions, export, imports, load, suggest  # noqa: F401  (they register their commands)
from graphsvc.cli._common import main

__all__ = ["main"]
