"""The seller centre's sender's-address page: the radio of old districts for an ambiguous commune (and none
otherwise), saving and showing what was saved, clear errors for a tampered district or a pin outside Vietnam."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from taybac.accounts.models import Role
from taybac.accounts.services import grant_delegation
from taybac.logistics.models import SenderAddress
from tests.factories import make_user
from tests.logistics.sender_world import DONG_VAN, Y_TY, shop_in

pytestmark = pytest.mark.django_db
URL = "/ban-hang/dia-chi-gui-hang/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_ambiguous_commune_shows_its_old_districts_as_a_radio() -> None:
    shop = shop_in(DONG_VAN)
    page = signed_in(shop.producer.owner).get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Trước năm 2025, địa chỉ này thuộc huyện nào?" in html
    assert html.count('type="radio"') == 2 and "Huyện Mèo Vạc" in html and "Ghim vị trí của tôi" in html


def test_a_single_district_commune_asks_only_for_the_street() -> None:
    html = signed_in(shop_in(Y_TY, "Hộ Lý A Sử").producer.owner).get(URL).content.decode()
    assert 'type="radio"' not in html and "Số nhà, thôn/bản, đường" in html


def test_saving_remembers_the_choice_and_shows_it_checked() -> None:
    shop = shop_in(DONG_VAN)
    client = signed_in(shop.producer.owner)
    answer = client.post(
        URL, {"street": "Thôn Lao Chải", "legacy_district_code": "027", "latitude": "23,2751", "longitude": "105.3614"}
    )
    assert answer.status_code == 302 and answer["Location"] == URL
    sender = SenderAddress.objects.get(shop=shop)
    assert (sender.legacy_district_code, str(sender.latitude), str(sender.longitude)) == (
        "027",
        "23.275100",
        "105.361400",
    )
    html = client.get(URL).content.decode()
    assert re.search(r'<input type="radio" name="legacy_district_code" value="027"[^>]* checked', html)
    assert not re.search(r'value="026"[^>]* checked', html)
    assert "Đã lưu địa chỉ gửi hàng." in html and "openstreetmap.org/?mlat=23.275100" in html


def test_a_district_outside_the_commune_is_refused_in_vietnamese() -> None:
    shop = shop_in(DONG_VAN)
    answer = signed_in(shop.producer.owner).post(URL, {"street": "Thôn 1", "legacy_district_code": "082"})
    assert answer.status_code == 400 and "Huyện này không thuộc xã/phường của gian hàng." in answer.content.decode()
    assert not SenderAddress.objects.exists()


def test_no_district_chosen_is_asked_again() -> None:
    answer = signed_in(shop_in(DONG_VAN).producer.owner).post(URL, {"street": "Thôn 1"})
    assert answer.status_code == 400 and "Hãy chọn huyện cũ của địa chỉ này." in answer.content.decode()


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        ("48.85", "2.35", "nằm ngoài Việt Nam"),
        ("abc", "105", "Phải là một số"),
        ("22.3", "", "Cần cả vĩ độ và kinh độ"),
        ("1e999999", "105", "Phải là một số"),
    ],
)
def test_a_bad_pin_is_a_clear_error_not_a_crash(lat: str, lon: str, message: str) -> None:
    shop = shop_in(Y_TY, "Hộ Lý A Sử")
    answer = signed_in(shop.producer.owner).post(URL, {"street": "Bản 1", "latitude": lat, "longitude": lon})
    assert answer.status_code == 400 and message in answer.content.decode()


def test_a_helper_saves_for_the_producer_they_act_for() -> None:
    shop = shop_in(DONG_VAN)
    helper = make_user(role=Role.HELPER)
    grant_delegation(producer=shop.producer, delegate=helper, granted_by=shop.producer.owner)
    answer = signed_in(helper).post(URL, {"street": "Thôn 3", "legacy_district_code": "026"})
    assert answer.status_code == 302 and SenderAddress.objects.get(shop=shop).updated_by == helper


def test_someone_without_a_shop_is_sent_to_sign_up_and_strangers_to_sign_in() -> None:
    assert signed_in(make_user()).get(URL)["Location"] == "/ban-hang/dang-ky/"
    assert Client().get(URL)["Location"].startswith("/dang-nhap/")


def test_the_seller_home_links_to_it() -> None:
    assert URL in signed_in(shop_in(Y_TY).producer.owner).get("/ban-hang/").content.decode()
