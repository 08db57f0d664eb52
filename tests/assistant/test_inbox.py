"""The producer inbox and the operators' inbox: take over, reply, hand back; who may; what the buyer sees
(docs/assistant.md, "Producer inbox")."""

import pytest
from django.test import Client

from taybac.accounts.models import Role, User
from taybac.accounts.selectors import NotAllowed
from taybac.accounts.services import grant_delegation, revoke_delegation
from taybac.assistant import inbox, services
from taybac.assistant.models import Channel, Conversation, Message
from taybac.core.models import AuditEntry, OutboxMessage
from tests.factories import make_user

JSON = {"HTTP_ACCEPT": "application/json"}


def _buyer_asks(text: str = "mật ong bạc hà giá bao nhiêu") -> tuple[Client, Conversation]:
    buyer = Client()
    buyer.post("/tro-ly/", {"text": text})
    return buyer, Conversation.objects.get(key=buyer.session["assistant_conversation"])


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_take_over_reply_and_hand_back_from_the_seller_centre(catalog):
    buyer, conversation = _buyer_asks()
    owner = catalog.honey_shop.producer.owner
    seller = _signed_in(owner)
    page = seller.get("/ban-hang/tin-nhan/").content.decode()
    assert f'href="/ban-hang/tin-nhan/{conversation.pk}/"' in page and "350.000 ₫" in page  # the last message
    url = f"/ban-hang/tin-nhan/{conversation.pk}/"
    assert "Tiếp nhận" in seller.get(url).content.decode()

    assert seller.post(url + "tiep-nhan/")["Location"] == url + "#tra-loi"
    conversation.refresh_from_db()
    assert conversation.taken_over_by == owner and conversation.handover and conversation.taken_over_at
    told = buyer.get("/tro-ly/tin-nhan/").json()
    assert told["taken_over"] is True and "Người của Hộ Giàng A Páo đã nhận" in told["messages"][-1]["text"]

    waiting = buyer.post("/tro-ly/", {"text": "shop ơi còn hàng không"}, **JSON).json()
    assert waiting["reply"] == services.WAITING and waiting["handover"] is True and waiting["products"] == []
    assert conversation.messages.order_by("-pk").first().role == Message.Role.BUYER  # kept, not auto-answered

    seller.post(url + "tra-loi/", {"text": "Dạ còn 12 hũ ạ.\nMình gửi luôn nhé"})
    staff = conversation.messages.get(role=Message.Role.STAFF)
    assert staff.author == owner and staff.text == "Dạ còn 12 hũ ạ.\nMình gửi luôn nhé"
    polled = buyer.get("/tro-ly/tin-nhan/", {"sau": staff.pk - 1}).json()["messages"]
    assert polled == [
        {"id": staff.pk, "role": "staff", "who": "Người bán · Hộ Giàng A Páo", "text": staff.text},
    ]
    assert "Dạ còn 12 hũ ạ.<br>Mình gửi luôn nhé" in buyer.get("/tro-ly/").content.decode()  # no-JS: next load

    seller.post(url + "tra-lai/")
    conversation.refresh_from_db()
    assert conversation.taken_over_by is None and not conversation.handover
    again = buyer.post("/tro-ly/", {"text": "mật ong giá bao nhiêu"}, **JSON).json()
    assert again["reply"] != services.WAITING and "350.000 ₫" in again["reply"]
    entries = AuditEntry.objects.filter(target_type="assistant.conversation", target_id=str(conversation.pk))
    actions = list(entries.values_list("action", flat=True))
    assert sorted(actions) == ["assistant.handed_back", "assistant.replied", "assistant.taken_over"]
    assert not AuditEntry.objects.filter(detail__icontains="12 hũ").exists()  # the text stays out of the log


@pytest.mark.django_db
def test_handed_over_conversations_come_first_and_are_counted_on_the_seller_home(catalog):
    _buyer_asks("mật ong bạc hà giá bao nhiêu")
    _, complaint = _buyer_asks("mật ong bạc hà bị chảy nước, cho mình gặp người bán")
    _buyer_asks("mật ong có ocop không")
    assert complaint.handover and complaint.shop_id == catalog.honey_shop.pk
    seller = _signed_in(catalog.honey_shop.producer.owner)
    page = seller.get("/ban-hang/tin-nhan/").content.decode()
    first = page.index('href="/ban-hang/tin-nhan/')
    assert page[first:].startswith(f'href="/ban-hang/tin-nhan/{complaint.pk}/"') and "Chờ trả lời" in page
    assert "Tin nhắn <b>(1 chờ trả lời)</b>" in seller.get("/ban-hang/").content.decode()
    inbox.take_over(actor=catalog.honey_shop.producer.owner, conversation=complaint)
    assert "Tin nhắn <b>" not in seller.get("/ban-hang/").content.decode()  # taken, and the person spoke last


@pytest.mark.django_db
def test_a_seller_sees_only_their_shops_conversations(catalog):
    _, honey_talk = _buyer_asks("mật ong bạc hà giá bao nhiêu")
    tea_owner = catalog.tea_shop.producer.owner
    other = _signed_in(tea_owner)
    assert "350.000 ₫" not in other.get("/ban-hang/tin-nhan/").content.decode()
    for suffix in ("", "tiep-nhan/", "tra-loi/", "tra-lai/"):
        url = f"/ban-hang/tin-nhan/{honey_talk.pk}/{suffix}"
        response = other.post(url, {"text": "chào"}) if suffix else other.get(url)
        assert response.status_code == 404, url
    with pytest.raises(NotAllowed):
        inbox.reply(actor=tea_owner, conversation=honey_talk, text="chào")
    assert not honey_talk.messages.filter(role=Message.Role.STAFF).exists()
    assert _signed_in(make_user()).get("/ban-hang/tin-nhan/")["Location"] == "/ban-hang/dang-ky/"


