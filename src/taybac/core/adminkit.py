"""Operators' admin in Vietnamese without touching the models: columns and read-only fields named in the admin
class (a model's verbose_name change would be a migration), money shown in đồng, and money rows that only a
service writes (payments, refunds, payouts) read-only: no add, no change, no delete through a generic form."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, cast

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.db import models
from django.http import HttpRequest
from django.template.response import TemplateResponse
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
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if money and isinstance(value, int):
        return format_vnd(value).replace(" ", "\u00a0")  # "735.000 ₫" never wraps before the ₫
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


def titled(filter_class: type[admin.FieldListFilter], title: str) -> type[admin.FieldListFilter]:
    """A field's list filter under a Vietnamese title ("Theo trạng thái") instead of the field's English name."""

    class Titled(filter_class):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.title = title

    Titled.__name__ = f"{filter_class.__name__}_{title}"
    return Titled


class _Named:
    """A model's options under the names its admin gives (where the model's verbose_name is English): what the
    breadcrumbs, titles and "1 khoản thanh toán" read; everything else is the model's own."""

    def __init__(self, opts: Any, name: str, plural: str) -> None:
        self._opts, self.verbose_name, self.verbose_name_plural = opts, name, plural

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._opts, attr)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by a service (money, orders): operators look and search; a form may not add, change or
    delete them (a refund or payout is recorded through its own form, which calls the service)."""

    show_facets = admin.ShowFacets.NEVER  # counts beside every filter cost a query each on a slow connection
    vi_name = ""  # set where the model's verbose_name is English (HubAdminSite, titles below)
    vi_name_plural = ""

    def _titled(self, extra_context: dict[str, Any] | None, title: str) -> dict[str, Any]:
        return {**(extra_context or {}), "title": title} if self.vi_name else (extra_context or {})

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        return super().changelist_view(request, self._titled(extra_context, f"Danh sách {self.vi_name_plural}"))

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> Any:
        return super().change_view(request, object_id, form_url, self._titled(extra_context, f"Xem {self.vi_name}"))

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        changelist = super().get_changelist_instance(request)
        if self.vi_name:
            changelist.opts = cast(Any, _Named(changelist.opts, self.vi_name, self.vi_name_plural))
        return changelist

    def render_change_form(self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        response = cast(TemplateResponse, super().render_change_form(request, context, *args, **kwargs))
        if self.vi_name and response.context_data is not None:
            response.context_data["opts"] = _Named(self.opts, self.vi_name, self.vi_name_plural)
        return response

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


class HubAdminSite(admin.AdminSite):
    """Django's admin site whose index and pages name a model as its admin class says (`vi_name`,
    `vi_name_plural`) when the model's own verbose_name is English: renaming it on the model is a migration."""

    site_header = "Quản trị Tây Bắc Hub"
    site_title = "Quản trị Tây Bắc Hub"
    index_title = "Bảng điều khiển vận hành"

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        apps = super().get_app_list(request, app_label)
        for app in apps:
            for entry in app["models"]:
                plural = getattr(self._registry.get(entry["model"]), "vi_name_plural", "")
                if plural:
                    entry["name"] = plural[:1].upper() + plural[1:]
        return apps


class HubAdminConfig(AdminConfig):
    """INSTALLED_APPS names this instead of "django.contrib.admin": the same admin on HubAdminSite."""

    default_site = "taybac.core.adminkit.HubAdminSite"
