"""A store that always opens: a torn write-ahead log is set aside and the store opens at
its last committed state, reported by ``/ready``; a lock names the process holding it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graphsvc.app import create_app
from graphsvc.errors import StoreUnavailable
from graphsvc.settings import Settings
from graphsvc.store import open_store

# Writes 300 actors (checkpointed by a clean close), then 50 more in a second process that
# ends without closing: their commit stays in the write-ahead log only.
CHILD = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from graphsvc.model import Actor, Records
    from graphsvc.settings import Settings
    from graphsvc.store import open_store

    store = open_store(Settings(data_dir=Path(sys.argv[1])))
    first, n = (0, 300) if sys.argv[2] == "first" else (300, 50)
    store.write(Records(actors=[Actor(id=f"a{i}", name=f"Forening {i}", municipality_code="751")
                                for i in range(first, first + n)]))
    if sys.argv[2] == "first":
        store.close()
    else:
        os._exit(0)  # no checkpoint: the commit is in the log only
    """
)
HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from graphsvc.settings import Settings
    from graphsvc.store import open_store

    store = open_store(Settings(data_dir=Path(sys.argv[1])))
    print("open", flush=True)
    time.sleep(60)
    """
)


def _run(folder: Path, step: str) -> None:
    subprocess.run([sys.executable, "-c", CHILD, str(folder), step], check=True)


def _wal(folder: Path) -> Path:
    return folder / "graph.lbdb.wal"


@pytest.fixture
def logged(tmp_path) -> Path:
    """A store of 300 committed actors and a log holding one more commit of 50."""
    _run(tmp_path, "first")
    _run(tmp_path, "second")
    assert _wal(tmp_path).stat().st_size > 0
    return tmp_path


def test_a_whole_log_is_replayed(logged):
    store = open_store(Settings(data_dir=logged))
    try:
        assert store.counts()["Actor"] == 350
        assert store.state()["state"] == "ok"
    finally:
        store.close()
    assert list(logged.glob("*.torn-*")) == []


def test_a_torn_log_is_set_aside_and_the_store_opens_at_the_last_commit(logged):
    wal = _wal(logged)
    whole = wal.read_bytes()
    wal.write_bytes(whole[:-100])  # the end of the last commit never reached the disk
    store = open_store(Settings(data_dir=logged))
    try:
        counts = store.counts()
        state = store.state()
    finally:
        store.close()
    assert counts["Actor"] == 300 and counts["LOCATED_IN"] == 300
    assert state["state"] == "recovered"
    kept = list(logged.glob("graph.lbdb.wal.torn-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == whole[:-100]  # set aside, not deleted
    assert state["recovery"]["kept_as"] == str(kept[0])
    assert "Checksum verification failed" in state["recovery"]["cause"]
    # opened again: nothing left to recover
    store = open_store(Settings(data_dir=logged))
    try:
        assert store.counts()["Actor"] == 300 and store.state()["state"] == "ok"
    finally:
        store.close()


def test_ready_reports_the_recovery_and_health_stays_liveness(logged):
    wal = _wal(logged)
    wal.write_bytes(wal.read_bytes()[:-100])
    app = create_app(Settings(data_dir=logged, warm=False))
    with TestClient(app, base_url="http://localhost") as client:
        ready = client.get("/ready")
        health = client.get("/health")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready" and body["state"] == "recovered"
    assert body["recovery"]["event"] == "torn_log_set_aside"
    assert Path(body["recovery"]["kept_as"]).exists()


def test_ready_is_503_when_the_store_is_locked_and_the_lock_names_the_holder(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreUnavailable) as e:
            open_store(Settings(data_dir=tmp_path))
        assert e.value.detail.startswith(f"the LadybugDB store at {tmp_path} is in use by process {holder.pid} ")
        assert "Checksum" not in e.value.detail
        app = create_app(Settings(data_dir=tmp_path, warm=False))
        with TestClient(app, base_url="http://localhost") as client:
            ready = client.get("/ready")
            health = client.get("/health")
        assert health.status_code == 200
        assert ready.status_code == 503
        assert ready.json()["status"] == "unavailable"
        assert f"in use by process {holder.pid}" in ready.json()["detail"]
    finally:
        holder.kill()
        holder.wait()
