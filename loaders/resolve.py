"""Entity resolution: every mention of an organisation becomes one node, also across files
and against what the store already holds.

In this order (stronger evidence first, so a weaker mention finds the node a stronger one
made):

1. an explicit id (the canonical format) names the node;
2. the CVR number; a mention with a CVR also matches, by name, a node without one;
3. the normalised name within the municipality (``name_key``: case, accents, æøå,
   punctuation and legal form ignored); a node without a municipality matches any;
4. a name without a municipality matches the one node of that name (the one in the
   row's own municipality when there are several; otherwise it is an error to fix);
5. a fuzzy match: the rapidfuzz ``ratio`` of the normalised names is at least the
   threshold, and so is the ratio of the words they do not share; never between names
   that differ in a number or a place name or by a whole word, nor between a pair the
   mapping lists as ``distinct``. Every fuzzy match is reported for review.

Otherwise the mention makes a new node with a stable id: ``org-cvr-<cvr>``, else
``org-<name>-<kommunekode>``, else ``org-<name>`` (``-2``, ``-3`` … if taken).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from loaders.mentions import OrgMention
from loaders.places import municipality_name, place_words
from loaders.report import ImportReport
from loaders.text import name_key, slug

__all__ = ["OrgEntity", "OrgResolver", "new_id"]


@dataclass(eq=False)
class OrgEntity:
    id: str
    label: str | None
    name: str
    cvr: str | None = None
    municipality_code: str | None = None
    stored: dict[str, Any] | None = None
    mentions: list[OrgMention] = field(default_factory=list)
    spellings: dict[str, int] = field(default_factory=dict)
    label_source: OrgMention | None = None

    def where(self) -> str:
        return municipality_name(self.municipality_code) if self.municipality_code else "no municipality"


def new_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is not yet ``taken``."""
    found, n = base, 1
    while found in taken:
        n += 1
        found = f"{base}-{n}"
    taken.add(found)
    return found


def _similar_enough(a: str, b: str, threshold: float) -> bool:
    """Whether two folded names that are similar as a whole may be spellings of one name:
    the same numbers, the same place names, and the words they do not share similar too
    ("handelseskolen"/"handelsskolen" yes; "sejlet"/"spejlet", "birken"/"broen" no;
    a name with a word more is another organisation)."""
    if re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return False
    words_a, words_b = a.split(), b.split()
    if (set(words_a) ^ set(words_b)) & place_words():
        return False
    rest_a = " ".join(w for w in words_a if w not in set(words_b))
    rest_b = " ".join(w for w in words_b if w not in set(words_a))
    if not rest_a and not rest_b:
        return True
    return bool(rest_a and rest_b) and fuzz.ratio(rest_a, rest_b) >= threshold


class _Pool:
    """Names to match fuzzily, by length: a ``ratio`` of at least t needs the shorter
    name to be at least t / (200 - t) of the longer, so only those lengths are compared."""

    def __init__(self):
        self.by_length: dict[int, tuple[list[str], list[OrgEntity]]] = {}

    def add(self, key: str, entity: OrgEntity) -> None:
        keys, entities = self.by_length.setdefault(len(key), ([], []))
        keys.append(key)
        entities.append(entity)

    def near(self, key: str, threshold: float):
        share = threshold / (200 - threshold) if threshold < 200 else 1
        low, high = math.ceil(len(key) * share), math.floor(len(key) / share) if share else 10**6
        for length in range(low, high + 1):
            part = self.by_length.get(length)
            if part:
                yield part


_AMBIGUOUS = object()


def _candidate(e: OrgEntity) -> dict[str, Any]:
    """What the review page shows of one candidate."""
    stored = e.stored or {}
    return {"id": e.id, "name": e.name, "municipality_code": e.municipality_code,
            "municipality": municipality_name(e.municipality_code) if e.municipality_code else None,
            "kind": stored.get("kind"), "label": e.label or stored.get("label"), "cvr": e.cvr}


