"""The ``graphsvc`` command line: the same code as the service, from a terminal.

Each module adds its commands to the ``main`` group, which imports a command's module
the first time the command is asked for. Errors exit 1 with one line on stderr, never a
traceback.
"""

from graphsvc.cli._common import main

__all__ = ["main"]
