"""Settings: ``GRAPHSVC_*`` environment variables, a ``.env`` file, or defaults.

Precedence: CLI option > environment > ``.env`` > default. Build a ``Settings`` and pass
it down; nothing reads settings at import time.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graphsvc.params import AnalysisParams, SuggestionParams
from loaders.settings import LoaderSettings
from visualizations.settings import MapSettings

__all__ = ["Settings", "redact_uri"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="GRAPHSVC_",
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="__",
        extra="ignore",
    )

    data_dir: Path = Field(
        default=Path("graphsvc-data"),
        description="Folder of the embedded LadybugDB store (created if missing).",
    )
    in_memory: bool = Field(
        default=False, description="Keep the embedded store in memory only (tests)."
    )
    neo4j_uri: str | None = Field(
        default=None,
        description="Neo4j 5 URI (e.g. neo4j://localhost:7687). When set, Neo4j is used "
        "instead of the embedded store.",
    )
    neo4j_user: str = Field(default="neo4j", description="Neo4j user name.")
    neo4j_password: SecretStr = Field(
        default=SecretStr(""), description="Neo4j password (never logged)."
    )
    neo4j_database: str = Field(default="neo4j", description="Neo4j database name.")
    batch_size: int = Field(
        default=5000, ge=1, description="Rows per UNWIND batch when writing."
    )
    host: str = Field(default="127.0.0.1", description="Address the service binds to.")
    port: int = Field(default=8000, description="Port the service listens on.")
    undo_keep: int = Field(
        default=5,
        ge=0,
        description="Imports that can be undone (`graphsvc imports undo`, the import page's "
        "Fortryd): a copy of the embedded store is kept from before each of the last this many "
        "imports, in <data dir>/undo. 0: none (imports cannot be undone).",
    )
    max_upload_mb: int = Field(
        default=100, ge=1, description="Largest file accepted by the import upload, in MB."
    )
    upload_types: str = Field(
        default="csv,txt,tsv,xlsx,json,jsonl",
        description="File name endings the import upload accepts (comma-separated).",
    )
    cors_origins: str = Field(
        default="",
        description="Web origins allowed to call the API from a browser (comma-separated); "
        "empty: CORS off.",
    )
    warm: bool = Field(
        default=True,
        description="Compute the main analyses in the background when the service starts "
        "and after every write, so the first request does not wait for them.",
    )
    admin_token: SecretStr | None = Field(
        default=None,
        description="Token required for writes through the API (imports, deletes). "
        "With none set, API writes are refused.",
    )
    trusted_hosts: str = Field(
        default="localhost,127.0.0.1,::1",
        description="Host names the service answers to (the Host header, comma-separated); "
        "the address in GRAPHSVC_HOST is added when it names one host. '*' trusts every "
        "host (only behind a proxy that checks it). Any other host gets 400.",
    )
    max_request_mb: int = Field(
        default=200, ge=1,
        description="Largest request body, in MB (all files of an upload together); a larger "
        "one is refused with 413 before or while it arrives.",
    )
    pending_upload_minutes: int = Field(
        default=60, ge=1,
        description="An upload checked but not confirmed is deleted after this many minutes "
        "(also when left behind by a process that stopped).",
    )
    response_cache_mb: int = Field(
        default=64, ge=0,
        description="Memory for finished responses (JSON, pages, maps) kept per store "
        "version, in MB; the least recently used go first. 0: no response cache.",
    )
    result_cache_mb: int = Field(
        default=512, ge=1,
        description="Memory for analysis results kept per store version, in MB (estimated "
        "sizes); the least recently used go first.",
    )
    cached_year_windows: int = Field(
        default=12, ge=0,
        description="Distinct year windows (from/to) whose results are kept per store "
        "version; results for further windows are computed for the request and not kept.",
    )
    persist_results: bool = Field(
        default=True,
        description="Keep the analyses' results on disk (in GRAPHSVC_RESULTS_DIR), keyed by "
        "the content of the data and the parameters, so a restart and every `graphsvc "
        "analyse` command on the same data find them instead of computing them again "
        "(docs/service.md, 'Results kept on disk'). Never for an in-memory store.",
    )
    results_dir: Path | None = Field(
        default=None,
        description="Folder of the results kept on disk; empty: <data dir>/results (also "
        "with Neo4j, whose data dir holds the service's own files). Only the store's owner "
        "may write there: the files are read back as Python objects.",
    )
    results_keep: int = Field(
        default=3, ge=1,
        description="Data states whose results are kept on disk, the most recently used "
        "first; the results of older states are deleted.",
    )
    store_buffer_pool_mb: int = Field(
        default=2048, ge=64,
        description="The embedded store's page cache, in MB (LadybugDB's buffer pool). "
        "LadybugDB's own default, 80% of the machine's memory, costs resident memory for "
        "its bookkeeping alone; pages beyond the cache are read again from disk.",
    )
    analysis_processes: int = Field(
        default=2, ge=1,
        description="Processes one analysis may use: with 2 (and a second core), "
        "betweenness on a large graph runs in a second process while the other measures "
        "are computed; 1 computes everything in the service's own process. The results are "
        "the same either way.",
    )
    gds_min_organisations: int = Field(
        default=1_000_000, ge=0,
        description="On a Neo4j server with Graph Data Science, the centrality and Louvain of "
        "the whole graph (no year window) are computed in GDS from this many organisations "
        "up; below it, and without GDS, in process. Measured on a 2-core machine the GDS path "
        "is slower at every size tried (S 14 s against 0.5 s, M 54 s against 2.7 s, "
        "L = 100,000 organisations 537 s against 22 s; docs/store.md): it pays only where one "
        "machine's memory or a cluster is the limit, so the default is ten times L, far "
        "above a region's data. Lower it when the Neo4j server or cluster is much larger "
        "than the service's machine; 0: always when GDS is there.",
    )

    analysis: AnalysisParams = Field(
        default_factory=AnalysisParams, description="Analyses: thresholds, weights, sampling (docs/analysis.md)."
    )
    suggestions: SuggestionParams = Field(
        default_factory=SuggestionParams, description="Partner suggestions: weights (docs/suggestions.md)."
    )
    loaders: LoaderSettings = Field(default_factory=LoaderSettings, description="Imports (docs/loading.md).")
    maps: MapSettings = Field(default_factory=MapSettings, description="Maps and exports (docs/maps.md).")

    def store_description(self) -> str:
        """Where the data lives, safe to print (no password)."""
        if self.neo4j_uri:
            return f"Neo4j at {redact_uri(self.neo4j_uri)}, database {self.neo4j_database!r}"
        if self.in_memory:
            return "LadybugDB in memory"
        return f"LadybugDB at {self.data_dir}"


def redact_uri(uri: str) -> str:
    """``uri`` without any password it carries."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    netloc = f"{parts.username}:***@{host}" if parts.username else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