@pytest.mark.django_db
def test_a_helper_answers_while_delegated_and_not_after(catalog):
    _, conversation = _buyer_asks()
    owner = catalog.honey_shop.producer.owner
    helper = make_user(role=Role.HELPER)
    delegation = grant_delegation(producer=catalog.honey_shop.producer, delegate=helper, granted_by=owner)
    inbox.reply(actor=helper, conversation=conversation, text="Dạ em trả lời thay chủ hộ ạ")
    entry = AuditEntry.objects.get(action="assistant.replied")
    assert entry.actor_id == helper.pk and entry.on_behalf_of_id == owner.pk
    revoke_delegation(delegation=delegation, revoked_by=owner)
    with pytest.raises(NotAllowed):
        inbox.hand_back(actor=helper, conversation=conversation)


@pytest.mark.django_db
def test_operators_see_every_conversation(catalog):
    _, honey_talk = _buyer_asks("mật ong bạc hà giá bao nhiêu")
    _, nowhere = _buyer_asks("chào shop")
    operator = User.objects.create(username="vanhanh", role=Role.OPERATOR)
    desk = _signed_in(operator)
    page = desk.get("/van-hanh/tin-nhan/").content.decode()
    assert f"/van-hanh/tin-nhan/{honey_talk.pk}/" in page and f"/van-hanh/tin-nhan/{nowhere.pk}/" in page
    assert f"/van-hanh/tin-nhan/{nowhere.pk}/" not in desk.get("/van-hanh/tin-nhan/", {"kenh": "zalo"}).content.decode()
    desk.post(f"/van-hanh/tin-nhan/{nowhere.pk}/tra-loi/", {"text": "Chào bạn, Tây Bắc Hub đây"})
    staff = nowhere.messages.get(role=Message.Role.STAFF)
    assert staff.author == operator
    assert _signed_in(catalog.honey_shop.producer.owner).get("/van-hanh/tin-nhan/").status_code == 403
    assert Client().get("/van-hanh/tin-nhan/")["Location"].startswith("/dang-nhap/")


@pytest.mark.django_db
def test_zalo_replies_go_through_the_outbox_and_api_conversations_cannot_be_taken(catalog):
    services.handle_message(channel=Channel.ZALO, client="zalo", conversation="84912000111", text="mật ong giá bn")
    zalo = Conversation.objects.get(channel=Channel.ZALO)
    owner = catalog.honey_shop.producer.owner
    inbox.reply(actor=owner, conversation=zalo, text="Dạ mật ong còn ạ")
    sent = list(OutboxMessage.objects.filter(channel="zalo").values_list("recipient", "body"))
    assert ("84912000111", "Dạ mật ong còn ạ") in sent and len(sent) == 2  # the take-over notice, then the reply
    waiting = services.handle_message(channel=Channel.ZALO, client="zalo", conversation="84912000111", text="ok")
    assert waiting.reply.text == services.WAITING and waiting.reply.handover

    services.handle_message(client="203.0.113.5", conversation="api-1", text="mật ong giá bao nhiêu")
    api = Conversation.objects.get(channel=Channel.API)
    seller = _signed_in(owner)
    response = seller.post(f"/ban-hang/tin-nhan/{api.pk}/tiep-nhan/", follow=True)
    assert "qua API" in response.content.decode()
    api.refresh_from_db()
    assert api.taken_over_by is None


@pytest.mark.django_db
def test_replies_are_bounded(catalog):
    _, conversation = _buyer_asks()
    seller = _signed_in(catalog.honey_shop.producer.owner)
    url = f"/ban-hang/tin-nhan/{conversation.pk}/tra-loi/"
    assert "Hãy viết câu trả lời." in seller.post(url, {"text": " \u200b "}, follow=True).content.decode()
    assert "tối đa 1000 ký tự" in seller.post(url, {"text": "a" * 1001}, follow=True).content.decode()
    assert not conversation.messages.filter(role=Message.Role.STAFF).exists()
    assert conversation.taken_over_by_id is None


@pytest.mark.django_db
def test_inbox_and_chat_pages_cost_a_fixed_number_of_queries(catalog, django_assert_max_num_queries):
    buyer, first = _buyer_asks("mật ong bạc hà giá bao nhiêu")
    for text in ("mật ong có ocop không", "mật ong bạc hà bị chảy nước, cho mình gặp người bán"):
        _buyer_asks(text)
    seller = _signed_in(catalog.honey_shop.producer.owner)
    inbox.reply(actor=catalog.honey_shop.producer.owner, conversation=first, text="Dạ còn ạ")
    with django_assert_max_num_queries(9):  # session, user, acting producer and shop, the list in one query
        assert seller.get("/ban-hang/tin-nhan/").status_code == 200
    with django_assert_max_num_queries(9):
        assert seller.get(f"/ban-hang/tin-nhan/{first.pk}/").status_code == 200
    with django_assert_max_num_queries(6):  # session, conversation, messages with their authors; the session saved
        assert buyer.get("/tro-ly/").status_code == 200  # (the last answer's links, shown once, are dropped)
    with django_assert_max_num_queries(3):
        assert buyer.get("/tro-ly/").status_code == 200
    with django_assert_max_num_queries(3):
        assert buyer.get("/tro-ly/tin-nhan/", {"sau": 0}).status_code == 200
