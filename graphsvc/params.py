"""The parameters of the analyses and of the partner suggestions, with a default for each.

``AnalysisParams`` is the ``analysis`` section of the settings (environment variables
``GRAPHSVC_ANALYSIS__<FIELD>``, e.g. ``GRAPHSVC_ANALYSIS__BETWEENNESS_SAMPLES=512``).
Every result carries the parameters it was computed with, so the same numbers can be
computed again. docs/analysis.md explains each one.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["AnalysisParams", "SuggestionParams", "COMPONENTS", "DEFAULT_KIND_SIZES", "Lang", "Size"]

Size = Literal["small", "medium", "large"]
Lang = Literal["da", "en"]

# Size by kind, when an organisation has no size, staff or budget (docs/analysis.md, "Size").
# Keys are matched to the kind column (whole word or end of a compound: "Teaterforening").
DEFAULT_KIND_SIZES: dict[str, Size] = {
    "kommune": "large", "regionskommune": "large", "region": "large",
    "universitet": "large", "professionshøjskole": "large", "erhvervsakademi": "large",
    "statsligt museum": "large", "statslig museum": "large", "statsanerkendt museum": "medium",
    "museum": "medium", "landsdelsscene": "large", "symfoniorkester": "large", "orkester": "medium",
    "teater": "medium", "egnsteater": "medium", "spillested": "medium", "bibliotek": "medium",
    "gymnasium": "medium", "højskole": "medium", "kulturhus": "medium", "musikskole": "medium",
    "forening": "small", "kunstforening": "small", "klub": "small", "kor": "small",
    "ensemble": "small", "band": "small", "kunstner": "small", "lokalarkiv": "small",
    "lokalhistorisk arkiv": "small", "festival": "small", "galleri": "small",
}


class AnalysisParams(BaseModel):
    """Thresholds, weights and sampling choices of the analyses."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # --- the organisation graph ------------------------------------------------------
    project_weight: float = Field(
        default=1.0, ge=0, description="Weight of a tie per shared project."
    )
    collaboration_weight: float = Field(
        default=1.0, ge=0, description="Weight of a tie per declared collaboration (either direction)."
    )
    network_weight: float = Field(
        default=0.0,
        ge=0,
        description="Weight of a tie per shared thematic network; 0 leaves networks out of "
        "the graph (they link every member to every other, a much weaker tie).",
    )
    event_weight: float = Field(
        default=0.0,
        ge=0,
        description="Weight of a tie per event both attended; 0 leaves events out of the graph.",
    )
    project_weighting: Literal["newman", "count", "capped"] = Field(
        default="newman",
        description="How a shared project weighs: 'newman' ties a project's n partners with "
        "1/(n − 1) each (Newman 2001), so every partner gets 1 from a project whatever its "
        "size; 'count' weighs every shared project 1; 'capped' weighs 1 up to "
        "project_weight_cap partners and (cap − 1)/(n − 1) above.",
    )
    project_weight_cap: int = Field(
        default=10, ge=2, description="With project_weighting 'capped': the project size up "
        "to which a shared project weighs 1."
    )

    # --- organisation size -----------------------------------------------------------
    small_max_staff: int = Field(
        default=5, ge=0, description="An organisation with at most this many staff is small "
        "(when no size is given)."
    )
    large_min_staff: int = Field(
        default=50, ge=1, description="An organisation with at least this many staff is large "
        "(when no size is given)."
    )
    small_max_budget_dkk: float = Field(
        default=2_000_000, ge=0, description="With no size and no staff given: a yearly budget "
        "of at most this many DKK makes an organisation small."
    )
    large_min_budget_dkk: float = Field(
        default=25_000_000, ge=0, description="With no size and no staff given: a yearly budget "
        "of at least this many DKK makes an organisation large."
    )
    kind_sizes: dict[str, Size | None] = Field(
        default_factory=lambda: dict(DEFAULT_KIND_SIZES),
        description="Size by kind for organisations with no size, staff or budget: the kind "
        "column, or the kind the name states ('… Kommune', '… Universitet', 'Museum', "
        "'Forening'). Entries given are laid over the default table (docs/analysis.md); "
        "null removes one, e.g. {\"museum\": \"large\", \"forening\": null}.",
    )
    label_sizes: dict[str, Size] = Field(
        default_factory=dict,
        description="Size by label (Actor, Institution) when nothing else tells; empty by "
        "default, so an organisation of unknown size stays unknown (never 'small' by label).",
    )

    @field_validator("kind_sizes", mode="after")
    @classmethod
    def _over_defaults(cls, value: dict[str, Size | None]) -> dict[str, Size | None]:
        return {**DEFAULT_KIND_SIZES, **value}

    # --- centrality ------------------------------------------------------------------
    betweenness_exact_max_nodes: int = Field(
        default=1000,
        ge=0,
        description="Betweenness, closeness and harmonic centrality are exact on graphs with "
        "at most this many organisations, and estimated from sampled sources above it.",
    )
    betweenness_samples: int = Field(
        default=256, ge=1, description="Number of source organisations sampled (with the seed) "
        "when betweenness is estimated."
    )
    closeness_samples: int = Field(
        default=64, ge=1, description="How many of the sampled sources estimate closeness and "
        "harmonic centrality on graphs above the exact size."
    )
    pagerank_alpha: float = Field(
        default=0.85, gt=0, lt=1, description="PageRank damping factor."
    )
    rank_by: Literal[
        "betweenness", "degree", "weighted_degree", "closeness", "harmonic",
        "eigenvector", "pagerank", "effective_size", "municipalities_reached",
    ] = Field(default="betweenness", description="The measure the rankings are ordered by.")
    top_per_group: int = Field(
        default=10, ge=1, description="Organisations listed per municipality and per kind in the rankings."
    )

    # --- isolated small actors -------------------------------------------------------
    isolation_max_ties: int = Field(
        default=2, ge=0, description="'Few ties': at most this many partners."
    )
    isolation_max_reach: int = Field(
        default=1, ge=0, description="'Low reach': partners in at most this many other municipalities."
    )
    isolation_stale_years: int = Field(
        default=2, ge=1, description="'No project since Y' is said when the last project year is "
        "at least this many years before the reference year."
    )
    isolation_sizes: list[Literal["small", "medium", "large", "unknown"]] = Field(
        default_factory=lambda: ["small", "unknown"], min_length=1,
        description="Sizes the isolated-actors analysis considers: 'small', 'medium', "
        "'large' and 'unknown' (no size, staff, budget or known kind). An organisation of "
        "unknown size is listed as such, never called small. As a JSON list: [\"small\"].",
    )
    well_connected_top_share: float = Field(
        default=0.10, gt=0, le=1, description="A well-connected organisation is among this "
        "share of organisations with the most partners …"
    )
    well_connected_min_degree: int = Field(
        default=5, ge=1, description="… has at least this many partners …"
    )
    well_connected_min_reach: int = Field(
        default=3, ge=0, description="… and has partners in at least this many other municipalities."
    )
    nearest_count: int = Field(
        default=3, ge=0, description="Nearest well-connected organisations listed per isolated actor."
    )

    # --- cross-municipal gaps --------------------------------------------------------
    null_model: Literal["gravity_distance", "gravity"] = Field(
        default="gravity_distance",
        description="Expected shared projects between two municipalities, fitted to the "
        "cross-border ones only: in proportion to each side's cross-border projects and a "
        "power of the distance between them ('gravity_distance'), or without the distance "
        "term ('gravity').",
    )
    gap_fdr: float = Field(
        default=0.1, gt=0, lt=1, description="False-discovery rate (Benjamini–Hochberg q) "
        "across the pairs in scope: a pair lacks ties when its q-value is at most this; the "
        "same for an E-I index that keeps ties inside."
    )
    bootstrap_replicates: int = Field(
        default=999, ge=0, description="Project-level bootstrap replicates (projects resampled "
        "with replacement, seeded) for the dispersion of the counts and the E-I test (0: none)."
    )
    gap_interval: float = Field(
        default=0.95, gt=0, lt=1, description="Coverage of the interval on each "
        "pair's observed/expected ratio (exact Poisson on the quasi-Poisson scale)."
    )

    # --- communities -----------------------------------------------------------------
    community_method: Literal["leiden", "louvain"] = Field(
        default="leiden", description="How communities are found: 'leiden' (Traag, Waltman & "
        "van Eck 2019: modularity, two iterations, seeded; better partitions than Louvain and "
        "faster, measured in docs/performance.md) or 'louvain' (Blondel et al. 2008). The "
        "'networkx' engine has only Louvain."
    )
    community_resolution: float = Field(
        default=1.0, gt=0, description="Resolution of the modularity the communities maximise: "
        "above 1 gives more, smaller communities."
    )

    # --- general ---------------------------------------------------------------------
    seed: int = Field(default=2026, description="Seed of every random choice (sampling, bootstrap, communities).")
    lang: Lang = Field(default="da", description="Language of the reasons: 'da' (Danish) or 'en' (English).")
    engine: Literal["igraph", "networkx"] = Field(
        default="igraph",
        description="'igraph' computes path measures, constraint and communities in C (same "
        "definitions); 'networkx' uses networkx only (slow on large graphs; Louvain only).",
    )


