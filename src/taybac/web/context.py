"""Template context every page needs."""

from __future__ import annotations

import datetime

from django.http import HttpRequest


def today(request: HttpRequest) -> dict[str, datetime.date]:
    """Today's date, so templates can hide expired OCOP badges without a query."""
    return {"today": datetime.date.today()}
