"""A fresh demo withholds tax on last month's synthetic sales of household shops: the operator sees a whole month's
declaration whose totals equal the ledger, and only households are in it."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from taybac.accounts.models import Producer, User
from taybac.compliance.declaration import declaration, ledger_tax_total, previous_month
from taybac.demo.loader import OPERATOR_USERNAME
from taybac.payments.models import TaxWithholding


def test_last_months_declaration_is_there_and_equals_the_ledger(loaded, settings):
    month = previous_month(today=timezone.localdate())
    report = declaration(month=month)
    assert report.rows and report.vat_withheld > 0 and report.pit_withheld > 0
    assert -ledger_tax_total(month=month) == report.vat_withheld + report.pit_withheld
    kinds = set(TaxWithholding.objects.filter(period=month).values_list("shop__producer__kind", flat=True))
    assert kinds == {Producer.Kind.HOUSEHOLD}
    settings.TAYBAC_DEMO = True
    client = Client()
    client.force_login(User.objects.get(username=OPERATOR_USERNAME))
    page = client.get(f"/van-hanh/thue/{month}/").content.decode()
    assert "Dữ liệu mô phỏng" in page and "khớp tờ khai" in page
