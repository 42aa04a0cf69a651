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
    max_file_mb: float = Field(
        default=100.0,
        gt=0,
        description="Largest file read, in MB (10^6 bytes), by `graphsvc load` and the upload alike.",
    )
    max_unpacked_mb: float = Field(
        default=500.0,
        gt=0,
        description="Largest unpacked size of a workbook (.xlsx is a zip archive), in MB, as the "
        "archive declares it; checked before the workbook is opened.",
    )
    max_compression_ratio: float = Field(
        default=200.0,
        gt=1,
        description="Largest ratio of unpacked to packed size of any part of a workbook larger "
        "than 1 MB unpacked (real workbooks stay under about 20; a zip bomb is far above).",
    )
    max_sheets: int = Field(default=100, ge=1, description="Most sheets read from one workbook.")
    max_rows: int = Field(
        default=500_000,
        ge=1,
        description="Most rows read from one CSV file, sheet or JSON list (counting the header).",
    )
    max_columns: int = Field(default=500, ge=1, description="Most columns in one row.")
    max_cell_chars: int = Field(
        default=32_767,
        ge=1,
        description="Longest text in one cell, in characters (Excel's own limit is 32,767).",
    )
    report_limit: int = Field(
        default=30,
        ge=0,
        description="Problems of each severity that `graphsvc load` prints; --report writes them all.",
    )
