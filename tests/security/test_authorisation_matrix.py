"""A standing authorisation test (issue 10, item 9): every write path of the hub — each URL pattern that accepts
POST/PUT/PATCH/DELETE and each write operation of /api/v1/openapi.json — has a row in tests/security/matrix.py,
and each row's real request is sent as each role against producer A's real objects. Refused requests must leave
the database exactly as it was; allowed ones must do their work. A new endpoint without a row fails here."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from taybac.api.main import api
from taybac.catalog.models import Product
from taybac.traceability.models import Lot
from tests.security.conftest import ATTACKERS, ROLES, World
from tests.security.matrix import PENDING, READ_ONLY, ROWS, Expect, Row

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Reference data no request changes, and the session table every sign-in writes: left out of the fingerprint.
STATIC_TABLES = {
    "django_session",
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "regions_province",
    "regions_commune",
    "regions_provincealias",
}
# Covered elsewhere: the API by its OpenAPI operations, Django's admin by one representative row.
COVERED_NAMESPACES = {"api-v1": "the OpenAPI document", "admin": "a representative admin row"}


# --- what the URL configuration and the OpenAPI document say exists ---


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(p for p in (namespace, entry.namespace or "") if p)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            key = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or route
            yield key, namespace, entry.callback


def _allowed_methods(view: Any) -> set[str] | None:
    """The methods a require_http_methods/require_POST/require_safe decorator lets through (None: any)."""
    while view is not None:
        closure = getattr(view, "__closure__", None) or ()
        for name, cell in zip(view.__code__.co_freevars if hasattr(view, "__code__") else (), closure):
            if name == "request_method_list":
                return {m.upper() for m in cell.cell_contents}
        view = getattr(view, "__wrapped__", None)
    return None


def url_patterns() -> dict[str, tuple[str, Any]]:
    return {key: (namespace, view) for key, namespace, view in _walk(get_resolver().url_patterns)}


def web_write_paths() -> set[str]:
    """Patterns outside the API and the admin whose view may answer an unsafe method."""
    paths = set()
    for key, (namespace, view) in url_patterns().items():
        if namespace.split(":")[0] in COVERED_NAMESPACES:
            continue
        methods = _allowed_methods(view)
        if methods is None or methods & WRITE_METHODS:
            paths.add(key)
    return paths


def api_write_operations() -> set[str]:
    document = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method.upper() in WRITE_METHODS
    }


def test_every_write_path_has_a_row_or_is_proven_read_only():
    rows = {row.key for row in ROWS}
    missing = web_write_paths() - rows - set(READ_ONLY)
    assert not missing, f"write paths without a row in tests/security/matrix.py: {sorted(missing)}"
    assert not api_write_operations() - rows, sorted(api_write_operations() - rows)
    assert any(key.startswith("admin:") for key in rows)


def test_every_row_names_a_path_that_still_exists():
    existing = set(url_patterns()) | api_write_operations()
    assert len({row.key for row in ROWS}) == len(ROWS), "two rows for one path"
    assert not {row.key for row in ROWS} - existing, sorted({row.key for row in ROWS} - existing)
    assert not set(READ_ONLY) - set(web_write_paths()), sorted(set(READ_ONLY) - set(web_write_paths()))


# --- sending the requests ---


def fingerprint() -> dict[str, str]:
    """A digest of every table's rows (reference data and sessions aside): any insert, update or delete shows."""
    digests = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in STATIC_TABLES:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def tenant_a(world: World) -> tuple:
    """What belongs to producer A, for rows where other roles may act on their own things."""
    return (
        sorted(Product.objects.filter(shop=world.shop).values_list("id", "name", "is_active")),
        sorted(world.shop.producer.delegations.values_list("id", "delegate_id", "revoked_at")),
        sorted(Lot.objects.filter(shop=world.shop).values_list("id", "quantity")),
        world.product.photos.count(),
    )


def send(row: Row, world: World, role: str) -> tuple[Any, list[str]]:
    """One request as `role`; the problems found (empty: as the row says)."""
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    if row.before:
        row.before(client, world)
    expect: Expect = row.expect(role)
    before, tenant = fingerprint(), tenant_a(world)
    data = row.data(world)
    kwargs: dict[str, Any] = {"headers": row.headers(world)}
    if row.json:
        kwargs.update(data=json.dumps(data), content_type="application/json")
    else:
        kwargs["data"] = data
    response = getattr(client, row.method)(row.url(world), **kwargs)
    problems = []
    location = response.get("Location", "")
    if response.status_code not in expect.statuses:
        problems.append(f"status {response.status_code}, expected {expect}: {response.content[:200]!r}")
    elif expect.location and not location.startswith(expect.location):
        problems.append(f"redirect to {location!r}, expected {expect}")
    elif expect.writes and not expect.location and location.startswith(("/dang-nhap/?", "/quan-tri/login/")):
        problems.append(f"allowed, yet sent to sign in ({location})")
    changed = sorted(t for t, digest in fingerprint().items() if before.get(t) != digest)
    if expect.writes and not changed:
        problems.append("allowed but changed nothing")
    if not expect.writes and changed:
        problems.append(f"changed {changed}")
    if row.own_tenant and role in ATTACKERS and tenant_a(world) != tenant:
        problems.append("changed producer A's shop")
    if row.check and not problems:
        try:
            row.check(world, role, response)
        except AssertionError as error:
            problems.append(str(error))
    return response, problems


@pytest.mark.parametrize("row", ROWS, ids=[row.key for row in ROWS])
def test_matrix(row: Row, world: World):
    failures, pending = {}, {}
    for role in ROLES:
        with transaction.atomic():  # each role starts from the same world (savepoint; nothing is committed)
            _, problems = send(row, world, role)
            transaction.set_rollback(True)
        reason = PENDING.get((row.key, role))
        if reason and problems:
            pending[role] = f"{problems} — waiting for {reason}"
        elif reason:
            failures[role] = [f"now as intended: remove ({row.key!r}, {role!r}) from PENDING"]
        elif problems:
            failures[role] = problems
    assert not failures, "\n".join(f"{row.key} as {role}: {p}" for role, p in failures.items())
    if pending:
        pytest.xfail("; ".join(f"{role}: {p}" for role, p in pending.items()))


def test_read_only_paths_change_nothing_when_posted_to(world: World):
    for role in ("anonymous", "owner", "helper", "operator", "post_office"):
        client = Client()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        for name, url in sorted(READ_ONLY.items()):
            before = fingerprint()
            response = client.post(url(world), {"to": "cancelled", "quantity": 0, "producer": world.shop.producer_id})
            assert response.status_code < 500, (name, role)
            assert fingerprint() == before, (name, role)
