"""The product end to end on the demo sizes, each stage beside the fastest peer library.

    python bench/bench_all.py [--sizes S M L] [--seed 2026] [--repeat 3] [--json FILE]
                              [--compare EARLIER.json] [--write-docs [--docs FILE]]

Each size runs in its own subprocess: generate the set as canonical CSV files
(``graphsvc.demo.write_demo``), import them into a fresh on-disk LadybugDB store
(``loaders.import_files``), import them again unchanged, then the full analysis as the
service runs it — read the graph from the store (``read_graph_data``), the projection
(``organisation_graph``), centrality, isolated actors, municipality gaps, communities —
then partner suggestions, the interactive network map and the exports (XLSX table,
GEXF). Peers get exactly the same input: the same rows, the same ties, the same sampled
sources and seed; they run after all of the product's stages. Prints per stage the
product's wall and CPU seconds, its peak memory, the fastest peer's seconds and the
ratio. ``docs/performance.md`` defines every column and stage; ``--write-docs``
rewrites it from this run, ``--compare`` adds an earlier run's times (``--json``)."""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

SIZES = ("demo", "S", "M", "L")
NETWORKX_SIZES = ("demo", "S", "M")
REPEAT = 3
CHEAP_S = 20.0  # a stage whose first run takes longer is run once
SAMPLE = 100  # organisations whose suggestions are timed one by one
CLI = True  # time the four `graphsvc analyse` commands
STAGES = (
    ("generate", "generate the set as canonical CSV files"),
    ("import", "first import into a fresh on-disk store"),
    ("re-import", "the same files again, unchanged"),
    ("read", "read the graph from the store"),
    ("projection", "rows → weighted organisation ties"),
    ("centrality", "centrality (all measures)"),
    ("· betweenness", "betweenness (the same sources)"),
    ("· closeness + harmonic", "closeness + harmonic (the same sources)"),
    ("· pagerank + eigenvector", "PageRank + eigenvector"),
    ("· constraint", "Burt's constraint"),
    ("isolated", "isolated actors"),
    ("gaps", "municipality gaps"),
    ("communities", "communities (Leiden or Louvain, as the settings say)"),
    ("full analysis", "read + projection + the four analyses"),
    ("full analysis, own process", "the same in a process of its own, as a command runs it (peak: that process's)"),
    ("full, pure networkx", "the same, engine = networkx"),
    ("full, igraph run", "the same stages in pandas + scipy + igraph"),
    ("analyse ×4, CLI", "the four `graphsvc analyse` commands one after another, start-up aside"),
    ("suggestions, first", "one organisation, cold"),
    ("suggestions, one", "one organisation, warm (median of a sample)"),
    ("suggestions, sample", f"{SAMPLE} organisations one after another"),
    ("map", "interactive network map (HTML)"),
    ("export xlsx", "tables as XLSX"),
    ("export gexf", "the graph as GEXF"),
)
COLUMNS = ("stage", "runs", "graphsvc s", "CPU s", "peak MB", "fastest peer", "peer s", "peer CPU s", "ratio",
           "note")


# --- measuring ----------------------------------------------------------------------


def _rss_mb() -> float:
    """The peak resident memory of this process (``ru_maxrss``, KiB on Linux) since the
    start or since ``reset_peak`` last succeeded."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> bool:
    """Start the peak resident memory afresh (Linux: 5 into /proc/self/clear_refs resets
    it, ``ru_maxrss`` included); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


PER_STAGE = reset_peak()  # whether the peaks are per stage or since the process started


