"""The demo generator: deterministic, within its stated ranges, valid, loadable."""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict

import pytest

from graphsvc.demo import NO_TIE_PAIRS, SIZES, generate, write_demo
from graphsvc.model import (
    Actor,
    Attendance,
    Collaboration,
    Event,
    Institution,
    Membership,
    Network,
    Participation,
    Project,
    Records,
)
from graphsvc.reference import municipalities, postcodes
from graphsvc.settings import Settings
from graphsvc.store import open_store
from loaders.canonical import read_canonical

MODELS = {
    "actors": Actor,
    "institutions": Institution,
    "projects": Project,
    "networks": Network,
    "events": Event,
    "participations": Participation,
    "collaborations": Collaboration,
    "memberships": Membership,
    "attendances": Attendance,
}


@pytest.fixture(scope="module")
def demo() -> Records:
    return generate("demo")


def _organisations(records: Records):
    return records.actors + records.institutions


def _project_members(records: Records) -> dict[str, list[Participation]]:
    members: dict[str, list[Participation]] = defaultdict(list)
    for p in records.participations:
        members[p.project_id].append(p)
    return members


def _tied_municipality_pairs(records: Records) -> set[frozenset[str]]:
    """Municipality pairs linked by a shared project or a declared collaboration."""
    muni = {o.id: o.municipality_code for o in _organisations(records)}
    pairs = set()
    for members in _project_members(records).values():
        codes = {muni[p.org_id] for p in members}
        pairs |= {frozenset(pair) for pair in itertools.combinations(sorted(codes), 2)}
    for c in records.collaborations:
        pairs.add(frozenset((muni[c.source_id], muni[c.target_id])))
    return pairs


def test_same_seed_same_records_and_other_seed_differs(demo):
    assert generate("demo") == demo
    other = generate("demo", seed=7)
    assert other != demo
    assert len(_organisations(other)) == len(_organisations(demo))


def test_unknown_size_is_refused():
    with pytest.raises(ValueError, match="unknown demo size 'XL'; choose one of demo, S, M, L"):
        generate("XL")


def test_demo_counts_within_stated_ranges(demo):
    orgs = _organisations(demo)
    assert 1_400 <= len(orgs) <= 1_600
    assert 0.04 <= len(demo.institutions) / len(orgs) <= 0.06
    assert 550 <= len(demo.projects) <= 650
    assert {o.municipality_code for o in orgs} == {m.code for m in municipalities()}
    assert all(o.in_region for o in orgs)


def test_organisations_spread_by_population(demo):
    per = defaultdict(int)
    for o in _organisations(demo):
        per[o.municipality_code] += 1
    assert max(per, key=per.get) == "751"  # Aarhus
    assert min(per, key=per.get) == "741"  # Samsø
    assert per["741"] >= 3


def test_project_sizes_are_heavy_tailed_with_one_lead(demo):
    members = _project_members(demo)
    assert set(members) == {p.id for p in demo.projects}
    sizes = [len(m) for m in members.values()]
    partners = [sum(p.role == "partner" for p in m) for m in members.values()]
    assert all(sum(p.role == "lead" for p in m) == 1 for m in members.values())
    assert 2 <= statistics.median(sizes) <= 4
    assert 2 <= statistics.median(partners) <= 4
    assert min(sizes) >= 2
    assert max(sizes) >= 20
    for p in demo.projects:
        assert 2015 <= p.start_year <= 2025
        assert 0 <= p.end_year - p.start_year <= 3


def test_no_tie_pairs_share_nothing(demo):
    tied = _tied_municipality_pairs(demo)
    muni = {o.id: o.municipality_code for o in _organisations(demo)}
    groups: dict[str, set[str]] = defaultdict(set)
    for m in demo.memberships:
        groups[m.network_id].add(muni[m.org_id])
    for a in demo.attendances:
        groups[a.event_id].add(muni[a.org_id])
    for a, b in NO_TIE_PAIRS:
        assert frozenset((a, b)) not in tied
        assert not any(a in codes and b in codes for codes in groups.values())
    # the constraint is not vacuous: each municipality of a pair has ties elsewhere
    for code in {c for pair in NO_TIE_PAIRS for c in pair}:
        assert any(code in pair for pair in tied)
    # and ties do cross municipal borders
    assert len(tied) > 100


def test_about_a_tenth_have_no_partner(demo):
    orgs = _organisations(demo)
    linked = {p.org_id for p in demo.participations}
    linked |= {c.source_id for c in demo.collaborations} | {c.target_id for c in demo.collaborations}
    linked |= {m.org_id for m in demo.memberships} | {a.org_id for a in demo.attendances}
    alone = [o for o in orgs if o.id not in linked]
    assert 0.08 <= len(alone) / len(orgs) <= 0.12
    assert all(o.id.startswith("org-") for o in alone)
    assert not any(o.id in {i.id for i in demo.institutions} for o in alone)


