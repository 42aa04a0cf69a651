"""Settings of the loaders: a section of ``graphsvc.settings.Settings``
(environment ``GRAPHSVC_LOADERS__<FIELD>``)."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["LoaderSettings"]


class LoaderSettings(BaseModel):
    fuzzy_threshold: float = Field(
        default=95.0,
        ge=0,
        le=100,
        description="Lowest similarity (0-100: rapidfuzz ratio of the normalised names, and of "
        "the words they do not share) at which two organisation names are taken to be one "
        "organisation; every such match is reported for review. A mapping file's [resolve] "
        "fuzzy_threshold overrides it.",
    )
    fuzzy_matching: bool = Field(
        default=True,
        description="Match organisation names fuzzily when neither CVR nor the normalised name matches.",
    )
    header_search_rows: int = Field(
        default=10,
        ge=1,
        description="Rows searched for the header when the first rows of a sheet are a title.",
    )
    report_limit: int = Field(
        default=30,
        ge=0,
        description="Problems of each severity that `graphsvc load` prints; --report writes them all.",
    )
