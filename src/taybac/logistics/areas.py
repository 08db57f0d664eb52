"""Each carrier's own codes for the pre-2025 units (GHN's DistrictID/WardCode, VNPost's province/district/commune
codes), matched once from the carrier's master data to the GSO units of `legacy_address`, kept in
`CarrierAreaCode`, and looked up when an address is built for that carrier (addressing.for_carrier).

Carriers' lists name units their own way ("Lào Cai" / "Tỉnh Lào Cai", "Phường 01" / "Phường 1"), so a carrier unit
is matched by its folded name within its already-matched parent: first on the whole name, then without the unit
type ("Huyện", "Xã", ...). A name that matches nothing, or more than one unit, is reported, never guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from taybac.core.errors import DomainError
from taybac.core.jsonparse import loads_bounded
from taybac.core.text import fold
from taybac.logistics import legacy_address
from taybac.logistics.carriers import configured
from taybac.logistics.carriers.ghn import GHN
from taybac.logistics.carriers.vnpost import VNPost
from taybac.logistics.models import CarrierAreaCode
from taybac.regions.models import Commune

CARRIERS = {"ghn": "GHN", "vnpost": "VNPost"}  # carriers that address by their own codes (GHTK uses names)
MAX_UNITS = 50_000  # a master-data file or answer larger than the country is refused
_TYPES = re.compile(r"^(tinh|thanh pho|tp\.?|huyen|quan|thi xa|xa|phuong|thi tran|dac khu)\s+")


@dataclass(frozen=True)
class CarrierUnit:
    """One row of a carrier's master data: its code, its parent's code (province for a district, district for a
    ward) and the names it answers to."""

    code: str
    parent: str
    names: tuple[str, ...]


@dataclass
class SyncReport:
    carrier: str
    districts: int = 0
    wards: int = 0
    unmatched: list[str] = field(default_factory=list)  # carrier units with no single GSO counterpart
    missing: list[str] = field(default_factory=list)  # GSO units of matched districts the carrier does not list


def name_keys(name: str) -> tuple[str, str]:
    """(whole folded name, folded name without its unit type); numbers lose leading zeros."""
    text = " ".join(fold(name.replace("–", "-").replace("’", "'")).replace("-", " ").replace("'", "").split())
    text = re.sub(r"\b0+(\d)", r"\1", text)
    return text, _TYPES.sub("", text)


@dataclass(frozen=True)
class _Gso:
    provinces: dict[str, str]  # province code -> name
    districts: dict[str, dict[str, str]]  # province code -> district code -> name
    wards: dict[str, dict[str, str]]  # district code -> ward code -> name


@lru_cache(maxsize=1)
def _gso() -> _Gso:
    """Every pre-2025 unit, from the old units of every 2025 commune (legacy_address)."""
    provinces: dict[str, str] = {}
    districts: dict[str, dict[str, str]] = defaultdict(dict)
    wards: dict[str, dict[str, str]] = defaultdict(dict)
    for code in Commune.objects.values_list("pk", flat=True):
        try:
            units = legacy_address.legacy_units_for(code)
        except DomainError:
            continue
        for unit in units:
            provinces[unit.province_code] = unit.province_name
            districts[unit.province_code][unit.district_code] = unit.district_name
            if unit.ward_code and unit.ward_name:
                wards[unit.district_code][unit.ward_code] = unit.ward_name
    if not provinces:  # an exception is not cached: communes are loaded after migrations
        raise DomainError("Chưa nạp danh mục xã/phường 2025, chưa thể đối chiếu địa bàn.", code="no_communes")
    return _Gso(provinces, dict(districts), dict(wards))


def _match(units: list[CarrierUnit], gso: dict[str, str]) -> tuple[dict[str, str], list[CarrierUnit]]:
    """carrier code -> GSO code for the units naming exactly one GSO unit (and named by no other carrier unit)."""
    whole: dict[str, set[str]] = defaultdict(set)
    bare: dict[str, set[str]] = defaultdict(set)
    for code, name in gso.items():
        full, short = name_keys(name)
        whole[full].add(code)
        bare[short].add(code)
    found: dict[str, str] = {}
    unmatched: list[CarrierUnit] = []
    for unit in units:
        keys = [name_keys(n) for n in unit.names]
        hits = set().union(*(whole.get(full, set()) for full, _ in keys))
        if len(hits) != 1:
            hits = set().union(*(bare.get(short, set()) for _, short in keys))
        if len(hits) == 1:
            found[unit.code] = hits.pop()
        else:
            unmatched.append(unit)
    taken: dict[str, list[str]] = defaultdict(list)
    for carrier_code, gso_code in found.items():
        taken[gso_code].append(carrier_code)
    by_code = {unit.code: unit for unit in units}
    for claimants in taken.values():
        if len(claimants) > 1:  # two carrier units for one GSO unit: neither is trusted
            for claimant in claimants:
                del found[claimant]
                unmatched.append(by_code[claimant])
    return found, unmatched


def match_units(
    *, carrier: str, provinces: list[CarrierUnit], districts: list[CarrierUnit], wards: list[CarrierUnit]
) -> tuple[list[CarrierAreaCode], SyncReport]:
    """Rows for `CarrierAreaCode` (one per district with no ward, one per ward) and what could not be matched."""
    if carrier not in CARRIERS:
        raise DomainError(f"Hãng '{carrier[:20]}' không dùng mã địa bàn riêng.", code="unknown_carrier")
    if len(provinces) + len(districts) + len(wards) > MAX_UNITS:
        raise DomainError("Danh mục địa bàn quá lớn.", code="too_many_units")
    gso, report = _gso(), SyncReport(carrier)
    province_of, lost = _match(provinces, gso.provinces)
    report.unmatched += [f"{u.names[0]} (tỉnh, mã {u.code})" for u in lost]
    by_parent: dict[str, list[CarrierUnit]] = defaultdict(list)
    for unit in districts:
        by_parent[unit.parent].append(unit)
    district_of: dict[str, tuple[str, str]] = {}  # carrier district -> (GSO district, carrier province)
    for carrier_province, gso_province in province_of.items():
        found, lost = _match(by_parent.pop(carrier_province, []), gso.districts.get(gso_province, {}))
        district_of.update({c: (g, carrier_province) for c, g in found.items()})
        report.unmatched += [f"{u.names[0]} (mã {u.code}, {gso.provinces[gso_province]})" for u in lost]
    wards_of: dict[str, list[CarrierUnit]] = defaultdict(list)
    for unit in wards:
        wards_of[unit.parent].append(unit)
    rows: list[CarrierAreaCode] = []
    for carrier_district, (gso_district, carrier_province) in district_of.items():
        gso_wards = gso.wards.get(gso_district, {})
        found, lost = _match(wards_of.pop(carrier_district, []), gso_wards)
        base = {"carrier": carrier, "legacy_district_code": gso_district, "carrier_province": carrier_province}
        rows.append(CarrierAreaCode(**base, legacy_ward_code="", carrier_district=carrier_district, name=""))
        names = {u.code: u.names[0] for u in wards if u.code in found}
        rows += [
            CarrierAreaCode(
                **base, legacy_ward_code=g, carrier_district=carrier_district, carrier_ward=c, name=names[c][:200]
            )
            for c, g in found.items()
        ]
        report.unmatched += [f"{u.names[0]} (mã {u.code})" for u in lost]
        report.missing += [f"{name} ({code})" for code, name in gso_wards.items() if code not in found.values()]
    report.districts = len(district_of)
    report.wards = sum(1 for row in rows if row.legacy_ward_code)
    return rows, report


def sync_area_codes(
    *, carrier: str, provinces: list[CarrierUnit], districts: list[CarrierUnit], wards: list[CarrierUnit]
) -> SyncReport:
    """Replace the carrier's codes with those matched from its master data (all or nothing)."""
    rows, report = match_units(carrier=carrier, provinces=provinces, districts=districts, wards=wards)
    with transaction.atomic():
        CarrierAreaCode.objects.filter(carrier=carrier).delete()
        CarrierAreaCode.objects.bulk_create(rows, batch_size=1000)
    return report