def _cpu() -> float:
    """CPU seconds of this process and of the child processes it has waited for (the
    analyses compute betweenness in a forked child on a large graph)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def clock_warm(fn, *args, **kwargs):
    """``clock`` without starting the peak memory afresh."""
    wall, cpu = time.perf_counter(), _cpu()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - wall, _cpu() - cpu


def clock(fn, *args, **kwargs):
    """(result, wall seconds, CPU seconds); the peak memory starts afresh."""
    reset_peak()
    return clock_warm(fn, *args, **kwargs)


def repeated(fn):
    """(result of the last run, median wall, median CPU, runs): ``REPEAT`` runs, or one
    when the first takes longer than ``CHEAP_S``."""
    repeat = REPEAT
    out, wall, cpu = clock(fn)
    walls, cpus = [wall], [cpu]
    while len(walls) < repeat and walls[0] < CHEAP_S:
        out, wall, cpu = clock(fn)
        walls.append(wall)
        cpus.append(cpu)
    return out, statistics.median(walls), statistics.median(cpus), len(walls)


class Table:
    """The rows of one size: the product's figures first, the peers' added later."""

    def __init__(self):
        self.rows = {key: {"stage": key, "runs": None, "wall": None, "cpu": None, "peak_mb": None,
                           "peer": None, "peer_wall": None, "peer_cpu": None, "note": ""} for key, _ in STAGES}

    def product(self, key, wall, cpu, runs, note: str = "", peak_mb: float | None = None):
        peak = _rss_mb() if peak_mb is None else peak_mb  # 0: not known
        self.rows[key].update(wall=wall, cpu=cpu, runs=runs, peak_mb=round(peak) if peak else None)
        self.note(key, note)

    def peer(self, key, name, wall, note: str = "", cpu=None):
        row = self.rows[key]
        if row["peer_wall"] is None or wall < row["peer_wall"]:
            row.update(peer=name, peer_wall=wall, peer_cpu=cpu)
        self.note(key, note)

    def note(self, key, text):
        if text:
            row = self.rows[key]
            row["note"] = f"{row['note']}; {text}" if row["note"] else text


# --- the product ----------------------------------------------------------------------


def full_analysis(store, params):
    """read + projection + the four analyses, each timed: ({stage: result},
    {stage: (wall, cpu, peak MB)})."""
    from graphsvc.analysis import centrality, communities, isolated_actors, municipality_gaps
    from graphsvc.analysis.projection import organisation_graph, read_graph_data
    from graphsvc.analysis.scope import scope_municipality_rows

    out, times = {}, {}

    def stage(key, fn, *args, **kwargs):
        out[key], wall, cpu = clock(fn, *args, **kwargs)
        times[key] = (wall, cpu, _rss_mb())
        return out[key]

    data = stage("read", read_graph_data, store)
    G = stage("projection", organisation_graph, data, params=params)
    munis = data.municipalities
    stage("centrality", centrality, G, params=params, municipalities=munis)
    stage("isolated", isolated_actors, G, params=params, municipalities=munis)
    # as the service and `graphsvc analyse gaps` compute it by default: the region's
    # municipalities (scope "region"), not every one the store names
    stage("gaps", municipality_gaps, G, scope_municipality_rows(G, "region", munis), params=params)
    stage("communities", communities, G, params=params, municipalities=munis)
    return out, times


def product_stages(size: str, seed: int, tmp: Path, table: Table) -> dict:
    from graphsvc.analysis import AnalysisParams
    from graphsvc.demo import write_demo
    from graphsvc.settings import Settings
    from graphsvc.store import open_store
    from loaders import import_files

    files, wall, cpu = clock(write_demo, size, tmp / "files", seed=seed)
    files = sorted(files)
    table.product("generate", wall, cpu, 1)
    store = open_store(Settings(data_dir=tmp / "store"))
    for key in ("import", "re-import"):
        report, wall, cpu = clock(import_files, store, files)
        totals = report.totals()
        table.product(key, wall, cpu, 1, f"created {totals['created']:,}, unchanged {totals['unchanged']:,}, "
                      f"errors {len(report.errors)}")

    params = AnalysisParams()
    last, first = full_analysis(store, params)
    runs = [first]
    while len(runs) < REPEAT and sum(t[0] for t in first.values()) < 3 * CHEAP_S:
        last = None  # one run's results in memory at a time
        last, times = full_analysis(store, params)
        runs.append(times)
    for key in first:
        table.product(key, statistics.median(r[key][0] for r in runs), statistics.median(r[key][1] for r in runs),
                      len(runs), peak_mb=max(r[key][2] for r in runs))
    table.product("full analysis", statistics.median(sum(t[0] for t in r.values()) for r in runs),
                  statistics.median(sum(t[1] for t in r.values()) for r in runs), len(runs),
                  peak_mb=max(t[2] for r in runs for t in r.values()))
    own_process(tmp / "store", table)
    G, data = last["projection"], last["read"]
    table.note("projection", f"{G.number_of_nodes():,} organisations, {G.number_of_edges():,} ties")
    method = last["communities"].summary().get("method", "louvain")
    table.note("communities", f"{method}, modularity {last['communities'].modularity:.4f}")
    cent = last["centrality"]
    table.note("centrality", f"betweenness {cent.betweenness_method}, {cent.sources} sources; "
               f"closeness {cent.closeness_sources} sources")

    _suggestions(G, last["gaps"], seed, table)
    _map_and_exports(G, last, table)
    counts = store.counts()
    store.close()
    if CLI:
        cli_analyses(tmp / "store", table)
    else:
        table.note("analyse ×4, CLI", "not run (--no-cli)")
    return {"G": G, "data": data, "params": params, "files": files, "store_dir": tmp / "store", "counts": counts,
            "gaps": last["gaps"], "isolated": last["isolated"]}


def own_process(store_dir: Path, table: Table) -> None:
    """The full analysis once in a new process: its wall time (imports and opening the
    store aside) and its peak resident memory (VmHWM, everything included)."""
    code = (
        "import json, sys, time\n"
        f"sys.path.insert(0, {str(ROOT / 'bench')!r})\n"
        "from pathlib import Path\n"
        "import bench_all\n"
        "bench_all.reset_peak = lambda: False  # the peak of the whole process\n"
        "from bench_all import full_analysis\n"
        "from graphsvc.analysis import AnalysisParams\n"
        "from graphsvc.settings import Settings\n"
        "from graphsvc.store import open_store\n"
        "store = open_store(Settings(data_dir=Path(sys.argv[1])))\n"
        "wall = time.perf_counter()\n"
        "full_analysis(store, AnalysisParams())\n"
        "wall = time.perf_counter() - wall\n"
        "peak = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
        "print(json.dumps({'wall': wall, 'peak_mb': peak / 1024}))\n"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "-c", code, str(store_dir)], cwd=ROOT, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        table.note("full analysis, own process", f"failed: {proc.stderr.strip()[-200:]}")
        return
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    table.product("full analysis, own process", out["wall"],
                  (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), 1,
                  "CPU: the whole process, imports included", peak_mb=out["peak_mb"])


def cli_analyses(store_dir: Path, table: Table) -> None:
    """The four ``graphsvc analyse`` commands on the store, each in a process of its own,
    less four times the start-up (``graphsvc analyse centrality --help``, median of 3)."""
    # each command reports its own peak (VmHWM: its memory since exec; ru_maxrss would
    # count the pages of this process it was forked from)
    command = [sys.executable, "-c", "import atexit, sys\n"
               "atexit.register(lambda: sys.stderr.write(''.join(line for line in open('/proc/self/status') "
               "if line.startswith('VmHWM'))))\n"
               "from graphsvc.cli import main\nsys.exit(main())", "analyse"]
    peaks = []

    def run(*args) -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter()
        proc = subprocess.run([*command, *args], cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - wall
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode:
            raise RuntimeError(f"graphsvc analyse {' '.join(args)}: {proc.stderr.strip()[-300:]}")
        peaks.extend(int(line.split()[1]) / 1024 for line in proc.stderr.splitlines() if line.startswith("VmHWM"))
        return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)

    try:
        starts = [run("centrality", "--help") for _ in range(3)]
        each = {name: run(name, "--data-dir", str(store_dir)) for name in ("centrality", "isolated", "gaps",
                                                                        "communities")}
    except RuntimeError as e:
        table.note("analyse ×4, CLI", f"failed: {str(e)[:200]}")
        return
    start = (statistics.median(t[0] for t in starts), statistics.median(t[1] for t in starts))
    peaks = peaks[len(starts):]
    wall, cpu = sum(t[0] for t in each.values()), sum(t[1] for t in each.values())
    table.product("analyse ×4, CLI", wall - 4 * start[0], cpu - 4 * start[1], 1,
                  f"{wall:.2f} s with start-up ({start[0]:.2f} s each); "
                  + ", ".join(f"{k} {t[0]:.2f}" for k, t in each.items()),
                  peak_mb=max(peaks) if peaks else 0)


def _suggestions(G, gaps, seed: int, table: Table) -> None:
    from graphsvc.analysis.suggestions import lack_scores, suggest_partners

    lacking = lack_scores(gaps)
    ids = sorted(G.nodes)
    rng = np.random.default_rng(seed)
    sample = [ids[i] for i in rng.choice(len(ids), min(SAMPLE, len(ids)), replace=False)]
    _, wall, cpu = clock(suggest_partners, G, sample[0], 10, lacking=lacking)
    table.product("suggestions, first", wall, cpu, 1, "builds the suggestion index of the graph")
    reset_peak()
    times = [clock_warm(suggest_partners, G, org, 10, lacking=lacking)[1:] for org in sample]
    table.product("suggestions, one", statistics.median(t[0] for t in times),
                  statistics.median(t[1] for t in times), len(times),
                  f"p95 {sorted(t[0] for t in times)[int(0.95 * (len(times) - 1))] * 1000:.1f} ms")
    table.product("suggestions, sample", sum(t[0] for t in times), sum(t[1] for t in times), 1)


def _map_and_exports(G, last, table: Table) -> None:
    from visualizations import exports
    from visualizations.html import render_html
    from visualizations.maps import network_map
    from visualizations.sheets import readable_tables

    iso = last["isolated"]
    reasons = iso.reasons_in("da")
    lacking = last["gaps"].lacking()
    options = {"metrics": last["centrality"].table, "membership": last["communities"].membership,
               "isolated": {str(i): list(reasons.loc[i]) for i in iso.table.index}}
    extra = {"lacking": list(zip(lacking["code_a"].astype(str), lacking["code_b"].astype(str)))[:10],
             "lacking_total": len(lacking), "expected": last["gaps"].expected}

    def html():
        return render_html(network_map(G, **options, **extra)).encode("utf-8")

    def xlsx():
        return exports.xlsx_bytes(readable_tables(exports.tables(G, **options), "da"))

    def gexf():
        return exports.graph_bytes(exports.export_graph(G, viz=True, **options), "gexf")

    for key, fn in (("map", html), ("export xlsx", xlsx), ("export gexf", gexf)):
        try:
            data, wall, cpu, runs = repeated(fn)
        except Exception as e:  # noqa: BLE001 - a stage that fails is reported, the others still run
            table.note(key, f"failed: {type(e).__name__}: {str(e)[:120]}")
            continue
        table.product(key, wall, cpu, runs, f"{len(data) / 1e6:.1f} MB")


# --- the peers --------------------------------------------------------------------------


def _frames(data) -> dict:
    """The rows of ``GraphData`` as data frames (lists joined with ';')."""
    import pandas as pd

    out = {}
    for name in ("municipalities", "organisations", "projects", "participations", "collaborations",
                 "networks", "events", "memberships", "attendances"):
        rows = getattr(data, name)
        if hasattr(rows, "to_pandas"):  # an Arrow table
            rows = rows.to_pandas()
        df = pd.DataFrame(rows)
        for col in df.columns:
            if df[col].map(lambda v: isinstance(v, (list, tuple, dict))).any():
                df[col] = df[col].map(lambda v: ";".join(map(str, v)) if isinstance(v, (list, tuple))
                                      else json.dumps(v) if isinstance(v, dict) else v)
        out[name] = df
    return out


def parquet() -> bool:
    """Whether pandas can write and read Parquet here (pyarrow installed)."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def write_rows(frames: dict, folder: Path) -> str:
    """The rows written once for the reading peer: Parquet where pyarrow is installed,
    else CSV; the name of the pandas function that reads them."""
    folder.mkdir()
    for name, df in frames.items():
        if parquet():
            df.to_parquet(folder / f"{name}.parquet", index=False)
        else:
            df.to_csv(folder / f"{name}.csv", index=False)
    return "read_parquet" if parquet() else "read_csv"


