"""The graph model: one declaration of every node label, relationship type and property.

Everything else is generated from this module: the LadybugDB tables and the Neo4j
constraints (``graphsvc.store.schema``), the schema the Cypher linter checks against, the
padding of rows for ``UNWIND`` and the typed records that loaders produce.

Property names are spelled exactly like the Python fields, so rows go to the database
and back without a conversion layer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "Label",
    "RelType",
    "PropType",
    "NodeSpec",
    "RelSpec",
    "NODES",
    "RELATIONSHIPS",
    "ORGANISATION_LABELS",
    "Municipality",
    "Organisation",
    "Actor",
    "Institution",
    "Project",
    "Network",
    "Event",
    "Participation",
    "Collaboration",
    "Membership",
    "Attendance",
    "Records",
    "PlaceSource",
    "row_for",
    "decode_extra",
    "ANALYSIS_TABLES",
    "DATA_LABELS",
    "DECISION_KINDS",
    "Decision",
]


class Label(StrEnum):
    MUNICIPALITY = "Municipality"
    ACTOR = "Actor"
    INSTITUTION = "Institution"
    PROJECT = "Project"
    NETWORK = "Network"
    EVENT = "Event"
    DECISION = "Decision"


class RelType(StrEnum):
    LOCATED_IN = "LOCATED_IN"
    PARTICIPATES_IN = "PARTICIPATES_IN"
    TAKES_PLACE_IN = "TAKES_PLACE_IN"
    MEMBER_OF = "MEMBER_OF"
    ATTENDS = "ATTENDS"
    COLLABORATES_WITH = "COLLABORATES_WITH"


class PropType(StrEnum):
    """Property types, spelled as LadybugDB declares them."""

    STRING = "STRING"
    INT = "INT64"
    FLOAT = "DOUBLE"
    BOOL = "BOOLEAN"
    STRINGS = "STRING[]"


@dataclass(frozen=True)
class NodeSpec:
    label: Label
    key: str
    properties: dict[str, PropType]


@dataclass(frozen=True)
class RelSpec:
    type: RelType
    pairs: tuple[tuple[Label, Label], ...]
    properties: dict[str, PropType]


S, I, F, B, L = PropType.STRING, PropType.INT, PropType.FLOAT, PropType.BOOL, PropType.STRINGS

ORGANISATION_LABELS = (Label.ACTOR, Label.INSTITUTION)

_ORGANISATION_PROPS: dict[str, PropType] = {
    "id": S,
    "name": S,
    "kind": S,
    "size": S,
    "art_forms": L,
    "target_groups": L,
    "cvr": S,
    "website": S,
    "address": S,
    "postcode": S,
    "town": S,
    "municipality_code": S,
    "municipality_source": S,
    "in_region": B,
    "lat": F,
    "lon": F,
    "staff": I,
    "budget_dkk": F,
    "extra": S,
}

NODES: dict[Label, NodeSpec] = {
    Label.MUNICIPALITY: NodeSpec(
        Label.MUNICIPALITY,
        "code",
        {
            "code": S,
            "name": S,
            "region": S,
            "in_region": B,
            "population": I,
            "population_year": I,
            "lat": F,
            "lon": F,
            "area_km2": F,
        },
    ),
    Label.ACTOR: NodeSpec(Label.ACTOR, "id", dict(_ORGANISATION_PROPS)),
    Label.INSTITUTION: NodeSpec(Label.INSTITUTION, "id", dict(_ORGANISATION_PROPS)),
    Label.PROJECT: NodeSpec(
        Label.PROJECT,
        "id",
        {
            "id": S,
            "title": S,
            "start_year": I,
            "end_year": I,
            "programme": S,
            "budget_dkk": F,
            "themes": L,
            "municipality_codes": L,
            "extra": S,
        },
    ),
    Label.NETWORK: NodeSpec(Label.NETWORK, "id", {"id": S, "name": S, "theme": S, "extra": S}),
    Label.EVENT: NodeSpec(
        Label.EVENT,
        "id",
        {"id": S, "name": S, "year": I, "municipality_code": S, "extra": S},
    ),
    # a curation decision (Decision below): not data of the network, the rules every
    # later import follows
    Label.DECISION: NodeSpec(
        Label.DECISION,
        "id",
        {"id": S, "kind": S, "name": S, "target": S, "field": S, "value": S,
         "who": S, "at": S, "why": S, "undo": S},
    ),
}

DATA_LABELS = tuple(label for label in Label if label is not Label.DECISION)
"""The labels of the network's data (counted, projected); decisions are not data."""

