"""The demo plan is deterministic and its data fits the regions package; `taybac demo` runs twice cleanly."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from vietnam_provinces import Ward

from taybac.core.text import fold
from taybac.demo.people import HELPERS, OFFICERS, POST_OFFICES, PRODUCERS
from taybac.demo.photos import initials, product_card
from taybac.demo.plan import SPECIALTIES, build_plan, next_harvest

NAMES = {
    4: "Cao Bằng",
    8: "Tuyên Quang",
    11: "Điện Biên",
    12: "Lai Châu",
    14: "Sơn La",
    15: "Lào Cai",
    19: "Thái Nguyên",
    20: "Lạng Sơn",
    25: "Phú Thọ",
}
TODAY = datetime.date(2026, 11, 24)


def test_same_day_same_plan():
    assert build_plan(today=TODAY, province_names=NAMES) == build_plan(today=TODAY, province_names=NAMES)


def test_plan_counts():
    plan = build_plan(today=TODAY, province_names=NAMES)
    products = [p for producer in plan for p in producer.products]
    assert len(plan) >= 40 and len(products) >= 200
    assert len({p.phone for p in plan}) == len(plan)
    assert all(p.products for p in plan)


def test_every_commune_exists_in_its_province():
    by_province: dict[int, set[str]] = {}
    for ward in Ward.iter_all():
        by_province.setdefault(int(ward.province_code), set()).add(fold(ward.name))
    places = [(p.province, p.commune) for p in PRODUCERS] + list(POST_OFFICES)
    for province, commune in places:
        assert fold(commune) in by_province[province], (province, commune)


def test_references_are_consistent():
    helper_keys = {h.key for h in HELPERS}
    producer_keys = {p.key for p in PRODUCERS}
    assert len(producer_keys) == len(PRODUCERS)
    for producer in PRODUCERS:
        assert producer.kind in {"household", "cooperative", "enterprise"}
        assert not producer.helper or producer.helper in helper_keys
        assert not producer.cooperative or producer.cooperative in producer_keys
        for ref in producer.products:
            assert ref.specialty in SPECIALTIES
            assert ref.ocop in (None, 3, 4, 5)
    assert all(set(h.revoked) <= producer_keys for h in HELPERS)
    assert sorted(o.province for o in OFFICERS) == sorted(NAMES)


def test_specialty_templates_are_well_formed():
    for key, spec in SPECIALTIES.items():
        assert spec.variants, key
        assert all(1 <= m <= 12 for m in spec.months), key
        assert not spec.preorder or spec.months, key
        spec.name.format(place="X", province="Y")
        spec.description.format(place="X", province="Y")
        for name, unit, grams, price in spec.variants:
            assert name and unit and grams >= 1 and price > 0


@pytest.mark.parametrize(
    ("months", "today", "expected"),
    [
        ((11, 12, 1), datetime.date(2026, 11, 24), datetime.date(2027, 11, 10)),
        ((11, 12, 1), datetime.date(2026, 3, 1), datetime.date(2026, 11, 10)),
        ((5, 6), datetime.date(2026, 1, 1), datetime.date(2026, 5, 10)),
        ((5, 6), datetime.date(2026, 5, 10), datetime.date(2027, 5, 10)),
        ((6, 10), datetime.date(2026, 7, 1), datetime.date(2026, 10, 10)),
        ((), datetime.date(2026, 7, 1), None),
        (tuple(range(1, 13)), datetime.date(2026, 7, 1), datetime.date(2026, 7, 10)),
        (tuple(range(1, 13)), datetime.date(2026, 7, 10), datetime.date(2026, 8, 10)),
    ],
)
def test_next_harvest(months, today, expected):
    assert next_harvest(months, today) == expected


@given(
    months=st.sets(st.integers(1, 12), min_size=1),
    today=st.dates(datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)),
)
def test_next_harvest_is_a_season_month_within_a_year(months, today):
    date = next_harvest(tuple(sorted(months)), today)
    assert today < date <= today + datetime.timedelta(days=366)
    assert date.month in months and date.day == 10


def test_photo_cards_are_deterministic_jpegs():
    card = product_card(name="Mật ong bạc hà Mèo Vạc", category="mat-ong", seed=7)
    assert card[:3] == b"\xff\xd8\xff"
    assert card == product_card(name="Mật ong bạc hà Mèo Vạc", category="mat-ong", seed=7)
    assert initials("Mật ong bạc hà Mèo Vạc") == "MOBH"
    assert initials("Đường phèn") == "DP"


def test_taybac_demo_command_twice(tmp_path):
    """The README's first command, minus serving: migrate, load, and load again without duplicates."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TAYBAC_", "DJANGO_"))}
    env["TAYBAC_DATA_DIR"] = str(tmp_path / "var")
    command = [sys.executable, "-c", "from taybac.cli import main; main()", "demo", "--no-serve"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "227 sản phẩm" in first.stdout and "Lần này tạo mới 227 sản phẩm" in first.stdout
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert "227 sản phẩm" in second.stdout and "không tạo thêm" in second.stdout
    assert (tmp_path / "var" / "taybac.sqlite3").exists()