def peer_read(folder: Path) -> dict:
    import pandas as pd

    if parquet():
        return {p.stem: pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}
    return {p.stem: pd.read_csv(p, dtype={"org_id": str, "project_id": str, "source_id": str,
                                          "target_id": str, "id": str, "code": str})
            for p in sorted(folder.glob("*.csv"))}


def peer_projection(frames: dict, params):
    """W = B·diag(w)·Bᵀ without its diagonal, plus the declared collaborations, as the
    upper triangle (organisations in id order)."""
    import pandas as pd
    import scipy.sparse as sp

    from graphsvc.analysis.projection import pair_weight

    ids = np.sort(frames["organisations"]["id"].to_numpy(str))
    n = len(ids)
    part = frames["participations"]
    org = np.searchsorted(ids, part["org_id"].to_numpy(str))
    ok = (org < n) & (ids[np.minimum(org, n - 1)] == part["org_id"].to_numpy(str))
    proj, _ = pd.factorize(part["project_id"].to_numpy()[ok])
    B = sp.csr_array((np.ones(ok.sum()), (org[ok], proj)), shape=(n, proj.max() + 1 if len(proj) else 0))
    B.sum_duplicates()
    B.data[:] = 1.0
    size = np.asarray(B.sum(axis=0)).ravel().astype(np.int64)
    weight = np.zeros(len(size))
    for k in np.unique(size[size > 1]).tolist():
        weight[size == k] = params.project_weight * pair_weight(k, params.project_weighting,
                                                                params.project_weight_cap)
    W = sp.triu(B @ sp.diags_array(weight) @ B.T, k=1)
    collab = frames["collaborations"]
    a = np.searchsorted(ids, collab["source_id"].to_numpy(str))
    b = np.searchsorted(ids, collab["target_id"].to_numpy(str))
    keep = (a < n) & (b < n) & (a != b)
    a, b = a[keep], b[keep]
    keep = (ids[a] == collab["source_id"].to_numpy(str)[keep]) & (ids[b] == collab["target_id"].to_numpy(str)[keep])
    a, b = a[keep], b[keep]
    C = sp.coo_array((np.full(len(a), params.collaboration_weight), (np.minimum(a, b), np.maximum(a, b))),
                     shape=(n, n))
    T = (W + C).tocoo()
    T.sum_duplicates()
    keep = T.data > 0
    return n, T.row[keep], T.col[keep], T.data[keep]


