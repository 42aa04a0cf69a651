"""A 50 MB export from a grant system: long descriptions with line breaks, a lead and
partners per row. Generated here (seeded), not kept in the repository."""

from __future__ import annotations

import csv
import random

import pytest

from graphsvc.reference import municipalities
from loaders import import_files

WORDS = ("kultur", "musik", "teater", "børn", "unge", "fællesskab", "landsby", "fjord", "scene", "værksted",
         "formidling", "frivillige", "publikum", "samarbejde", "kunst", "ældre", "bibliotek", "festival")
KINDS = ("Kor", "Teater", "Kunstforening", "Musikskole", "Bibliotek", "Festival", "Spillested", "Museum",
         "Danseskole", "Filmklub")


def _write_export(path, *, rows: int, organisations: int, seed: int = 7) -> tuple[int, int, int]:
    """Write the export; return (projects, distinct organisation–project pairs, leads).
    Only a lead's row says its municipality, so only leads get one."""
    rng = random.Random(seed)
    places = [m.name for m in municipalities()]
    orgs = [(f"{KINDS[i % len(KINDS)]} {i // len(KINDS) + 1} {places[i % len(places)]}", places[i % len(places)])
            for i in range(organisations)]
    pairs, leads = 0, set()
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(["Projekttitel", "Ansøger", "Kommune", "Partnere", "Bevilget beløb", "År", "Projektbeskrivelse"])
        for n in range(rows):
            lead = rng.randrange(organisations)
            partners = {rng.randrange(organisations) for _ in range(rng.randint(1, 3))} - {lead}
            pairs += 1 + len(partners)
            leads.add(lead)
            text = "\n".join(" ".join(rng.choices(WORDS, k=60)).capitalize() + "." for _ in range(22))
            out.writerow([f"Projekt {n + 1}: {rng.choice(WORDS)} og {rng.choice(WORDS)}", orgs[lead][0], orgs[lead][1],
                          "; ".join(orgs[p][0] for p in sorted(partners)),
                          f"{rng.randrange(10, 500) * 1000:,}".replace(",", "."), rng.randrange(2015, 2026), text])
    return rows, pairs, len(leads)


@pytest.mark.slow
def test_a_50_mb_grant_export(store, tmp_path):
    path = tmp_path / "tilskud_eksport.csv"
    projects, pairs, leads = _write_export(path, rows=5_000, organisations=800)
    assert 50 * 2**20 <= path.stat().st_size <= 58 * 2**20
    report = import_files(store, [path])
    assert report.errors == [] and report.fuzzy == []
    assert report.counts == {
        "actors": {"created": 800, "updated": 0, "unchanged": 0},
        "projects": {"created": projects, "updated": 0, "unchanged": 0},
        "participations": {"created": pairs, "updated": 0, "unchanged": 0},
    }
    counts = store.counts()
    # leads are placed by the Kommune column, the others (only ever partners) by the
    # municipality in their names
    assert leads < 800
    assert (counts["Actor"], counts["Project"], counts["PARTICIPATES_IN"], counts["LOCATED_IN"]) == (
        800, projects, pairs, 800)
    assert report.placement == {"column": leads, "name": 800 - leads}
