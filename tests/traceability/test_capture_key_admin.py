"""The operators' admin page for partner capture keys: the token is shown once, right after the key is made."""

from __future__ import annotations

import pytest

from taybac.accounts.models import User
from taybac.traceability import capture_keys
from taybac.traceability.models import CaptureKey

ADD = "/quan-tri/traceability/capturekey/add/"
LIST = "/quan-tri/traceability/capturekey/"


@pytest.fixture
def operator(client, db):
    user = User.objects.create_superuser(username="vanhanh", password="mat-khau-dai-123", role="operator")
    client.force_login(user)
    return user


def test_new_key_shows_its_token_once_and_the_token_works(client, operator):
    response = client.post(ADD, {"name": "HTX Chè Tân Cương", "all_producers": "on"})
    assert response.status_code == 200, response.content
    key = CaptureKey.objects.get()
    token = response.context["token"]
    assert token.startswith(f"tbk_{key.lookup}") and token in response.content.decode()
    assert key.created_by == operator and key.all_producers
    assert capture_keys.authenticate(token) == key  # the hash of what was shown is what is stored
    assert token not in client.get(LIST).content.decode()  # never shown again


def test_revoke_action_revokes_as_the_operator(client, operator):
    client.post(ADD, {"name": "Đối tác A", "all_producers": "on"})
    key = CaptureKey.objects.get()
    response = client.post(LIST, {"action": "revoke", "_selected_action": [key.pk]})
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
