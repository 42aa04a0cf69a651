"""graphsvc: a graph analysis service for cultural collaboration networks."""

__version__ = "0.1.0"
