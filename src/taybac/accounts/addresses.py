"""A buyer's saved delivery addresses: add, edit, delete, choose the default. Each write checks that the address
is the actor's own, and keeps at most one default (the first address saved becomes it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from taybac.accounts.models import SavedAddress, User
from taybac.accounts.phone import PhoneError, normalize_phone
from taybac.accounts.selectors import NotAllowed
from taybac.core import audit
from taybac.core.errors import DomainError
from taybac.regions.models import Commune

MAX_ADDRESSES = 10  # per buyer: a checkout's list stays short on a phone, and a script cannot fill the table


class AddressError(DomainError):
    code = "invalid_address"


@dataclass(frozen=True)
class AddressInput:
    """What the address form asks; the province only checks the commune (communes belong to one province)."""

    name: str
    phone: str
    province_code: int | None
    commune_code: int | None
    street: str
    label: str = ""
    make_default: bool = False


def _clean(data: AddressInput) -> dict[str, object]:
    name, street, label = data.name.strip(), data.street.strip(), data.label.strip()
    if not name or len(name) > 120:
        raise AddressError("Nhập tên người nhận (tối đa 120 ký tự).", field="name")
    if not street or len(street) > 200:
        raise AddressError("Nhập số nhà, thôn/bản, đường (tối đa 200 ký tự).", field="street")
    if len(label) > 40:
        raise AddressError("Tên gợi nhớ tối đa 40 ký tự.", field="label")
    try:
        phone = normalize_phone(data.phone)
    except PhoneError as error:
        raise AddressError(error.message, field="phone") from None
    if data.province_code is None:
        raise AddressError("Chọn tỉnh/thành phố.", field="province")
    commune = Commune.objects.filter(code=data.commune_code or 0).select_related("province").first()
    if commune is None:
        raise AddressError("Chọn xã/phường.", field="commune")
    if commune.province_id != data.province_code:
        raise AddressError("Xã/phường không thuộc tỉnh đã chọn.", field="commune")
    return {"name": name, "phone": phone, "commune": commune, "street": street, "label": label}


def _own(actor: User, address: SavedAddress) -> SavedAddress:
    """The actor's address, locked for the change; another person's is refused as if it did not exist."""
    locked = SavedAddress.objects.select_for_update().filter(pk=address.pk, user=actor).first()
    if locked is None:
        raise NotAllowed("Không tìm thấy địa chỉ này trong sổ địa chỉ của bạn.")
    return locked


def _make_default(actor: User, address: SavedAddress) -> None:
    SavedAddress.objects.filter(user=actor, is_default=True).exclude(pk=address.pk).update(is_default=False)
    if not address.is_default:
        address.is_default = True
        address.save(update_fields=["is_default"])


def add_address(*, actor: User, data: AddressInput) -> SavedAddress:
    """Save a new address; refused beyond MAX_ADDRESSES. The first one (or one asked for) becomes the default."""
    fields = _clean(data)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()  # one add at a time per buyer: the count holds
        count = SavedAddress.objects.filter(user=actor).count()
        if count >= MAX_ADDRESSES:
            raise AddressError(f"Sổ địa chỉ đã đủ {MAX_ADDRESSES} địa chỉ: hãy xóa bớt một địa chỉ cũ.")
        address = SavedAddress.objects.create(user=actor, **fields)
        if count == 0 or data.make_default:
            _make_default(actor, address)
        audit.record(actor=actor, action="address.add", target=address)
    return address


def edit_address(*, actor: User, address: SavedAddress, data: AddressInput) -> SavedAddress:
    fields = _clean(data)
    with transaction.atomic():
        locked = _own(actor, address)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        if data.make_default:
            _make_default(actor, locked)
        audit.record(actor=actor, action="address.edit", target=locked)
    return locked


def set_default_address(*, actor: User, address: SavedAddress) -> SavedAddress:
    with transaction.atomic():
        locked = _own(actor, address)
        _make_default(actor, locked)
        audit.record(actor=actor, action="address.default", target=locked)
    return locked


def delete_address(*, actor: User, address: SavedAddress) -> None:
    """Delete; if it was the default, the newest remaining address becomes the default."""
    with transaction.atomic():
        locked = _own(actor, address)
        was_default, pk = locked.is_default, locked.pk
        locked.delete()
        audit.record(actor=actor, action="address.delete", detail={"id": pk})
        if was_default:
            following = SavedAddress.objects.filter(user=actor).order_by("-created_at", "-id").first()
            if following is not None:
                _make_default(actor, following)
