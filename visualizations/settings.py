"""Settings of the maps and exports (section ``maps``: ``GRAPHSVC_MAPS__<FIELD>``)."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["MapSettings"]


class MapSettings(BaseModel):
    static_layout_threshold: int = Field(
        default=300,
        ge=0,
        description="Interactive maps with more organisations than this get a layout "
        "computed in Python and the browser's physics simulation off; smaller maps "
        "settle with physics in the browser.",
    )
    spring_layout_max_nodes: int = Field(
        default=3000,
        ge=0,
        description="Largest map laid out with a force-directed (spring) layout in "
        "Python; larger maps are laid out by group (municipality or community), each "
        "group a disc placed by the ties between groups.",
    )
    canvas_edges_threshold: int = Field(
        default=5000,
        ge=0,
        description="Interactive maps laid out in Python with more ties than this draw "
        "the ties straight on the canvas, under the organisations, instead of as objects "
        "of the drawing library: they draw many times faster, but a tie shows no tooltip "
        "and organisations cannot be dragged.",
    )
    overview_threshold: int = Field(
        default=400,
        ge=0,
        description="Interactive whole-network maps with more organisations than this "
        "open on the municipality-level overview (one circle per municipality, sized by "
        "its organisations, lines by the ties between them); a click on a municipality "
        "opens the organisations, filtered to it.",
    )
    overview_max_edges: int = Field(
        default=1_000_000,
        ge=0,
        description="Interactive whole-network maps with more ties than this open on "
        "the municipality-level overview too.",
    )
    lacking_top: int = Field(
        default=10,
        ge=0,
        description="The municipality-level map and the gap heatmap mark at most this "
        "many of the pairs that lack ties, the most lacking first (the legend says how "
        "many lack ties in all).",
    )
    label_top: int = Field(
        default=12, ge=0, description="Interactive maps: how many of the top organisations "
        "(by the size metric) are named before any filter (maps of 60 organisations or fewer "
        "name all; a filter names all it shows, up to 200)."
    )
    static_labels: int = Field(
        default=60, ge=0, description="Static maps (PNG, SVG, PDF): how many of the top "
        "organisations (by the size metric) get a name, and half as many isolated ones after "
        "them; a name that would overlap one already placed, or leave the map, is left out."
    )
    dataset_name: str = Field(
        default="", max_length=200, description="The name of the data set on the source line "
        "of maps and exports (\"Kilde: …\"). Empty: the names of the files of the imports "
        "that can be undone, or \"graphsvc\" when none are known. Never a folder path."
    )
    width_px: int = Field(
        default=1920, ge=640, description="Width of PNG exports in pixels (16:9)."
    )
    dpi: int = Field(default=120, ge=50, description="Resolution of PNG exports (dots per inch).")
    seed: int = Field(
        default=2026, description="Seed of every layout (spring and geographic placement)."
    )