def _same_ties(G, peer) -> str:
    n, heads, tails, weights = peer
    nodes = sorted(G.nodes)
    index = {v: i for i, v in enumerate(nodes)}
    mine = sorted((min(index[u], index[v]), max(index[u], index[v]), w) for u, v, w in G.edges(data="weight"))
    theirs = sorted(zip(heads.tolist(), tails.tolist(), weights.tolist()))
    if len(mine) != len(theirs):
        return f"DIFFERENT ties: {len(theirs):,} from scipy, {len(mine):,} from graphsvc"
    same = all(a[:2] == b[:2] and abs(a[2] - b[2]) <= 1e-9 * max(1.0, abs(a[2])) for a, b in zip(mine, theirs))
    return "same ties and weights as graphsvc" if same else "DIFFERENT weights from graphsvc"


def _igraph(G):
    import igraph as ig

    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    edges = [(index[u], index[v], w) for u, v, w in G.edges(data="weight")]
    g = ig.Graph(n=len(nodes), edges=[(a, b) for a, b, _ in edges], directed=False)
    g.es["weight"] = [w for _, _, w in edges]
    return g, nodes, index


def _sources(G, params):
    n = G.number_of_nodes()
    if n <= params.betweenness_exact_max_nodes or params.betweenness_samples >= n:
        return None
    return random.Random(params.seed).sample(list(G), params.betweenness_samples)


def igraph_centrality(g, src, params) -> dict[str, tuple[float, float]]:
    """Wall and CPU seconds of each of the product's measures in igraph, from the same sources."""
    t = {}
    _, *t["· betweenness"] = clock(g.betweenness, directed=False, sources=src)

    def paths():
        if src is None:
            return g.closeness(mode="all"), g.harmonic_centrality(mode="all")
        D = np.array(g.distances(source=src[: params.closeness_samples], mode="all"))
        finite = np.isfinite(D) & (D > 0)
        return np.where(finite, D, 0).sum(axis=0), np.where(finite, 1 / np.where(finite, D, 1), 0).sum(axis=0)

    _, *t["· closeness + harmonic"] = clock(paths)
    _, *t["· pagerank + eigenvector"] = clock(lambda: (g.pagerank(weights="weight", damping=params.pagerank_alpha),
                                                      g.eigenvector_centrality(weights="weight", scale=False)))
    _, *t["· constraint"] = clock(g.constraint, weights="weight")
    return t


def _resolution(params) -> float:
    """The modularity resolution of the communities (named differently before and after
    the analyses could use Leiden)."""
    for name in ("community_resolution", "louvain_resolution"):
        if hasattr(params, name):
            return getattr(params, name)
    return 1.0


def igraph_louvain(g, params):
    import igraph as ig

    ig.set_random_number_generator(random.Random(params.seed))
    try:
        return g.community_multilevel(weights="weight", resolution=_resolution(params))
    finally:
        ig.set_random_number_generator(random)


def igraph_leiden(g, params):
    import igraph as ig

    ig.set_random_number_generator(random.Random(params.seed))
    try:
        return g.community_leiden(objective_function="modularity", weights="weight",
                                  resolution=_resolution(params), n_iterations=2)
    finally:
        ig.set_random_number_generator(random)


