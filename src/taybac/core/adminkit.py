"""Operators' admin in Vietnamese without touching the models: columns and read-only fields named in the admin
class (a model's verbose_name change would be a migration), money shown in đồng, and money rows that only a
service writes (payments, refunds, payouts) read-only: no add, no change, no delete through a generic form."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from taybac.core.money import format_vnd


def _shown(obj: Any, path: str, money: bool) -> Any:
    """The value at a dotted path ("order.contact_phone"), as a person reads it: a choice's label, đồng, a local
    date and time; "—" when missing."""
    value: Any = obj
    *parents, name = path.split(".")
    for part in parents:
        value = getattr(value, part, None)
        if value is None:
            return "—"
    display = getattr(value, f"get_{name}_display", None)
    value = display() if display else getattr(value, name, None)
    if value is None or value == "":
        return "—"
    if money and isinstance(value, int):
        return format_vnd(value)
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "d/m/Y H:i")
    return value


def column(path: str, label: str, *, money: bool = False, order: bool = True) -> Callable[[Any, Any], Any]:
    """An admin column or read-only field showing `path` under a Vietnamese label, sortable by that field."""

    def show(self: Any, obj: Any) -> Any:
        return _shown(obj, path, money)

    show.__name__ = "vi_" + path.replace(".", "__")
    return admin.display(description=label, ordering=path.replace(".", "__") if order else None)(show)


def labelled(**fields: tuple[str, str] | tuple[str, str, bool]) -> Callable[[type], type]:
    """Class decorator: `vi_<name>` methods for `name=(path, label[, money])`, usable in list_display,
    readonly_fields and fields."""

    def decorate(cls: type) -> type:
        for name, spec in fields.items():
            path, label, *money = spec
            setattr(cls, f"vi_{name}", column(path, label, money=bool(money and money[0])))
        return cls

    return decorate


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by a service (money, orders): operators look and search; a form may not add, change or
    delete them (a refund or payout is recorded through its own form, which calls the service)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False
