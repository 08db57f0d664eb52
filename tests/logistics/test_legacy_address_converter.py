"""Our reading of the package's data files agrees with the package's own converter (its parser and tables).

The converter is imported only here, in tests: it needs shapely/geopy, and it geocodes over the network
when the address has a street line — these addresses have none, and the geocoder is replaced by a trap.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vietnam_provinces import Ward

from taybac.logistics import legacy_address as la

OURS = {int(w.code): (int(w.province_code), la._name_key(w.name)) for w in Ward.iter_all()}
OLD_WARDS = sorted(
    {
        (u.ward_code, u.ward_name, u.district_name, u.province_name)
        for commune in OURS
        for u in la.legacy_units_for(commune)
        if u.ward_code
    }
)


@pytest.fixture(scope="module")
def convert():  # type: ignore[no-untyped-def]
    converter = pytest.importorskip("vietnamadminunits.converter.converter_2025")

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the converter tried to geocode over the network")

    patch = pytest.MonkeyPatch()
    patch.setattr(converter, "get_geo_location", no_network)
    yield converter.convert_address_2025
    patch.undo()


@settings(max_examples=200, deadline=None)
@given(old=st.sampled_from(OLD_WARDS))
def test_the_package_converts_each_old_ward_into_one_of_the_communes_we_list(convert, old) -> None:  # type: ignore[no-untyped-def]
    ward_code, ward, district, province = old
    new = convert(f"{ward}, {district}, {province}")
    assert (int(new.province_code), la._name_key(new.ward)) in [OURS[c] for c in la.communes_for_legacy_ward(ward_code)]