def peer_stages(size: str, tmp: Path, run: dict, table: Table, missing: list[str]) -> None:
    G, data, params = run["G"], run["data"], run["params"]

    # reading: the same rows written once to Parquet (or CSV), read with pandas
    folder = tmp / "rows"
    reader = write_rows(_frames(data), folder)
    read, wall, cpu, runs = repeated(lambda: peer_read(folder))
    table.peer("read", f"pandas {reader}", wall, f"peer: median of {runs}", cpu)

    # projection: scipy sparse B·diag(w)·Bᵀ
    ties, wall, cpu, runs = repeated(lambda: peer_projection(read, params))
    table.peer("projection", "scipy B·diag(w)·Bᵀ", wall, _same_ties(G, ties), cpu)

    # centrality and Louvain: igraph (and networkit) on the same ties
    (g, nodes, _), wall, _ = clock(_igraph, G)
    table.note("centrality", f"igraph graph built in {wall:.2f} s (not counted)")
    names = list(G)
    index = {v: i for i, v in enumerate(names)}
    src = _sources(G, params)
    src = None if src is None else [index[s] for s in src]
    with warnings.catch_warnings():  # igraph warns of eigenvector values near 0 on a disconnected graph
        warnings.simplefilter("ignore", RuntimeWarning)
        per = [igraph_centrality(g, src, params) for _ in range(REPEAT)]
    measures = {k: (statistics.median(p[k][0] for p in per), statistics.median(p[k][1] for p in per))
                for k in per[0]}
    for key, (wall, cpu) in measures.items():
        table.peer(key, "igraph", wall, cpu=cpu)
    table.peer("centrality", "igraph (Σ of the · rows)", sum(m[0] for m in measures.values()),
               cpu=sum(m[1] for m in measures.values()))

    louvain = {}
    part, wall, cpu, runs = repeated(lambda: igraph_louvain(g, params))
    louvain["igraph multilevel"] = (wall, cpu, part.modularity)
    part, wall, cpu, runs = repeated(lambda: igraph_leiden(g, params))
    louvain["igraph Leiden"] = (wall, cpu, g.modularity(part.membership, weights="weight",
                                                   resolution=_resolution(params)))
    try:
        import networkit as nk
    except ImportError:
        missing.append("networkit (pip install -e '.[bench]')")
    else:
        nk.setNumberOfThreads(1)
        nk.setSeed(params.seed, False)
        edges = np.array([(index[u], index[v]) for u, v in G.edges()], np.int64).reshape(-1, 2)
        weights = np.array([w for _, _, w in G.edges(data="weight")], float)
        gk, wall, _ = clock(lambda: nk.graph.GraphFromCoo(
            (weights, (edges[:, 0].astype(np.uint64), edges[:, 1].astype(np.uint64))),
            n=len(names), directed=False, weighted=True))

        def plm():
            nk.setSeed(params.seed, False)
            return nk.community.PLM(gk, refine=False, gamma=_resolution(params)).run().getPartition()

        part, t, cpu, runs = repeated(plm)
        louvain["networkit PLM, 1 thread"] = (t, cpu, nk.community.Modularity().getQuality(part, gk))
        table.note("communities", f"networkit graph built in {wall:.2f} s (not counted)")
    for name, (wall, cpu, q) in louvain.items():
        table.peer("communities", name, wall, f"{name}: {wall:.3f} s, modularity {q:.4f}", cpu)

    # full analysis: the pure-networkx pipeline, an igraph run, and the floor
    r = table.rows
    if size in NETWORKX_SIZES:
        from graphsvc.settings import Settings
        from graphsvc.store import open_store

        store = open_store(Settings(data_dir=run["store_dir"]))
        slow = params.model_copy(update={"engine": "networkx"})
        _, stages = full_analysis(store, slow)
        store.close()
        table.peer("full, pure networkx", "networkx (engine = networkx)", sum(v[0] for v in stages.values()),
                   ", ".join(f"{k} {v[0]:.2f}" for k, v in stages.items()), sum(v[1] for v in stages.values()))
    else:
        table.note("full, pure networkx", f"not run on {size}")

    def igraph_run():
        frames = peer_read(folder)
        n, heads, tails, weights = peer_projection(frames, params)
        import igraph as ig

        h = ig.Graph(n=n, edges=np.column_stack([heads, tails]).tolist(), directed=False)
        h.es["weight"] = weights
        sources = None if src is None else random.Random(params.seed).sample(range(n), len(src))
        igraph_centrality(h, sources, params)
        igraph_louvain(h, params)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        _, wall, cpu, runs = repeated(igraph_run)
    table.peer("full, igraph run", "pandas + scipy + igraph", wall, f"peer: median of {runs}", cpu)
    if r["analyse ×4, CLI"]["wall"] is not None:
        table.peer("analyse ×4, CLI", "pandas + scipy + igraph", wall, cpu=cpu)
    best = [min((r[k]["wall"], r[k]["cpu"]), (r[k]["peer_wall"], r[k]["peer_cpu"]))
            for k in ("read", "projection", "centrality", "communities")] + [
        (r[k]["wall"], r[k]["cpu"]) for k in ("isolated", "gaps")]
    table.peer("full analysis", "floor: best per stage", sum(b[0] for b in best),
               "floor = the faster of graphsvc and its peer for read, projection, centrality, communities "
               "+ graphsvc's isolated and gaps", sum(b[1] for b in best))
    for key in ("full, pure networkx", "full, igraph run"):
        r[key].update(wall=r["full analysis"]["wall"], cpu=r["full analysis"]["cpu"],
                      runs=r["full analysis"]["runs"], peak_mb=r["full analysis"]["peak_mb"])

    # import: LadybugDB's own bulk loader on the same rows
    try:
        (wall, cpu), note = copy_import(run["files"], tmp / "copy", run["counts"])
    except Exception as e:  # noqa: BLE001 - reported in the table; the other stages still count
        table.note("import", f"COPY failed: {type(e).__name__}: {str(e)[:120]}")
    else:
        table.peer("import", "LadybugDB COPY from CSV", wall, note, cpu)