_ORG_PAIRS = tuple((a, b) for a in ORGANISATION_LABELS for b in ORGANISATION_LABELS)

RELATIONSHIPS: dict[RelType, RelSpec] = {
    RelType.LOCATED_IN: RelSpec(
        RelType.LOCATED_IN, tuple((o, Label.MUNICIPALITY) for o in ORGANISATION_LABELS), {}
    ),
    RelType.PARTICIPATES_IN: RelSpec(
        RelType.PARTICIPATES_IN,
        tuple((o, Label.PROJECT) for o in ORGANISATION_LABELS),
        {"role": S},
    ),
    RelType.TAKES_PLACE_IN: RelSpec(
        RelType.TAKES_PLACE_IN,
        ((Label.PROJECT, Label.MUNICIPALITY), (Label.EVENT, Label.MUNICIPALITY)),
        {},
    ),
    RelType.MEMBER_OF: RelSpec(
        RelType.MEMBER_OF, tuple((o, Label.NETWORK) for o in ORGANISATION_LABELS), {}
    ),
    RelType.ATTENDS: RelSpec(
        RelType.ATTENDS, tuple((o, Label.EVENT) for o in ORGANISATION_LABELS), {}
    ),
    RelType.COLLABORATES_WITH: RelSpec(
        RelType.COLLABORATES_WITH, _ORG_PAIRS, {"since": I, "source": S}
    ),
}


# --- records -------------------------------------------------------------------------

Size = Literal["small", "medium", "large"]
Role = Literal["lead", "partner"]
PlaceSource = Literal["column", "coordinates", "postcode", "postcode_town", "name", "user"]
"""Where an organisation's municipality came from, strongest first (docs/loading.md);
``user`` is a correction made by hand."""


def _clean_text(value: Any) -> Any:
    if isinstance(value, str):
        value = " ".join(value.split())
        return value or None
    return value


class Record(BaseModel):
    """Base of every record: text trimmed, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    label: ClassVar[Label | None] = None

    def row(self) -> dict[str, Any]:
        """The record as a database row: every declared property present (None padded)."""
        return row_for(self.label, self.model_dump()) if self.label else self.model_dump()


class _WithExtra(Record):
    extra: dict[str, Any] = Field(
        default_factory=dict, description="Columns with no place in the model, kept as JSON."
    )

    def row(self) -> dict[str, Any]:
        data = self.model_dump()
        data["extra"] = json.dumps(self.extra, ensure_ascii=False, sort_keys=True) if self.extra else None
        return row_for(self.label, data)


class Municipality(Record):
    label: ClassVar[Label] = Label.MUNICIPALITY
    code: str = Field(pattern=r"^\d{3}$", description="3-digit kommunekode, e.g. '751'")
    name: str
    region: str | None = None
    in_region: bool | None = Field(default=None, description="One of the region's 19 municipalities.")
    population: int | None = Field(default=None, ge=0)
    population_year: int | None = None
    lat: float | None = None
    lon: float | None = None
    area_km2: float | None = None


class Organisation(_WithExtra):
    """Fields shared by actors and institutions."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    kind: str | None = None
    size: Size | None = None
    art_forms: list[str] = Field(default_factory=list)
    target_groups: list[str] = Field(default_factory=list)
    cvr: str | None = Field(default=None, pattern=r"^\d{8}$")
    website: str | None = None
    address: str | None = None
    postcode: str | None = None
    town: str | None = None
    municipality_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    municipality_source: PlaceSource | None = Field(
        default=None, description="The evidence the municipality was taken from (see PlaceSource).")
    in_region: bool | None = None
    lat: float | None = None
    lon: float | None = None
    staff: int | None = Field(default=None, ge=0)
    budget_dkk: float | None = Field(default=None, ge=0)

    _clean = field_validator("name", "kind", "town", "address", mode="before")(_clean_text)


class Actor(Organisation):
    label: ClassVar[Label] = Label.ACTOR


class Institution(Organisation):
    label: ClassVar[Label] = Label.INSTITUTION


