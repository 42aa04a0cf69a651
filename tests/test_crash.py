"""A process killed in the middle of a large import leaves the store as it was committed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from graphsvc.settings import Settings
from graphsvc.store import open_store

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from graphsvc.model import Actor, Project, Participation, Records
    from graphsvc.settings import Settings
    from graphsvc.store import open_store

    store = open_store(Settings(data_dir=Path(sys.argv[1]), batch_size=200))
    first = Records(actors=[Actor(id=f"a{i}", name=f"Forening {i}", municipality_code="751")
                            for i in range(300)])
    store.write(first)
    print("committed", flush=True)
    n = 20_000
    second = Records(
        actors=[Actor(id=f"b{i}", name=f"Gruppe {i}", municipality_code="665") for i in range(n)],
        projects=[Project(id=f"p{i}", title=f"Projekt {i}") for i in range(n)],
        participations=[Participation(org_id=f"b{i}", project_id=f"p{i}") for i in range(n)],
    )
    store.write(second, progress=lambda step, rows: print("batch", step, flush=True))
    print("finished", flush=True)
    """
)


def test_killed_import_leaves_the_committed_state(tmp_path):
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines = []
    for line in child.stdout:
        lines.append(line.strip())
        # kill it halfway through the second import's project batches
        if sum(1 for x in lines if x == "batch projects") == 50:
            child.send_signal(signal.SIGKILL)
            break
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert "committed" in lines and "finished" not in lines
    assert lines.count("batch actors") == 100  # the second import's actors were all sent

    store = open_store(Settings(data_dir=tmp_path))
    counts = store.counts()
    store.close()
    assert counts["Actor"] == 300
    assert counts["Project"] == 0
    assert counts["LOCATED_IN"] == 300
    assert counts["PARTICIPATES_IN"] == 0


# --- kill -9 at commit: many delays after the write-ahead log appears -----------------

BASE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from graphsvc.model import Actor, Records
    from graphsvc.settings import Settings
    from graphsvc.store import open_store

    store = open_store(Settings(data_dir=Path(sys.argv[1])))
    store.write(Records(actors=[Actor(id=f"a{i}", name=f"Forening {i}", municipality_code="751")
                                for i in range(300)]))
    store.close()
    """
)
def _import(folder, ready) -> None:
    """The import the loop kills: 500 actors, projects and participations in one write."""
    from pathlib import Path

    from graphsvc.model import Actor, Participation, Project, Records

    n = 500
    second = Records(
        actors=[Actor(id=f"b{i}", name=f"Gruppe {i}", municipality_code="665") for i in range(n)],
        projects=[Project(id=f"p{i}", title=f"Projekt {i}") for i in range(n)],
        participations=[Participation(org_id=f"b{i}", project_id=f"p{i}") for i in range(n)],
    )
    store = open_store(Settings(data_dir=Path(folder)))
    ready.set()
    store.write(second)
    store.close()


PRE = {"Actor": 300, "Project": 0, "LOCATED_IN": 300, "PARTICIPATES_IN": 0}
POST = {"Actor": 800, "Project": 500, "LOCATED_IN": 800, "PARTICIPATES_IN": 500}
# seconds after the log file appears: densely over the few milliseconds in which the
# commit is written to the log (1-2 ms for this import), then through the checkpoint;
# delays after which the import had already finished are not kills, and the list goes on
DELAYS = [i * 0.0003 for i in range(24)] + [0.01, 0.015, 0.02, 0.03, 0.045, 0.06, 0.08, 0.1, 0.13, 0.17,
                                            0.2, 0.25] + [i * 0.0004 for i in range(1, 9)]
KILLS = 30


def _kill_after_log_appears(folder, delay: float) -> bool:
    """Start the import in a forked process (no interpreter start-up, so 30 kills take
    seconds), SIGKILL it ``delay`` s after the log appears; True if it was killed."""
    import multiprocessing
    import time

    fork = multiprocessing.get_context("fork")
    ready = fork.Event()
    child = fork.Process(target=_import, args=(str(folder), ready))
    child.start()
    try:
        assert ready.wait(timeout=60)
        wal = folder / "graph.lbdb.wal"
        seen = None
        while child.is_alive():
            now = time.perf_counter()
            if seen is None and wal.exists():
                seen = now
            if seen is not None and now - seen >= delay:
                os.kill(child.pid, signal.SIGKILL)
                break
            time.sleep(0.00005)  # leave the child the processor
        child.join(timeout=60)
        return child.exitcode == -signal.SIGKILL
    finally:
        if child.is_alive():
            child.kill()
            child.join()


@pytest.mark.slow
def test_kill_at_commit_never_leaves_an_unopenable_or_mixed_store(tmp_path):
    import shutil

    base = tmp_path / "base"
    subprocess.run([sys.executable, "-c", BASE, str(base)], check=True)
    outcomes = []
    for i, delay in enumerate(DELAYS):
        if sum(o[1] for o in outcomes) == KILLS:
            break
        folder = tmp_path / f"kill{i:02d}"
        shutil.copytree(base, folder)
        killed = _kill_after_log_appears(folder, delay)
        store = open_store(Settings(data_dir=folder))  # raises if it cannot be opened
        try:
            counts = {k: v for k, v in store.counts().items() if k in PRE}
            state = store.state()["state"]
        finally:
            store.close()
        assert counts in (PRE, POST), (delay, counts)
        outcomes.append((delay, killed, state, counts == POST))
        shutil.rmtree(folder)
    kills = [o for o in outcomes if o[1]]
    print(f"{len(kills)} kills; {sum(o[2] == 'recovered' for o in kills)} torn logs set aside; "
          f"{sum(o[3] for o in kills)} after the commit, {sum(not o[3] for o in kills)} before")
    assert len(kills) == KILLS
    # the loop reaches the window in which the log is torn (else it would prove nothing)
    assert any(o[2] == "recovered" for o in kills)
