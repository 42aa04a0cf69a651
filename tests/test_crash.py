"""A process killed in the middle of a large import leaves the store as it was committed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

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
