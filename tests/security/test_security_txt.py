"""RFC 9116 security.txt: served from the operator's setting, absent rather than a placeholder."""

import datetime

from django.utils import timezone


def test_security_txt_lists_the_configured_contacts(client, db, settings):
    settings.TAYBAC_SECURITY_CONTACT = ["security@taybac.vn", "https://github.com/taybac/hub/security/advisories/new"]
    settings.PUBLIC_URL = "https://taybac.vn"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = dict(line.split(": ", 1) for line in response.content.decode().splitlines()[2:])
    body = response.content.decode()
    assert body.startswith(
        "Contact: mailto:security@taybac.vn\nContact: https://github.com/taybac/hub/security/advisories/new\n"
    )
    expires = datetime.datetime.fromisoformat(lines["Expires"].replace("Z", "+00:00"))
    assert timezone.now() < expires < timezone.now() + datetime.timedelta(days=365)
    assert lines["Canonical"] == "https://taybac.vn/.well-known/security.txt"
    assert client.post("/.well-known/security.txt").status_code == 405


def test_no_contact_no_file(client, db, settings):
    settings.TAYBAC_SECURITY_CONTACT = []
    assert client.get("/.well-known/security.txt").status_code == 404
