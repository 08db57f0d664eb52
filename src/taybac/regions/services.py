"""Loading the administrative units from the vietnam-provinces package (idempotent), and writes to addresses."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction
from vietnam_provinces import Province as VpProvince
from vietnam_provinces import Ward as VpWard

from taybac.core.errors import DomainError
from taybac.core.text import fold
from taybac.regions.data import REGION_PROVINCES
from taybac.regions.models import Address, Commune, Province, ProvinceAlias


@dataclass(frozen=True)
class LoadResult:
    provinces: int
    communes: int


def _plain_name(name: str) -> str:
    """'Thành phố Hà Nội' -> 'Hà Nội' for folded lookups; display keeps the package's name."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


@transaction.atomic
def load_regions() -> LoadResult:
    """Create or update all provinces, communes and aliases; safe to run repeatedly."""
    existing_p = set(Province.objects.values_list("code", flat=True))
    provinces = []
    for p in VpProvince.iter_all():
        provinces.append(
            Province(
                code=int(p.code),
                name=p.name,
                codename=p.codename,
                division_type=p.division_type.value,
                phone_code=p.phone_code,
                name_folded=fold(_plain_name(p.name)),
                in_region=int(p.code) in REGION_PROVINCES,
            )
        )
    fields = ["name", "codename", "division_type", "phone_code", "name_folded", "in_region"]
    Province.objects.bulk_create([p for p in provinces if p.code not in existing_p])
    Province.objects.bulk_update([p for p in provinces if p.code in existing_p], fields)

    existing_c = set(Commune.objects.values_list("code", flat=True))
    communes = [
        Commune(
            code=int(w.code),
            name=w.name,
            codename=w.codename,
            division_type=w.division_type.value,
            province_id=int(w.province_code),
            name_folded=fold(w.name),
        )
        for w in VpWard.iter_all()
    ]
    Commune.objects.bulk_create([c for c in communes if c.code not in existing_c], batch_size=500)
    Commune.objects.bulk_update(
        [c for c in communes if c.code in existing_c],
        ["name", "codename", "division_type", "province_id", "name_folded"],
        batch_size=500,
    )

    for code, aliases in REGION_PROVINCES.items():
        for alias in aliases:
            ProvinceAlias.objects.update_or_create(
                name_folded=fold(alias), defaults={"name": alias, "province_id": code}
            )
    return LoadResult(provinces=len(provinces), communes=len(communes))


class AddressError(DomainError):
    """An address whose parts do not fit together."""


def create_address(*, province_code: int, commune_code: int, street: str) -> Address:
    """Validate that the commune is in the province and the street line is present."""
    street = (street or "").strip()
    if not street:
        raise AddressError("Vui lòng nhập số nhà, thôn/bản.")
    if len(street) > 200:
        raise AddressError("Địa chỉ quá dài (tối đa 200 ký tự).")
    try:
        commune = Commune.objects.get(code=commune_code)
    except (Commune.DoesNotExist, ValueError, TypeError):
        raise AddressError("Không tìm thấy xã/phường.") from None
    if commune.province_id != province_code:
        raise AddressError("Xã/phường không thuộc tỉnh đã chọn.")
    return Address.objects.create(province_id=province_code, commune=commune, street=street)


def wipe_streets(*, address_ids: Collection[int], street: str) -> int:
    """Replace the street line of these addresses with `street` (an order past its accounting period is
    de-identified); province and commune stay for statistics. How many addresses."""
    return Address.objects.filter(pk__in=list(address_ids)).update(street=street)
