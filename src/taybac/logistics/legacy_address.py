"""Pre-2025 addresses for carriers: which old district(s)/ward(s) each 2025 commune came from.

The hub records the 2025 two-level address (province + commune). GHN, GHTK and Vietnam Post still
address by the pre-2025 province/district/ward, so shipments need the old units. They come from the
MIT-licensed `vietnamadminunits` package (1.0.4), which ships the 10,040 legacy wards with district
codes, the 3,321 new communes with coordinates, and the legacy → 2025 conversion table.

Only the package's data files are read (its SQLite file and `converter_2025.json`), never its Python
modules: importing those pulls in shapely and geopy, and its converter may geocode over the network.
This module does no network access and no database access; tables load once per process (about
0.1 s, a few MB) and every lookup after that is a dict read.

Commune codes are ours (from `vietnam-provinces`, as in `regions.Commune.code`). Both packages use
the official GSO codes, but they disagree on about 120 of them (see docs/logistics.md), so a commune
is matched on code *and* name, else on its name within the same province.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from vietnam_provinces import Ward

from taybac.core.errors import DomainError
from taybac.core.text import fold


@dataclass(frozen=True, slots=True)
class LegacyUnit:
    """One pre-2025 ward (or ward-less island district) that became all or part of a commune.

    Codes are GSO strings with their zero padding ("088", "03001"). `ward_code`/`ward_name` are None
    for the island districts that had no wards (e.g. Côn Đảo). `whole` is False when the old ward was
    split and only part of it went to this commune.
    """

    province_code: str
    province_name: str
    district_code: str
    district_name: str
    ward_code: str | None
    ward_name: str | None
    whole: bool = True


@dataclass(frozen=True, slots=True)
class LegacyDistrict:
    """A pre-2025 district, the unit carriers still quote and route by."""

    province_code: str
    province_name: str
    district_code: str
    district_name: str


_NewRow = tuple[int, int, str, float, float]  # package commune code, province code, name, lat, lon
_NewTable = dict[tuple[str, str], _NewRow]  # keyed by (province key, ward key)


@dataclass(frozen=True, slots=True)
class _Tables:
    units: dict[int, tuple[LegacyUnit, ...]]  # our commune code -> old units
    coordinates: dict[int, tuple[float, float]]  # our commune code -> (lat, lon)
    known: frozenset[int]  # every commune code of vietnam-provinces
    unmapped: tuple[int, ...]  # our codes the package's data does not name
    renumbered: dict[int, int]  # our code -> the package's code, where the two packages disagree
    by_ward: dict[str, tuple[int, ...]]  # old ward code -> our commune codes that took it in


def _data_dir() -> Path:
    """The package's data folder, found without importing the package (no shapely/geopy/network)."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("vietnamadminunits is not installed (pip install vietnamadminunits==1.0.4)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _name_key(name: str) -> str:
    """Compare unit names across the two packages: accents, 'Hoà'/'Hòa', dashes, apostrophes, spaces."""
    text = name.replace("–", "-").replace("’", "'")
    return " ".join(fold(text).split())


def _read_package() -> tuple[dict[str, LegacyUnit], _NewTable]:
    """Legacy wards by 'province_district_ward' key; new communes by (province key, ward key)."""
    path = _data_dir() / "dataset.db"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        legacy_rows = conn.execute(
            "SELECT provinceKey, districtKey, wardKey, provinceCode, province, districtCode, district, wardCode, ward"
            " FROM admin_units_legacy"
        ).fetchall()
        new_rows = conn.execute(
            "SELECT provinceKey, wardKey, wardCode, provinceCode, ward, wardLat, wardLon FROM admin_units"
        ).fetchall()
    legacy = {
        f"{pk}_{dk}_{wk or ''}": LegacyUnit(pc, pn, dc, dn, wc or None, wn or None)
        for pk, dk, wk, pc, pn, dc, dn, wc, wn in legacy_rows
    }
    new = {(pk, wk): (int(code), int(pcode), name, lat, lon) for pk, wk, code, pcode, name, lat, lon in new_rows}
    return legacy, new