def test_institutions_are_hubs_and_often_lead(demo):
    inst = {o.id for o in demo.institutions}
    assert {o.size for o in demo.institutions} <= {"medium", "large"}
    assert sum(o.size == "small" for o in demo.actors) / len(demo.actors) > 0.7
    leads = [p for p in demo.participations if p.role == "lead"]
    assert sum(p.org_id in inst for p in leads) / len(leads) > 0.2
    per_org = defaultdict(int)
    for p in demo.participations:
        per_org[p.org_id] += 1
    inst_mean = statistics.mean(per_org[i] for i in inst)
    actor_mean = statistics.mean(per_org[o.id] for o in demo.actors)
    assert inst_mean > 4 * actor_mean


def test_every_record_is_valid(demo):
    for kind, model in MODELS.items():
        for record in getattr(demo, kind):
            assert type(record) is model
            validated = model.model_validate(record.model_dump())
            assert validated == record
            assert repr(validated) == repr(record)
    assert Records.model_validate(demo.model_dump()) == demo


def test_attributes_are_plausible(demo):
    towns = {(r["postcode"], r["town"], r["municipality_code"]) for r in postcodes()}
    centre = {m.code: (m.lat, m.lon) for m in municipalities()}
    for o in _organisations(demo):
        assert (o.postcode, o.town, o.municipality_code) in towns
        lat, lon = centre[o.municipality_code]
        assert abs(o.lat - lat) < 0.5 and abs(o.lon - lon) < 0.8
        assert 1 <= len(o.art_forms) <= 3
        assert len(o.target_groups) <= 3
        if o.cvr:
            weights = (2, 7, 6, 5, 4, 3, 2, 1)
            assert sum(int(d) * w for d, w in zip(o.cvr, weights, strict=True)) % 11 == 0
    names = [o.name for o in _organisations(demo)]
    assert len(set(names)) == len(names)
    assert "Musik & Ord" in names
    assert any('"' in n for n in names) and any("," in n for n in names)
    assert any(ch in n for n in names for ch in "æøå")


def test_ids_unique_and_links_resolve(demo):
    org_ids = [o.id for o in _organisations(demo)]
    project_ids = [p.id for p in demo.projects]
    network_ids = [n.id for n in demo.networks]
    event_ids = [e.id for e in demo.events]
    for ids in (org_ids, project_ids, network_ids, event_ids):
        assert len(set(ids)) == len(ids)
    assert org_ids[0].startswith("org-0") and project_ids[0] == "prj-00001"
    assert "evt-2019-forum" in event_ids and "net-01" in network_ids
    orgs, projects = set(org_ids), set(project_ids)
    assert all(p.org_id in orgs and p.project_id in projects for p in demo.participations)
    assert len({(p.org_id, p.project_id) for p in demo.participations}) == len(demo.participations)
    assert all(c.source_id in orgs and c.target_id in orgs for c in demo.collaborations)
    pairs = [frozenset((c.source_id, c.target_id)) for c in demo.collaborations]
    assert len(set(pairs)) == len(pairs) and all(len(p) == 2 for p in pairs)
    assert all(m.org_id in orgs and m.network_id in set(network_ids) for m in demo.memberships)
    assert all(a.org_id in orgs and a.event_id in set(event_ids) for a in demo.attendances)


def test_size_s_has_two_thousand_organisations():
    records = generate("S")
    assert len(_organisations(records)) == SIZES["S"].organisations == 2_000
    assert len(records.projects) == SIZES["S"].projects


def test_canonical_csv_round_trip(demo, tmp_path):
    paths = write_demo("demo", tmp_path)
    assert {p.name for p in paths} == {f"{kind}.csv" for kind in MODELS}
    assert read_canonical(paths) == demo


def test_loads_into_store_with_expected_counts(demo):
    store = open_store(Settings(in_memory=True))
    try:
        store.write(demo)
        counts = store.counts()
    finally:
        store.close()
    orgs = _organisations(demo)
    assert counts == {
        "Municipality": 99,  # every Danish municipality (and Christiansø)
        "Actor": len(demo.actors),
        "Institution": len(demo.institutions),
        "Project": len(demo.projects),
        "Network": len(demo.networks),
        "Event": len(demo.events),
        "LOCATED_IN": len(orgs),
        "PARTICIPATES_IN": len(demo.participations),
        "TAKES_PLACE_IN": sum(len(p.municipality_codes) for p in demo.projects)
        + sum(e.municipality_code is not None for e in demo.events),
        "MEMBER_OF": len(demo.memberships),
        "ATTENDS": len(demo.attendances),
        "COLLABORATES_WITH": len(demo.collaborations),
    }
