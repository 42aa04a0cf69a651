"""Server-rendered pages (Danish by default, English with ``?lang=en``), working offline."""

from graphsvc.web.pages import mount

__all__ = ["mount"]
