"""The JSON API under ``/api`` (and ``/health``)."""

from graphsvc.api.routes import router

__all__ = ["router"]
