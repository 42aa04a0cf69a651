"""The JSON API under ``/api`` (and ``/health``)."""

from graphsvc.api import analysis, imports, maps, organisations, routes

routers = [routes.router, organisations.router, analysis.router, maps.router, imports.router]

__all__ = ["routers"]