def _old_units_by_package_code() -> tuple[dict[int, list[LegacyUnit]], _NewTable]:
    """The conversion table turned around: new commune (package code) -> the old units it took in."""
    by_key, new = _read_package()
    convert = json.loads((_data_dir() / "converter_2025.json").read_text(encoding="utf-8"))
    units: dict[int, list[LegacyUnit]] = defaultdict(list)
    for province_key, wards in convert["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            units[new[(province_key, ward_key)][0]].extend(by_key[k] for k in old_keys)
    for province_key, old_wards in convert["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in old_wards.items():
            old = by_key[old_key]
            for part in parts:
                code = new[(province_key, part["newWardKey"])][0]
                units[code].append(LegacyUnit(*_fields(old), whole=False))
    return units, new


def _fields(unit: LegacyUnit) -> tuple[str, str, str, str, str | None, str | None]:
    return (
        unit.province_code,
        unit.province_name,
        unit.district_code,
        unit.district_name,
        unit.ward_code,
        unit.ward_name,
    )


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """Load once per process; the result is immutable, so sharing it between threads is safe."""
    package_units, new = _old_units_by_package_code()
    by_code = {row[0]: row for row in new.values()}
    by_name: dict[tuple[int, str], list[int]] = defaultdict(list)
    for code, province, name, _, _ in new.values():
        by_name[(province, _name_key(name))].append(code)
    units: dict[int, tuple[LegacyUnit, ...]] = {}
    coordinates: dict[int, tuple[float, float]] = {}
    known: set[int] = set()
    unmapped: list[int] = []
    renumbered: dict[int, int] = {}
    by_ward: dict[str, list[int]] = defaultdict(list)
    for ward in Ward.iter_all():
        ours, key = int(ward.code), _name_key(ward.name)
        known.add(ours)
        same = by_code.get(ours)
        if same is not None and same[1] == int(ward.province_code) and _name_key(same[2]) == key:
            theirs: int | None = ours
        else:
            candidates = by_name.get((int(ward.province_code), key), [])
            theirs = candidates[0] if len(candidates) == 1 else None
        if theirs is None:
            unmapped.append(ours)
            continue
        if theirs != ours:
            renumbered[ours] = theirs
        units[ours] = tuple(sorted(package_units[theirs], key=lambda u: (u.district_code, u.ward_code or "")))
        for unit in units[ours]:
            if unit.ward_code is not None:
                by_ward[unit.ward_code].append(ours)
        lat, lon = by_code[theirs][3], by_code[theirs][4]
        if lat is not None and lon is not None:
            coordinates[ours] = (float(lat), float(lon))
    wards = {code: tuple(sorted(communes)) for code, communes in by_ward.items()}
    return _Tables(units, coordinates, frozenset(known), tuple(sorted(unmapped)), renumbered, wards)


def _units(commune_code: int) -> tuple[LegacyUnit, ...]:
    tables = _tables()
    if commune_code not in tables.known:
        raise DomainError("Không có xã/phường với mã này.", field="commune", code="unknown_commune")
    return tables.units.get(commune_code, ())


def legacy_units_for(commune_code: int) -> list[LegacyUnit]:
    """Every pre-2025 ward that became all (`whole`) or part of this commune, by district then ward.

    Empty for the few communes the package's data does not name (`unmapped_communes()`).
    """
    return list(_units(commune_code))


def legacy_districts_for(commune_code: int) -> list[LegacyDistrict]:
    """The distinct pre-2025 districts this commune's territory came from, in code order."""
    seen: dict[tuple[str, str], LegacyDistrict] = {}
    for unit in _units(commune_code):
        seen.setdefault(
            (unit.province_code, unit.district_code),
            LegacyDistrict(unit.province_code, unit.province_name, unit.district_code, unit.district_name),
        )
    return list(seen.values())


def is_ambiguous(commune_code: int) -> bool:
    """True when the commune spans several old districts, so the sender must say which one (once)."""
    return len(legacy_districts_for(commune_code)) > 1


def check_district_choice(commune_code: int, district_code: str) -> LegacyDistrict:
    """The sender's answer for an ambiguous commune, checked: it must be one of its old districts."""
    for district in legacy_districts_for(commune_code):
        if district.district_code == district_code:
            return district
    raise DomainError(
        "Quận/huyện cũ này không thuộc xã/phường đã chọn.", field="legacy_district", code="invalid_legacy_district"
    )


def commune_coordinates(commune_code: int) -> tuple[float, float] | None:
    """The commune's reference point (lat, lon) from the package, None when it has none."""
    _units(commune_code)  # raises for an unknown code
    return _tables().coordinates.get(commune_code)


def communes_for_legacy_ward(ward_code: str) -> list[int]:
    """Our commune codes that took in this old ward (several when it was split)."""
    return list(_tables().by_ward.get(ward_code, ()))


def unmapped_communes() -> tuple[int, ...]:
    """Our commune codes with no counterpart in the package's data (expected: none)."""
    return _tables().unmapped


def renumbered_communes() -> dict[int, int]:
    """Our code -> the package's code for communes the two packages number differently (matched by name)."""
    return dict(_tables().renumbered)
