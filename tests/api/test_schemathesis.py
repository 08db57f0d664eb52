"""Property-based run of the whole API against its own OpenAPI document: no request may give a 5xx.

Schemathesis reads /api/v1/openapi.json from the WSGI application in-process and, for every operation,
generates valid requests, invalid requests, and valid requests aimed at resources that exist (bounded
and derandomized, so CI is fast and repeatable). Each response is checked: never a server error, status
code and content type documented, body valid against the documented schema, invalid input refused with
a 4xx, valid input not refused.

The operations are driven through `APIOperation.as_strategy` + Hypothesis rather than
`schemathesis.pytest.from_fixture`, whose pytest plugin does not run on pytest 9.2 (it sets the
removed `Node._nodeid`).
"""
from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from taybac.wsgi import application

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection, positive_data_acceptance]
MAX_EXAMPLES = 30

SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}


@pytest.fixture
def wsgi_in_test_transaction():
    """A real WSGI handler closes the database connection at the start and end of each request, which
    would drop the test's transaction; Django's own test client disconnects the same handlers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _schema_valid_but_refused(case: schemathesis.Case) -> bool:
    """Rules across parameters that OpenAPI cannot express; the API answers them with a documented 400."""
    query = case.query or {}
    low, high = query.get("price_min"), query.get("price_max")
    return isinstance(low, int) and isinstance(high, int) and low > high


def _existing(catalog) -> dict[str, Any]:
    """Path parameters that name real resources, so 200 bodies are checked too, not only 404s."""
    return {"code": 15, "slug": catalog.honey_shop.slug, "id": catalog.honey.pk}


def test_every_operation_is_covered():
    assert len(OPERATIONS) >= 8
    assert all(label.startswith("GET /api/v1/") for label in OPERATIONS)


def _runs() -> list[tuple[str, str]]:
    runs = []
    for label, operation in sorted(OPERATIONS.items()):
        runs += [(label, "positive"), (label, "negative")]
        if any(True for _ in operation.path_parameters):
            runs.append((label, "existing"))
    return runs


@pytest.mark.parametrize("label,target", _runs())
def test_operation_conforms_to_openapi(label, target, catalog, wsgi_in_test_transaction):
    operation = OPERATIONS[label]
    if target == "existing":
        names = {p.name for p in operation.path_parameters}
        strategy = operation.as_strategy(GenerationMode.POSITIVE,
                                         path_parameters={k: v for k, v in _existing(catalog).items() if k in names})
    else:
        strategy = operation.as_strategy(GenerationMode(target))
    if target != "negative":
        strategy = strategy.filter(lambda case: not _schema_valid_but_refused(case))

    @given(case=strategy)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                     HealthCheck.function_scoped_fixture])
    def run(case: schemathesis.Case) -> None:
        # The werkzeug client under from_wsgi does not decompress; GZipMiddleware would answer gzip.
        case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})

    run()
