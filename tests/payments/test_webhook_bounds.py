"""The webhook's bounds (issue 10, item 6): with a valid key, a huge amount, a deeply nested body, an oversized
body or a long transaction id is a 4xx naming the problem, never a 500; ids are kept whole, never cut."""

import json

import pytest
from django.test import Client

from taybac.payments.models import BankTransaction
from taybac.payments.providers.base import MAX_NOTIFICATION_BYTES, MAX_TRANSACTION_ID, MAX_TRANSFER_AMOUNT
from tests.payments.test_sepay import PAYLOAD

KEY = "s3cret"
URL = "/api/v1/payments/notifications/sepay"


@pytest.fixture
def keyed(db, settings):
    settings.TAYBAC_SEPAY_API_KEY = KEY


def post(body: str | bytes, **headers):
    return Client(raise_request_exception=False).post(
        URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Apikey {KEY}", **headers
    )


def body(**changes) -> str:
    return json.dumps({**PAYLOAD, "content": "chuyen tien", **changes})


def refused(response, status: int = 400, field: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    error = response.json()["error"]
    assert error["message"] and (field is None or error.get("field") == field)
    return error


@pytest.mark.parametrize("amount", [2**63, 2**64 + 1, 10**30, MAX_TRANSFER_AMOUNT + 1, -1])
def test_amounts_beyond_any_transfer_are_400(keyed, amount):
    refused(post(body(transferAmount=amount)))
    assert not BankTransaction.objects.exists()


def test_the_largest_amount_is_stored(keyed):
    assert post(body(transferAmount=MAX_TRANSFER_AMOUNT)).json()["outcome"] == "unmatched"
    assert BankTransaction.objects.get().amount == MAX_TRANSFER_AMOUNT


@pytest.mark.parametrize("depth", [33, 1_000, 30_000])
def test_deep_nesting_is_400(keyed, depth):
    nested = "[" * depth + "]" * depth
    error = refused(post(body()[:-1] + f', "extra": {nested}}}'))
    assert error["code"] == "invalid_notification" and "nested" in error["message"]


@pytest.mark.parametrize(
    "junk",
    [
        '{"id": 1, "transferAmount": 1' + "0" * 5000 + "}",
        '{"id": "\\u0000"}',
        '{"id": 1, "content": "\\ud800"}',
        "[NaN]",
        '{"a": 1e999}',
    ],
)
def test_numbers_and_strings_no_database_can_hold_are_400(keyed, junk):
    refused(post(junk))


def test_ids_differing_after_character_64_are_two_transactions(keyed):
    stem = "FT" + "7" * 70
    for tail in ("A", "B"):
        assert post(body(id=stem + tail)).json() == {"success": True, "outcome": "unmatched", "replay": False}
    assert sorted(BankTransaction.objects.values_list("transaction_id", flat=True)) == [stem + "A", stem + "B"]
    assert post(body(id=stem + "A")).json()["replay"] is True


def test_ids_longer_than_the_column_are_refused_not_cut(keyed):
    assert post(body(id="9" * MAX_TRANSACTION_ID)).status_code == 200
    error = refused(post(body(id="9" * MAX_TRANSACTION_ID + "1")), field="id")
    assert str(MAX_TRANSACTION_ID) in error["message"]
    assert BankTransaction.objects.count() == 1


def test_oversized_body_is_413_before_parsing(keyed):
    padded = body(content="x" * MAX_NOTIFICATION_BYTES)
    error = refused(post(padded), status=413)
    assert error["code"] == "too_large"
    assert not BankTransaction.objects.exists()