def copy_import(files: list[Path], folder: Path, expected: dict[str, int]) -> tuple[tuple[float, float], str]:
    """Wall and CPU seconds to bulk-load the rows of the canonical files with LadybugDB's ``COPY``
    into a fresh store with the product's schema (the CSV files for it are written
    first, not counted); and whether it holds what the product's import stored
    (``expected``: ``GraphStore.counts()``)."""
    import ladybug

    from graphsvc.model import NODES
    from graphsvc.reference import municipalities
    from graphsvc.store.schema import ladybug_ddl
    from loaders.canonical import read_canonical

    records = read_canonical(files)
    folder.mkdir()
    munis = records.municipalities or list(municipalities())

    def cell(v, ptype=None):
        if ptype is not None and ptype.value.endswith("[]"):
            return "[" + ",".join(v or []) + "]"
        if v is None or (isinstance(v, dict) and not v):
            return ""
        if isinstance(v, dict):
            return json.dumps(v, ensure_ascii=False)
        if isinstance(v, bool):
            return "true" if v else "false"
        return v

    def write(path, header, rows):
        with path.open("w", encoding="utf-8", newline="") as f:
            out = csv.writer(f)
            out.writerow(header)
            rows = list(rows)
            out.writerows(rows)
        return len(rows)

    jobs: list[tuple[str, Path, str, int]] = []

    def nodes(label, rows):
        spec = NODES[label]
        path = folder / f"{label}.csv"
        count = write(path, list(spec.properties),
                      ([cell(getattr(r, k, None), t) for k, t in spec.properties.items()] for r in rows))
        jobs.append((label, path, "", count))

    def rels(rel, frm, to, rows, props=()):
        if not rows:
            return
        path = folder / f"{rel}-{frm}-{to}.csv"
        count = write(path, ["from", "to", *props], ([cell(v) for v in row] for row in rows))
        jobs.append((rel, path, f", from='{frm}', to='{to}'", count))

    nodes("Municipality", munis)
    nodes("Actor", records.actors)
    nodes("Institution", records.institutions)
    nodes("Project", records.projects)
    nodes("Network", records.networks)
    nodes("Event", records.events)
    label = {a.id: "Actor" for a in records.actors} | {i.id: "Institution" for i in records.institutions}
    codes = {m.code for m in munis}
    for lab in ("Actor", "Institution"):
        rels("LOCATED_IN", lab, "Municipality", [(o.id, o.municipality_code) for o in
                                                (records.actors if lab == "Actor" else records.institutions)
                                                if o.municipality_code in codes])
        rels("PARTICIPATES_IN", lab, "Project",
             [(p.org_id, p.project_id, p.role) for p in records.participations if label.get(p.org_id) == lab],
             ("role",))
        rels("MEMBER_OF", lab, "Network", [(m.org_id, m.network_id) for m in records.memberships
                                           if label.get(m.org_id) == lab])
        rels("ATTENDS", lab, "Event", [(a.org_id, a.event_id) for a in records.attendances
                                       if label.get(a.org_id) == lab])
        for other in ("Actor", "Institution"):
            rels("COLLABORATES_WITH", lab, other,
                 [(c.source_id, c.target_id, c.since, c.source) for c in records.collaborations
                  if label.get(c.source_id) == lab and label.get(c.target_id) == other], ("since", "source"))
    rels("TAKES_PLACE_IN", "Project", "Municipality",
         [(p.id, c) for p in records.projects for c in (p.municipality_codes or []) if c in codes])
    rels("TAKES_PLACE_IN", "Event", "Municipality",
         [(e.id, e.municipality_code) for e in records.events if e.municipality_code in codes])

    (folder / "db").mkdir()
    db = ladybug.Database(str(folder / "db" / "graph.lbdb"))
    conn = ladybug.Connection(db)
    for statement in ladybug_ddl():
        conn.execute(statement)
    wall, cpu = time.perf_counter(), time.process_time()
    for table, path, options, _ in jobs:
        # bulk loading is LadybugDB's own statement, not the product's Cypher: table
        # names come from the model, paths from this script's temporary folder
        conn.execute(f"COPY {table} FROM '{path}' (header=true{options})")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    conn.close()
    db.close()
    from graphsvc.settings import Settings
    from graphsvc.store import open_store

    store = open_store(Settings(data_dir=folder / "db"))
    got = store.counts()
    store.close()
    differ = {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v}
    same = ("the same node and relationship counts as graphsvc's store" if not differ else
            "counts differ from graphsvc's store (COPY, graphsvc): "
            + ", ".join(f"{k} {a}/{b}" for k, (a, b) in differ.items()))
    rows = sum(job[3] for job in jobs)
    return (wall, cpu), f"COPY: {rows:,} rows in {len(jobs)} files, {same}; no validation or duplicate resolution"


# --- one size, in its own process --------------------------------------------------------


def run_size(size: str, seed: int) -> dict:
    table = Table()
    missing: list[str] = []
    with tempfile.TemporaryDirectory(prefix=f"bench-all-{size}-") as tmp:
        run = product_stages(size, seed, Path(tmp), table)
        peer_stages(size, Path(tmp), run, table, missing)
        counts = {"organisations": run["G"].number_of_nodes(), "ties": run["G"].number_of_edges(),
                  "projects": len(run["data"].projects), "participations": len(run["data"].participations)}
    for row in table.rows.values():
        if row["peer_wall"] and row["wall"]:
            row["ratio"] = row["wall"] / row["peer_wall"]
    peaks = {row["stage"]: row["peak_mb"] for row in table.rows.values() if row["peak_mb"]}
    return {"size": size, "seed": seed, "counts": counts, "rows": list(table.rows.values()),
            "peak_mb": max(peaks.values()), "peak_stage": max(peaks, key=peaks.get),
            "peak_per_stage": PER_STAGE, "missing": missing}


# --- the report ------------------------------------------------------------------------------


def machine(code: str | None = None) -> dict:
    import igraph
    import ladybug
    import networkx
    import pandas
    import scipy

    def first(path, key):
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            return None
        return None

    try:
        import networkit

        nk_version = networkit.__version__
    except ImportError:
        nk_version = "not installed"
    mem = first("/proc/meminfo", "MemTotal")
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return {
        "cores": os.cpu_count(),
        "cpu": first("/proc/cpuinfo", "model name") or platform.processor(),
        "ram_gb": round(int(mem.split()[0]) / 2**20, 1) if mem else None,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "libraries": {"numpy": np.__version__, "scipy": scipy.__version__, "pandas": pandas.__version__,
                      "networkx": networkx.__version__, "igraph": igraph.__version__,
                      "networkit": nk_version, "ladybug": ladybug.__version__},
        "commit": code or (commit + (" with uncommitted changes" if dirty else "") if commit else "unknown"),
    }


def _s(v):
    """Seconds with three significant digits (whole seconds from 1,000 on)."""
    if v is None:
        return "—"
    return f"{v:,.0f}" if v >= 1000 else f"{v:#.3g}".rstrip(".")