def carrier_codes(carrier: str, legacy_district_code: str, legacy_ward_code: str) -> CarrierAreaCode | None:
    """The carrier's codes for a GSO old ward (or a district without wards), None when not synced."""
    return CarrierAreaCode.objects.filter(
        carrier=carrier, legacy_district_code=legacy_district_code, legacy_ward_code=legacy_ward_code
    ).first()


# --- the carriers' master data, from their API or a file in the same shapes ------------------------------------

_FIELDS = {  # level -> (code field, parent field, name field) in each carrier's documented rows
    "ghn": {
        "provinces": ("ProvinceID", "", "ProvinceName"),
        "districts": ("DistrictID", "ProvinceID", "DistrictName"),
        "wards": ("WardCode", "DistrictID", "WardName"),
    },
    "vnpost": {
        "provinces": ("provinceCode", "", "provinceName"),
        "districts": ("districtCode", "provinceCode", "districtName"),
        "wards": ("communeCode", "districtCode", "communeName"),
    },
}


def _unit(carrier: str, level: str, row: object) -> CarrierUnit:
    code_key, parent_key, name_key = _FIELDS[carrier][level]

    def text(key: str) -> str:
        value = row.get(key) if isinstance(row, dict) else None
        if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
            raise DomainError(
                f"Danh mục {CARRIERS[carrier]}: một dòng thiếu '{key}' hoặc sai kiểu.", code="carrier_bad_answer"
            )
        return str(value).strip()[:200]

    extra = row.get("NameExtension") if isinstance(row, dict) else None
    aliases = tuple(n for n in extra if isinstance(n, str) and n.strip())[:20] if isinstance(extra, list) else ()
    return CarrierUnit(text(code_key), text(parent_key) if parent_key else "", (text(name_key), *aliases))


