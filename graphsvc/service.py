"""The service layer: what the API, the pages and the CLI ask of the graph.

It reads the store once per store version (``GraphData``), builds the projections from
it and caches them and the analyses' results in a ``ResultCache``.

Every analysis takes a ``scope`` ("region", the default, or "all"; see
``graphsvc.analysis.scope``): the graph is always the whole one, the lists and rankings
hold the organisations in scope, and the scope is part of every cache key.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
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
from graphsvc.analysis._engine import set_processes
from graphsvc.analysis._results import frame_records, jsonable
from graphsvc.analysis.bridges import Bridges, suggest_bridges
from graphsvc.analysis.projection import GraphData, organisation_graph, read_graph_data
from graphsvc.analysis.scope import (
    DEFAULT_SCOPE,
    REGION_CODES,
    Scope,
    check_scope,
    in_scope,
    municipality_label,
    municipality_names,
    region_municipality_filter,
    scope_municipality_rows,
    scope_nodes,
    scope_ties,
)
from graphsvc.analysis.ranker import load_model
from graphsvc.analysis.suggestions import Suggestions, gaps_lacking, suggest_partners
from graphsvc.analysis_gds import gds_centrality, gds_communities, gds_results
from graphsvc.cache import InFlight, ResultCache, deep_size, key_name
from graphsvc.page_filters import OrgFilter, check_size, check_sort, options, pair_projects
from graphsvc.errors import InputError, NotFound
from graphsvc.results_store import PERSISTED, data_fingerprint, results_store_for, settings_fingerprint
from graphsvc.settings import Settings
from graphsvc.store import GraphStore

__all__ = ["Service", "Years"]

log = logging.getLogger("graphsvc")

Years = tuple[int, int] | None
_WARM_PAUSE = 5.0  # seconds the warm-up waits for a quiet moment before each step
_METRICS = ("degree", "weighted_degree", "betweenness", "closeness", "harmonic", "eigenvector",
            "pagerank", "constraint", "effective_size", "municipalities_reached",
            "ties_outside_region", "rank", "rank_in_municipality", "rank_in_kind")


def check_years(start: int | None, end: int | None) -> Years:
    """A year window from two optional bounds (None when both are missing)."""
    if start is None and end is None:
        return None
    start = start if start is not None else 1900
    end = end if end is not None else 2100
    for year in (start, end):
        if not 1900 <= year <= 2100:
            raise InputError(f"the year {year} is outside 1900–2100; give a year in that range")
    if start > end:
        raise InputError(f"the year window {start}–{end} is empty: 'from' must not be after 'to'")
    return (start, end)


class Service:
    def __init__(self, store: GraphStore, settings: Settings, *, one_shot: bool = False):
        """``one_shot``: the service answers once and its process exits (a command), so
        the results it keeps are not measured against ``result_cache_mb``."""
        self.store = store
        self.settings = settings
        set_processes(settings.analysis_processes)
        # the analyses are kept on disk too (results_store): a restart or a command finds them
        self._params_fingerprint = settings_fingerprint(settings)
        self.cache = ResultCache(lambda: store.version, max_bytes=settings.result_cache_mb * 1024 * 1024,
                                 sizeof=None if one_shot else deep_size,
                                 max_windows=settings.cached_year_windows, disk=results_store_for(settings),
                                 fingerprints=self.fingerprints, persisted=lambda key: key_name(key) in PERSISTED)
        self.in_flight = InFlight()  # requests being served (the app counts them)

    def fingerprints(self) -> tuple[str, str]:
        """The data's content fingerprint (computed once per store version) and the
        parameters': what the results kept on disk are filed under."""
        return self.cache.get("fingerprint", self._data_fingerprint), self._params_fingerprint

    def _data_fingerprint(self) -> str:
        """``data_fingerprint`` of the store's data. An embedded store's state stamp is
        looked up first (``content_stamp``): when a process has recorded the fingerprint
        for exactly this state, the graph is not read at all (a command that finds its
        result on disk then reads nothing else)."""
        disk = self.cache.disk
        stamp = self.store.content_stamp() if disk is not None else None
        if stamp is not None:
            found = disk.fingerprint_for(stamp)
            if found is not None:
                return found
        data = self.data()
        fingerprint = data_fingerprint(data)
        # recorded only when nothing was written while the data was read and hashed
        if stamp is not None and self.store.content_stamp() == stamp:
            disk.save_data(fingerprint, data)
            disk.remember_fingerprint(stamp, fingerprint)
        return fingerprint

    def warm(self) -> None:
        """Compute what the dashboard and most requests need, so the first visitor after
        a start or a write does not wait for all of it. Before each step it waits (up to
        ``_WARM_PAUSE`` s) until no request is being served (``in_flight``, counted by the
        app): a request that can be answered from memory or disk does not share the
        interpreter with the warm-up."""
        # the dashboard first: the first page; from disk after a restart, else it computes
        # the analyses; the graph and its per-tie dicts last: the other pages walk it, also
        # when the results came from disk
        steps = (self.dashboard, self.centrality, self.isolated, self.gaps, self.communities, self.lacking,
                 lambda: self.graph().make_edges())
        try:
            for step in steps:
                self.in_flight.wait_quiet(_WARM_PAUSE)
                step()
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
        return self.cache.get("data", self._read_data)

    def _read_data(self) -> GraphData:
        """The graph's tables: from the results folder when a process kept them for exactly
        the store's current state (``content_stamp``), else read from the store."""
        disk = self.cache.disk
        stamp = self.store.content_stamp() if disk is not None else None
        fingerprint = disk.fingerprint_for(stamp) if stamp is not None else None
        if fingerprint is not None:
            data = disk.load_data(fingerprint, self.store.version)
            if data is not None:
                return data
        return read_graph_data(self.store)

    def organisations(self) -> dict[str, dict[str, Any]]:
        """Every organisation by id."""
        return self.cache.get("organisations", lambda: {o["id"]: o for o in self.data().organisations})

    def municipalities(self) -> dict[str, dict[str, Any]]:
        return self.cache.get("municipalities", lambda: {m["code"]: m for m in self.data().municipalities})

    def municipality_names(self) -> dict[str, str]:
        """``{code: name}`` of every municipality: the store's names over the shipped ones."""
        return self.cache.get("municipality_names", lambda: municipality_names(self.data().municipalities))

    def municipality_name(self, code: str | None, lang: str = "da") -> str:
        """A municipality's name to show (never a bare code; "ukendt kommune" for none)."""
        return municipality_label(code, self.municipality_names(), lang)

    def scope_municipalities(self, scope: Scope = DEFAULT_SCOPE) -> list[dict[str, Any]]:
        """The rows of the municipalities analysed in ``scope`` (``scope_codes``), named."""
        scope = check_scope(scope)

        return self.cache.get(("scope_municipalities", scope), lambda: scope_municipality_rows(
            self.graph(), scope, self.data().municipalities))

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
                + ", ".join(sorted(c for c in self.municipalities() if c in REGION_CODES))
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
        self, *, q: str | None = None, municipality: str | None = None, year: int | None = None,
        scope: Scope = DEFAULT_SCOPE,
    ) -> list[dict[str, Any]]:
        """Projects matching the filters; in scope "region" those that take place in one of
        the region's municipalities or have a partner placed in the region."""
        scope = check_scope(scope)
        needle = (q or "").casefold().strip()
        rows = []
        for p in self.data().projects:
            if scope == "region" and p["id"] not in self._region_projects():
                continue
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

    def _region_projects(self) -> frozenset[str]:
        def find():
            orgs = self.organisations()
            found = {p["id"] for p in self.data().projects
                     if set(p.get("municipality_codes") or ()) & REGION_CODES}
            found |= {r["project_id"] for r in self.data().participations
                      if r["org_id"] in orgs and in_scope(orgs[r["org_id"]], "region")}
            return frozenset(found)

        return self.cache.get("region_projects", find)

    def scope_counts(self, scope: Scope = DEFAULT_SCOPE) -> dict[str, int]:
        """The store's counts, with organisations and projects counted in ``scope`` only
        (a project counts when one of its organisations or places is in the region)."""
        counts = dict(self.store.counts())
        if check_scope(scope) == "region":
            orgs = [o for o in self.organisations().values() if in_scope(o, "region")]
            counts["Actor"] = sum(o["label"] == "Actor" for o in orgs)
            counts["Institution"] = sum(o["label"] == "Institution" for o in orgs)
            counts["Project"] = len(self._region_projects())
        return counts

    def scope_ties(self, scope: Scope = DEFAULT_SCOPE) -> int:
        """Ties of the organisation graph with at least one end in ``scope``."""
        return scope_ties(self.graph(), scope)

    def metrics_of(self, org_id: str, scope: Scope = DEFAULT_SCOPE) -> dict[str, Any]:
        """The organisation's centrality measures over all years, ranked in ``scope`` (an
        organisation outside it is ranked among all)."""
        table = self.centrality(scope=scope).table
        if org_id not in table.index:
            table = self.centrality(scope="all").table
        if org_id not in table.index:
            return {}
        row = table.loc[org_id]
        return jsonable({k: row[k] for k in _METRICS})

    # --- pages ------------------------------------------------------------------------

    def dashboard(self, lang: str = "da", scope: Scope = DEFAULT_SCOPE, years: Years = None,
                  filters: OrgFilter | None = None) -> dict[str, Any]:
        """The dashboard in ``scope`` over the year window ``years``; ``filters`` narrow the
        lists (isolated, most central) and, by municipality, the pairs."""
        scope = check_scope(scope)
        filters = filters or OrgFilter()

        def build() -> dict[str, Any]:
            G = self.graph(years)
            isolated = self.isolated(years, lang=lang, scope=scope).table
            isolated = isolated[[filters.matches(G.nodes[i]) for i in isolated.index]] if filters.active else isolated
            result = self.centrality(years, scope=scope)
            central = result.ranking()
            if filters.active:
                central = central[[filters.matches(G.nodes[i]) for i in central.index]]
            gaps = self.gaps(years, scope=scope)
            pairs = gaps.pairs
            if filters.municipality:
                pairs = pairs[(pairs["code_a"] == filters.municipality) | (pairs["code_b"] == filters.municipality)]
            no_ties = gaps.no_ties
            if filters.municipality and len(no_ties):
                no_ties = no_ties[(no_ties["code_a"] == filters.municipality) | (no_ties["code_b"] == filters.municipality)]
            inside = set(scope_nodes(G, scope))
            return {
                "scope": scope,
                "organisations_in_scope": len(result.table),
                "counts": self.scope_counts(scope),
                "ties": scope_ties(G, scope),
                "gap_summary": gaps.summary(),
                # the ten pairs most lacking ties, each with its state (lacking, ok, too little data)
                "lacking": frame_records(pairs.head(10)),
                "no_ties": frame_records(no_ties),
                "isolated": frame_records(isolated.head(15)),
                "isolated_count": len(isolated),
                "central": frame_records(central.head(10)),
                "rank_by": result.params.rank_by,
                "matrix": self.gap_matrix(years, scope),
                "options": options(G.nodes[n] for n in inside),
            }

        # kept on disk with the analyses (unfiltered: filters are many and cheap once the
        # graph is built): after a restart it needs neither the graph nor them
        name = "dashboard_filtered" if filters.active else "dashboard"
        return {**self.cache.get((name, lang, scope, years, filters), build), "version": self.store.version}

    def gap_matrix(self, years: Years = None, scope: Scope = DEFAULT_SCOPE) -> dict[str, Any]:
        """The gaps as a table to show: the municipalities by organisations (most first),
        and per pair its observed and expected count, interval and state."""
        gaps = self.gaps(years, scope=check_scope(scope))
        counts = self.cache.get("orgs_per_municipality_graph", lambda: dict(
            Counter(c for _, c in self.graph().nodes(data="municipality_code") if c)))
        codes = sorted(gaps.observed.index, key=lambda c: (-counts.get(c, 0), self.municipality_name(c)))
        cells = {}
        for row in frame_records(gaps.pairs):
            cell = {k: row.get(k) for k in ("observed", "expected", "ratio", "ratio_low", "ratio_high",
                                              "state", "state_name")}
            cells[(row["code_a"], row["code_b"])] = cells[(row["code_b"], row["code_a"])] = cell
        return {"codes": codes, "names": {c: self.municipality_name(c) for c in codes},
                "organisations": {c: counts.get(c, 0) for c in codes}, "cells": cells}

    def pair_page(self, a: str, b: str, *, lang: str = "da", scope: Scope = DEFAULT_SCOPE,
                  years: Years = None) -> dict[str, Any]:
        """Two municipalities: the gap statistic of the pair, the ties and projects between
        them and the best bridge organisations."""
        scope = check_scope(scope)
        ma, mb = self.municipality(a), self.municipality(b)
        if a == b:
            raise InputError(f"vælg to forskellige kommuner (begge er {a}) / choose two different municipalities "
                             f"(both are {a})")
        gaps = self.gaps(years, scope=scope)
        row = next((r for r in frame_records(gaps.pairs) if {r["code_a"], r["code_b"]} == {a, b}), None)
        G = self.graph(years)
        place = dict(G.nodes(data="municipality_code"))
        ties = []
        for u, v, w in G.edges(data=True):
            if {place.get(u), place.get(v)} == {a, b}:
                x, y = (u, v) if place.get(u) == a else (v, u)
                ties.append({"id_a": x, "name_a": G.nodes[x].get("name"), "id_b": y,
                             "name_b": G.nodes[y].get("name"), "projects": w.get("projects") or 0,
                             "collaborations": w.get("collaborations") or 0})
        ties.sort(key=lambda t: (-(t["projects"] + t["collaborations"]), (t["name_a"] or "").casefold(),
                                 (t["name_b"] or "").casefold()))
        names = {n: G.nodes[n].get("name") for n in G}
        projects = pair_projects(self.data().projects, self.data().participations, place, a, b, years)
        for p in projects:
            p["names_a"] = [names.get(i) for i in p["ids_a"]]
            p["names_b"] = [names.get(i) for i in p["ids_b"]]
        lack = self.lacking(scope).get(frozenset((a, b)), 0.0)
        bridges = self.cache.get(("pair_bridges", a, b, lang, scope, years), lambda: suggest_bridges(
            G, {frozenset((a, b)): lack}, pairs=1, per_pair=5, params=self.settings.suggestions, lang=lang,
            municipalities=self.scope_municipalities("all")))
        return {
            "a": ma, "b": mb, "name_a": self.municipality_name(a, lang), "name_b": self.municipality_name(b, lang),
            "scope": scope, "gap": row, "gap_summary": gaps.summary(), "ties": ties, "projects": projects,
            "collaborations": sum(t["collaborations"] for t in ties),
            "bridges": [p.__dict__ for br in bridges.bridges for p in br.pairs],
        }

    def organisation_page(self, org_id: str, *, lang: str = "da", scope: Scope = DEFAULT_SCOPE) -> dict[str, Any]:
        scope = check_scope(scope)
        org = self.store.get_organisation(org_id)
        partners: dict[str, dict[str, Any]] = {}
        for n in org["neighbours"]:
            p = partners.setdefault(n["id"], {"id": n["id"], "name": n["name"], "via": []})
            p["via"].append(n["via_name"] if n["via"] == "project" else ("erklæret samarbejde" if lang == "da" else "declared collaboration"))
        website = org.get("website") or ""
        return {
            "org": org,
            "municipality": self.municipalities().get(org["municipality_code"]),
            "municipality_name": self.municipality_name(org["municipality_code"], lang),
            "in_region": in_scope(org, "region"),
            "scope": scope,
            "safe_website": website.startswith(("http://", "https://")),
            "size_resolved": (self.graph().nodes[org_id].get("size") if org_id in self.graph() else None) or "unknown",
            "partners": sorted(partners.values(), key=lambda p: (p["name"] or "").casefold()),
            "projects": self.projects_of(org_id),
            "metrics": self.metrics_of(org_id, scope),
            "suggestions": [s.to_dict() for s in self.suggestions(org_id, k=10, lang=lang, scope=scope).suggestions],
        }

    def municipality_page(self, code: str, *, lang: str = "da", scope: Scope = DEFAULT_SCOPE,
                          years: Years = None) -> dict[str, Any]:
        scope = check_scope(scope)
        m = self.municipality_summary(code)
        gaps = self.gaps(years, scope=scope)
        pairs = []
        for row in frame_records(gaps.pairs):
            if code not in (row["code_a"], row["code_b"]):
                continue
            other = "b" if row["code_a"] == code else "a"
            pairs.append({**row, "other_code": row[f"code_{other}"], "other_name": row[f"name_{other}"]})
        pairs.sort(key=lambda p: p["other_name"])
        isolated = self.isolated(years, lang=lang, scope=scope).table
        ei = frame_records(gaps.ei.loc[[code]])[0] if code in gaps.ei.index else None
        return {
            "m": m,
            "scope": scope,
            "pairs": pairs,
            "ei": ei,
            "isolated": frame_records(isolated[isolated["municipality_code"] == code].head(15)),
            "central": frame_records(self.centrality(years, scope=scope).ranking(municipality=code, top=10)),
            "rank_by": self.settings.analysis.rank_by,
        }

    # --- analyses (cached per store version and arguments) ---------------------------

    def graph(self, years: Years = None) -> nx.Graph:
        return self.cache.get(
            ("graph", years),
            lambda: organisation_graph(self.data(), years=years, params=self.settings.analysis),
        )

    def centrality(self, years: Years = None, scope: Scope = DEFAULT_SCOPE) -> CentralityResult:
        """Centrality in ``scope``; of the whole graph in Neo4j GDS when ``gds_results``
        routes it there (``summary()["computed_in"]`` says so)."""
        scope = check_scope(scope)

        def compute() -> CentralityResult:
            G = self.graph(years)
            gds = None if years else self.cache.get(("gds",), lambda: gds_results(self.store, G, self.settings))
            if gds is not None:
                return gds_centrality(G, gds, params=self.settings.analysis,
                                      municipalities=self.data().municipalities, scope=scope)
            return centrality(G, params=self.settings.analysis, municipalities=self.data().municipalities,
                              scope=scope)

        return self.cache.get(("centrality", years, scope), compute)

    def isolated(self, years: Years = None, lang: str = "da", scope: Scope = DEFAULT_SCOPE) -> IsolationResult:
        scope = check_scope(scope)
        return self.cache.get(("isolated", years, lang, scope), lambda: isolated_actors(
            self.graph(years), params=self.settings.analysis, municipalities=self.data().municipalities,
            lang=lang, scope=scope))

    def gaps(self, years: Years = None, scope: Scope = DEFAULT_SCOPE) -> GapsResult:
        """The gaps between the municipalities of ``scope`` (``scope_codes``)."""
        scope = check_scope(scope)
        return self.cache.get(("gaps", years, scope), lambda: municipality_gaps(
            self.graph(years), self.scope_municipalities(scope), params=self.settings.analysis))

    def communities(self, years: Years = None, resolution: float | None = None,
                    scope: Scope = DEFAULT_SCOPE) -> CommunitiesResult:
        scope = check_scope(scope)

        def compute() -> CommunitiesResult:
            G = self.graph(years)
            # GDS's Louvain has no resolution: another one than 1 stays in process
            whole = not years and (resolution or self.settings.analysis.community_resolution) == 1.0
            gds = self.cache.get(("gds",), lambda: gds_results(self.store, G, self.settings)) if whole else None
            if gds is not None:
                return gds_communities(G, gds, params=self.settings.analysis,
                                       municipalities=self.data().municipalities, scope=scope)
            return communities(G, resolution=resolution, params=self.settings.analysis,
                               municipalities=self.data().municipalities, scope=scope)

        return self.cache.get(("communities", years, resolution, scope), compute)

    def compare(self, before: tuple[int, int], after: tuple[int, int],
                scope: Scope = DEFAULT_SCOPE) -> WindowComparison:
        scope = check_scope(scope)
        return self.cache.get(("compare", before, after, scope), lambda: compare_windows(
            self.graph(before), self.graph(after), self.scope_municipalities(scope),
            params=self.settings.analysis, scope=scope))

    def lacking(self, scope: Scope = DEFAULT_SCOPE) -> dict[frozenset, float]:
        scope = check_scope(scope)
        return self.cache.get(("lacking", scope), lambda: gaps_lacking(
            self.graph(), self.scope_municipalities(scope), params=self.settings.analysis))

    def suggestions(self, org_id: str, *, k: int = 10, lang: str = "da", scope: Scope = DEFAULT_SCOPE,
                    **filters: Any) -> Suggestions:
        """Partner suggestions for any organisation; in scope "region" only the region's
        organisations are suggested (``region_municipality_filter``)."""
        scope = check_scope(scope)
        self.organisation(org_id)
        if scope == "region":
            filters = {**filters, "municipality": region_municipality_filter(
                filters.get("municipality"), self.municipality_names())}
        frozen = tuple(sorted((n, tuple(v) if isinstance(v, list) else v) for n, v in filters.items()))
        key = ("suggestions", org_id, k, lang, scope, frozen)
        return self.cache.get(key, lambda: suggest_partners(
            self.graph(), org_id, k, params=self.settings.suggestions, lacking=self.lacking(scope),
            lang=lang, municipalities=self.scope_municipalities("all"),
            model=load_model(None if self.settings.in_memory else self.settings.data_dir), **filters))

    def bridges(self, *, pairs: int = 5, per_pair: int = 3, lang: str = "da",
                scope: Scope = DEFAULT_SCOPE) -> Bridges:
        """Bridge suggestions across the municipality pairs of ``scope`` that lack ties."""
        scope = check_scope(scope)
        return self.cache.get(("bridges", pairs, per_pair, lang, scope), lambda: suggest_bridges(
            self.graph(), self.lacking(scope), pairs=pairs, per_pair=per_pair,
            params=self.settings.suggestions, lang=lang, municipalities=self.scope_municipalities(scope)))

    def search_organisations(
        self,
        *,
        q: str | None = None,
        municipality: str | None = None,
        label: str | None = None,
        kind: str | None = None,
        size: str | None = None,
        scope: Scope = DEFAULT_SCOPE,
        lang: str = "da",
        art_form: str | None = None,
        years: Years = None,
        sort: str = "name",
    ) -> list[dict[str, Any]]:
        """Organisations in ``scope`` matching the filters, each with its ``municipality``
        name, its resolved size (``size_resolved``: the graph's, "unknown" when none) and
        its ``partners`` (in the year window). ``size`` filters on the resolved size; with a
        window only organisations with a project or tie in it are listed. ``sort``: name,
        municipality, kind, size, partners ("-" before it: descending)."""
        scope = check_scope(scope)
        sort = check_sort(sort)
        G = self.graph(years)
        wanted = OrgFilter(kind=kind, art_form=art_form, size=check_size(size))
        from graphsvc.search import matching_names

        named = matching_names(q, {i: o["name"] for i, o in self.organisations().items() if in_scope(o, scope)})
        rows = []
        for org in self.organisations().values():
            if not in_scope(org, scope):
                continue
            if named is not None and org["id"] not in named:
                continue
            if municipality and org["municipality_code"] != municipality:
                continue
            if label and org["label"] != label:
                continue
            attrs = G.nodes[org["id"]] if org["id"] in G else {}
            if not wanted.matches(attrs):
                continue
            partners = G.degree(org["id"]) if org["id"] in G else 0
            if years is not None and not (partners or attrs.get("n_projects")):
                continue
            rows.append({**org, "municipality": self.municipality_name(org["municipality_code"], lang),
                         "size_resolved": attrs.get("size") or "unknown", "partners": partners})
        rows.sort(key=lambda o: ((o["name"] or "").casefold(), o["id"]))
        key, descending = sort.lstrip("-"), sort.startswith("-")
        if key != "name" or descending:  # stable: ties stay by name
            order = {"large": 0, "medium": 1, "small": 2, "unknown": 3}
            rows.sort(key=lambda o: (order[o["size_resolved"]] if key == "size" else o["partners"]
                                     if key == "partners" else (o[key] or "").casefold()), reverse=descending)
        return rows