def table_lines(result: dict, before: dict | None = None) -> list[str]:
    """The size's table in Markdown; with ``before`` (the same size from an earlier run's
    JSON), three more columns: the earlier graphsvc wall and CPU seconds, and earlier ÷ now
    in CPU time (which the load of a shared machine disturbs much less than wall time)."""
    columns = list(COLUMNS)
    if before is not None:
        columns[-1:-1] = ["before s", "before CPU s", "before ÷ now, CPU"]
        earlier = {row["stage"]: row for row in before["rows"]}
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in result["rows"]:
        cells = [row["stage"], str(row["runs"] or "—"), _s(row["wall"]), _s(row["cpu"]),
                 f"{row['peak_mb']:,}" if row["peak_mb"] else "—", row["peer"] or "—", _s(row["peer_wall"]),
                 _s(row.get("peer_cpu")), f"{row['ratio']:.2f}×" if row.get("ratio") else "—"]
        if before is not None:
            then = earlier.get(row["stage"], {})
            cells += [_s(then.get("wall")), _s(then.get("cpu")),
                      f"{then['cpu'] / row['cpu']:.2f}×" if then.get("cpu") and row["cpu"] else "—"]
        lines.append("| " + " | ".join(cells + [row["note"].replace("|", "/")]) + " |")
    return lines


def _before(compare: dict | None, size: str) -> dict | None:
    if compare is None:
        return None
    return next((r for r in compare["results"] if r["size"] == size), None)


def heading(result: dict) -> str:
    c = result["counts"]
    return (f"{result['size']}: {c['organisations']:,} organisations, {c['ties']:,} ties, "
            f"{c['projects']:,} projects, {c['participations']:,} participations (seed {result['seed']}); "
            f"graphsvc's peak memory {result['peak_mb']:,} MB (in the stage “{result['peak_stage']}”"
            + (")" if result.get("peak_per_stage") else "; peaks since the process started)"))


def write_docs(path: Path, results: list[dict], info: dict, command: str, compare: dict | None = None) -> None:
    libs = ", ".join(f"{k} {v}" for k, v in info["libraries"].items())
    out = [
        "# Performance",
        "",
        "Every figure on this page was written by the command below; run it again to",
        "renew them (do not edit the tables by hand).",
        "",
        "```bash",
        command,
        "```",
        "",
        "## The machine",
        "",
        f"- {info['cores']} cores, {info['cpu']}; {info['ram_gb']} GB RAM",
        f"- load average at the start: {info['load_start']}; at the end: {info['load']}",
        f"- Python {info['python']}; {libs}",
        f"- graphsvc at commit {info['commit']}",
        "",
        "The machine is shared: wall times carry the noise of other work; CPU time is what a",
        "stage costs this process alone.",
        "",
    ]
    if compare:
        out += [f"The columns “before s” and “before ÷ now” compare with graphsvc at "
                f"{compare['machine']['commit']} (the run saved with `--json`, given with `--compare`).", ""]
    for result in results:
        out += [f"## {result['size']}", "", heading(result) + ".", ""]
        if result["missing"]:
            out += ["Peers not installed, so not timed: " + ", ".join(result["missing"]) + ".", ""]
        out += table_lines(result, _before(compare, result["size"])) + [""]
    out += [DEFINITIONS.format(repeat=REPEAT, cheap=CHEAP_S, full=3 * CHEAP_S)]
    path.write_text("\n".join(out), encoding="utf-8")


