"""The decisions stored in the graph, followed by every import.

``with_decisions`` adds the stored decisions (``GraphStore.list_decisions``) to an
import's mapping: a name that is an organisation (``same``), two names that are not
(``distinct``), a partner-cell text kept together, a name that is no organisation, a
merged id. ``apply_corrections`` then sets the fields a user corrected by hand on the
records to write, so no file undoes a correction (docs/loading.md, "Decisions").
"""

from __future__ import annotations

import json
from typing import Any

from graphsvc.model import Actor, Institution, Records
from loaders.mapping import Mapping
from loaders.places import region_codes
from loaders.report import ImportReport

__all__ = ["with_decisions", "apply_corrections", "corrections_of"]


def with_decisions(mapping: Mapping, decisions: list[dict[str, Any]]) -> Mapping:
    """``mapping`` with the stored ``decisions`` added (the mapping's own come first)."""
    if not decisions:
        return mapping
    resolve = mapping.resolve.model_copy(deep=True)
    partners = mapping.partners.model_copy(deep=True)
    corrections = {k: dict(v) for k, v in mapping.corrections.items()}
    for d in decisions:
        kind, name, target = d["kind"], d["name"], d.get("target")
        if kind == "same" and target:
            resolve.same.append((name, target))
        elif kind == "distinct" and target:
            resolve.distinct.append((name, target))
        elif kind == "keep_together":
            partners.keep_together.append(name)
        elif kind == "not_organisation":
            resolve.not_organisations.append(name)
        elif kind == "merge" and target:
            if d.get("value"):
                resolve.merged.setdefault(d["value"], target)
            resolve.same.append((name, target))
        elif kind == "correct" and target and d.get("field"):
            value = d.get("value")
            if d["field"] == "art_forms":
                value = json.loads(value) if value else []
            corrections.setdefault(target, {}).setdefault(d["field"], value if value is not None else "")
    return mapping.model_copy(update={"resolve": resolve, "partners": partners, "corrections": corrections})


def corrections_of(mapping: Mapping) -> dict[str, dict[str, Any]]:
    """id -> field -> value, as the records hold them (an empty value: none)."""
    out: dict[str, dict[str, Any]] = {}
    for org_id, fields in mapping.corrections.items():
        for field, value in fields.items():
            if field == "art_forms":
                value = value if isinstance(value, list) else [v.strip() for v in str(value).split(";") if v.strip()]
            else:
                value = value or None
            out.setdefault(org_id, {})[field] = value
            if field == "municipality_code":
                out[org_id]["municipality_source"] = "user" if value else None
                out[org_id]["in_region"] = (value in region_codes()) if value else None
    return out


def apply_corrections(records: Records, stored: list[dict[str, Any]], mapping: Mapping,
                      report: ImportReport, *, mentioned: set[str] = frozenset()) -> None:
    """Set the corrected fields on the organisations to write; one that then equals what
    the store holds is not written (and counted as unchanged). A stored organisation the
    import mentions (ids in ``mentioned``) but leaves unchanged is written too when the
    store holds another value than the correction (a correction from a mapping file)."""
    corrections = corrections_of(mapping)
    if not corrections:
        return
    by_id = {row["id"]: row for row in stored}
    for kind in ("actors", "institutions"):
        kept = []
        for record in getattr(records, kind):
            fix = corrections.get(record.id)
            if fix is None:
                kept.append(record)
                continue
            record = record.model_copy(update=fix)
            before = by_id.get(record.id)
            dumped = record.model_dump()
            if before is not None and all(_same(dumped[f], before.get(f)) for f in dumped if f != "extra"):
                counts = report.counts.get(kind)
                if counts and counts["updated"]:
                    counts["updated"] -= 1
                    counts["unchanged"] += 1
                report.changes = [c for c in report.changes if c.get("id") != record.id]
                continue
            report.changes = [c for c in report.changes
                              if not (c.get("id") == record.id and c.get("field") in fix)]
            kept.append(record)
        setattr(records, kind, kept)
    # organisations this import does not change, stored with other values than corrected
    written = {r.id for r in [*records.actors, *records.institutions]}
    for org_id, fix in corrections.items():
        row = by_id.get(org_id)
        if row is None or org_id in written or org_id not in mentioned or all(_same(v, row.get(k)) for k, v in fix.items()):
            continue
        kind, model = ("institutions", Institution) if row.get("label") == "Institution" else ("actors", Actor)
        data = {k: v for k, v in row.items() if k in model.model_fields and v is not None}
        data["extra"] = dict(row.get("extra") or {})
        getattr(records, kind).append(model(**data).model_copy(update=fix))
        counts = report.counts.get(kind)
        if counts and counts["unchanged"]:
            counts["unchanged"] -= 1
        report.count(kind, "updated")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return list(a or []) == list(b or [])
    return a == b or (a in (None, "") and b in (None, ""))
