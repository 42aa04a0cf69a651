"""The service layer: what the API, the pages and the CLI ask of the graph.

It reads the store once per store version (``GraphData``), builds the projections from
it and caches them and the analyses' results in a ``ResultCache``.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import networkx as nx

from graphsvc.analysis import (
    CentralityResult,
    CommunitiesResult,
    GapsResult,
    IsolationResult,
    WindowComparison,
    centrality,
    communities,
    compare_windows,
    isolated_actors,
    municipality_gaps,
)
from graphsvc.analysis._results import frame_records, jsonable
from graphsvc.analysis.bridges import Bridges, suggest_bridges
from graphsvc.analysis.projection import GraphData, organisation_graph, read_graph_data
from graphsvc.analysis.suggestions import Suggestions, gaps_lacking, suggest_partners
from graphsvc.cache import ResultCache
from graphsvc.errors import InputError, NotFound
from graphsvc.settings import Settings
from graphsvc.store import GraphStore

__all__ = ["Service", "Years"]

log = logging.getLogger("graphsvc")

Years = tuple[int, int] | None
_METRICS = ("degree", "weighted_degree", "betweenness", "closeness", "harmonic", "eigenvector",
            "pagerank", "constraint", "effective_size", "municipalities_reached", "rank",
            "rank_in_municipality", "rank_in_kind")


def check_years(start: int | None, end: int | None) -> Years:
    """A year window from two optional bounds (None when both are missing)."""
    if start is None and end is None:
        return None
    start = start if start is not None else 1900
    end = end if end is not None else 2100
    if start > end:
        raise InputError(f"the year window {start}–{end} is empty: 'from' must not be after 'to'")
    return (start, end)


class Service:
    def __init__(self, store: GraphStore, settings: Settings):
        self.store = store
        self.settings = settings
        self.cache = ResultCache(lambda: store.version)

    def warm(self) -> None:
        """Compute what the dashboard and most requests need, so the first visitor after
        a start or a write does not wait for all of it."""
        try:
            self.centrality()
            self.isolated()
            self.gaps()
            self.communities()
            self.lacking()
        except Exception:  # noqa: BLE001 - a request will compute it again and report
            log.exception("warming the analyses failed")

    def warm_in_background(self) -> threading.Thread | None:
        """``warm`` in a thread, when the settings ask for it."""
        if not self.settings.warm:
            return None
        thread = threading.Thread(target=self.warm, name="graphsvc-warm", daemon=True)
        thread.start()
        return thread

    # --- data ------------------------------------------------------------------------

    def data(self) -> GraphData:
        return self.cache.get("data", lambda: read_graph_data(self.store))

    def organisations(self) -> dict[str, dict[str, Any]]:
        """Every organisation by id."""
        return self.cache.get("organisations", lambda: {o["id"]: o for o in self.data().organisations})

    def municipalities(self) -> dict[str, dict[str, Any]]:
        return self.cache.get("municipalities", lambda: {m["code"]: m for m in self.data().municipalities})

    def organisation(self, org_id: str) -> dict[str, Any]:
        org = self.organisations().get(org_id)
        if org is None:
            raise NotFound(f"no organisation with id {org_id!r}; search with /api/organisations?q=…")
        return org

    def municipality(self, code: str) -> dict[str, Any]:
        m = self.municipalities().get(code)
        if m is None:
            raise NotFound(
                f"no municipality with code {code!r}; the region's codes are "
                + ", ".join(sorted(self.municipalities()))
            )
        return m

    def projects_of(self, org_id: str) -> list[dict[str, Any]]:
        def index():
            projects = {p["id"]: p for p in self.data().projects}
            by_org: dict[str, list[dict[str, Any]]] = {}
            for row in self.data().participations:
                by_org.setdefault(row["org_id"], []).append({**projects[row["project_id"]], "role": row["role"]})
            for rows in by_org.values():
                rows.sort(key=lambda p: (-(p["start_year"] or 0), p["title"]))
            return by_org

        return self.cache.get("projects_by_org", index).get(org_id, [])

    def municipality_summary(self, code: str) -> dict[str, Any]:
        def counts():
            out: dict[str, int] = {}
            for org in self.organisations().values():
                out[org["municipality_code"]] = out.get(org["municipality_code"], 0) + 1
            return out

        return {**self.municipality(code), "organisations": self.cache.get("orgs_per_municipality", counts).get(code, 0)}

    def search_projects(
        self, *, q: str | None = None, municipality: str | None = None, year: int | None = None
    ) -> list[dict[str, Any]]:
        needle = (q or "").casefold().strip()
        rows = []
        for p in self.data().projects:
            if needle and needle not in (p["title"] or "").casefold():
                continue
            if municipality and municipality not in (p["municipality_codes"] or []):
                continue
            if year is not None:
                start, end = p["start_year"], p["end_year"] or p["start_year"]
                if start is None or not start <= year <= end:
                    continue
            rows.append(p)
        return rows

    def metrics_of(self, org_id: str) -> dict[str, Any]:
        """The organisation's centrality measures over all years."""
        table = self.centrality().table
        if org_id not in table.index:
            return {}
        row = table.loc[org_id]
        return jsonable({k: row[k] for k in _METRICS})

    # --- pages ------------------------------------------------------------------------

    def dashboard(self, lang: str = "da") -> dict[str, Any]:
        counts = self.store.counts()
        isolated = self.isolated(lang=lang).table
        central = self.centrality().ranking(top=10)
        return {
            "counts": counts,
            "ties": self.graph().number_of_edges(),
            "lacking": frame_records(self.gaps().lacking().head(10)),
            "no_ties": frame_records(self.gaps().no_ties),
            "isolated": frame_records(isolated.head(15)),
            "isolated_count": len(isolated),
            "central": frame_records(central),
            "version": self.store.version,
            "store": self.store.description,
        }

    def organisation_page(self, org_id: str, *, lang: str = "da") -> dict[str, Any]:
        org = self.store.get_organisation(org_id)
        partners: dict[str, dict[str, Any]] = {}
        for n in org["neighbours"]:
            p = partners.setdefault(n["id"], {"id": n["id"], "name": n["name"], "via": []})
            p["via"].append(n["via_name"] if n["via"] == "project" else ("erklæret samarbejde" if lang == "da" else "declared collaboration"))
        website = org.get("website") or ""
        return {
            "org": org,
            "municipality": self.municipalities().get(org["municipality_code"]),
            "safe_website": website.startswith(("http://", "https://")),
            "partners": sorted(partners.values(), key=lambda p: (p["name"] or "").casefold()),
            "projects": self.projects_of(org_id),
            "metrics": self.metrics_of(org_id),
            "suggestions": [s.to_dict() for s in self.suggestions(org_id, k=10, lang=lang).suggestions],
        }

    def municipality_page(self, code: str, *, lang: str = "da") -> dict[str, Any]:
        m = self.municipality_summary(code)
        gaps = self.gaps()
        pairs = []
        for row in frame_records(gaps.pairs):
            if code not in (row["code_a"], row["code_b"]):
                continue
            other = "b" if row["code_a"] == code else "a"
            pairs.append({**row, "other_code": row[f"code_{other}"], "other_name": row[f"name_{other}"]})
        pairs.sort(key=lambda p: p["other_name"])
        isolated = self.isolated(lang=lang).table
        ei = frame_records(gaps.ei.loc[[code]])[0] if code in gaps.ei.index else None
        return {
            "m": m,
            "pairs": pairs,
            "ei": ei,
            "isolated": frame_records(isolated[isolated["municipality_code"] == code].head(15)),
            "central": frame_records(self.centrality().ranking(municipality=code, top=10)),
        }

    # --- analyses (cached per store version and arguments) ---------------------------

    def graph(self, years: Years = None) -> nx.Graph:
        return self.cache.get(
            ("graph", years),
            lambda: organisation_graph(self.data(), years=years, params=self.settings.analysis),
        )

    def centrality(self, years: Years = None) -> CentralityResult:
        return self.cache.get(("centrality", years), lambda: centrality(
            self.graph(years), params=self.settings.analysis, municipalities=self.data().municipalities))

    def isolated(self, years: Years = None, lang: str = "da") -> IsolationResult:
        return self.cache.get(("isolated", years, lang), lambda: isolated_actors(
            self.graph(years), params=self.settings.analysis, municipalities=self.data().municipalities,
            lang=lang))

    def gaps(self, years: Years = None) -> GapsResult:
        return self.cache.get(("gaps", years), lambda: municipality_gaps(
            self.graph(years), self.data().municipalities, params=self.settings.analysis))

    def communities(self, years: Years = None, resolution: float | None = None) -> CommunitiesResult:
        return self.cache.get(("communities", years, resolution), lambda: communities(
            self.graph(years), resolution=resolution, params=self.settings.analysis,
            municipalities=self.data().municipalities))

    def compare(self, before: tuple[int, int], after: tuple[int, int]) -> WindowComparison:
        return self.cache.get(("compare", before, after), lambda: compare_windows(
            self.graph(before), self.graph(after), self.data().municipalities,
            params=self.settings.analysis))

    def lacking(self) -> dict[frozenset, float]:
        return self.cache.get("lacking", lambda: gaps_lacking(
            self.graph(), self.data().municipalities, params=self.settings.analysis))

    def suggestions(self, org_id: str, *, k: int = 10, lang: str = "da", **filters: Any) -> Suggestions:
        self.organisation(org_id)
        frozen = tuple(sorted((n, tuple(v) if isinstance(v, list) else v) for n, v in filters.items()))
        key = ("suggestions", org_id, k, lang, frozen)
        return self.cache.get(key, lambda: suggest_partners(
            self.graph(), org_id, k, params=self.settings.suggestions, lacking=self.lacking(),
            lang=lang, municipalities=self.data().municipalities, **filters))

    def bridges(self, *, pairs: int = 5, per_pair: int = 3, lang: str = "da") -> Bridges:
        return self.cache.get(("bridges", pairs, per_pair, lang), lambda: suggest_bridges(
            self.graph(), self.lacking(), pairs=pairs, per_pair=per_pair,
            params=self.settings.suggestions, lang=lang, municipalities=self.data().municipalities))

    def search_organisations(
        self,
        *,
        q: str | None = None,
        municipality: str | None = None,
        label: str | None = None,
        kind: str | None = None,
        size: str | None = None,
    ) -> list[dict[str, Any]]:
        needle = (q or "").casefold().strip()
        rows = []
        for org in self.organisations().values():
            if needle and needle not in (org["name"] or "").casefold():
                continue
            if municipality and org["municipality_code"] != municipality:
                continue
            if label and org["label"] != label:
                continue
            if kind and org["kind"] != kind:
                continue
            if size and org["size"] != size:
                continue
            rows.append(org)
        rows.sort(key=lambda o: ((o["name"] or "").casefold(), o["id"]))
        return rows
