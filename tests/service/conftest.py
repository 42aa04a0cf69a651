"""Fixtures of the service tests: app clients over the hand-made regions of
``service_region`` (``gap_records``, and ``gap_region_records`` for the gaps)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from service_region import TOKEN, gap_records, gap_region_records

from graphsvc.app import create_app
from graphsvc.model import Records
from graphsvc.params import SuggestionParams
from graphsvc.settings import Settings

WEIGHTED = SuggestionParams(ranker="weighted")


@pytest.fixture
def make_client(tmp_path) -> Iterator[Callable[..., TestClient]]:
    """``make_client(records=gap_records(), **settings)``: a started app on a fresh in-memory
    store holding ``records``; ``client.app.state.service`` is its service."""
    stack: list[TestClient] = []

    def make(records: Records | None = None, **settings) -> TestClient:
        raise_errors = settings.pop("raise_server_exceptions", True)
        settings.setdefault("warm", False)  # tests that count computations need quiet
        app = create_app(Settings(in_memory=True, data_dir=tmp_path / "unused", **settings))
        client = TestClient(app, raise_server_exceptions=raise_errors)
        client.__enter__()
        stack.append(client)
        client.app.state.service.store.write(records if records is not None else gap_records())
        return client

    yield make
    for client in reversed(stack):
        client.__exit__(None, None, None)


@pytest.fixture(scope="module")
def api(tmp_path_factory) -> Iterator[TestClient]:
    """A client of the hand-made region shared by a module's tests: writes are switched
    off (no token), so none can change it. Tests of the cache use ``make_client``.
    Suggestions use the weighted score, whose figures the tests compute by hand (the
    learned ranker is tested in tests/analysis/test_ranker.py)."""
    app = create_app(Settings(in_memory=True, data_dir=tmp_path_factory.mktemp("unused"), suggestions=WEIGHTED))
    with TestClient(app) as client:
        client.app.state.service.store.write(gap_records())
        yield client


@pytest.fixture(scope="module")
def region_api(tmp_path_factory) -> Iterator[TestClient]:
    """Like ``api``, over ``gap_region_records`` (the small region and a block of
    cross-border projects), with the default settings but the weighted score."""
    app = create_app(Settings(in_memory=True, data_dir=tmp_path_factory.mktemp("unused"), suggestions=WEIGHTED))
    with TestClient(app) as client:
        client.app.state.service.store.write(gap_region_records())
        yield client


@pytest.fixture
def admin(make_client) -> TestClient:
    """A client of the hand-made region with the admin token ``TOKEN`` configured."""
    return make_client(admin_token=TOKEN)


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}