DEFINITIONS = """## What each column means

- **runs**: how many times graphsvc's stage ran; the times are the median of these runs.
  A stage runs {repeat} times when its first run took less than {cheap:g} s, else once (the full
  analysis: {repeat} times when its first run took less than {full:g} s). The import, the re-import,
  generating the set and the first suggestion run once each (they change the store or
  a cache). A peer runs as often as the stage, {repeat} times for the centrality measures.
- **graphsvc s**: wall-clock seconds (`time.perf_counter`) of the product's stage.
- **CPU s**: CPU seconds of the process in the same stage, with those of the child
  processes it waited for (`time.process_time` + `RUSAGE_CHILDREN`; above the wall time
  when both cores work).
- **peak MB**: the peak resident memory of the size's process during graphsvc's stage
  (`ru_maxrss` of `resource.getrusage(RUSAGE_SELF)`, started afresh before each stage by
  writing 5 to `/proc/self/clear_refs`; where that is refused the peak since the process
  started, and the heading says so); over the runs of a repeated stage, the largest. It
  counts everything resident, the interpreter, libraries and what earlier stages left
  (about 300 MB before the first stage). Each size runs in a process of its own;
  graphsvc's stages all run before any peer.
- **fastest peer**, **peer s**: the fastest library doing the same work on exactly the
  same input in the same run (other peers are in the note), wall seconds.
- **peer CPU s**: the peer's CPU seconds in the same run.
- **ratio**: graphsvc's wall seconds ÷ the peer's (below 1: graphsvc is faster).
- **before s**, **before CPU s**, **before ÷ now, CPU** (with `--compare`): graphsvc's wall
  and CPU seconds in the earlier run, and its CPU seconds ÷ this run's (above 1: faster
  now; CPU time, since the load of a shared machine disturbs wall time much more).

## The stages

- **generate**: `graphsvc.demo.write_demo(size)`: the fictional network as canonical CSV files.
- **import**: `loaders.import_files` of those files into a fresh on-disk LadybugDB store
  (read, resolve, write; all or nothing). Peer: LadybugDB's `COPY … FROM` the same rows as
  CSV into a fresh store with the same schema (writing those CSV files is not counted; no
  validation or duplicate resolution: the floor).
- **re-import**: the same files again; nothing changes.
- **read**: `read_graph_data(store)`: every row the analyses read. Peer: the same rows,
  written once to Parquet files (CSV where pyarrow is not installed), read with pandas
  `read_parquet` (`read_csv`).
- **projection**: `organisation_graph(data)`: the weighted organisation graph. Peer: scipy,
  an organisations × projects incidence matrix B and the pair weight w of each project
  (`pair_weight`: 1/(n − 1) for a project of n organisations by default), W = B·diag(w)·Bᵀ
  without its diagonal, plus the declared collaborations; the note says whether it gave
  exactly the same ties and weights.
- **centrality**: `centrality(G)`: degree, betweenness, closeness, harmonic, eigenvector,
  PageRank, constraint, effective size, municipal reach. Peer: igraph's betweenness from
  the same sampled sources, distances from the same closeness sources, PageRank,
  eigenvector and constraint (the rows marked ·, each a median of {repeat}), summed. Building the
  igraph graph is not counted.
- **isolated**, **gaps**: `isolated_actors(G)`, `municipality_gaps(G)` over the region's 19
  municipalities, as the service computes it by default (with its bootstrap);
  no peer computes them.
- **communities**: `communities(G)` (Leiden or Louvain as `community_method` says, with the seed). Peers: networkit PLM on one
  thread, igraph `community_multilevel` (Louvain) and `community_leiden` (modularity objective,
  two iterations, igraph's default), each with the same seed and resolution; the note
  gives the method graphsvc used and each one's time and modularity.
- **full analysis**: read + projection + the four analyses, one after another on one
  graph, as the service computes them after a write. Peer: the floor, the faster of
  graphsvc and its peer in each stage with a peer, plus graphsvc's isolated and gaps.
  On a graph large enough, centrality computes betweenness in a second process (forked)
  while it computes the other measures (`analysis_processes`, docs/settings.md); the CPU
  column counts that process too.
- **full analysis, own process**: the same once in a new Python process that opens the
  store first, as a command would: its wall time (imports and opening aside) and its peak
  memory (the whole process, the forked child not counted: it shares the parent's pages).
- **full, pure networkx**: the same pipeline with `engine = "networkx"` (demo, S and M
  only); **full, igraph run**: the same rows from Parquet (CSV) through pandas, scipy's projection,
  igraph's centrality measures and Louvain. Their graphsvc column repeats the full analysis.
- **analyse ×4, CLI**: `graphsvc analyse centrality`, `isolated`, `gaps` and `communities`
  on the imported store, each a process of its own, one after another, less four times the
  start-up (the median of 3 runs of `graphsvc analyse centrality --help`); the note gives
  the total with start-up and each command's seconds. The peak is the largest command's.
  Peer: the igraph run above.
- **suggestions, first**: `suggest_partners(G, org, 10)` for one organisation on a graph that
  has not had suggestions yet (it builds the graph's suggestion index); **one**: the median
  of a seeded sample of 100 organisations after that (p95 in the note); **sample**: the
  sample's total.
- **map**: `network_map(G, …)` with the analyses' results, rendered to self-contained HTML
  (`render_html`); **export xlsx**: the nodes, edges and metrics tables as the XLSX a user
  downloads (`tables`, `readable_tables`, `xlsx_bytes`); **export gexf**: the graph with
  its metrics and layout as GEXF (`export_graph`, `graph_bytes`). The note gives the size.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["S", "M", "L"], choices=SIZES)
    parser.add_argument("--seed", type=int, default=2026, help="seed of the demo generator")
    parser.add_argument("--write-docs", action="store_true", help="rewrite the performance page from this run")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "performance.md",
                        help="the page --write-docs writes [default: docs/performance.md]")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each cheap stage, the median reported [default: 3]")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    parser.add_argument("--compare", type=Path, default=None,
                        help="JSON of an earlier run (--json): add its graphsvc times beside this run's")
    parser.add_argument("--no-cli", action="store_true", help="skip the four `graphsvc analyse` commands")
    parser.add_argument("--code", default=None, help="what code was measured, for the page "
                        "[default: the git commit of this checkout]")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    globals()["REPEAT"] = args.repeat
    globals()["CLI"] = not args.no_cli
    if args.child:  # one size in this process; the results as JSON on the last line
        print(json.dumps(run_size(args.child, args.seed)))
        return 0

    info = machine(args.code)
    info["load_start"] = info["load"]
    print(f"{info['cores']} cores, {info['cpu']}, {info['ram_gb']} GB RAM, load {info['load']}; "
          f"Python {info['python']}; " + ", ".join(f"{k} {v}" for k, v in info["libraries"].items()), flush=True)
    compare = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
    command = "python bench/bench_all.py --sizes " + " ".join(args.sizes) + (
        f" --seed {args.seed}" if args.seed != 2026 else "") + (
        f" --repeat {args.repeat}" if args.repeat != 3 else "") + (
        f" --compare {args.compare}" if args.compare else "") + (" --no-cli" if args.no_cli else "") + " --write-docs"
    results = []
    for size in args.sizes:
        print(f"\nrunning {size} …", flush=True)
        proc = subprocess.run([sys.executable, __file__, "--child", size, "--seed", str(args.seed),
                               "--repeat", str(args.repeat), *(["--no-cli"] if args.no_cli else [])],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
        if proc.returncode != 0:
            print(f"{size} failed (exit {proc.returncode}); see the error above", file=sys.stderr)
            return 1
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        results.append(result)
        print(heading(result))
        if result["missing"]:
            print("peers not installed, not timed: " + ", ".join(result["missing"]))
        print("\n".join(table_lines(result, _before(compare, size))), flush=True)
        # written after each size, so a size that fails leaves the ones before it
        info["load"] = machine()["load"]
        if args.json:
            args.json.write_text(json.dumps({"machine": info, "results": results}, indent=1), encoding="utf-8")
        if args.write_docs:
            write_docs(args.docs, results, info, command, compare)
            print(f"wrote {args.docs}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
