"""The JSON API under ``/api`` (and ``/health``)."""

from graphsvc.api import analysis, curation, imports, maps, organisations, routes

routers = [routes.router, organisations.router, analysis.router, maps.router, imports.router, curation.router]

__all__ = ["routers"]
