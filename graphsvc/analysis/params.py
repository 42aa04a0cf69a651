"""The analyses' parameters (defined in ``graphsvc.params``, a light module the settings
read without loading the analyses)."""

from graphsvc.params import COMPONENTS, AnalysisParams, Lang, Size, SuggestionParams

__all__ = ["AnalysisParams", "SuggestionParams", "COMPONENTS", "Lang", "Size"]