def units_from(*, carrier: str, master: object) -> dict[str, list[CarrierUnit]]:
    """{"provinces", "districts", "wards"} of raw rows (the carrier's own shapes) as CarrierUnits."""
    if carrier not in CARRIERS:
        raise DomainError(f"Hãng '{carrier[:20]}' không dùng mã địa bàn riêng.", code="unknown_carrier")
    if not isinstance(master, dict) or not all(isinstance(master.get(k), list) for k in _FIELDS[carrier]):
        raise DomainError("Danh mục phải có ba danh sách: provinces, districts, wards.", code="carrier_bad_answer")
    if sum(len(master[k]) for k in _FIELDS[carrier]) > MAX_UNITS:
        raise DomainError("Danh mục địa bàn quá lớn.", code="too_many_units")
    return {level: [_unit(carrier, level, row) for row in master[level]] for level in _FIELDS[carrier]}


def fetch_master(*, carrier: str, client: object) -> dict[str, list[object]]:
    """The carrier's master data from its API: GHN per province and district, VNPost as three whole lists."""
    if isinstance(client, VNPost):
        levels = {"provinces": "province", "districts": "district", "wards": "commune"}
        return {key: list(client.master_data(level=level)) for key, level in levels.items()}
    if isinstance(client, GHN):
        provinces = client.master_data(level="province")
        districts = [
            d
            for p in provinces
            if isinstance(p, dict) and isinstance(p.get("ProvinceID"), int)
            for d in client.master_data(level="district", parent=p["ProvinceID"])
        ]
        wards = [
            w
            for d in districts
            if isinstance(d, dict) and isinstance(d.get("DistrictID"), int)
            for w in client.master_data(level="ward", parent=d["DistrictID"])
        ]
        return {"provinces": provinces, "districts": districts, "wards": wards}
    raise DomainError(f"{CARRIERS.get(carrier, carrier)} chưa được cấu hình.", code="carrier_not_configured")


MAX_FILE_BYTES = 50_000_000


def sync_from(*, carrier: str, path: Path | None = None) -> SyncReport:
    """`taybac logistics sync-areas`: from a JSON file in the carrier's shapes, or from its API when configured."""
    if carrier not in CARRIERS:
        raise DomainError(f"Hãng '{carrier[:20]}' không dùng mã địa bàn riêng.", code="unknown_carrier")
    if path is not None:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise DomainError(f"{path}: tệp lớn hơn 50 MB.", code="too_many_units")
            master: object = loads_bounded(path.read_bytes())
        except (OSError, ValueError) as exc:
            raise DomainError(f"Không đọc được {path} (JSON): {exc}", code="carrier_bad_answer") from exc
    else:
        client = configured().get(carrier)
        if client is None:
            raise DomainError(
                f"{CARRIERS[carrier]} chưa được cấu hình (thiếu thông tin đăng nhập); dùng --file.",
                code="carrier_not_configured",
            )
        master = fetch_master(carrier=carrier, client=client)
    units = units_from(carrier=carrier, master=master)
    return sync_area_codes(
        carrier=carrier, provinces=units["provinces"], districts=units["districts"], wards=units["wards"]
    )
