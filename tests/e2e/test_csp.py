"""The Content-Security-Policy breaks nothing: Chromium reports no violation on the main pages (buyer, seller
centre, trace page and labels, admin, Swagger UI), their scripts still run, and an injected inline script is
refused (so the check below can see a violation when there is one)."""

import pytest

from taybac.accounts.models import Role, User
from tests.e2e.test_seller_centre import sign_in
from tests.web.trace.conftest import story  # noqa: F401  (a lot with its whole chain)


@pytest.fixture
def violations(page360):
    """Chromium's CSP reports: console messages ("Refused to …") and securitypolicyviolation events; and its
    complaints about our Permissions-Policy header (an unknown feature name)."""
    found: list[str] = []
    page360.on(
        "console",
        lambda m: (
            found.append(m.text)
            if "Content Security Policy" in m.text or m.text.startswith("Refused to") or "Permissions-Policy" in m.text
            else None
        ),
    )
    page360.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Refused to load: CSP ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    return found


def test_buyer_and_trace_pages_run_under_the_policy(page360, live_server, violations, story):
    page, base = page360, live_server.url
    lot_url = story["dried"].get_absolute_url()
    for url in ("/", "/tim-kiem/?q=che", story["tea"].get_absolute_url(), "/gio-hang/", "/dang-nhap/", lot_url):
        page.goto(base + url)
        page.wait_for_load_state("load")
    page.goto(base + "/")
    page.fill(".search input", "chè")  # the suggestions script runs and fetches from our origin
    page.wait_for_selector("#goi-y option", state="attached")
    assert violations == []


def test_seller_pages_and_labels_run_under_the_policy(
    page360,
    live_server,
    violations,
    story,
    otp_outbox,
):
    page, base = page360, live_server.url
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 22.3364, "longitude": 103.8438, "accuracy": 10})
    sign_in(page, base, "0" + story["owner"].phone[3:])
    page.goto(base + "/ban-hang/lo-hang/moi/")
    page.wait_for_selector("#lay-vi-tri", state="visible")  # shown by lot-gps.js
    page.click("#lay-vi-tri")
    page.wait_for_selector("text=Đã lấy vị trí")
    assert page.get_attribute("input[name=unit]", "placeholder")  # lot-unit-hint.js
    page.goto(base + story["dried"].get_absolute_url() + "/nhan-in")
    assert page.evaluate("getComputedStyle(document.querySelector('.sheet')).display") == "grid"  # nonce'd style
    assert violations == []


def test_admin_and_api_docs_run_under_their_policy(page360, live_server, violations):
    User.objects.create_superuser(username="vanhanh", password="mat-khau-dai-123", role=Role.OPERATOR)
    page, base = page360, live_server.url
    page.goto(base + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")  # Swagger UI rendered the OpenAPI document
    page.goto(base + "/quan-tri/login/?next=/quan-tri/")
    page.fill("input[name=username]", "vanhanh")
    page.fill("input[name=password]", "mat-khau-dai-123")
    page.click("input[type=submit]")
    page.wait_for_url(base + "/quan-tri/")
    page.goto(base + "/quan-tri/catalog/product/")
    page.wait_for_load_state("load")
    assert violations == []


def test_an_injected_inline_script_is_refused(page360, live_server, violations, db):
    page = page360
    page.goto(live_server.url + "/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.pwned = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.pwned") is None
    assert any("script" in v for v in violations)
