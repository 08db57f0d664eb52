"""Pre-2025 place names in what buyers write, mapped to the 2025 provinces and communes they became.

Buyers still write the old three-level address: "huyện Mèo Vạc, Hà Giang", "xã Pải Lủng", "Yên Bái". Since July 2025
Vietnam has provinces and communes only (63 provinces merged into 34, districts abolished, wards merged), so the hub
must turn an old name into its 2025 candidates before asking the buyer to pick one. The old units and the old → new
table come from the MIT-licensed `vietnamadminunits` package (1.0.4): only its data files are read (its SQLite file
and `converter_2025.json`), never its modules, which pull in shapely and geopy and may geocode over the network.
No database access: the 2025 units are those of `vietnam-provinces` (the codes of regions.Province/Commune); the two
packages disagree on about 120 commune codes, so a commune is matched on code and name, else on its name within its
province (as taybac.logistics.legacy_address does for carriers).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from vietnam_provinces import Province, Ward

from taybac.core.text import fold

MAX_TEXT_LENGTH = 300  # an address line; longer text is cut
_MAX_WORDS = 6  # the longest old name, in words ("Thành phố Hồ Chí Minh" short name is 4)
_PROVINCE_PREFIXES = ("tinh", "tp", "thanh pho")
_DISTRICT_PREFIXES = ("huyen", "quan", "thi xa", "thanh pho", "tp", "h", "q", "tx")
_WARD_PREFIXES = ("xa", "phuong", "thi tran", "p", "tt", "x")


@dataclass(frozen=True)
class NewPlace:
    """A 2025 unit: the province, and the commune when the old name was a district or a ward."""

    province_code: int
    province_name: str
    commune_code: int | None = None
    commune_name: str | None = None


@dataclass(frozen=True)
class OldPlaceMatch:
    """An old unit named in the text ("Huyện Mèo Vạc, Tỉnh Hà Giang") and the 2025 units it became."""

    level: str  # "province", "district" or "ward"
    old_name: str  # full old name with its parents
    candidates: tuple[NewPlace, ...]


@dataclass(frozen=True)
class _Old:
    level: str
    name: str
    province_key: str
    district_key: str = ""
    ward_key: str = ""


@dataclass(frozen=True)
class _Index:
    provinces: dict[str, list[_Old]]  # folded short name -> old provinces
    districts: dict[str, list[_Old]]
    wards: dict[str, list[_Old]]
    new_of_old: dict[str, tuple[NewPlace, ...]]  # old key "province_district_ward" -> 2025 communes
    new_of_district: dict[str, tuple[NewPlace, ...]]  # old "province_district" -> 2025 communes of its wards
    province_of_old: dict[str, NewPlace]  # old province key -> 2025 province


def _data_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("vietnamadminunits is not installed (pip install vietnamadminunits==1.0.4)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _key(name: str) -> str:
    return " ".join(re.findall(r"[0-9a-z]+", fold(name.replace("’", "'"))))


def _ours(rows: list[tuple[str, str, str, str, str]]) -> dict[tuple[str, str], NewPlace]:
    """The package's 2025 communes (by province key, ward key) as ours (vietnam-provinces codes)."""
    provinces = {int(p.code): p.name for p in Province.iter_all()}
    wards = {int(w.code): w for w in Ward.iter_all()}
    by_name: dict[tuple[int, str], list[Ward]] = defaultdict(list)
    for ward in wards.values():
        by_name[(int(ward.province_code), _key(ward.name))].append(ward)
    out: dict[tuple[str, str], NewPlace] = {}
    for province_key, ward_key, code, province_code, name in rows:
        province = int(province_code)
        same = wards.get(int(code))
        if same is None or int(same.province_code) != province or _key(same.name) != _key(name):
            found = by_name.get((province, _key(name)), [])
            same = found[0] if len(found) == 1 else None
        if same is not None and province in provinces:
            out[(province_key, ward_key)] = NewPlace(province, provinces[province], int(same.code), same.name)
    return out


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Load once per process (about 0.2 s); immutable afterwards, so threads may share it."""
    with sqlite3.connect(f"file:{_data_dir() / 'dataset.db'}?mode=ro", uri=True) as conn:
        legacy = conn.execute(
            "SELECT province, district, ward, provinceShort, districtShort, wardShort, provinceKey, districtKey,"
            " wardKey FROM admin_units_legacy"
        ).fetchall()
        new_rows = conn.execute("SELECT provinceKey, wardKey, wardCode, provinceCode, ward FROM admin_units").fetchall()
    ours = _ours(new_rows)
    convert = json.loads((_data_dir() / "converter_2025.json").read_text(encoding="utf-8"))
    new_of_old: dict[str, list[NewPlace]] = defaultdict(list)
    for province_key, wards in convert["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            if (place := ours.get((province_key, ward_key))) is not None:
                for old_key in old_keys:
                    new_of_old[old_key].append(place)
    for province_key, old_wards in convert["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in old_wards.items():
            for part in parts:
                if (place := ours.get((province_key, part["newWardKey"]))) is not None:
                    new_of_old[old_key].append(place)
    province_of_old: dict[str, NewPlace] = {}
    for new_key, old_keys in convert["DICT_PROVINCE"].items():
        sample = next((p for (pk, _), p in ours.items() if pk == new_key), None)
        for old_key in old_keys:
            if sample is not None:
                province_of_old[old_key] = NewPlace(sample.province_code, sample.province_name)
    provinces: dict[str, list[_Old]] = defaultdict(list)
    districts: dict[str, list[_Old]] = defaultdict(list)
    wards_index: dict[str, list[_Old]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for province, district, ward, p_short, d_short, w_short, pk, dk, wk in legacy:
        if ("p", pk) not in seen:
            seen.add(("p", pk))
            provinces[_key(p_short)].append(_Old("province", province, pk))
        if ("d", pk + dk) not in seen:
            seen.add(("d", pk + dk))
            districts[_key(d_short)].append(_Old("district", f"{district}, {province}", pk, dk))
        if ward:
            wards_index[_key(w_short)].append(_Old("ward", f"{ward}, {district}, {province}", pk, dk, wk))
    frozen = {key: tuple(dict.fromkeys(places)) for key, places in new_of_old.items()}
    by_district: dict[str, set[NewPlace]] = defaultdict(set)
    for key, places in frozen.items():
        by_district[key.rsplit("_", 1)[0]].update(places)
    per_district = {key: tuple(sorted(places, key=_order)) for key, places in by_district.items()}
    return _Index(dict(provinces), dict(districts), dict(wards_index), frozen, per_district, province_of_old)


def _mentions(
    words: list[str], names: dict[str, list[_Old]], prefixes: tuple[str, ...], taken: Collection[int] = ()
) -> list[tuple[int, _Old]]:
    """Old units named in the words, the longest name at each place.

    A one-word or numeric name ("Quận 1") counts only after its kind ("quận", "huyện", "xã"…), and so does a name at
    a place `taken` by a bigger unit ("huyện Mèo Vạc" is the district, "thị trấn Mèo Vạc" the town)."""
    found: list[tuple[int, _Old]] = []
    for start in range(len(words)):
        for size in range(min(_MAX_WORDS, len(words) - start), 0, -1):
            name = " ".join(words[start : start + size])
            if name not in names:
                continue
            before = " ".join(words[max(0, start - 2) : start])
            prefixed = any(before == p or before.endswith(" " + p) for p in prefixes)
            if prefixed or (size >= 2 and start not in taken):
                found.extend((start, old) for old in names[name])
                break
    return found


def read_old_places(text: str) -> list[OldPlaceMatch]:
    """The pre-2025 units a text names, most precise first, each with its 2025 candidates.

    "xã Pải Lủng, huyện Mèo Vạc, Hà Giang" gives the old ward (→ the commune that took it in), "huyện Mèo Vạc"
    the old district (→ every 2025 commune that took in one of its wards), "Hà Giang" the old province (→ Tuyên
    Quang). A district or ward is kept only inside the old province or district the text also names, when it
    names one. Empty when nothing old is named."""
    words = re.findall(r"[0-9a-z]+", fold((text or "")[:MAX_TEXT_LENGTH]))
    index = _index()
    provinces = _mentions(words, index.provinces, _PROVINCE_PREFIXES)
    province_keys = {old.province_key for _, old in provinces}
    taken = {at for at, _ in provinces}
    districts = [
        (at, old)
        for at, old in _mentions(words, index.districts, _DISTRICT_PREFIXES, taken)
        if not province_keys or old.province_key in province_keys
    ]
    district_keys = {(old.province_key, old.district_key) for _, old in districts}
    taken |= {at for at, _ in districts}
    wards = [
        (at, old)
        for at, old in _mentions(words, index.wards, _WARD_PREFIXES, taken)
        if (old.province_key, old.district_key) in district_keys
    ]
    matches = [OldPlaceMatch("ward", old.name, index.new_of_old.get(_old_key(old), ())) for _, old in wards]
    for _, old in districts:
        places = index.new_of_district.get(f"{old.province_key}_{old.district_key}", ())
        matches.append(OldPlaceMatch("district", old.name, places))
    for _, old in provinces:
        new = index.province_of_old.get(old.province_key)
        matches.append(OldPlaceMatch("province", old.name, (new,) if new else ()))
    return list(dict.fromkeys(matches))


def _old_key(old: _Old) -> str:
    return f"{old.province_key}_{old.district_key}_{old.ward_key}"


def _order(place: NewPlace) -> tuple[int, int]:
    return place.province_code, place.commune_code or 0
