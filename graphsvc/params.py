"""The parameters of the analyses and of the partner suggestions, with a default for each.

``AnalysisParams`` is the ``analysis`` section of the settings (environment variables
``GRAPHSVC_ANALYSIS__<FIELD>``, e.g. ``GRAPHSVC_ANALYSIS__BETWEENNESS_SAMPLES=512``).
Every result carries the parameters it was computed with, so the same numbers can be
computed again. docs/analysis.md explains each one.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AnalysisParams", "SuggestionParams", "COMPONENTS", "Lang", "Size"]

Size = Literal["small", "medium", "large"]
Lang = Literal["da", "en"]


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
    kind_sizes: dict[str, Size] = Field(
        default_factory=dict,
        description="Size by kind (e.g. {\"forening\": \"small\"}) for organisations with no "
        "size, staff or budget; consulted before the size by label.",
    )
    label_sizes: dict[str, Size] = Field(
        default_factory=lambda: {"Institution": "large", "Actor": "small"},
        description="Size by label when nothing else tells: institutions large, actors small.",
    )

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
    null_model: Literal["organisations", "degree"] = Field(
        default="organisations",
        description="Expected ties between two municipalities: in proportion to their numbers "
        "of organisations ('organisations'), or to the ties their organisations have "
        "('degree').",
    )
    gap_max_residual: float = Field(
        default=-2.0, description="A pair lacks ties when its standardised residual is at most this …"
    )
    gap_min_expected: float = Field(
        default=1.0, ge=0, description="… and at least this many ties were expected."
    )
    permutations: int = Field(
        default=499, ge=0, description="Label permutations for the E-I index test (0: no "
        "test); the smallest p-value is 1/(permutations + 1)."
    )

    # --- communities -----------------------------------------------------------------
    louvain_resolution: float = Field(
        default=1.0, gt=0, description="Louvain resolution: above 1 gives more, smaller communities."
    )

    # --- general ---------------------------------------------------------------------
    seed: int = Field(default=2026, description="Seed of every random choice (sampling, permutations, Louvain).")
    lang: Lang = Field(default="da", description="Language of the reasons: 'da' (Danish) or 'en' (English).")
    engine: Literal["igraph", "networkx"] = Field(
        default="igraph",
        description="'igraph' computes path measures, constraint and Louvain in C (same "
        "definitions); 'networkx' uses networkx only (slow on large graphs).",
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

    def weights(self) -> dict[str, float]:
        return {c: getattr(self, f"{c}_weight") for c in COMPONENTS}