COMPONENTS = ("structure", "similarity", "complementarity", "regional", "distance")


class SuggestionParams(BaseModel):
    """Weights and shapes of the partner-suggestion score (settings section ``suggestions``)."""

    model_config = ConfigDict(extra="forbid")

    structure_weight: float = Field(
        default=1.0, ge=0, description="Weight of shared partners (the structure component)."
    )
    similarity_weight: float = Field(
        default=0.4, ge=0, description="Weight of shared art forms and target groups."
    )
    complementarity_weight: float = Field(
        default=0.2, ge=0, description="Weight of the size gap (a large institution's "
        "knowledge reaching a small actor)."
    )
    regional_weight: float = Field(
        default=0.3, ge=0, description="Weight of crossing a municipality pair that the gaps "
        "analysis shows lacking ties."
    )
    distance_weight: float = Field(
        default=0.2, ge=0, description="Weight of the distance penalty (subtracted)."
    )
    structure_index: Literal["adamic_adar", "resource_allocation"] = Field(
        default="adamic_adar", description="Shared-partner index: Adamic-Adar (Σ 1/log deg) "
        "or resource allocation (Σ 1/deg) over the shared partners."
    )
    structure_half: float = Field(
        default=1.0, gt=0, description="The raw shared-partner index that gives a structure "
        "component of 0.5 (structure = raw / (raw + structure_half))."
    )
    art_form_share: float = Field(
        default=0.5, ge=0, le=1, description="Share of the art forms in the similarity "
        "component; the target groups get the rest."
    )
    distance_scale_km: float = Field(
        default=100.0, gt=0, description="Distance (km) at which the distance penalty reaches "
        "its maximum of 1 (it grows linearly up to it)."
    )
    max_per_municipality: int | None = Field(
        default=None, ge=1, description="Spread the list: at most this many suggestions from "
        "one municipality (None: no limit)."
    )
    reason_partners: int = Field(
        default=3, ge=0, description="Shared partners named in a reason (the rest are counted)."
    )
    ranker: Literal["learned", "weighted"] = Field(
        default="learned", description="learned: the fitted model of docs/suggestions.md "
        "(graphsvc fit-suggestions); weighted: the weighted sum of the five components."
    )
    policy_strength: float = Field(
        default=0.0, ge=0, description="Strength of the policy layer on the learned ranking "
        "(cross a municipality pair lacking ties, a large institution reaching a small actor); "
        "0: off."
    )

    def weights(self) -> dict[str, float]:
        return {c: getattr(self, f"{c}_weight") for c in COMPONENTS}
