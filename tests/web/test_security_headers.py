"""Security headers on every answer (CSP, Referrer-Policy, Permissions-Policy), no inline script or style that the
policy would block on any page or template, and a refused request logged in one line without a traceback."""

import io
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from taybac.accounts.models import Role, User
from tests.factories import make_product, make_user
from tests.web.trace.conftest import story  # noqa: F401  (a lot with its whole chain)

TEMPLATES = Path(django_settings.BASE_DIR) / "web" / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
EVENT_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style(?P<attrs>[^>]*)>", re.I)


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def inline_problems(html: str, nonce: str | None = None) -> list[str]:
    problems = [m.group(0) for m in INLINE_SCRIPT.finditer(html)]
    problems += [m.group(0)[:80] for m in EVENT_ATTRIBUTE.finditer(html)]
    problems += [m.group(0)[:80] for m in STYLE_ATTRIBUTE.finditer(html)]
    for m in STYLE_ELEMENT.finditer(html):
        if nonce is None or f'nonce="{nonce}"' not in m.group("attrs"):
            problems.append(m.group(0))
    return problems


@pytest.fixture
def pages(db):
    product = make_product(name="Mật ong bạc hà")
    return ["/", "/tim-kiem/?q=mat+ong", product.get_absolute_url(), "/gio-hang/", "/dang-nhap/", "/tra-cuu/"]


def test_every_page_has_the_headers_and_no_inline_code(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        csp = directives(response)
        assert csp["default-src"] == ["'self'"] and csp["script-src"] == ["'self'"], url
        assert csp["style-src"] == ["'self'"] and csp["object-src"] == ["'none'"], url
        assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'self'"], url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        permissions = response["Permissions-Policy"]
        assert "geolocation=(self)" in permissions and "camera=()" in permissions, url
        assert "microphone=()" in permissions, url
        assert inline_problems(response.content.decode()) == [], url


def test_json_answers_and_errors_have_the_headers_too(client, db):
    for url, status in (("/api/v1/regions/provinces", 200), ("/khong-co-trang-nay/", 404), ("/api/v1/khong-co", 404)):
        response = client.get(url)
        assert response.status_code == status, url
        assert "script-src 'self'" in response["Content-Security-Policy"], url
        assert response["Permissions-Policy"] and response["Referrer-Policy"], url


def test_label_sheet_style_carries_the_nonce_of_its_header(client, story):
    client.force_login(story["owner"])
    response = client.get(f"{story['dried'].get_absolute_url()}/nhan-in")
    assert response.status_code == 200
    nonces = [v for v in directives(response)["style-src"] if v.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-") : -1]
    html = response.content.decode()
    assert f'<style nonce="{nonce}">' in html and inline_problems(html, nonce) == []
    assert (
        client.get(f"{story['dried'].get_absolute_url()}/nhan-in")["Content-Security-Policy"]
        != response["Content-Security-Policy"]
    )  # a fresh nonce on every answer


def test_admin_and_api_docs_get_inline_styles_only(client, db):
    User.objects.create_superuser(username="vanhanh", password="mat-khau-dai-123", role=Role.OPERATOR)
    for url in ("/quan-tri/login/", "/api/v1/docs"):
        csp = directives(client.get(url))
        assert "'unsafe-inline'" in csp["style-src"], url
        assert csp["script-src"] == ["'self'"], url
    client.force_login(User.objects.get(username="vanhanh"))
    csp = directives(client.get("/quan-tri/catalog/product/"))
    assert csp["script-src"] == ["'self'"] and "'unsafe-inline'" in csp["style-src"]
    assert "'unsafe-inline'" not in directives(client.get("/"))["style-src"]


def test_no_template_has_inline_script_or_style():
    """A guard for new templates: code goes in static files; the one data-dependent style uses the nonce."""
    problems = {}
    for path in TEMPLATES.rglob("*.html"):
        source = path.read_text()
        found = inline_problems(source, nonce="{{ request.csp_nonce }}")
        if found:
            problems[str(path.relative_to(TEMPLATES))] = found
    assert problems == {}


@pytest.fixture
def log_output():
    """What the hub's console log handler writes (the one on the root logger that settings.LOGGING sets up)."""
    handler = next(
        h for h in logging.getLogger().handlers if any(type(f).__name__ == "ClientErrorsOneLine" for f in h.filters)
    )
    stream = io.StringIO()
    previous, handler.stream = handler.stream, stream  # not setStream(): it flushes the old, maybe closed, stream
    yield stream
    handler.stream = previous


def test_a_refused_request_is_one_log_line_without_traceback(client, db, log_output):
    client.force_login(make_user(role=Role.BUYER))
    response = client.get("/buu-dien/")  # only post-office staff: PermissionDenied
    assert response.status_code == 403
    lines = log_output.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "WARNING django.request: Forbidden (Permission denied): /buu-dien/ (PermissionDenied:" in lines[0]
    assert "Traceback" not in log_output.getvalue()


def test_a_server_error_keeps_its_traceback(log_output):
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "Internal Server Error: %s",
        ("/x",),
        (ZeroDivisionError, ZeroDivisionError("boom"), None),
    )
    record.status_code = 500
    logging.getLogger("django.request").handle(record)
    assert "Traceback" in log_output.getvalue() or "ZeroDivisionError: boom" in log_output.getvalue()
