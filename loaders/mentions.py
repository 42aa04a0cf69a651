"""What the rows of a file say, before duplicates are resolved: mentions of organisations,
projects, networks and events, and the ties between them, each with where it was read.

A mention is *declared* when its row describes the thing itself (a row of an actor list,
a project list) and so may change it; other mentions (a partner in a partner cell, the
organisation of an edge list) only fill in what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Src",
    "OrgMention",
    "ProjectMention",
    "NetworkMention",
    "EventMention",
    "MunicipalityRow",
    "ParticipationLink",
    "CollaborationLink",
    "MembershipLink",
    "AttendanceLink",
    "Mentions",
]


@dataclass(frozen=True)
class Src:
    """Where something was read: file, sheet (or JSON key) and row."""

    file: str
    sheet: str | None
    row: int | None

    def where(self, column: str | None = None, value: Any = None) -> dict[str, Any]:
        """Keyword arguments for ``ImportReport.add``."""
        return {
            "file": self.file, "sheet": self.sheet, "row": self.row, "column": column,
            "value": None if value is None else str(value),
        }


@dataclass(eq=False)
class OrgMention:
    src: Src
    column: str | None
    name: str | None = None
    id: str | None = None
    cvr: str | None = None
    label: str | None = None  # "Actor" | "Institution" when the file says so
    declared: bool = False
    props: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    context_municipality: str | None = None  # where the row's project or lead is
    seq: int = 0
    how: str = ""  # how it was resolved: id, cvr, name, fuzzy or new
    resolved: Any = None  # the entity it was resolved to

    @property
    def municipality_code(self) -> str | None:
        return self.props.get("municipality_code")


@dataclass(eq=False)
class _Mention:
    """What project, network and event mentions share."""

    src: Src
    column: str | None
    id: str | None = None
    declared: bool = False
    props: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    seq: int = 0
    resolved: Any = None  # the entity it was resolved to


@dataclass(eq=False)
class ProjectMention(_Mention):
    title: str | None = None
    start_year: int | None = None


@dataclass(eq=False)
class NetworkMention(_Mention):
    name: str | None = None


@dataclass(eq=False)
class EventMention(_Mention):
    name: str | None = None
    year: int | None = None


@dataclass(eq=False)
class MunicipalityRow:
    src: Src
    values: dict[str, Any]


@dataclass(eq=False)
class ParticipationLink:
    src: Src
    org: OrgMention
    project: ProjectMention
    role: str


@dataclass(eq=False)
class CollaborationLink:
    src: Src
    a: OrgMention
    b: OrgMention
    since: int | None = None
    source: str | None = None


@dataclass(eq=False)
class MembershipLink:
    src: Src
    org: OrgMention
    network: NetworkMention


@dataclass(eq=False)
class AttendanceLink:
    src: Src
    org: OrgMention
    event: EventMention


@dataclass
class Mentions:
    """Everything the valid rows of all files said, in reading order."""

    orgs: list[OrgMention] = field(default_factory=list)
    projects: list[ProjectMention] = field(default_factory=list)
    networks: list[NetworkMention] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    municipalities: list[MunicipalityRow] = field(default_factory=list)
    participations: list[ParticipationLink] = field(default_factory=list)
    collaborations: list[CollaborationLink] = field(default_factory=list)
    memberships: list[MembershipLink] = field(default_factory=list)
    attendances: list[AttendanceLink] = field(default_factory=list)
