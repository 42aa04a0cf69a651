"""Property-based tests of the API from its own OpenAPI schema (Schemathesis, in process):
no request the schema allows, nor one it forbids, gets a 5xx; responses match the schema.

On a small store (the hand-made region) with no admin token, so writes are refused (403)
and the data stays as it is. The examples per operation are bounded and derandomised:
the same cases run every time.

Schemathesis' own pytest loader (``schemathesis.pytest.from_fixture``) does not run under
pytest 9, so each operation is one test here, driven by Hypothesis with the operation's
strategies.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from service_region import gap_records

from graphsvc.app import create_app
from graphsvc.settings import Settings
from graphsvc.store import open_store

# No 5xx; every status, content type, header and body as documented; a request the schema
# forbids is refused. (Not the checks that need writes or created resources.)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance, negative_data_rejection]
EXAMPLES = 30
# each case of these renders a drawing (PNG, PDF, a map): fewer of them keep the run short
FEWER = {"/api/exports/{what}.{fmt}": 10, "/api/maps/network.html": 6, "/api/maps/municipalities.html": 6}

KNOWN = {"org_id": ["a-lemvig", "i-aros", "a-samsoe"], "code": ["665", "751", "741"]}

OPERATIONS = sorted(
    (method.upper(), path)
    for path, methods in create_app(Settings(in_memory=True)).openapi()["paths"].items()
    for method in methods
)


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("schema-store")
    store = open_store(Settings(data_dir=folder))
    try:
        store.write(gap_records())
    finally:
        store.close()
    return folder


@pytest.fixture(scope="module")
def api_schema(small_store):
    # Schemathesis starts the app's lifespan for a test's first request and ends it with
    # the test; each opens the same store on disk
    app = create_app(Settings(data_dir=small_store))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_conforms_to_the_schema(api_schema, method, path):
    operation = api_schema[path][method]
    strategies = [operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)]
    # random ids almost never exist: some cases ask about organisations and
    # municipalities that do, with generated everything else
    for name, values in KNOWN.items():
        if "{" + name + "}" in path:
            strategies += [operation.as_strategy(GenerationMode.POSITIVE, path_parameters={name: v}) for v in values]
    cases = st.one_of(strategies)
    statuses = set()

    @given(case=cases)
    @settings(max_examples=FEWER.get(path, EXAMPLES), deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call()
        statuses.add(response.status_code)
        case.validate_response(response, checks=CHECKS)
        assert response.status_code < 500, response.text

    run()
    assert statuses and max(statuses) < 500
    if method != "GET":
        assert statuses <= {403, 404, 405, 422}  # no token: nothing is written


def test_the_schema_lists_every_route():
    assert len(OPERATIONS) == 31
    writes = [f"{m} {p}" for m, p in OPERATIONS if m != "GET"]
    assert writes == ["DELETE /api/decisions/{decision_id}", "DELETE /api/organisations/{org_id}",
                      "POST /api/decisions", "POST /api/imports", "POST /api/imports/undo",
                      "POST /api/imports/{import_id}/confirm", "POST /api/organisations/{org_id}/correct",
                      "POST /api/organisations/{org_id}/merge"]
    # every write is refused before its body is read when the token is missing
    table = create_app(Settings(in_memory=True)).state.route_table
    for write in writes:
        method, path = write.split(" ")
        route = table.find({"method": method, "path": path.replace("{org_id}", "x").replace("{import_id}", "x").replace("{decision_id}", "x")})
        assert route is not None and table.needs_token(route), write