class OrgResolver:
    """Resolves organisation mentions against each other and the stored organisations."""

    def __init__(self, stored: list[dict[str, Any]], report: ImportReport, *, threshold: float,
                 fuzzy: bool = True, same: list[tuple[str, str]] = (), distinct: list[tuple[str, str]] = (),
                 taken_ids: set[str] | None = None, not_organisations: list[str] = (),
                 merged: dict[str, str] | None = None):
        self.report = report
        self.threshold = threshold
        self.fuzzy = fuzzy
        self.by_id: dict[str, OrgEntity] = {}
        self.by_cvr: dict[str, OrgEntity] = {}
        self.by_key_mun: dict[tuple[str, str | None], OrgEntity] = {}
        self.by_key: dict[str, list[OrgEntity]] = {}
        self.blocks: dict[str | None, _Pool] = {}
        self.everyone = _Pool()
        self.taken = taken_ids if taken_ids is not None else set()
        self.alias = {name_key(a): b for a, b in same}
        self.distinct = {frozenset((name_key(a), name_key(b))) for a, b in distinct}
        self.not_organisations = {name_key(n) for n in not_organisations}
        self.merged = dict(merged or {})
        self.fuzzy_matches: list[dict[str, Any]] = []
        for row in stored:
            entity = OrgEntity(row["id"], row.get("label"), row.get("name") or row["id"], row.get("cvr"),
                               row.get("municipality_code"), stored=row)
            self._add(entity, name_key(entity.name))

    # --- indexes ---------------------------------------------------------------------

    def _add(self, entity: OrgEntity, key: str) -> None:
        self.by_id[entity.id] = entity
        self.taken.add(entity.id)
        if entity.cvr:
            self.by_cvr.setdefault(entity.cvr, entity)
        self._index_key(entity, key, fuzzy=True)

    def _index_key(self, entity: OrgEntity, key: str, *, fuzzy: bool = False) -> None:
        if not key:
            return
        self.by_key_mun.setdefault((key, entity.municipality_code), entity)
        same = self.by_key.setdefault(key, [])
        if entity not in same:
            same.append(entity)
        if fuzzy:
            self.blocks.setdefault(entity.municipality_code, _Pool()).add(key, entity)
            self.everyone.add(key, entity)

    # --- resolving -------------------------------------------------------------------

    def resolve(self, mentions: list[OrgMention]) -> None:
        """Set ``mention.resolved`` for every mention (None where it is an error)."""
        def stage(m: OrgMention) -> int:
            if m.id:
                return 0
            if m.cvr:
                return 1
            if m.name and name_key(m.name) in self.alias:
                return 4  # after the node the mapping points to is made
            return 2 if m.municipality_code else 3

        for m in mentions:
            if m.id and m.id in self.merged:  # an organisation merged into another since
                m.id = self.merged[m.id]
        for m in sorted(mentions, key=lambda m: (stage(m), not m.declared, m.seq)):
            m.how = ""
            if m.name and not (m.id or m.cvr) and name_key(m.name) in self.not_organisations:
                m.how, m.resolved = "not_organisation", None
                self.report.add("info", f"{m.name!r} is no organisation (a stored decision); left out",
                                "undo the decision to import it", code="not_organisation",
                                **m.src.where(m.column, m.name))
                continue
            entity = self._find(m)
            if entity is not None:
                if not m.how:
                    m.how = "new" if not entity.mentions and entity.stored is None else "name"
                self._attach(entity, m)
            m.resolved = entity

    def _find(self, m: OrgMention) -> OrgEntity | None:
        key = name_key(m.name) if m.name else ""
        target = self.alias.get(key) if not (m.id or m.cvr) else None  # an id or CVR is identity
        if target is not None:
            if target in self.by_id:
                return self.by_id[target]
            if re.fullmatch(r"[a-z]+-[\w-]+", target) and name_key(target) not in self.by_key:
                self.report.add("error", f"the mapping says {m.name!r} is {target!r}, which is not in the files or the store",
                                "correct the id in [resolve] same, or load that organisation first",
                                code="unknown_id", **m.src.where(m.column, m.name))
                return None
            key = name_key(target)
        if m.id:
            found = self.by_id.get(m.id)
            m.how = "id" if found is not None else ""
            if found is not None or m.declared:
                return found or self._new(m, key)
            self.report.add("error", f"no organisation with id {m.id!r} in the files or the store",
                            "load the organisation first (or in the same import), or correct the id",
                            code="unknown_id", **m.src.where(m.column, m.id))
            return None
        mun = m.municipality_code
        if m.cvr:
            found = self.by_cvr.get(m.cvr)
            if found is not None:
                m.how = "cvr"
                return found
            # the CVR is identity enough: a name shared by several nodes is no error here
            found = self._by_name(m, key, mun, exclude_cvr=True)
            if isinstance(found, OrgEntity):
                return found
            return self._fuzzy(m, key, mun, no_cvr=True) or self._new(m, key)
        found = self._by_name(m, key, mun, exclude_cvr=False)
        if found is _AMBIGUOUS:
            self._report_ambiguous(m, key)
            return None
        if found is not None:
            return found
        return self._fuzzy(m, key, mun, no_cvr=False) or self._new(m, key)

    def _by_name(self, m: OrgMention, key: str, mun: str | None, *, exclude_cvr: bool) -> OrgEntity | object | None:
        """The node of this name (in this municipality), None, or ``_AMBIGUOUS``."""

        def fits(e: OrgEntity) -> bool:
            return not (exclude_cvr and e.cvr and e.cvr != m.cvr)

        if mun:
            for candidate in (self.by_key_mun.get((key, mun)), self.by_key_mun.get((key, None))):
                if candidate is not None and fits(candidate) and candidate.municipality_code in (None, mun):
                    return candidate
            # a user placed it by hand (a stored decision): the file's municipality is out of date
            placed = [e for e in self.by_key.get(key, []) if fits(e) and e.stored
                      and e.stored.get("municipality_source") == "user"]
            return placed[0] if len(placed) == 1 else None
        same = [e for e in self.by_key.get(key, []) if fits(e)]
        if len(same) == 1:
            return same[0]
        if len(same) > 1:
            local = [e for e in same if m.context_municipality and e.municipality_code == m.context_municipality]
            if len(local) == 1:
                return local[0]
            return _AMBIGUOUS
        return None

    def _report_ambiguous(self, m: OrgMention, key: str) -> None:
        same = self.by_key.get(key, [])
        places = ", ".join(f"{e.name} ({e.where()}; {e.id})" for e in same[:5])
        self.report.add(
            "error", f"{m.name!r} matches {len(same)} organisations: {places}",
            "choose one on the review page, add the municipality or CVR to the row, or say which one "
            f'in a mapping file: [resolve] same = [["{m.name}", "<id>"]]',
            code="ambiguous_name", candidates=[_candidate(e) for e in same], **m.src.where(m.column, m.name),
        )

    def _fuzzy(self, m: OrgMention, key: str, mun: str | None, *, no_cvr: bool) -> OrgEntity | None:
        if not self.fuzzy or not key:
            return None
        pools = [self.everyone] if mun is None else [self.blocks.get(mun, _Pool()), self.blocks.get(None, _Pool())]
        best: tuple[float, OrgEntity, str] | None = None
        for keys, entities in (part for pool in pools for part in pool.near(key, self.threshold)):
            for candidate, score, index in process.extract(
                key, keys, scorer=fuzz.ratio, processor=None, score_cutoff=self.threshold, limit=8
            ):
                entity = entities[index]
                if no_cvr and entity.cvr and entity.cvr != m.cvr:
                    continue
                if mun and entity.municipality_code not in (None, mun):
                    continue
                if frozenset((key, candidate)) in self.distinct or not _similar_enough(key, candidate, self.threshold):
                    continue
                if best is None or score > best[0]:
                    best = (score, entity, candidate)
        if best is None:
            return None
        score, entity, candidate = best
        m.how = "fuzzy"
        self.fuzzy_matches.append({
            "name": m.name, "matched_name": entity.name, "id": entity.id, "score": round(score, 1),
            "file": m.src.file, "sheet": m.src.sheet, "row": m.src.row,
            "keep_apart": f'[resolve] distinct = [["{m.name}", "{entity.name}"]]',
        })
        self.report.add(
            "warning", f"{m.name!r} was taken to be {entity.name!r} ({entity.id}; similarity {score:.0f})",
            f'if they are two organisations, add [resolve] distinct = [["{m.name}", "{entity.name}"]] to a mapping file',
            code="fuzzy_match", candidates=[_candidate(entity)], **m.src.where(m.column, m.name),
        )
        return entity

    def _new(self, m: OrgMention, key: str) -> OrgEntity:
        if m.id:
            base = m.id
        elif m.cvr:
            base = f"org-cvr-{m.cvr}"
        else:
            base = f"org-{slug(m.name or '')}" + (f"-{m.municipality_code}" if m.municipality_code else "")
        entity = OrgEntity(new_id(base, self.taken) if not m.id else base, m.label, m.name or m.id or "",
                           m.cvr, m.municipality_code)
        self.taken.add(entity.id)
        self._add(entity, key)
        return entity

    def _attach(self, entity: OrgEntity, m: OrgMention) -> None:
        entity.mentions.append(m)
        if m.name:
            entity.spellings[m.name] = entity.spellings.get(m.name, 0) + 1
            if m.declared and entity.stored is None and not any(x.declared for x in entity.mentions[:-1]):
                entity.name = m.name  # a list of organisations names them better than a partner cell
        if m.cvr and entity.cvr != m.cvr and (m.declared or not entity.cvr):
            entity.cvr = m.cvr
            self.by_cvr.setdefault(m.cvr, entity)
        mun = m.municipality_code
        if mun and entity.municipality_code != mun and (m.declared or entity.municipality_code is None):
            entity.municipality_code = mun
            self.blocks.setdefault(mun, _Pool()).add(name_key(entity.name), entity)
        if m.name:
            self._index_key(entity, name_key(m.name))
        if m.label:
            if entity.label is None:
                entity.label, entity.label_source = m.label, m
            elif entity.label != m.label and m.declared:
                before = "is stored" if entity.stored else f"was read as {entity.label.lower()} earlier"
                self.report.add(
                    "warning", f"{entity.name!r} {before} as {entity.label.lower()}; this row says {m.label.lower()}; "
                    f"kept {entity.label.lower()}",
                    "to change it, delete the organisation first (graphsvc keeps one kind per organisation)",
                    code="label_conflict", **m.src.where(m.column, m.name),
                )

    # --- results ---------------------------------------------------------------------

    def entities(self) -> list[OrgEntity]:
        """The entities that mentions resolved to, in the order first met."""
        seen: dict[int, OrgEntity] = {}
        for entity in self.by_id.values():
            if entity.mentions:
                seen[id(entity)] = entity
        return list(seen.values())

    def merges(self) -> list[dict[str, Any]]:
        out = []
        for entity in self.entities():
            spellings = set(entity.spellings)
            if entity.stored and entity.stored.get("name"):
                spellings.add(entity.stored["name"])
            if len(spellings) > 1:
                out.append({"id": entity.id, "label": entity.label or "Actor", "name": entity.name,
                            "spellings": sorted(spellings)})
        return out
