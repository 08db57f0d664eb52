import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taybac.payments.providers import get_provider
from taybac.payments.providers.base import NotificationAuthError, NotificationFormatError

PAYLOAD = {
    "id": 92704,
    "gateway": "MBBank",
    "transactionDate": "2026-11-24 14:02:37",
    "accountNumber": "0011001932418",
    "subAccount": None,
    "code": None,
    "content": "TBACDE3479 chuyen tien",
    "transferType": "in",
    "description": "BankAPINotify TBACDE3479",
    "transferAmount": 394000,
    "referenceCode": "MBVCB.3278",
    "accumulated": 19077000,
}


def body(**changes) -> bytes:
    return json.dumps({**PAYLOAD, **changes}).encode()


def test_parse_realistic_payload():
    transfer = get_provider("sepay").parse(body())
    assert (transfer.transaction_id, transfer.amount, transfer.direction, transfer.bank) == (
        "92704",
        394000,
        "in",
        "MBBank",
    )
    assert transfer.occurred_at.isoformat() == "2026-11-24T14:02:37+07:00"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"transferAmount": "394000"}, "transferAmount"),
        ({"transferAmount": 1.5}, "transferAmount"),
        ({"transferAmount": True}, "transferAmount"),
        ({"transferAmount": -1}, "transferAmount"),
        ({"transferType": "sideways"}, "transferType"),
        ({"transactionDate": "24/11/2026"}, "transactionDate"),
        ({"id": None}, "id"),
        ({"content": 5}, "content"),
    ],
)
def test_malformed_fields_named(changes, field):
    with pytest.raises(NotificationFormatError) as info:
        get_provider("sepay").parse(body(**changes))
    assert info.value.field == field


@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_junk_bodies_only_raise_format_errors(raw):
    try:
        get_provider("sepay").parse(raw)
    except NotificationFormatError:
        pass


@pytest.mark.parametrize(
    "configured, header",
    [("", "Apikey "), ("", ""), ("s3cret", ""), ("s3cret", "Apikey nope"), ("s3cret", "Bearer s3cret")],
)
def test_authentication_refusals(settings, configured, header):
    settings.TAYBAC_SEPAY_API_KEY = configured
    with pytest.raises(NotificationAuthError):
        get_provider("sepay").authenticate({"Authorization": header}, b"{}")


def test_authentication_accepts_the_key(settings):
    settings.TAYBAC_SEPAY_API_KEY = "s3cret"
    get_provider("sepay").authenticate({"Authorization": "Apikey s3cret"}, b"{}")
