"""Resolution of projects, networks and events: by id, else by the folded name and its
year (a project's start year, an event's year), else by the name alone when only one
thing has it.

A project is one title in one start year: the same title in another year is another
project. New ids: ``prj-<title>-<year>``, ``net-<name>``, ``evt-<name>-<year>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from loaders.report import ImportReport
from loaders.resolve import new_id
from loaders.text import fold, slug

__all__ = ["Thing", "KeyedResolver"]


@dataclass(eq=False)
class Thing:
    id: str
    name: str
    qualifier: int | None
    stored: dict[str, Any] | None = None
    mentions: list[Any] = field(default_factory=list)


class KeyedResolver:
    """``noun`` names the things in messages; ``prefix`` starts new ids; ``name_field`` and
    ``qualifier_field`` are the stored rows' fields (``qualifier_field`` None: names only)."""

    def __init__(self, stored: list[dict[str, Any]], report: ImportReport, *, noun: str, prefix: str,
                 name_attr: str, name_field: str, qualifier_attr: str | None, qualifier_field: str | None,
                 taken_ids: set[str]):
        self.report = report
        self.noun, self.prefix = noun, prefix
        self.name_attr, self.qualifier_attr = name_attr, qualifier_attr
        self.taken = taken_ids
        self.by_id: dict[str, Thing] = {}
        self.by_pair: dict[tuple[str, int | None], Thing] = {}
        self.by_key: dict[str, list[Thing]] = {}
        for row in stored:
            thing = Thing(row["id"], row.get(name_field) or row["id"],
                          row.get(qualifier_field) if qualifier_field else None, stored=row)
            self._add(thing)

    def _add(self, thing: Thing) -> None:
        self.by_id[thing.id] = thing
        self.taken.add(thing.id)
        key = fold(thing.name)
        self.by_pair.setdefault((key, thing.qualifier), thing)
        same = self.by_key.setdefault(key, [])
        if thing not in same:
            same.append(thing)

    def _qualifier(self, m: Any) -> int | None:
        return getattr(m, self.qualifier_attr) if self.qualifier_attr else None

    def resolve(self, mentions: list[Any]) -> None:
        def stage(m: Any) -> int:
            return 0 if m.id else 1 if self._qualifier(m) is not None else 2

        for m in sorted(mentions, key=lambda m: (stage(m), not m.declared, m.seq)):
            thing = self._find(m)
            if thing is not None:
                thing.mentions.append(m)
                if m.declared and getattr(m, self.name_attr) and thing.stored is None and not any(
                    x.declared for x in thing.mentions[:-1]
                ):
                    thing.name = getattr(m, self.name_attr)
                if thing.qualifier is None and self._qualifier(m) is not None:
                    thing.qualifier = self._qualifier(m)
                    self.by_pair.setdefault((fold(thing.name), thing.qualifier), thing)
            m.resolved = thing

    def _find(self, m: Any) -> Thing | None:
        name = getattr(m, self.name_attr)
        qualifier = self._qualifier(m)
        if m.id:
            found = self.by_id.get(m.id)
            if found is None and not m.declared:
                self.report.add("error", f"no {self.noun} with id {m.id!r} in the files or the store",
                                f"load the {self.noun} first (or in the same import), or correct the id",
                                code="unknown_id", **m.src.where(m.column, m.id))
                return None
            return found or self._new(m.id, name or m.id, qualifier, exact=True)
        key = fold(name)
        if qualifier is not None:
            found = self.by_pair.get((key, qualifier))
            if found is None:
                open_ = [t for t in self.by_key.get(key, []) if t.qualifier is None]
                found = open_[0] if len(open_) == 1 else None
            return found or self._new(None, name, qualifier)
        same = self.by_key.get(key, [])
        if len(same) == 1:
            return same[0]
        if len(same) > 1:
            years = ", ".join(f"{t.id} ({t.qualifier})" for t in same[:5])
            self.report.add(
                "error", f"{self.noun} {name!r} is ambiguous: {years}",
                "add the year to the row, or use the id", code="ambiguous_name",
                **m.src.where(m.column, name),
            )
            return None
        return self._new(None, name, None)

    def _new(self, given: str | None, name: str, qualifier: int | None, exact: bool = False) -> Thing:
        if exact and given:
            thing_id = given
        else:
            base = f"{self.prefix}-{slug(name)}" + (f"-{qualifier}" if qualifier is not None else "")
            thing_id = new_id(base, self.taken)
        thing = Thing(thing_id, name, qualifier)
        self._add(thing)
        return thing

    def things(self) -> list[Thing]:
        return [t for t in self.by_id.values() if t.mentions]