class Project(_WithExtra):
    label: ClassVar[Label] = Label.PROJECT
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    start_year: int | None = Field(default=None, ge=1900, le=2100)
    end_year: int | None = Field(default=None, ge=1900, le=2100)
    programme: str | None = None
    budget_dkk: float | None = Field(default=None, ge=0)
    themes: list[str] = Field(default_factory=list)
    municipality_codes: list[str] = Field(default_factory=list)

    _clean = field_validator("title", mode="before")(_clean_text)


class Network(_WithExtra):
    label: ClassVar[Label] = Label.NETWORK
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    theme: str | None = None


class Event(_WithExtra):
    label: ClassVar[Label] = Label.EVENT
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    year: int | None = Field(default=None, ge=1900, le=2100)
    municipality_code: str | None = Field(default=None, pattern=r"^\d{3}$")


class Participation(Record):
    org_id: str
    project_id: str
    role: Role = "partner"


class Collaboration(Record):
    source_id: str
    target_id: str
    since: int | None = Field(default=None, ge=1900, le=2100)
    source: str | None = None


class Membership(Record):
    org_id: str
    network_id: str


class Attendance(Record):
    org_id: str
    event_id: str


class Records(BaseModel):
    """One import's worth of canonical records, in the order they are written."""

    municipalities: list[Municipality] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    institutions: list[Institution] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    networks: list[Network] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    participations: list[Participation] = Field(default_factory=list)
    collaborations: list[Collaboration] = Field(default_factory=list)
    memberships: list[Membership] = Field(default_factory=list)
    attendances: list[Attendance] = Field(default_factory=list)

    def total(self) -> int:
        return sum(len(getattr(self, name)) for name in type(self).model_fields)


DECISION_KINDS = ("same", "distinct", "keep_together", "not_organisation", "correct", "merge")
"""What a decision says (docs/loading.md, "Decisions"):

- ``same``: the name ``name`` is the organisation ``target`` (an id or another name);
- ``distinct``: the names ``name`` and ``target`` are two organisations, never matched;
- ``keep_together``: the partner-cell text ``name`` is one name, not split;
- ``not_organisation``: a mention named ``name`` is no organisation and is left out;
- ``correct``: the organisation ``target`` has ``field`` (municipality_code, size, kind,
  art_forms) = ``value`` whatever a file says;
- ``merge``: the organisation ``name`` (an id) was merged into ``target``; ``undo``
  holds what puts both back."""


class Decision(Record):
    label: ClassVar[Label] = Label.DECISION
    id: str = Field(min_length=1)
    kind: Literal["same", "distinct", "keep_together", "not_organisation", "correct", "merge"]
    name: str = Field(min_length=1, max_length=500)
    target: str | None = Field(default=None, max_length=500)
    field: str | None = None
    value: str | None = Field(default=None, max_length=2000)
    who: str = "admin"
    at: str = Field(description="When, ISO 8601 in UTC.")
    why: str | None = Field(default=None, max_length=2000)
    undo: str | None = Field(default=None, description="JSON that undoes a merge.")


ANALYSIS_TABLES = ("municipalities", "organisations", "projects", "participations", "collaborations",
                   "networks", "events", "memberships", "attendances")
"""The tables the analyses read (``GraphStore.read_tables``, ``GraphData``), each read by
``queries/read_<name>.cypher``."""


def decode_extra(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row with its ``extra`` JSON text as a dict (``{}`` when empty), the
    inverse of ``row_for``'s encoding."""
    row = dict(row)
    extra: Any = row.get("extra")
    row["extra"] = json.loads(extra) if extra else {}
    return row


def row_for(label: Label, data: dict[str, Any]) -> dict[str, Any]:
    """Pad ``data`` to exactly the declared properties of ``label`` (LadybugDB's UNWIND
    wants every row to have the same keys; unknown keys would be silently lost)."""
    props = NODES[label].properties
    unknown = set(data) - set(props)
    if unknown:
        raise ValueError(f"{label} has no properties {sorted(unknown)}")
    return {name: data.get(name) for name in props}


def linter_schema() -> dict[str, list[str]]:
    """Labels, relationship types and property keys as the Cypher linter wants them."""
    keys = {p for spec in NODES.values() for p in spec.properties}
    keys |= {p for spec in RELATIONSHIPS.values() for p in spec.properties}
    return {
        "labels": [str(label) for label in Label],
        "relationshipTypes": [str(t) for t in RelType],
        "propertyKeys": sorted(keys),
    }
